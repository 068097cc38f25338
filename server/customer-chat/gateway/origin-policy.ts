/**
 * Which web origins may use CustomerChat: its own, and those whose host is listed in
 * CrossDomainAllowIpAddress. Hosts are compared whole — `127.0.0.1.evil.example` is not
 * `127.0.0.1` — and only for http and https origins.
 */
export function isOriginAllowed(
  origin: string | undefined,
  ownHost: string | undefined,
  allowedHosts: readonly string[],
): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (ownHost !== undefined && url.host.toLowerCase() === ownHost.toLowerCase()) return true;
  const hostname = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return allowedHosts.includes(hostname);
}
