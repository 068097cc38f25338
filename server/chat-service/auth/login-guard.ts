import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ServiceFault } from '../../protocol/faults';
import type { Clock } from '../../shared/clock';
import { clientKey } from '../../shared/client-key';
import type { Logger } from '../../shared/logger';
import { RateLimiter } from '../../shared/rate-limiter';
import {
  deriveKey,
  hashPasswordAsync,
  isWeaker,
  owaspArgon2id,
  parseHash,
  type HashParams,
} from './password-hash';

export interface LoginGuardOptions {
  clock: Clock;
  logger: Logger;
  /** Parameters of upgraded hashes and of the check made for an unknown ID. @default owaspArgon2id */
  hashing?: HashParams;
  /** The key derivation itself; a test counts the derivations through it. @default deriveKey */
  derive?: typeof deriveKey;
  /**
   * Addresses that speak for many people (RateLimits.ExemptAddresses): not limited across IDs,
   * though each address and ID pair still backs off after wrong passwords.
   */
  exemptAddresses?: readonly string[];
  /** Hashes upgraded before a restart, by lower-case agent ID. */
  upgrades?: ReadonlyMap<string, HashUpgrade>;
  /** A hash made anew at a log-in (its parameters were weaker than `hashing`), to be kept. */
  onUpgrade?: (agentId: string, upgrade: HashUpgrade) => void;
}

/**
 * A stronger hash of the same password, standing in for the configured one while that stays as
 * it was: an admin who sets a new hash (a new password) undoes the upgrade.
 */
export interface HashUpgrade {
  from: string;
  to: string;
}

export interface LoginAttempt {
  address: string;
  agentId: string;
  password: string;
  /** The agent's configured hash; undefined for an ID nobody has. */
  storedHash: string | undefined;
}

interface Failures {
  count: number;
  lockedUntil: number;
  lastAt: number;
  checking: boolean;
}

/** Wrong passwords from one address for one ID before each further one waits. */
const freeFailures = 3;
const firstLockMs = 1000;
const longestLockMs = 15 * 60_000;
/** Failures of a pair quiet for this long are forgotten. */
const forgetAfterMs = longestLockMs * 2;
/** Log-ins one address may try a minute across all IDs (a spray of IDs or passwords). */
const attemptsPerAddressPerMinute = 30;
/** Derivations at once (each takes its memory: 19 MiB at OWASP's argon2id); more wait, up to a queue. */
const parallelChecks = 2;
const queuedChecks = 32;

/**
 * Checks agents' passwords without telling an attacker anything and without letting one lock an
 * agent out:
 * - failures count per address and ID together, with exponential back-off after a few, so guesses
 *   from elsewhere never slow the agent's own log-in; one address is also limited across IDs;
 * - an unknown ID costs what a known one does (a derivation at the same parameters);
 * - argon2id runs at OWASP's parameters, a few at a time, off the event loop;
 * - a hash made with weaker parameters is still accepted, and replaced at its next good log-in.
 */
