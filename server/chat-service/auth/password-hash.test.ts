import { hash, verify } from '@node-rs/argon2';
import { AgentSchema } from '../../config/chat-service-config';
import { hashPassword, isWeaker, verifyPassword, type HashParams } from './password-hash';

// Cheap parameters keep the suite fast; the defaults get one test of their own.
const FAST: HashParams = { scheme: 'argon2id', m: 1024, t: 1, p: 1 };
const OLD_SCRYPT: HashParams = { scheme: 'scrypt', N: 1024, r: 8, p: 1 };
const configAccepts = (hash: string) => AgentSchema.shape.PasswordHash.safeParse(hash).success;

describe('password hashes', () => {
  it('when hashed with the defaults, then it is argon2id at OWASP parameters and verifies', () => {
    const stored = hashPassword('correct horse');
    expect(stored.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    expect(verifyPassword('correct horse', stored)).toBe(true);
  });

  it.each([
    ['argon2id', FAST],
    ['scrypt (hashes made before argon2id)', OLD_SCRYPT],
  ])('when a %s hash is given another password, then it does not verify', (_, params) => {
    const stored = hashPassword('correct horse', params);
    expect(verifyPassword('correct horse', stored)).toBe(true);
    expect(verifyPassword('correct horse ', stored)).toBe(false);
    expect(verifyPassword('Correct horse', stored)).toBe(false);
    expect(verifyPassword('', stored)).toBe(false);
    expect(configAccepts(stored)).toBe(true);
  });

  it('when a hash is made, then it is a PHC string with a 16-byte salt and 32-byte key', () => {
    const stored = hashPassword('pässwörd €', FAST);
    const [, scheme, version, params, salt = '', key = ''] = stored.split('$');
    expect([scheme, version, params]).toEqual(['argon2id', 'v=19', 'm=1024,t=1,p=1']);
    expect(Buffer.from(salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(verifyPassword('pässwörd €', stored)).toBe(true);
  });

  it('when a hash is made, then another argon2 implementation reads it, and the other way round', async () => {
    const ours = hashPassword('interchange', FAST);
    expect(await verify(ours, 'interchange')).toBe(true);
    expect(await verify(ours, 'other')).toBe(false);
    const theirs = await hash('interchange', { memoryCost: 1024, timeCost: 1, parallelism: 1 });
    expect(verifyPassword('interchange', theirs)).toBe(true);
    expect(verifyPassword('other', theirs)).toBe(false);
  });

  it('when the same password is hashed twice, then the salts and hashes differ', () => {
    const first = hashPassword('same', FAST);
    const second = hashPassword('same', FAST);
    expect(first.split('$')[4]).not.toBe(second.split('$')[4]);
    expect(verifyPassword('same', first)).toBe(true);
    expect(verifyPassword('same', second)).toBe(true);
  });

  it('when scrypt parameters need more than the default 32 MiB, then maxmem still allows them', () => {
    const stored = hashPassword('big', { scheme: 'scrypt', N: 2 ** 16, r: 8, p: 1 }); // 64 MiB
    expect(verifyPassword('big', stored)).toBe(true);
  });

  it('when the stored string is malformed, then verification is false without throwing', () => {
    const argon = hashPassword('pw', FAST);
    const [, , , , aSalt = '', aKey = ''] = argon.split('$');
    const scrypt = hashPassword('pw', OLD_SCRYPT);
    const [, n, r, p, salt = '', key = ''] = scrypt.split('$');
    const argonWith = (params: string, s = aSalt, k = aKey) => `$argon2id$v=19$${params}$${s}$${k}`;
    const malformed = [
      '',
      'pw',
      'scrypt',
      '$argon2id',
      argon.replace('argon2id', 'argon2i'),
      argon.replace('v=19', 'v=16'),
      `${argon}$extra`,
      `${argon}=`,
      argonWith('m=1024,t=1'),
      argonWith('m=1024,t=1,p=1', ''),
      argonWith('m=1024,t=1,p=1', aSalt, aKey.slice(0, 20)),
      argonWith('m=1024,t=1,p=1', aSalt, `${aKey}AAAA`),
      argonWith('m=1024,t=1,p=1', `!${aSalt}`),
      argonWith('m=0x400,t=1,p=1'),
      argonWith('m=1024,t=0,p=1'),
      argonWith('m=1024,t=1,p=0'),
      argonWith('m=4,t=1,p=1'),
      scrypt.replace(/^scrypt/, 'bcrypt'),
      `${scrypt}$extra`,
      ['scrypt', n, r, p, salt].join('$'),
      ['scrypt', n, r, p, '', key].join('$'),
      ['scrypt', n, r, p, salt, key.slice(0, 20)].join('$'),
      ['scrypt', n, r, p, `!${salt}`, key].join('$'),
      ['scrypt', '0x400', r, p, salt, key].join('$'),
      ['scrypt', '1e3', r, p, salt, key].join('$'),
      ['scrypt', '1000', r, p, salt, key].join('$'),
      ['scrypt', n, '0', p, salt, key].join('$'),
      ['scrypt', n, '-8', p, salt, key].join('$'),
    ];
    for (const stored of malformed) {
      expect(() => verifyPassword('pw', stored)).not.toThrow();
      expect(verifyPassword('pw', stored)).toBe(false);
    }
  });

  it('when a stored hash asks for hostile parameters, then it is refused at once', () => {
    const [, , , , aSalt = '', aKey = ''] = hashPassword('pw', FAST).split('$');
    const [, , , , salt = '', key = ''] = hashPassword('pw', OLD_SCRYPT).split('$');
    const hostile = [
      ...['m=2097152,t=1,p=1', 'm=1048576,t=5,p=1', 'm=1024,t=17,p=1', 'm=1024,t=1,p=17'].map(
        (params) => `$argon2id$v=19$${params}$${aSalt}$${aKey}`,
      ),
      ...[
        [2 ** 21, 8, 1],
        [2 ** 20, 33, 1],
        [1024, 8, 17],
        [2 ** 20, 8, 2],
        ['99999999999999999999', 8, 1],
      ].map(([n, r, p]) => ['scrypt', n, r, p, salt, key].join('$')),
    ];
    for (const stored of hostile) expect(verifyPassword('pw', stored)).toBe(false);
  });

  it('when asked to hash with out-of-bounds parameters, then it throws instead of making an unverifiable hash', () => {
    for (const params of [
      { ...FAST, m: 2 ** 21 },
      { ...FAST, m: 7 },
      { ...FAST, t: 0 },
      { ...FAST, p: 17 },
      { ...OLD_SCRYPT, N: 2 ** 21 },
      { ...OLD_SCRYPT, N: 1000 },
      { ...OLD_SCRYPT, r: 33 },
      { ...OLD_SCRYPT, p: 0 },
    ])
      expect(() => hashPassword('pw', params)).toThrow(RangeError);
  });

  it('when parameters are compared, then another scheme or less memory times passes is weaker', () => {
    expect(isWeaker(OLD_SCRYPT, FAST)).toBe(true);
    expect(isWeaker({ ...FAST, m: 512 }, FAST)).toBe(true);
    expect(isWeaker({ ...FAST, m: 512, t: 2 }, FAST)).toBe(false);
    expect(isWeaker(FAST, FAST)).toBe(false);
    expect(isWeaker({ ...FAST, m: 4096 }, FAST)).toBe(false);
  });
});
