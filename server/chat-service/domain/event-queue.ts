import type { TimerHandle, Timers } from '../../shared/clock';
import type { Unnumbered } from '../../protocol/numbered';

interface Waiter {
  wake: () => void;
  timer: TimerHandle | undefined;
}

/**
 * The events waiting for one reader (a chat's customer, or an agent), numbered 1, 2, 3 … and held
 * until the reader takes or acknowledges them. Readers long-poll with wait().
 */
export class EventQueue<E extends { Seq: number }> {
  private events: E[] = [];
  private nextSeq = 1;
  private readonly waiters = new Set<Waiter>();
  private closed = false;

  constructor(private readonly timers: Timers) {}

  push(event: Unnumbered<E>): void {
    if (this.closed) return;
    // Unnumbered<E> plus its Seq is E again; TypeScript cannot see through the distributive Omit.
    this.events.push({ ...event, Seq: this.nextSeq++ } as unknown as E);
    this.wakeAll();
  }

  /** True when an event matching the predicate is still waiting to be read. */
  hasPending(predicate: (event: E) => boolean): boolean {
    return this.events.some(predicate);
  }

  /** Drops every event the reader has confirmed, up to and including afterSeq. */
  acknowledge(afterSeq: number): void {
    this.events = this.events.filter((event) => event.Seq > afterSeq);
  }

  pending(): E[] {
    return [...this.events];
  }

  take(): E[] {
    const taken = this.events;
    this.events = [];
    return taken;
  }

  get size(): number {
    return this.events.length;
  }

  /** Long-polls now waiting on this queue. */
  get readers(): number {
    return this.waiters.size;
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Resolves once an event is pending, the queue closes, or timeoutMs passes. */
  wait(timeoutMs: number): Promise<void> {
    if (this.events.length > 0 || this.closed || timeoutMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: Waiter = {
        timer: undefined,
        wake: () => {
          if (waiter.timer !== undefined) this.timers.clearTimeout(waiter.timer);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      waiter.timer = this.timers.setTimeout(() => {
        waiter.timer = undefined;
        waiter.wake();
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Ends every wait now; pushes after this are ignored. Pending events stay readable. */
  close(): void {
    this.closed = true;
    this.wakeAll();
  }

  private wakeAll(): void {
    for (const waiter of [...this.waiters]) waiter.wake();
  }
}
