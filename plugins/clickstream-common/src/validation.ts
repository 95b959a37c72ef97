/** A problem a schema found, as zod reports it. @public */
export interface ValidationIssue {
  code: string;
  path: (string | number)[];
  message: string;
  /** The unknown keys, for an `unrecognized_keys` issue. */
  keys?: string[];
}

/**
 * The messages of a failed validation, one per problem, prefixed with the field where the
 * schema's message does not name it. The API answers 400 with them, and the frontend's forms
 * show the same words.
 * @public
 */
export function validationMessages(error: {
  issues: ValidationIssue[];
}): string[] {
  return error.issues.map(issue => {
    const field = issue.path.join('.');
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      const keys = issue.keys.map(k => (field ? `${field}.${k}` : k));
      return `unknown field${keys.length > 1 ? 's' : ''} ${keys.join(', ')}`;
    }
    return field && !issue.message.startsWith(field)
      ? `${field}: ${issue.message}`
      : issue.message;
  });
}
