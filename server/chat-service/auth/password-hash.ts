import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

const PREFIX = 'scrypt';
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** OWASP's minimum for scrypt (Password Storage Cheat Sheet): 128 MiB and about half a second. */
export const owaspScrypt: ScryptParams = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });

// Stored hashes come from the config read at start-up, so a hostile one must not stall or exhaust
// the process: each parameter is bounded, and so is the total work (at most N=2^20, r=8, p=1).
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;
const MAX_WORK_BYTES = 128 * MAX_N * 8;
// Node also counts the p blocks and two spare rows of V beyond 128*N*r*p.
const MAXMEM_SLACK = 1024 * 1024;

export interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

/** A self-describing "scrypt$N$r$p$salt$hash" string for the config's PasswordHash. */
export function hashPassword(password: string, options?: Partial<ScryptParams>): string {
  const params = withDefaults(options);
  const salt = randomBytes(SALT_BYTES);
  return format(params, salt, deriveSync(password, salt, params));
}

/** As hashPassword, off the event loop (libuv's thread pool). */
export async function hashPasswordAsync(password: string, params: ScryptParams): Promise<string> {
  const checked = withDefaults(params);
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

/** scrypt off the event loop, with maxmem raised to what the parameters need. */
export function deriveKey(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const { N, r, p } = params;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_BYTES, { N, r, p, maxmem: maxmemOf(params) }, (error, key) =>
      error === null ? resolve(key) : reject(error),
    );
  });
}

/** The work a hash costs, to tell a hash made with weaker parameters than wanted. */
export function workOf({ N, r, p }: ScryptParams): number {
  return N * r * p;
}

export function parseHash(stored: string): ParsedHash | undefined {
  const [prefix, n, r, p, salt, key, ...rest] = stored.split('$');
  if (prefix !== PREFIX || rest.length > 0) return undefined;
  const params: ScryptParams = { N: toCount(n), r: toCount(r), p: toCount(p) };
  const saltBytes = fromBase64(salt);
  const keyBytes = fromBase64(key);
  if (!isAllowed(params) || !saltBytes || keyBytes?.length !== KEY_BYTES) return undefined;
  return { params, salt: saltBytes, key: keyBytes };
}

function withDefaults(options: Partial<ScryptParams> | undefined): ScryptParams {
  const params: ScryptParams = {
    N: options?.N ?? owaspScrypt.N,
    r: options?.r ?? owaspScrypt.r,
    p: options?.p ?? owaspScrypt.p,
  };
  // Refusing here means every hash this makes is one verifyPassword accepts.
  if (!isAllowed(params)) throw new RangeError('scrypt parameters out of bounds');
  return params;
}

function format({ N, r, p }: ScryptParams, salt: Buffer, key: Buffer): string {
  return [PREFIX, N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

function deriveSync(password: string, salt: Buffer, params: ScryptParams): Buffer {
  const { N, r, p } = params;
  return scryptSync(password, salt, KEY_BYTES, { N, r, p, maxmem: maxmemOf(params) });
}

function maxmemOf({ N, r, p }: ScryptParams): number {
  return 128 * N * r * p + MAXMEM_SLACK;
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
