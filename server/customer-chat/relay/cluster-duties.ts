import type { Time, TimerHandle } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { SessionStore } from '../store/session-store';
import type { PumpLeases } from './pump-leases';
import type { SessionKeeper } from './session-keeper';

export interface ClusterDutiesOptions {
  store: SessionStore;
  keeper: Pick<SessionKeeper, 'sweepDeadlines' | 'pagesChanged'>;
  leases: Pick<PumpLeases, 'renew' | 'sweep'>;
  instanceId: string;
  time: Time;
  /** Between two rounds of duties. */
  tickMs: number;
  /** How long this instance's heartbeat holds: past it, its pages stop counting. */
  heartbeatMs: number;
  logger: Logger;
}

/**
 * What every live instance does each tick, so that no chat depends on one instance: says it is
 * alive, meets due deadlines, takes the pages of lapsed instances off their chats, renews its pump
 * leases and takes over lapsed ones. With the memory engine the same rounds run for the one
 * instance there is.
 *
 * The heartbeat has its own beat: a round can take longer than the heartbeat holds (thousands of
 * pages of a lost instance to move, a starved CPU), and an instance that only said it was alive
 * between rounds would then be taken for lost by the others while it still serves its pages.
 */
export class ClusterDuties {
  private timer: TimerHandle | undefined;
  private running = false;
  private beating = false;
  private stopped = false;
  private failing = false;

  constructor(private readonly options: ClusterDutiesOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** One round now (the first at start-up, without waiting a tick). */
  async round(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const { store, keeper, leases, instanceId, time, logger } = this.options;
    try {
      await this.beat();
      await keeper.sweepDeadlines();
      for (const lapsed of await store.lapsedInstances(time.now())) {
        if (lapsed === instanceId) continue;
        const lost = await store.removeInstance(lapsed);
        if (lost.length > 0) logger.warn({ instance: lapsed, chats: lost.length }, 'instance lost');
        for (const { token } of lost) await keeper.pagesChanged(token, true);
      }
      await leases.renew();
      await leases.sweep();
      if (this.failing) logger.info({ instance: instanceId }, 'session store reachable again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) logger.warn({ err: String(error) }, 'cluster duties failed; retrying');
      this.failing = true;
    } finally {
      this.running = false;
    }
  }

  /** Says this instance is alive; a beat still under way is not doubled. */
  private async beat(): Promise<void> {
    if (this.beating) return;
    this.beating = true;
    const { store, instanceId, time, heartbeatMs } = this.options;
    try {
      await store.heartbeat(instanceId, time.now(), heartbeatMs);
    } finally {
      this.beating = false;
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.options.time.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.stopped) return;
    // The next round is set before this one runs, so a clock moved by tests fires every round due.
    this.timer = this.options.time.setTimeout(() => {
      this.schedule();
      // A failed beat is the round's to report: the round that is due, or the one under way.
      if (this.running) this.beat().catch(() => undefined);
      else void this.round();
    }, this.options.tickMs);
  }
}
