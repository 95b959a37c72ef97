import { isIP } from 'node:net';

const normalize = (ip: string) => (ip.startsWith('::ffff:') ? ip.slice(7) : ip);

/**
 * The client's address. `X-Forwarded-For` is believed only when the connection comes from a
 * trusted proxy; then the rightmost address that is not itself a trusted proxy is the client
 * (anything left of it could have been written by the client).
 */
export function clientIp(
  remoteAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxies: ReadonlySet<string>,
): string {
  const remote = normalize(remoteAddress ?? '');
  if (!forwardedFor || !trustedProxies.has(remote)) return remote;
  const hops = (
    Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor
  )
    .split(',')
    .map(h => normalize(h.trim()))
    .filter(h => isIP(h) !== 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!trustedProxies.has(hops[i])) return hops[i];
  }
  return hops[0] ?? remote;
}
