import { z } from 'zod';
import { descriptionSchema, displayNameSchema } from './fields';
import { appIdSchema } from '../ids';

/** Platforms the Clickstream SDKs exist for. @public */
export const APP_PLATFORMS = [
  'Web',
  'Android',
  'iOS',
  'Flutter',
  'ReactNative',
  'WeChatMP',
] as const;
/** @public */
export type AppPlatform = (typeof APP_PLATFORMS)[number];

/** True when the runtime knows the IANA time zone name. @public */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    // Throws a RangeError for names the runtime's tz database does not know.
    new Intl.DateTimeFormat('en-US', { timeZone }).format(0);
    return timeZone.includes('/') || timeZone === 'UTC';
  } catch {
    return false;
  }
}

/** An origin a browser sends in `Origin`: scheme, host and optional port, no path. @public */
export const corsOriginSchema = z
  .string()
  .regex(
    /^https?:\/\/(\*\.)?[a-zA-Z0-9.-]+(:\d{1,5})?$/,
    'corsOrigins must be origins like https://shop.example.com or https://*.example.com (no path)',
  );

const appFields = {
  name: displayNameSchema,
  description: descriptionSchema,
  platforms: z
    .array(
      z.enum(APP_PLATFORMS, {
        errorMap: () => ({
          message: `platforms must be among ${APP_PLATFORMS.join(', ')}`,
        }),
      }),
    )
    .min(1, 'platforms must name at least one platform'),
  androidPackage: z
    .string()
    .regex(
      /^[a-zA-Z][a-zA-Z0-9_]*(\.[a-zA-Z][a-zA-Z0-9_]*)+$/,
      'androidPackage must be a Java package name like com.example.shop',
    )
    .nullable(),
  iosBundleId: z
    .string()
    .regex(
      /^[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+$/,
      'iosBundleId must be a bundle identifier like com.example.shop',
    )
    .nullable(),
  timezone: z
    .string()
    .refine(isValidTimeZone, {
      message: 'timezone must be an IANA time zone name like Europe/Paris',
    })
    .nullable(),
  corsOrigins: z.array(corsOriginSchema).max(50, 'at most 50 corsOrigins'),
  enabled: z.boolean(),
};

/** The body of `POST /projects/:projectId/apps`. @public */
export const createAppRequestSchema = z
  .object({
    appId: appIdSchema,
    ...appFields,
    description: appFields.description.default(''),
    platforms: appFields.platforms.default(['Web']),
    androidPackage: appFields.androidPackage.default(null),
    iosBundleId: appFields.iosBundleId.default(null),
    timezone: appFields.timezone.default(null),
    corsOrigins: appFields.corsOrigins.default([]),
    enabled: appFields.enabled.default(true),
  })
  .strict();
/** @public */
export type CreateAppRequest = z.input<typeof createAppRequestSchema>;

/**
 * The body of `PUT /projects/:projectId/apps/:appId`. The time zone can be set once: it fixes
 * the app's day boundaries in every report, so changing it later would rewrite history.
 * @public
 */
export const updateAppRequestSchema = z
  .object({ ...appFields, version: z.number().int().positive().optional() })
  .partial()
  .strict();
/** @public */
export type UpdateAppRequest = z.input<typeof updateAppRequestSchema>;

/** An app that sends events to a project; its appId is what the SDKs send. @public */
export interface App {
  projectId: string;
  appId: string;
  name: string;
  description: string;
  platforms: AppPlatform[];
  androidPackage: string | null;
  iosBundleId: string | null;
  timezone: string | null;
  corsOrigins: string[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}
