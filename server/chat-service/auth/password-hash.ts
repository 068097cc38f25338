import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

const PREFIX = 'scrypt';
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const DEFAULTS: ScryptParams = { N: 16384, r: 8, p: 1 };

// Stored hashes come from the config read at start-up, so a hostile one must not stall or exhaust
// the process: each parameter is bounded, and so is the total work (at most N=2^20, r=8, p=1).
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;
const MAX_WORK_BYTES = 128 * MAX_N * 8;
// Node also counts the p blocks and two spare rows of V beyond 128*N*r*p.
const MAXMEM_SLACK = 1024 * 1024;

/** A self-describing "scrypt$N$r$p$salt$hash" string for the config's PasswordHash. */
export function hashPassword(
  password: string,
  options?: { N?: number; r?: number; p?: number },
): string {
  const params: ScryptParams = {
    N: options?.N ?? DEFAULTS.N,
    r: options?.r ?? DEFAULTS.r,
    p: options?.p ?? DEFAULTS.p,
  };
  // Refusing here means every hash this makes is one verifyPassword accepts.
  if (!isAllowed(params)) throw new RangeError('scrypt parameters out of bounds');
  const salt = randomBytes(SALT_BYTES);
  const key = derive(password, salt, params, KEY_BYTES);
  const { N, r, p } = params;
  return [PREFIX, N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether the password matches a stored hash; false, never an exception, for a malformed one. */
export function verifyPassword(password: string, stored: string): boolean {
  const parsed = parse(stored);
  if (!parsed) return false;
  try {
    return timingSafeEqual(derive(password, parsed.salt, parsed.params, KEY_BYTES), parsed.key);
  } catch {
    // Even bounded, the allocation can fail on a small host; that is a failed log-in, not a crash.
    return false;
  }
}

function derive(password: string, salt: Buffer, { N, r, p }: ScryptParams, length: number): Buffer {
  return scryptSync(password, salt, length, { N, r, p, maxmem: 128 * N * r * p + MAXMEM_SLACK });
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | undefined {
  const [prefix, n, r, p, salt, key, ...rest] = stored.split('$');
  if (prefix !== PREFIX || rest.length > 0) return undefined;
  const params: ScryptParams = { N: toCount(n), r: toCount(r), p: toCount(p) };
  const saltBytes = fromBase64(salt);
  const keyBytes = fromBase64(key);
  if (!isAllowed(params) || !saltBytes || keyBytes?.length !== KEY_BYTES) return undefined;
  return { params, salt: saltBytes, key: keyBytes };
}

function isAllowed({ N, r, p }: ScryptParams): boolean {
  const isPowerOfTwo = Number.isSafeInteger(N) && N > 1 && (N & (N - 1)) === 0;
  return (
    isPowerOfTwo &&
    N <= MAX_N &&
    Number.isSafeInteger(r) &&
    r >= 1 &&
    r <= MAX_R &&
    Number.isSafeInteger(p) &&
    p >= 1 &&
    p <= MAX_P &&
    128 * N * r * p <= MAX_WORK_BYTES
  );
}

/** Plain decimal digits only: Number() would also take "0x10", "1e3" or " 8". */
function toCount(text: string | undefined): number {
  return text !== undefined && /^\d{1,8}$/.test(text) ? Number(text) : NaN;
}

/** Buffer.from skips characters it does not know, so only canonical base64 is taken. */
function fromBase64(text: string | undefined): Buffer | undefined {
  if (!text) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length > 0 && bytes.toString('base64') === text ? bytes : undefined;
}
