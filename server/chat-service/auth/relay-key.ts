import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a caller's X-Relay-Key is the configured key, compared in constant time (both are
 * hashed first, so neither the key's length nor its first differing byte shows in the timing).
 * No key configured: nobody is trusted.
 */
export function relayKeyCheck(configured: string): (given: string | undefined) => boolean {
  if (configured === '') return () => false;
  const expected = digest(configured);
  return (given) => given !== undefined && timingSafeEqual(digest(given), expected);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