export class LoginGuard {
  private readonly failures = new Map<string, Failures>();
  private readonly upgraded: Map<string, HashUpgrade>;
  private readonly addressLimiter: RateLimiter;
  private readonly hashing: HashParams;
  private readonly derive: typeof deriveKey;
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly options: LoginGuardOptions) {
    this.hashing = options.hashing ?? owaspArgon2id;
    this.derive = options.derive ?? deriveKey;
    this.addressLimiter = new RateLimiter(options.clock, attemptsPerAddressPerMinute);
    this.upgraded = new Map(options.upgrades ?? []);
  }

  /** Resolves when the password is right; throws Unauthorized or RateLimited otherwise. */
  async verify(attempt: LoginAttempt): Promise<void> {
    const now = this.options.clock.now();
    this.forgetOldest(now);
    const id = attempt.agentId.toLowerCase();
    const pair = `${clientKey(attempt.address)}\n${id}`;
    const failures = this.failures.get(pair);
    if (failures?.checking === true)
      throw new ServiceFault(
        'RateLimited',
        'A log-in for this agent is being checked; wait for it.',
      );
    if (failures !== undefined && now < failures.lockedUntil) {
      const seconds = Math.ceil((failures.lockedUntil - now) / 1000);
      throw new ServiceFault(
        'RateLimited',
        `Too many wrong passwords for this agent from your address; try again in ${seconds} s.`,
      );
    }
    const exempt = this.options.exemptAddresses?.includes(attempt.address) === true;
    if (!exempt && !this.addressLimiter.tryTake(attempt.address))
      throw new ServiceFault('RateLimited', 'Too many log-ins from your address; wait a minute.');
    const upgrade = this.upgraded.get(id);
    const current =
      upgrade !== undefined && upgrade.from === attempt.storedHash
        ? upgrade.to
        : attempt.storedHash;
    const entry = failures ?? { count: 0, lockedUntil: 0, lastAt: now, checking: false };
    entry.checking = true;
    this.remember(pair, entry);
    let right: boolean;
    try {
      right = await this.inTurn(() => this.matches(attempt.password, current));
    } finally {
      entry.checking = false;
    }
    if (!right) {
      this.fail(pair, entry);
      throw new ServiceFault('Unauthorized', 'Wrong agent ID or password.');
    }
    this.failures.delete(pair);
    if (current !== undefined && attempt.storedHash !== undefined)
      this.upgradeIfWeak(id, attempt.password, current, attempt.storedHash);
  }

  /**
   * One derivation whatever the ID: an unknown ID (or an unreadable hash) is derived at the
   * parameters of new hashes against a random salt, and compared with a random key.
   */
  private async matches(password: string, stored: string | undefined): Promise<boolean> {
    const parsed = stored === undefined ? undefined : parseHash(stored);
    const params = parsed?.params ?? this.hashing;
    const salt = parsed?.salt ?? randomBytes(16);
    const expected = parsed?.key ?? randomBytes(32);
    try {
      const derived = await this.derive(password, salt, params);
      return timingSafeEqual(derived, expected) && parsed !== undefined;
    } catch (error) {
      // Even bounded, the memory can be refused on a small host: a failed log-in, not a crash.
      this.options.logger.warn({ err: String(error) }, 'password check failed');
      return false;
    }
  }

  private fail(pair: string, entry: Failures): void {
    const now = this.options.clock.now();
    entry.count += 1;
    entry.lastAt = now;
    const over = entry.count - freeFailures;
    entry.lockedUntil = over < 0 ? 0 : now + Math.min(longestLockMs, firstLockMs * 2 ** over);
    this.remember(pair, entry);
  }

  /** Re-inserted, so the map stays in order of last change and the oldest come first. */
  private remember(pair: string, entry: Failures): void {
    this.failures.delete(pair);
    this.failures.set(pair, entry);
  }

  /** O(1) per call: each log-in looks at the two oldest pairs and forgets them if quiet. */
  private forgetOldest(now: number): void {
    let looked = 0;
    for (const [pair, entry] of this.failures) {
      if (looked++ >= 2 || now - entry.lastAt < forgetAfterMs) return;
      if (!entry.checking) this.failures.delete(pair);
    }
  }

  private upgradeIfWeak(id: string, password: string, current: string, configured: string): void {
    const parsed = parseHash(current);
    if (parsed === undefined || !isWeaker(parsed.params, this.hashing)) return;
    this.inTurn(() => hashPasswordAsync(password, this.hashing)).then(
      (hash) => {
        const upgrade = { from: configured, to: hash };
        this.upgraded.set(id, upgrade);
        try {
          this.options.onUpgrade?.(id, upgrade);
        } catch (error) {
          // The service stopped while the hash was made: the next log-in upgrades it again.
          this.options.logger.warn({ agentId: id, err: String(error) }, 'upgraded hash not kept');
          return;
        }
        this.options.logger.info({ agentId: id }, 'password hash upgraded');
      },
      (error: unknown) =>
        this.options.logger.warn({ agentId: id, err: String(error) }, 'hash upgrade failed'),
    );
  }

  /** Runs derivations a few at a time; past the queue, a log-in is refused rather than queued. */
  private async inTurn<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= parallelChecks) {
      if (this.waiting.length >= queuedChecks)
        throw new ServiceFault('RateLimited', 'Too many log-ins right now; try again shortly.');
      // The slot is handed over by the one that ends, so none can slip in between.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next === undefined) this.running -= 1;
      else next();
    }
  }
}
