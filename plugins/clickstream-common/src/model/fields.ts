import { z } from 'zod';

/** The display name of a project or an app. */
export const displayNameSchema = z
  .string({ required_error: 'name is required' })
  .trim()
  .min(1, 'name must not be empty')
  .max(255, 'name must be at most 255 characters');

/** The free-text description of a project or an app. */
export const descriptionSchema = z
  .string()
  .max(2048, 'description must be at most 2048 characters');
