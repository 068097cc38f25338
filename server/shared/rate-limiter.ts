import type { Clock } from './clock';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets keyed by a string (an address, a chat): `perMinute` requests a minute on average,
 * bursts up to `burst`. Idle buckets are forgotten so the map does not grow without bound.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillPerMs: number;
  private readonly burst: number;

  constructor(
    private readonly clock: Clock,
    perMinute: number,
    burst = perMinute,
  ) {
    this.refillPerMs = perMinute / 60_000;
    this.burst = Math.max(1, burst);
  }

  /** Takes one token for key; false when the key is over its rate. */
  tryTake(key: string): boolean {
    const now = this.clock.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, updatedAt: now };
    bucket.tokens = Math.min(
      this.burst,
      bucket.tokens + (now - bucket.updatedAt) * this.refillPerMs,
    );
    bucket.updatedAt = now;
    if (this.buckets.size > 10_000) this.forgetFull(now);
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      return false;
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    return true;
  }

  private forgetFull(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * this.refillPerMs >= this.burst) {
        this.buckets.delete(key);
      }
    }
  }
}
