import { isIPv6 } from 'node:net';

/**
 * The key that counts one client in limits: an IPv4 address as it is, an IPv6 address by its /64
 * (one subscriber's network gets a whole /64, so its addresses are one client, not 2^64 of them).
 * Anything that is not an IP address (a chat token, an agent ID) is its own key.
 */
export function clientKey(key: string): string {
  if (!key.includes(':')) return key;
  let known = recent.get(key);
  if (known === undefined) {
    known = ipv6Key(key);
    // A bounded memo: parsing IPv6 is most of a limiter call's cost, and clients come back.
    if (recent.size >= maxRecent) recent.clear();
    recent.set(key, known);
  }
  return known;
}

const recent = new Map<string, string>();
const maxRecent = 10_000;

function ipv6Key(key: string): string {
  if (!isIPv6(key)) return key;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(key);
  if (mapped?.[1] !== undefined) return mapped[1];
  return `${expandIPv6(key).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address (a zone index dropped, an embedded IPv4 read as two). */
function expandIPv6(address: string): string[] {
  const bare = address.split('%')[0] ?? address;
  const withoutIPv4 = bare.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_all, a, b, c, d) => {
    const [w, x, y, z] = [a, b, c, d].map(Number) as [number, number, number, number];
    return `${((w << 8) | x).toString(16)}:${((y << 8) | z).toString(16)}`;
  });
  const [head = '', tail] = withoutIPv4.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((group) =>
    Number.parseInt(group, 16).toString(16),
  );
}
