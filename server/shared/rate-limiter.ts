import type { Clock } from './clock';
import { clientKey } from './client-key';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets keyed by a string (an address, a chat): `perMinute` requests a minute on average,
 * bursts up to `burst`. IPv6 addresses count by their /64 (see clientKey).
 *
 * A bucket left alone for as long as it takes to fill up again is full, the same as no bucket, so
 * buckets live in two generations that swap once per fill-up time: a bucket not touched during a
 * whole generation is dropped with it. Every call is O(1) at any number of keys, with no sweep.
 */
export class RateLimiter {
  private current = new Map<string, Bucket>();
  private previous = new Map<string, Bucket>();
  private generationStartedAt: number;
  private readonly refillPerMs: number;
  private readonly burst: number;
  private readonly fillUpMs: number;

  constructor(
    private readonly clock: Clock,
    perMinute: number,
    burst = perMinute,
  ) {
    this.refillPerMs = perMinute / 60_000;
    this.burst = Math.max(1, burst);
    this.fillUpMs = this.burst / this.refillPerMs;
    this.generationStartedAt = clock.now();
  }

  /** Takes one token for key; false when the key is over its rate. */
  tryTake(key: string): boolean {
    const now = this.clock.now();
    this.rotate(now);
    const id = clientKey(key);
    const bucket = this.current.get(id) ??
      this.previous.get(id) ?? {
        tokens: this.burst,
        updatedAt: now,
      };
    this.current.set(id, bucket);
    this.previous.delete(id);
    bucket.tokens = Math.min(
      this.burst,
      bucket.tokens + Math.max(0, now - bucket.updatedAt) * this.refillPerMs,
    );
    bucket.updatedAt = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /**
   * Returns the token a tryTake took for something that then did not happen (refused by an outage):
   * limits count what was done, not what was tried.
   */
  giveBack(key: string): void {
    const id = clientKey(key);
    const bucket = this.current.get(id) ?? this.previous.get(id);
    if (bucket !== undefined) bucket.tokens = Math.min(this.burst, bucket.tokens + 1);
  }

  /** How many keys are tracked (for tests of the bound). */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  private rotate(now: number): void {
    const elapsed = now - this.generationStartedAt;
    if (elapsed < this.fillUpMs) return;
    // Two generations gone by: even the current one holds only full buckets.
    this.previous = elapsed < 2 * this.fillUpMs ? this.current : new Map();
    this.current = new Map();
    this.generationStartedAt = now;
  }
}
