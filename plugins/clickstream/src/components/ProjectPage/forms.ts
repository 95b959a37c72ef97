import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { useEffect, useRef, useState } from 'react';

/** What the forms need of a request schema of -common (a zod schema). */
interface RequestSchema {
  safeParse(input: unknown):
    | { success: true }
    | {
        success: false;
        error: { issues: { path: (string | number)[]; message: string }[] };
      };
}

/**
 * Problems by field (the first path segment of each issue), in the API's own words: the forms
 * validate with the schema the backend parses the request with.
 */
export function problemsOf(
  schema: RequestSchema,
  request: unknown,
): Record<string, string> {
  const result = schema.safeParse(request);
  if (result.success) return {};
  const problems: Record<string, string> = {};
  for (const issue of result.error.issues) {
    problems[String(issue.path[0] ?? 'form')] ??= issue.message;
  }
  return problems;
}

/** The origins typed into a text field, one per line (commas and spaces also separate). */
export function originsOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map(origin => origin.trim())
    .filter(Boolean);
}

/** What the backend said was wrong (a ResponseError's body), or the error itself. */
export function messageOf(error: unknown): string {
  return (error as any)?.body?.error?.message ?? String(error);
}

/**
 * A dialog's one request: sent once at a time, its success announced and handed on, its
 * failure kept for the dialog to show, and cleared when the dialog opens again.
 */
export function useDialogRequest<T>(options: {
  open: boolean;
  send: () => Promise<T>;
  /** The announcement of a success. */
  success: (result: T) => string;
  done: (result: T) => void;
}) {
  const alertApi = useApi(alertApiRef);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const { open } = options;
  useEffect(() => {
    if (open) setError(undefined);
  }, [open]);

  async function submit() {
    setError(undefined);
    setPending(true);
    try {
      const result = await options.send();
      alertApi.post({
        message: options.success(result),
        severity: 'success',
        display: 'transient',
      });
      options.done(result);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setPending(false);
    }
  }
  return { submit, pending, error };
}

/**
 * Runs `start` each time a dialog opens, and only then: the page reloads what the dialog edits
 * while it is open (a status moves, a poll answers), which must not wipe what is being typed.
 * Someone else's change meanwhile makes the save fail with a conflict instead.
 */
export function useOnOpen(open: boolean, start: () => void) {
  const wasOpen = useRef(false);
  const latest = useRef(start);
  latest.current = start;
  useEffect(() => {
    if (open && !wasOpen.current) latest.current();
    wasOpen.current = open;
  }, [open]);
}
