import { clientKey } from './client-key';
import { ManualTime } from './manual-time';
import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  test('when a key uses its burst, then it is refused until tokens come back at the rate', () => {
    const time = new ManualTime();
    const limiter = new RateLimiter(time, 60, 3);
    expect([1, 2, 3, 4].map(() => limiter.tryTake('a'))).toEqual([true, true, true, false]);
    expect(limiter.tryTake('b')).toBe(true);
    time.advance(999);
    expect(limiter.tryTake('a')).toBe(false);
    time.advance(1);
    expect(limiter.tryTake('a')).toBe(true);
  });

  test('when a refused key waits across generations, then its empty bucket is not forgotten early', () => {
    const time = new ManualTime();
    const limiter = new RateLimiter(time, 1, 1);
    expect(limiter.tryTake('a')).toBe(true);
    for (let step = 0; step < 10; step += 1) {
      time.advance(5_999);
      expect(limiter.tryTake('a')).toBe(false);
    }
    time.advance(60_000);
    expect(limiter.tryTake('a')).toBe(true);
  });

  test('when 200,000 keys pass, then only those of the last two fill-up times are kept', () => {
    const time = new ManualTime();
    const limiter = new RateLimiter(time, 60, 10); // fills up in 10 s
    for (let key = 0; key < 200_000; key += 1) {
      limiter.tryTake(`k${key}`);
      if (key % 1000 === 0) time.advance(100);
    }
    // 100 keys per second over at most 20 s.
    expect(limiter.size).toBeLessThanOrEqual(2 * 10 * 10 * 1000 + 1000);
  });

  test('when addresses of one IPv6 /64 ask, then they share one bucket; another /64 has its own', () => {
    const time = new ManualTime();
    const limiter = new RateLimiter(time, 60, 2);
    expect(limiter.tryTake('2001:db8:0:1::1')).toBe(true);
    expect(limiter.tryTake('2001:db8:0:1:a:b:c:d')).toBe(true);
    expect(limiter.tryTake('2001:0db8:0000:0001::ffff')).toBe(false);
    expect(limiter.tryTake('2001:db8:0:2::1')).toBe(true);
  });
});

describe('clientKey', () => {
  test.each([
    ['192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:DB8:0:0:1:2:3:4', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['a-chat-token', 'a-chat-token'],
  ])('%s counts as %s', (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});
