import { silentLogger } from '../../shared/logger';
import { ManualTime } from '../../shared/manual-time';
import { MemorySessionStore } from '../store/memory-session-store';
import { ClusterDuties } from './cluster-duties';

/** Lets the promises that timers started settle, without moving the clock. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function dutiesOf(store: MemorySessionStore, time: ManualTime, sweep: () => Promise<void>) {
  return new ClusterDuties({
    store,
    keeper: { sweepDeadlines: sweep, pagesChanged: () => Promise.resolve() },
    leases: { renew: () => Promise.resolve(), sweep: () => Promise.resolve() },
    instanceId: 'a',
    time,
    tickMs: 1000,
    heartbeatMs: 4000,
    logger: silentLogger,
  });
}

describe('ClusterDuties', () => {
  test('when a round of duties takes longer than the heartbeat holds, then the instance still says it is alive every tick', async () => {
    const time = new ManualTime();
    const store = new MemorySessionStore();
    let finishSweep = () => {};
    const slowSweep = () => new Promise<void>((resolve) => (finishSweep = resolve));
    const duties = dutiesOf(store, time, slowSweep);
    duties.start();
    for (let tick = 0; tick < 10; tick += 1) {
      time.advance(1000);
      await settle();
      expect(await store.lapsedInstances(time.now())).toEqual([]);
    }
    finishSweep();
    duties.stop();
  });

  test('when the instance stops, then its heartbeat lapses for the others once it has run out', async () => {
    const time = new ManualTime();
    const store = new MemorySessionStore();
    const duties = dutiesOf(store, time, () => Promise.resolve());
    duties.start();
    time.advance(1000);
    await settle();
    duties.stop();
    time.advance(4000);
    expect(await store.lapsedInstances(time.now())).toEqual(['a']);
  });
});
