import type { Time, TimerHandle } from './clock';

interface PendingTimer {
  id: number;
  dueAt: number;
  callback: () => void;
}

/**
 * A clock that only moves when told to. Used by tests (and benchmarks that replay time) to fire
 * timers in due order without sleeping.
 */
export class ManualTime implements Time {
  private current: number;
  private nextId = 1;
  private readonly pending = new Map<number, PendingTimer>();

  constructor(startAt = Date.UTC(2026, 0, 5, 9, 0, 0)) {
    this.current = startAt;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    this.pending.set(id, { id, dueAt: this.current + Math.max(0, delayMs), callback });
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending.delete(handle.id);
  }

  /** Moves time forward, firing every timer that falls due on the way, earliest first. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.earliestDueBy(target);
      if (due === undefined) break;
      this.pending.delete(due.id);
      this.current = due.dueAt;
      due.callback();
    }
    this.current = target;
  }

  /** Number of timers not yet fired: lets tests assert that stop() leaves none behind. */
  get pendingCount(): number {
    return this.pending.size;
  }

  private earliestDueBy(target: number): PendingTimer | undefined {
    let earliest: PendingTimer | undefined;
    for (const timer of this.pending.values()) {
      if (timer.dueAt > target) continue;
      if (
        earliest === undefined ||
        timer.dueAt < earliest.dueAt ||
        (timer.dueAt === earliest.dueAt && timer.id < earliest.id)
      ) {
        earliest = timer;
      }
    }
    return earliest;
  }
}
