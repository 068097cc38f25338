import type { TimerHandle, Timers } from '../../shared/clock';
import type { Unnumbered } from '../../protocol/numbered';

/** Where a queue reports what it gained and lost, so that a restart finds the same queue. */
export interface EventJournal<E> {
  pushed(event: E): void;
  /** Every event up to and including this Seq has left the queue. */
  dropped(upToSeq: number): void;
}

const noJournal: EventJournal<unknown> = { pushed: () => undefined, dropped: () => undefined };

/**
 * The events waiting for one reader (a chat's customer, or an agent), numbered 1, 2, 3 … and held
 * until the reader takes or acknowledges them. Readers long-poll with wait().
 */
export class EventQueue<E extends { Seq: number }> {
  private events: E[] = [];
  private nextSeq = 1;
  /** The wake-ups of the long-polls waiting on this queue (one may wait on several queues). */
  private readonly waiters = new Set<() => void>();
  private closed = false;

  /** @param restored the queue as it was committed: its unread events and the last Seq given */
  constructor(
    private readonly timers: Timers,
    private readonly journal: EventJournal<E> = noJournal,
    restored?: { events: readonly E[]; lastSeq: number },
  ) {
    if (restored !== undefined) {
      this.events = [...restored.events];
      this.nextSeq = Math.max(restored.lastSeq, restored.events.at(-1)?.Seq ?? 0) + 1;
    }
  }

  push(event: Unnumbered<E>): void {
    if (this.closed) return;
    // Unnumbered<E> plus its Seq is E again; TypeScript cannot see through the distributive Omit.
    const numbered = { ...event, Seq: this.nextSeq++ } as unknown as E;
    this.events.push(numbered);
    this.journal.pushed(numbered);
    this.wakeAll();
  }

  /** True when an event matching the predicate is still waiting to be read. */
  hasPending(predicate: (event: E) => boolean): boolean {
    return this.events.some(predicate);
  }

  /** Drops every event the reader has confirmed, up to and including afterSeq. */
  acknowledge(afterSeq: number): void {
    if (this.events[0] === undefined || this.events[0].Seq > afterSeq) return;
    this.events = this.events.filter((event) => event.Seq > afterSeq);
    this.journal.dropped(afterSeq);
  }

  pending(): E[] {
    return [...this.events];
  }

  take(): E[] {
    const taken = this.events;
    this.events = [];
    const last = taken.at(-1);
    if (last !== undefined) this.journal.dropped(last.Seq);
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
    return EventQueue.waitForAny([this], timeoutMs, this.timers);
  }

  /**
   * Resolves once any of the queues has an event pending or is closed, or timeoutMs passes; then
   * every queue forgets the wait and its timer is cleared, whichever of them ended it.
   */
  static waitForAny<E extends { Seq: number }>(
    queues: readonly EventQueue<E>[],
    timeoutMs: number,
    timers: Timers,
  ): Promise<void> {
    if (timeoutMs <= 0 || queues.some((queue) => queue.ready)) return Promise.resolve();
    return new Promise((resolve) => {
      let timer: TimerHandle | undefined;
      const wake = () => {
        if (timer !== undefined) timers.clearTimeout(timer);
        timer = undefined;
        for (const queue of queues) queue.waiters.delete(wake);
        resolve();
      };
      timer = timers.setTimeout(() => {
        timer = undefined;
        wake();
      }, timeoutMs);
      for (const queue of queues) queue.waiters.add(wake);
    });
  }

  /** Ends every wait now; pushes after this are ignored. Pending events stay readable. */
  close(): void {
    this.closed = true;
    this.wakeAll();
  }

  /** True when a wait would end at once: an event is pending or the queue is closed. */
  private get ready(): boolean {
    return this.events.length > 0 || this.closed;
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
