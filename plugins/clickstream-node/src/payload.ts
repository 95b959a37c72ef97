import { InputError } from '@backstage/errors';
import { gunzipSync } from 'node:zlib';

/** Bodies larger than this, once inflated, are refused rather than parsed (a gzip bomb guard). */
const MAX_INFLATED_BYTES = 16 * 1024 * 1024;

/**
 * Decodes a collect request body into its array of events.
 *
 * The Web SDK posts a plain JSON array; Android and Swift post base64 of the gzipped
 * JSON when `compression=gzip`. Like the reference solution's cleaner, the body decides:
 * one that starts with `[` is plain JSON, anything else is base64+gzip, whatever the
 * parameter says.
 *
 * @throws InputError when the body cannot be decoded or is not a JSON array.
 * @public
 */
export function decodeEventPayload(body: Buffer): unknown[] {
  const text = body.toString('utf8').trim();
  if (text.length === 0) {
    throw new InputError(
      'request body is empty; expected a JSON array of events',
    );
  }
  // A JSON array is plain whatever the parameter says (Android falls back to plain JSON
  // when its gzip step fails, and keeps the parameter), as the reference solution reads it.
  const json = text.startsWith('[') ? text : inflate(text);
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
  return parsed;
}

function inflate(base64: string): string {
  // Base64 text from the SDKs has no line breaks (Android uses NO_WRAP); anything outside the
  // alphabet means the body is neither JSON nor our encoding.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) {
    throw new InputError(
      'request body is neither a JSON array nor base64-encoded gzip',
    );
  }
  try {
    return gunzipSync(Buffer.from(base64, 'base64'), {
      maxOutputLength: MAX_INFLATED_BYTES,
    }).toString('utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new InputError(
        `request body inflates to more than ${MAX_INFLATED_BYTES} bytes`,
      );
    }
    throw new InputError('request body is base64 but not valid gzip data');
  }
}
