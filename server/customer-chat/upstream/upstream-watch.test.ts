import { silentLogger } from '../../shared/logger';
import { ManualTime } from '../../shared/manual-time';
import { UpstreamWatch } from './upstream-watch';

/** A probe the test answers: each call waits until the test settles it. */
function probes() {
  const waiting: Array<{ timeoutMs: number; settle: (answered: boolean) => void }> = [];
  const probe = (timeoutMs: number) =>
    new Promise<void>((resolve, reject) =>
      waiting.push({
        timeoutMs,
        settle: (answered) => (answered ? resolve() : reject(new Error('no answer'))),
      }),
    );
  return { waiting, probe };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

function watched() {
  const time = new ManualTime();
  const { waiting, probe } = probes();
  const changes: boolean[] = [];
  const watch = new UpstreamWatch({
    probe,
    timers: time,
    onChange: (available) => changes.push(available),
    logger: silentLogger,
  });
  return { time, waiting, changes, watch };
}

describe('UpstreamWatch', () => {
  test('when a probe goes unanswered, then it says unavailable once, and available once a probe is answered again', async () => {
    const { time, waiting, changes, watch } = watched();
    watch.start();
    time.advance(2000);
    expect(waiting.map((probe) => probe.timeoutMs)).toEqual([2500]);
    waiting.shift()?.settle(false);
    await turn();
    expect(changes).toEqual([false]);
    time.advance(2000);
    waiting.shift()?.settle(false);
    await turn();
    expect(changes).toEqual([false]);
    time.advance(2000);
    waiting.shift()?.settle(true);
    await turn();
    expect(changes).toEqual([false, true]);
    expect(watch.available).toBe(true);
    watch.stop();
  });

  test('when a request fails, then a probe goes out at once and only its failure counts; any answered request counts as the service back', async () => {
    const { waiting, changes, watch } = watched();
    watch.start();
    watch.observed('unavailable');
    watch.observed('unavailable');
    expect(waiting).toHaveLength(1);
    waiting.shift()?.settle(true);
    await turn();
    expect(changes).toEqual([]);

    watch.observed('unavailable');
    waiting.shift()?.settle(false);
    await turn();
    expect(changes).toEqual([false]);
    watch.observed('fault');
    expect(changes).toEqual([false, true]);
    watch.stop();
  });

  test('when stopped, then no timer is left and a probe in flight changes nothing', async () => {
    const { time, waiting, changes, watch } = watched();
    watch.start();
    time.advance(2000);
    watch.stop();
    expect(time.pendingCount).toBe(0);
    waiting.shift()?.settle(false);
    await turn();
    watch.observed('unavailable');
    expect(changes).toEqual([]);
    expect(time.pendingCount).toBe(0);
  });
});
