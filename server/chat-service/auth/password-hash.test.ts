import { hashPassword, verifyPassword } from './password-hash';

// The agent PasswordHash pattern from chat-service-config.ts.
const CONFIG_PATTERN = /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/;
// Cheap parameters keep the suite fast; the defaults get one test of their own.
const FAST = { N: 1024, r: 8, p: 1 };

describe('password hashes', () => {
  it('when hashed with the defaults, then the same password verifies', () => {
    const stored = hashPassword('correct horse');
    expect(stored.startsWith('scrypt$131072$8$1$')).toBe(true);
    expect(verifyPassword('correct horse', stored)).toBe(true);
  });

  it('when a different password is given, then it does not verify', () => {
    const stored = hashPassword('correct horse', FAST);
    expect(verifyPassword('correct horse ', stored)).toBe(false);
    expect(verifyPassword('Correct horse', stored)).toBe(false);
    expect(verifyPassword('', stored)).toBe(false);
  });

  it('when a hash is made, then it matches the config pattern with a 16-byte salt and 32-byte key', () => {
    const stored = hashPassword('pässwörd €', FAST);
    expect(stored).toMatch(CONFIG_PATTERN);
    const [, , , , salt = '', key = ''] = stored.split('$');
    expect(Buffer.from(salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(verifyPassword('pässwörd €', stored)).toBe(true);
  });

  it('when the same password is hashed twice, then the salts and hashes differ', () => {
    const first = hashPassword('same', FAST);
    const second = hashPassword('same', FAST);
    expect(first.split('$')[4]).not.toBe(second.split('$')[4]);
    expect(first).not.toBe(second);
    expect(verifyPassword('same', first)).toBe(true);
    expect(verifyPassword('same', second)).toBe(true);
  });

  it('when the parameters need more than the default 32 MiB, then maxmem still allows them', () => {
    const stored = hashPassword('big', { N: 2 ** 16, r: 8, p: 1 }); // 64 MiB
    expect(verifyPassword('big', stored)).toBe(true);
  });

  it('when the stored string is malformed, then verification is false without throwing', () => {
    const valid = hashPassword('pw', FAST);
    const [, n, r, p, salt = '', key = ''] = valid.split('$');
    const malformed = [
      '',
      'pw',
      'scrypt',
      valid.replace(/^scrypt/, 'bcrypt'),
      `${valid}$extra`,
      [`scrypt`, n, r, p, salt].join('$'),
      ['scrypt', n, r, p, '', key].join('$'),
      ['scrypt', n, r, p, salt, ''].join('$'),
      ['scrypt', n, r, p, salt, key.slice(0, 20)].join('$'),
      ['scrypt', n, r, p, salt, `${key}AAAA`].join('$'),
      ['scrypt', n, r, p, `!${salt}`, key].join('$'),
      ['scrypt', 'abc', r, p, salt, key].join('$'),
      ['scrypt', '0x400', r, p, salt, key].join('$'),
      ['scrypt', '1e3', r, p, salt, key].join('$'),
      ['scrypt', '1000', r, p, salt, key].join('$'),
      ['scrypt', '0', r, p, salt, key].join('$'),
      ['scrypt', '1', r, p, salt, key].join('$'),
      ['scrypt', n, '0', p, salt, key].join('$'),
      ['scrypt', n, r, '0', salt, key].join('$'),
      ['scrypt', n, '-8', p, salt, key].join('$'),
    ];
    for (const stored of malformed) {
      expect(() => verifyPassword('pw', stored)).not.toThrow();
      expect(verifyPassword('pw', stored)).toBe(false);
    }
  });

  it('when a stored hash asks for hostile parameters, then it is refused at once', () => {
    const [, , , , salt = '', key = ''] = hashPassword('pw', FAST).split('$');
    const hostile = [
      [2 ** 21, 8, 1],
      [2 ** 20, 33, 1],
      [1024, 8, 17],
      [2 ** 20, 32, 16],
      [2 ** 20, 8, 2],
      ['99999999999999999999', 8, 1],
    ];
    const started = Date.now();
    for (const [n, r, p] of hostile) {
      expect(verifyPassword('pw', ['scrypt', n, r, p, salt, key].join('$'))).toBe(false);
    }
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('when asked to hash with out-of-bounds parameters, then it throws instead of making an unverifiable hash', () => {
    expect(() => hashPassword('pw', { N: 2 ** 21 })).toThrow(RangeError);
    expect(() => hashPassword('pw', { N: 1000 })).toThrow(RangeError);
    expect(() => hashPassword('pw', { r: 33 })).toThrow(RangeError);
    expect(() => hashPassword('pw', { p: 0 })).toThrow(RangeError);
  });
});
