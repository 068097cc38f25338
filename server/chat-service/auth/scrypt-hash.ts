import { scrypt, scryptSync } from 'node:crypto';

export interface ScryptParams {
  scheme: 'scrypt';
  N: number;
  r: number;
  p: number;
}

const PREFIX = 'scrypt';
export const scryptKeyBytes = 32;

// Stored hashes come from the config read at start-up, so a hostile one must not stall or exhaust
// the process: each parameter is bounded, and so is the total work (at most N=2^20, r=8, p=1).
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;
const MAX_WORK_BYTES = 128 * MAX_N * 8;
// Node also counts the p blocks and two spare rows of V beyond 128*N*r*p.
const MAXMEM_SLACK = 1024 * 1024;

export interface ParsedScrypt {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

/** The format of hashes made before argon2id: "scrypt$N$r$p$salt$key", still accepted. */
export function formatScrypt({ N, r, p }: ScryptParams, salt: Buffer, key: Buffer): string {
  return [PREFIX, N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

export function parseScrypt(stored: string): ParsedScrypt | undefined {
  const [prefix, n, r, p, salt, key, ...rest] = stored.split('$');
  if (prefix !== PREFIX || rest.length > 0) return undefined;
  const params: ScryptParams = { scheme: 'scrypt', N: toCount(n), r: toCount(r), p: toCount(p) };
  const saltBytes = fromBase64(salt);
  const keyBytes = fromBase64(key);
  if (!isAllowedScrypt(params) || !saltBytes || keyBytes?.length !== scryptKeyBytes)
    return undefined;
  return { params, salt: saltBytes, key: keyBytes };
}

/** scrypt off the event loop (libuv's thread pool), with maxmem raised to what it needs. */
export function deriveScrypt(
  password: string,
  salt: Buffer,
  params: ScryptParams,
): Promise<Buffer> {
  const { N, r, p } = params;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, scryptKeyBytes, { N, r, p, maxmem: maxmemOf(params) }, (error, key) =>
      error === null ? resolve(key) : reject(error),
    );
  });
}

export function deriveScryptSync(password: string, salt: Buffer, params: ScryptParams): Buffer {
  const { N, r, p } = params;
  return scryptSync(password, salt, scryptKeyBytes, { N, r, p, maxmem: maxmemOf(params) });
}

function maxmemOf({ N, r, p }: ScryptParams): number {
  return 128 * N * r * p + MAXMEM_SLACK;
}

export function isAllowedScrypt({ N, r, p }: ScryptParams): boolean {
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
