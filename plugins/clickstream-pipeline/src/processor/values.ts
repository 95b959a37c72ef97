// Readers of the SDKs' loosely typed values: what the event gives, as a column can hold it.

export type Attributes = Record<string, unknown>;

export function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  return typeof value === 'string' ? value : String(value);
}

export function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

export function bool(value: unknown): boolean | null {
  if (value === undefined || value === null) return null;
  return value === true || value === 1 || value === 'true' || value === '1';
}

/** User attributes arrive as `{ value, set_timestamp }`. */
export function userValue(value: unknown): unknown {
  return isObject(value) && 'value' in value ? value.value : value;
}

export function parseUrl(url: string | null): URL | undefined {
  if (!url) return undefined;
  try {
    // Mobile SDKs and some pages send `www.example.com/...` or `example.com?utm_source=...`:
    // as the reference does, a URL with no scheme near its start is taken as https.
    return new URL(url.slice(0, 15).includes('://') ? url : `https://${url}`);
  } catch {
    return undefined;
  }
}
