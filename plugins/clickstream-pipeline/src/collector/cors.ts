/**
 * Whether a browser Origin may call the collector for an app: exact origins
 * (`https://shop.example.com`) or one wildcard label (`https://*.example.com`).
 */
export function isOriginAllowed(origin: string, allowed: string[]): boolean {
  for (const pattern of allowed) {
    if (pattern === origin) return true;
    const star = pattern.indexOf('://*.');
    if (star > 0) {
      const scheme = pattern.slice(0, star + 3);
      const suffix = pattern.slice(star + 4); // ".example.com[:port]"
      if (
        origin.startsWith(scheme) &&
        origin.endsWith(suffix) &&
        origin.length > scheme.length + suffix.length &&
        // Exactly one label: https://*.example.com allows www.example.com, not a.b.example.com.
        /^[a-zA-Z0-9-]+$/.test(
          origin.slice(scheme.length, origin.length - suffix.length),
        )
      ) {
        return true;
      }
    }
  }
  return false;
}
