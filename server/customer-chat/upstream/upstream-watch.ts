import type { TimerHandle, Timers } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { UpstreamOutcome } from './chat-service-client';

export interface UpstreamWatchOptions {
  /** One cheap request (GetVersion) that must answer within the given time. */
  probe: (timeoutMs: number) => Promise<unknown>;
  timers: Timers;
  /** Told once when the Chat Service stops answering, once when it answers again. */
  onChange: (available: boolean) => void;
  logger: Logger;
  /** @default 2000: between the end of one probe and the next. */
  intervalMs?: number;
  /** @default 2500: a probe not answered in this time counts as a failure. */
  timeoutMs?: number;
}

/**
 * Whether this instance can reach the Chat Service, known within seconds: a long-poll held by a
 * stalled service would only fail after its whole hold. Probes on a short timeout, and takes every
 * answered request as a sign of life; a failed request sets off a probe at once rather than count
 * as an outage by itself (one reset keep-alive connection is no outage).
 */
export class UpstreamWatch {
  private up = true;
  private probing = false;
  private stopped = true;
  private next: TimerHandle | undefined;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: UpstreamWatchOptions) {
    this.intervalMs = options.intervalMs ?? 2000;
    this.timeoutMs = options.timeoutMs ?? 2500;
  }

  get available(): boolean {
    return this.up;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.next !== undefined) this.options.timers.clearTimeout(this.next);
    this.next = undefined;
  }

  /** A request to the Chat Service ended so (the client's observer). */
  observed(outcome: UpstreamOutcome): void {
    if (this.stopped) return;
    if (outcome !== 'unavailable') this.set(true);
    else void this.probe();
  }

  private schedule(): void {
    if (this.stopped || this.next !== undefined) return;
    this.next = this.options.timers.setTimeout(() => {
      this.next = undefined;
      void this.probe();
    }, this.intervalMs);
  }

  private async probe(): Promise<void> {
    if (this.probing || this.stopped) return;
    this.probing = true;
    const answered = await this.options.probe(this.timeoutMs).then(
      () => true,
      (error: unknown) => {
        if (this.up)
          this.options.logger.warn({ err: String(error) }, 'the chat service does not answer');
        return false;
      },
    );
    this.probing = false;
    if (this.stopped) return;
    this.set(answered);
    this.schedule();
  }

  private set(available: boolean): void {
    if (available === this.up) return;
    this.up = available;
    this.options.onChange(available);
  }
}
