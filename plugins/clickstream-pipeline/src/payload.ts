import { InputError } from '@backstage/errors';
import { gunzipSync } from 'node:zlib';

/**
 * What one collect request may carry once decoded. The SDKs send at most 512 KiB and (Android,
 * Swift) 100 events a request; the Web SDK's batches stay under 512 KiB, a few hundred events.
 * These defaults are several times that, and bound the work any one request can cause.
 * @public
 */
export const PAYLOAD_LIMITS = {
  /** Events in one request. */
  maxEvents: 2_000,
  /** The JSON text of one request, after gzip is undone. */
  maxExpandedBytes: 4 * 1024 * 1024,
} as const;

/** @public */
export type PayloadLimits = { maxEvents: number; maxExpandedBytes: number };

/** A body that decodes, but to more than one request may carry: a 413, not a 400. @public */
export class PayloadTooLargeError extends InputError {}

/**
 * Decodes a collect request body into its array of events.
 *
 * The Web SDK posts a plain JSON array; Android and Swift post base64 of the gzipped
 * JSON when `compression=gzip`. Like the reference solution's cleaner, the body decides:
 * one that starts with `[` is plain JSON, anything else is base64+gzip, whatever the
 * parameter says.
 *
 * @throws InputError when the body cannot be decoded or is not a JSON array, and
 *   PayloadTooLargeError when it holds more than `limits` allow.
 * @public
 */
export function decodeEventPayload(
  body: Buffer,
  limits: PayloadLimits = PAYLOAD_LIMITS,
): unknown[] {
  return decodePayload(body, limits).events;
}

/** The events of a body and the size of their JSON text (what processing them costs). @public */
export function decodePayload(
  body: Buffer,
  limits: PayloadLimits = PAYLOAD_LIMITS,
): { events: unknown[]; expandedBytes: number } {
  const text = body.toString('utf8').trim();
  if (text.length === 0) {
    throw new InputError(
      'request body is empty; expected a JSON array of events',
    );
  }
  // A JSON array is plain whatever the parameter says (Android falls back to plain JSON
  // when its gzip step fails, and keeps the parameter), as the reference solution reads it.
  const json = text.startsWith('[') ? text : inflate(text, limits);
  const expandedBytes = Buffer.byteLength(json);
  if (expandedBytes > limits.maxExpandedBytes) {
    throw new PayloadTooLargeError(
      `request body is ${expandedBytes} bytes of JSON; the limit is ${limits.maxExpandedBytes}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new InputError(
      `request body is not valid JSON: ${(e as Error).message}`,
    );
  }
  if (!Array.isArray(parsed)) {
    throw new InputError('request body must be a JSON array of events');
  }
  if (parsed.length > limits.maxEvents) {
    throw new PayloadTooLargeError(
      `request body holds ${parsed.length} events; the limit is ${limits.maxEvents} a request`,
    );
  }
  return { events: parsed, expandedBytes };
}

function inflate(base64: string, limits: PayloadLimits): string {
  // Base64 text from the SDKs has no line breaks (Android uses NO_WRAP); anything outside the
  // alphabet means the body is neither JSON nor our encoding.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) {
    throw new InputError(
      'request body is neither a JSON array nor base64-encoded gzip',
    );
  }
  try {
    // A gzip bomb stops inflating at the limit instead of filling the memory.
    return gunzipSync(Buffer.from(base64, 'base64'), {
      maxOutputLength: limits.maxExpandedBytes + 1,
    }).toString('utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new PayloadTooLargeError(
        `request body inflates to more than ${limits.maxExpandedBytes} bytes`,
      );
    }
    throw new InputError('request body is base64 but not valid gzip data');
  }
}
