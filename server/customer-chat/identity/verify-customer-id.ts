import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AppSettings } from '../../config/web-config';

export type IdentitySettings = Pick<
  AppSettings,
  'IdentityVerificationSecret' | 'RequireIdentityVerification'
>;

/**
 * What a chat request's CustomerID is worth: `verified` when the site's server vouched for it (its
 * hash matches), `refused` when verification is required and it did not.
 */
export type IdentityVerdict = { verified: boolean } | 'refused';

const hexSha256 = /^[0-9a-f]{64}$/i;

/** The hash a website's server gives the page for a customer: hex HMAC-SHA256 under the secret. */
export function customerIdHash(customerId: string, secret: string): string {
  return createHmac('sha256', secret).update(customerId, 'utf8').digest('hex');
}

/**
 * Checks `hash` against the CustomerID in constant time (the length of a well-formed hash is no
 * secret). Without a secret nothing is verified; a request without a CustomerID has nothing to
 * verify and is never refused.
 */
export function verifyCustomerId(
  customerId: string | undefined,
  hash: string | undefined,
  settings: IdentitySettings,
): IdentityVerdict {
  const secret = settings.IdentityVerificationSecret;
  if (customerId === undefined || customerId === '' || secret === '') return { verified: false };
  const given = hash !== undefined && hexSha256.test(hash) ? Buffer.from(hash, 'hex') : undefined;
  const expected = Buffer.from(customerIdHash(customerId, secret), 'hex');
  const verified = given !== undefined && timingSafeEqual(given, expected);
  if (!verified && settings.RequireIdentityVerification) return 'refused';
  return { verified };
}
