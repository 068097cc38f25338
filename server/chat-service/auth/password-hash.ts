import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  deriveArgon2,
  deriveArgon2Sync,
  formatArgon2,
  isAllowedArgon2,
  owaspArgon2id,
  parseArgon2,
  type Argon2Params,
} from './argon2-hash';
import {
  deriveScrypt,
  deriveScryptSync,
  formatScrypt,
  isAllowedScrypt,
  parseScrypt,
  type ScryptParams,
} from './scrypt-hash';

export { owaspArgon2id, type Argon2Params } from './argon2-hash';
export type { ScryptParams } from './scrypt-hash';

const SALT_BYTES = 16;

/** How a hash is made: argon2id for new hashes; scrypt is still read (hashes made before). */
export type HashParams = Argon2Params | ScryptParams;

export interface ParsedHash {
  params: HashParams;
  salt: Buffer;
  key: Buffer;
}

/** A self-describing hash string for the config's PasswordHash (argon2id at OWASP's minimum). */
export function hashPassword(password: string, params: HashParams = owaspArgon2id): string {
  const checked = checkedParams(params);
  const salt = randomBytes(SALT_BYTES);
  return format(checked, salt, deriveSync(password, salt, checked));
}

/** As hashPassword, off the event loop. */
export async function hashPasswordAsync(
  password: string,
  params: HashParams = owaspArgon2id,
): Promise<string> {
  const checked = checkedParams(params);
  const salt = randomBytes(SALT_BYTES);
  return format(checked, salt, await deriveKey(password, salt, checked));
}

/** Whether the password matches a stored hash; false, never an exception, for a malformed one. */
export function verifyPassword(password: string, stored: string): boolean {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  try {
    return timingSafeEqual(deriveSync(password, parsed.salt, parsed.params), parsed.key);
  } catch {
    // Even bounded, the allocation can fail on a small host; that is a failed log-in, not a crash.
    return false;
  }
}

/** The key a password gives at these parameters, off the event loop. */
export function deriveKey(password: string, salt: Buffer, params: HashParams): Promise<Buffer> {
  return params.scheme === 'argon2id'
    ? deriveArgon2(password, salt, params)
    : deriveScrypt(password, salt, params);
}

export function parseHash(stored: string): ParsedHash | undefined {
  return parseArgon2(stored) ?? parseScrypt(stored);
}

/**
 * Whether a hash made with `made` should be made anew with `wanted`: another scheme, or less
 * work in the same one.
 */
export function isWeaker(made: HashParams, wanted: HashParams): boolean {
  if (made.scheme === 'argon2id' && wanted.scheme === 'argon2id')
    // Lanes share the memory rather than add to it, so the work is memory times passes.
    return made.m * made.t < wanted.m * wanted.t;
  if (made.scheme === 'scrypt' && wanted.scheme === 'scrypt')
    return made.N * made.r * made.p < wanted.N * wanted.r * wanted.p;
  return true;
}

function checkedParams(params: HashParams): HashParams {
  const allowed = params.scheme === 'argon2id' ? isAllowedArgon2(params) : isAllowedScrypt(params);
  // Refusing here means every hash this makes is one verifyPassword accepts.
  if (!allowed) throw new RangeError(`${params.scheme} parameters out of bounds`);
  return params;
}

function format(params: HashParams, salt: Buffer, key: Buffer): string {
  return params.scheme === 'argon2id'
    ? formatArgon2(params, salt, key)
    : formatScrypt(params, salt, key);
}

function deriveSync(password: string, salt: Buffer, params: HashParams): Buffer {
  return params.scheme === 'argon2id'
    ? deriveArgon2Sync(password, salt, params)
    : deriveScryptSync(password, salt, params);
}
