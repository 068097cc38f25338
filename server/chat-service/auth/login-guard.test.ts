import { ServiceFault } from '../../protocol/faults';
import { ManualTime } from '../../shared/manual-time';
import { silentLogger } from '../../shared/logger';
import { LoginGuard, type HashUpgrade } from './login-guard';
import { deriveKey, hashPassword, type HashParams } from './password-hash';

const FAST: HashParams = { scheme: 'argon2id', m: 1024, t: 1, p: 1 };
const WEAK_ARGON2: HashParams = { scheme: 'argon2id', m: 512, t: 1, p: 1 };
const OLD_SCRYPT: HashParams = { scheme: 'scrypt', N: 256, r: 8, p: 1 };

function guardWith(
  options: { hashing?: HashParams; restored?: Map<string, HashUpgrade>; exempt?: string[] } = {},
) {
  const time = new ManualTime();
  const derivations: HashParams[] = [];
  const upgrades: Array<[string, string]> = [];
  const guard = new LoginGuard({
    clock: time,
    logger: silentLogger,
    hashing: options.hashing ?? FAST,
    ...(options.restored === undefined ? {} : { upgrades: options.restored }),
    ...(options.exempt === undefined ? {} : { exemptAddresses: options.exempt }),
    derive: (password, salt, params) => {
      derivations.push(params);
      return deriveKey(password, salt, params);
    },
    onUpgrade: (agentId, upgrade) => upgrades.push([agentId, upgrade.to]),
  });
  return { guard, time, derivations, upgrades };
}

async function codeOf(attempt: Promise<void>): Promise<string> {
  try {
    await attempt;
    return 'ok';
  } catch (error) {
    if (error instanceof ServiceFault) return error.code;
    throw error;
  }
}

const alice = hashPassword('right', FAST);
const from = (address: string, password: string, storedHash: string | undefined = alice) => ({
  address,
  agentId: 'alice',
  password,
  storedHash,
});

describe('LoginGuard', () => {
  test('when the ID is unknown, then the same one derivation at the same parameters runs as for a known ID', async () => {
    const { guard, derivations } = guardWith();
    expect(await codeOf(guard.verify(from('10.0.0.1', 'wrong')))).toBe('Unauthorized');
    const known = derivations.splice(0);
    expect(
      await codeOf(
        guard.verify({ ...from('10.0.0.2', 'wrong'), agentId: 'nobody', storedHash: undefined }),
      ),
    ).toBe('Unauthorized');
    expect(derivations).toEqual(known);
    expect(known).toEqual([FAST]);
  });

  test('when the stored hash is unreadable, then it fails like an unknown ID, with the same derivation', async () => {
    const { guard, derivations } = guardWith();
    expect(await codeOf(guard.verify(from('10.0.0.1', 'right', 'scrypt$1$1$1$AA==$AA==')))).toBe(
      'Unauthorized',
    );
    expect(derivations).toEqual([FAST]);
  });

  test('when one address keeps guessing, then it waits 1 s, 2 s, 4 s … while the agent from another address gets in at once', async () => {
    const { guard, time } = guardWith();
    for (let guess = 0; guess < 3; guess += 1)
      expect(await codeOf(guard.verify(from('203.0.113.9', `guess${guess}`)))).toBe('Unauthorized');
    expect(await codeOf(guard.verify(from('203.0.113.9', 'right')))).toBe('RateLimited');
    expect(await codeOf(guard.verify(from('198.51.100.7', 'right')))).toBe('ok');
    time.advance(1000);
    expect(await codeOf(guard.verify(from('203.0.113.9', 'guess3')))).toBe('Unauthorized');
    time.advance(1999);
    expect(await codeOf(guard.verify(from('203.0.113.9', 'guess4')))).toBe('RateLimited');
    time.advance(1);
    expect(await codeOf(guard.verify(from('203.0.113.9', 'guess4')))).toBe('Unauthorized');
    time.advance(3999);
    expect(await codeOf(guard.verify(from('203.0.113.9', 'guess5')))).toBe('RateLimited');
    expect(await codeOf(guard.verify(from('198.51.100.7', 'right')))).toBe('ok');
  });

  test('when the guesses come from addresses of one IPv6 /64, then they count as one address', async () => {
    const { guard } = guardWith();
    for (let guess = 0; guess < 3; guess += 1)
      await codeOf(guard.verify(from(`2001:db8:1:2::${guess + 1}`, 'wrong')));
    expect(await codeOf(guard.verify(from('2001:db8:1:2:ffff::9', 'right')))).toBe('RateLimited');
    expect(await codeOf(guard.verify(from('2001:db8:1:3::1', 'right')))).toBe('ok');
  });

  test('when guesses for one pair arrive together, then only one is checked at a time', async () => {
    const { guard, derivations } = guardWith();
    const codes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => codeOf(guard.verify(from('203.0.113.9', `g${i}`)))),
    );
    expect(codes.filter((code) => code === 'Unauthorized')).toHaveLength(1);
    expect(codes.filter((code) => code === 'RateLimited')).toHaveLength(9);
    expect(derivations).toHaveLength(1);
  });

  test.each([
    ['an older scheme (scrypt)', OLD_SCRYPT],
    ['less argon2id memory', WEAK_ARGON2],
  ])(
    'when a hash was made with %s, then it is accepted and replaced at that log-in',
    async (_, made) => {
      const { guard, derivations, upgrades } = guardWith();
      const weak = hashPassword('right', made);
      expect(await codeOf(guard.verify(from('10.0.0.1', 'right', weak)))).toBe('ok');
      expect(derivations).toEqual([made]);
      for (let turn = 0; turn < 100 && upgrades.length === 0; turn += 1)
        await new Promise((resolve) => setTimeout(resolve, 5));
      expect(upgrades).toHaveLength(1);
      expect(upgrades[0]?.[1]).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
      derivations.length = 0;
      // The configured (weak) hash is still what the caller passes; the upgraded one is used.
      expect(await codeOf(guard.verify(from('10.0.0.1', 'right', weak)))).toBe('ok');
      expect(derivations).toEqual([FAST]);
      expect(await codeOf(guard.verify(from('10.0.0.1', 'wrong', weak)))).toBe('Unauthorized');
    },
  );

  test('when a hash already has the wanted parameters, then no new one is made', async () => {
    const { guard, upgrades } = guardWith();
    expect(await codeOf(guard.verify(from('10.0.0.1', 'right')))).toBe('ok');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(upgrades).toEqual([]);
  });

  test('when the configured hash changed since an upgrade, then the new one counts and the upgrade is dropped', async () => {
    const old = hashPassword('old', OLD_SCRYPT);
    const { guard } = guardWith({
      restored: new Map([['alice', { from: old, to: hashPassword('old', FAST) }]]),
    });
    const renewed = hashPassword('new', OLD_SCRYPT);
    expect(await codeOf(guard.verify(from('10.0.0.1', 'old', renewed)))).toBe('Unauthorized');
    expect(await codeOf(guard.verify(from('10.0.0.2', 'new', renewed)))).toBe('ok');
  });

  test('when one address logs in many agents, then only an exempt address is not limited across IDs', async () => {
    const many = async (guard: LoginGuard) => {
      const codes: string[] = [];
      for (let index = 0; index < 40; index += 1)
        codes.push(
          await codeOf(guard.verify({ ...from('10.0.0.9', 'right'), agentId: `a${index}` })),
        );
      return codes;
    };
    expect(await many(guardWith({ exempt: ['10.0.0.9'] }).guard)).not.toContain('RateLimited');
    expect(await many(guardWith().guard)).toContain('RateLimited');
  });
});
