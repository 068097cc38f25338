import { ManualTime } from '../../shared/manual-time';
import { EventQueue } from './event-queue';

type Note = { Seq: number; text: string };

/** Three queues on one ManualTime, and a wait on all of them whose settling is observed. */
function threeQueues() {
  const time = new ManualTime();
  const queues = [0, 1, 2].map(() => new EventQueue<Note>(time));
  const waitOn = (timeoutMs: number) => {
    const state = { settled: false };
    const promise = EventQueue.waitForAny(queues, timeoutMs, time).then(() => {
      state.settled = true;
    });
    return { state, promise };
  };
  const readers = () => queues.map((queue) => queue.readers);
  return { time, queues, waitOn, readers };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('EventQueue.waitForAny', () => {
  it('when one of the queues gets an event, then the wait ends and no queue or timer keeps it', async () => {
    const { time, queues, waitOn, readers } = threeQueues();
    const wait = waitOn(30_000);
    expect(readers()).toEqual([1, 1, 1]);
    expect(time.pendingCount).toBe(1);
    queues[1]?.push({ text: 'hello' });
    await wait.promise;
    expect(readers()).toEqual([0, 0, 0]);
    expect(time.pendingCount).toBe(0);
  });

  it('when one of the queues closes, then the wait ends', async () => {
    const { time, queues, waitOn, readers } = threeQueues();
    const wait = waitOn(30_000);
    queues[2]?.close();
    await wait.promise;
    expect(readers()).toEqual([0, 0, 0]);
    expect(time.pendingCount).toBe(0);
  });

  it('when nothing happens, then the wait ends at its timeout, not before', async () => {
    const { time, waitOn, readers } = threeQueues();
    const wait = waitOn(30_000);
    time.advance(29_999);
    await flush();
    expect(wait.state.settled).toBe(false);
    time.advance(1);
    await wait.promise;
    expect(readers()).toEqual([0, 0, 0]);
  });

  it('when a queue already has an event or the timeout is 0, then the wait ends at once without waiting', async () => {
    const { time, queues, waitOn, readers } = threeQueues();
    await waitOn(0).promise;
    queues[0]?.push({ text: 'early' });
    await waitOn(30_000).promise;
    expect(readers()).toEqual([0, 0, 0]);
    expect(time.pendingCount).toBe(0);
  });

  it('when several queues get events at once, then the wait ends once and the later wakes do nothing', async () => {
    const { time, queues, waitOn, readers } = threeQueues();
    const first = waitOn(30_000);
    for (const queue of queues) queue.push({ text: 'all' });
    await first.promise;
    for (const queue of queues) queue.take();
    const second = waitOn(30_000);
    expect(readers()).toEqual([1, 1, 1]);
    queues[0]?.push({ text: 'next' });
    await second.promise;
    expect(readers()).toEqual([0, 0, 0]);
    expect(time.pendingCount).toBe(0);
  });
});
