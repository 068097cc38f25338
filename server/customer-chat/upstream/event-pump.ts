import { callListener } from './call-listener';
import { ServiceFault } from '../../protocol/faults';
import type { TimerHandle, Timers } from '../../shared/clock';
import { silentLogger, type Logger } from '../../shared/logger';
import type { ChatServiceClient } from './chat-service-client';
import { retryDelayMs } from './retry-delay';
import { unseenEvents } from './unseen-events';
import type { DecodedChatEvent } from './wire-decoding';

export type EventSource = Pick<ChatServiceClient, 'getEvents'>;

export interface EventPumpOptions {
  client: EventSource;
  chatId: string;
  /** The highest Seq already handled, when a pump takes over from an earlier one. */
  afterSeq?: number;
  holdMs?: number;
  timers: Timers;
  /** Each batch once, in order, with no event seen before. */
  onEvents: (events: DecodedChatEvent[]) => void;
  /** The chat has ended (or the service no longer knows it); the pump has stopped. */
  onEnded: () => void;
  /** False once when the service stops answering, true once when it answers again. */
  onAvailability: (available: boolean) => void;
  retryBaseDelayMs?: number;
  maxRetryDelayMs?: number;
  logger?: Logger;
}

/**
 * Keeps one GetEvents long-poll open for a live chat and hands on what it returns. Each request
 * acknowledges the highest Seq received, so an answer lost on the way is sent again.
 */
export class EventPump {
  private lastSeq: number;
  private stopped = false;
  private started = false;
  private available = true;
  private failures = 0;
  private held: AbortController | undefined;
  private backoff: { handle: TimerHandle; wake: () => void } | undefined;
  private running: Promise<void> = Promise.resolve();
  private readonly holdMs: number;
  private readonly retryBaseDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly logger: Logger;

  constructor(private readonly options: EventPumpOptions) {
    this.lastSeq = options.afterSeq ?? 0;
    this.holdMs = options.holdMs ?? 25_000;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 250;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 5_000;
    this.logger = options.logger ?? silentLogger;
  }

  /** The highest Seq handed on: a later pump for the same chat starts after it. */
  get afterSeq(): number {
    return this.lastSeq;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.running = this.run();
  }

  /** Ends the held request and any wait; no callback fires afterwards. Resolves once idle. */
  stop(): Promise<void> {
    this.stopped = true;
    this.held?.abort();
    if (this.backoff !== undefined) {
      this.options.timers.clearTimeout(this.backoff.handle);
      this.backoff.wake();
    }
    return this.running;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if ((await this.poll()) === 'after-pause') await this.waitBeforeRetry();
    }
  }

  /** One long-poll and what it brought; says when the next one may go out. */
  private async poll(): Promise<'now' | 'after-pause'> {
    const held = new AbortController();
    this.held = held;
    try {
      const { client, chatId } = this.options;
      // While the service is thought away, ask without holding, so its return is noticed at once.
      const hold = this.available ? this.holdMs : 0;
      const { Events } = await client.getEvents(chatId, hold, this.lastSeq, held.signal);
      if (this.stopped) return 'now';
      this.failures = 0;
      this.answered();
      if (this.deliver(Events)) this.end();
      return 'now';
    } catch (error) {
      if (this.stopped) return 'now';
      this.failures += 1;
      if (!(error instanceof ServiceFault)) {
        this.unanswered(error);
        return 'after-pause';
      }
      // A fault is an answer: the service is there, whatever it thinks of this chat.
      this.answered();
      if (error.code === 'UnknownChat' || error.code === 'ChatTerminated') {
        this.end();
        return 'now';
      }
      this.logger.warn({ chatId: this.options.chatId, code: error.code }, 'GetEvents refused');
      return 'after-pause';
    } finally {
      this.held = undefined;
    }
  }

  /** Hands on the events not seen before; true when the chat has ended. */
  private deliver(events: DecodedChatEvent[]): boolean {
    const { fresh, lastSeq, ends } = unseenEvents(events, this.lastSeq);
    this.lastSeq = lastSeq;
    if (fresh.length > 0) this.notify(() => this.options.onEvents(fresh));
    return ends;
  }

  private answered(): void {
    if (this.available) return;
    this.available = true;
    this.notify(() => this.options.onAvailability(true));
  }

  private unanswered(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn({ chatId: this.options.chatId, reason }, 'GetEvents failed; retrying');
    if (!this.available) return;
    this.available = false;
    this.notify(() => this.options.onAvailability(false));
  }

  private end(): void {
    this.notify(() => this.options.onEnded());
    this.stopped = true;
  }

  private waitBeforeRetry(): Promise<void> {
    const delayMs = retryDelayMs(this.failures, this.retryBaseDelayMs, this.maxRetryDelayMs);
    return new Promise((wake) => {
      const handle = this.options.timers.setTimeout(() => {
        this.backoff = undefined;
        wake();
      }, delayMs);
      this.backoff = { handle, wake };
    });
  }

  /**
   * A listener may stop the pump, after which nothing more fires; a failing listener must not end
   * it, since the chat's other events still have to flow.
   */
  private notify(callback: () => void): void {
    if (!this.stopped) callListener(this.logger, this.options.chatId, callback);
  }
}
