import { hashRaw, hashRawSync, type Algorithm, type Version } from '@node-rs/argon2';

/** Memory in KiB, passes and lanes, as in the PHC string's m, t and p. */
export interface Argon2Params {
  scheme: 'argon2id';
  m: number;
  t: number;
  p: number;
}

/** OWASP's first choice (Password Storage Cheat Sheet): 19 MiB, 2 passes, 1 lane. */
export const owaspArgon2id: Argon2Params = Object.freeze({
  scheme: 'argon2id',
  m: 19_456,
  t: 2,
  p: 1,
});

export const argon2KeyBytes = 32;
// The library's enums are `const enum`s, which isolated modules cannot read: their values.
const argon2id = 2 as Algorithm;
const version13 = 1 as Version;

// Stored hashes come from the config, so a hostile one must not exhaust the process: at most
// 1 GiB, 16 passes and 16 lanes, and never more than 4 GiB·passes of work.
const MAX_M = 1024 * 1024;
const MAX_T = 16;
const MAX_P = 16;
const MAX_WORK = 4 * MAX_M;

export interface ParsedArgon2 {
  params: Argon2Params;
  salt: Buffer;
  key: Buffer;
}

const phc =
  /^\$argon2id\$v=19\$m=(\d{1,8}),t=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]{11,88})\$([A-Za-z0-9+/]{43})$/;

/** The PHC string other argon2 tools read and write: $argon2id$v=19$m=…,t=…,p=…$salt$key. */
export function formatArgon2({ m, t, p }: Argon2Params, salt: Buffer, key: Buffer): string {
  return `$argon2id$v=19$m=${m},t=${t},p=${p}$${unpadded(salt)}$${unpadded(key)}`;
}

export function parseArgon2(stored: string): ParsedArgon2 | undefined {
  const match = phc.exec(stored);
  if (match === null) return undefined;
  const [, m, t, p, salt = '', key = ''] = match;
  const params: Argon2Params = { scheme: 'argon2id', m: Number(m), t: Number(t), p: Number(p) };
  const saltBytes = fromUnpadded(salt);
  const keyBytes = fromUnpadded(key);
  if (!isAllowedArgon2(params) || saltBytes === undefined || saltBytes.length < 8) return undefined;
  if (keyBytes?.length !== argon2KeyBytes) return undefined;
  return { params, salt: saltBytes, key: keyBytes };
}

export function isAllowedArgon2({ m, t, p }: Argon2Params): boolean {
  const counts = [m, t, p].every((value) => Number.isSafeInteger(value) && value >= 1);
  return counts && p <= MAX_P && t <= MAX_T && m >= 8 * p && m <= MAX_M && m * t <= MAX_WORK;
}

/** argon2id on the library's own threads, off the event loop. */
export function deriveArgon2(
  password: string,
  salt: Buffer,
  params: Argon2Params,
): Promise<Buffer> {
  return hashRaw(password, optionsOf(salt, params));
}

export function deriveArgon2Sync(password: string, salt: Buffer, params: Argon2Params): Buffer {
  return hashRawSync(password, optionsOf(salt, params));
}

function optionsOf(salt: Buffer, { m, t, p }: Argon2Params) {
  return {
    algorithm: argon2id,
    version: version13,
    memoryCost: m,
    timeCost: t,
    parallelism: p,
    outputLen: argon2KeyBytes,
    salt,
  };
}

function unpadded(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}

/** Only canonical base64 (no stray bits in the last character), as PHC strings are written. */
function fromUnpadded(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return unpadded(bytes) === text && bytes.length > 0 ? bytes : undefined;
}
