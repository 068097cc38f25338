import type { AgentEvent } from '../../server/protocol/agent-api';
import { ApiFault, type AgentApiClient } from './agent-api-client';

export interface EventLoopOptions {
  api: Pick<AgentApiClient, 'call'>;
  /** The highest Seq already applied (kept across a page reload). @default 0 */
  afterSeq?: number;
  /** How long the service may hold one GetEvents. @default 25000 */
  holdMs?: number;
  /** Each event once, in Seq order, never one seen before. */
  onEvents: (events: AgentEvent[], lastSeq: number) => void;
  /** False once when the service stops answering, true once when it answers again. */
  onAvailability: (available: boolean) => void;
  /** @default 1000 */
  retryBaseDelayMs?: number;
  /** @default 15000 */
  maxRetryDelayMs?: number;
}

/**
 * Keeps one GetEvents long-poll open. Every request acknowledges the highest Seq received
 * (AfterSeq), so an answer lost on the way is sent again and applied once.
 */
export class EventLoop {
  private lastSeq: number;
  private running = false;
  private held: AbortController | undefined;
  private retry: { timer: ReturnType<typeof setTimeout>; wake: () => void } | undefined;
  private failures = 0;

  constructor(private readonly options: EventLoopOptions) {
    this.lastSeq = options.afterSeq ?? 0;
  }

  get afterSeq(): number {
    return this.lastSeq;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.run();
  }

  /** Ends the held request and any retry wait; no callback fires afterwards. */
  stop(): void {
    this.running = false;
    this.held?.abort();
    if (this.retry !== undefined) {
      clearTimeout(this.retry.timer);
      this.retry.wake();
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      const held = new AbortController();
      this.held = held;
      try {
        const { Events } = await this.options.api.call(
          'GetEvents',
          { Timeout: this.options.holdMs ?? 25_000, AfterSeq: this.lastSeq },
          held.signal,
        );
        if (!this.running) return;
        this.answered();
        const fresh = Events.filter((event) => event.Seq > this.lastSeq).sort(
          (a, b) => a.Seq - b.Seq,
        );
        const last = fresh.at(-1);
        if (last !== undefined) {
          this.lastSeq = last.Seq;
          this.options.onEvents(fresh, this.lastSeq);
        }
      } catch (error) {
        if (!this.running) return;
        if (error instanceof ApiFault && error.status === 401) {
          // The API client has reported it; the console logs the agent out.
          this.running = false;
          return;
        }
        await this.pauseAfterFailure();
      }
    }
  }

  private answered(): void {
    if (this.failures > 0) this.options.onAvailability(true);
    this.failures = 0;
  }

  private pauseAfterFailure(): Promise<void> {
    this.failures += 1;
    if (this.failures === 1) this.options.onAvailability(false);
    const base = this.options.retryBaseDelayMs ?? 1_000;
    const delay = Math.min(base * 2 ** (this.failures - 1), this.options.maxRetryDelayMs ?? 15_000);
    return new Promise((resolve) => {
      const wake = () => {
        this.retry = undefined;
        resolve();
      };
      this.retry = { timer: setTimeout(wake, delay), wake };
    });
  }
}
