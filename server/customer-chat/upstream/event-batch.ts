import { ServiceFault } from '../../protocol/faults';
import type { TimerHandle, Timers } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { BatchedChat } from './batched-chat';
import type { ChatServiceClient } from './chat-service-client';
import { retryDelayMs } from './retry-delay';
import type { DecodedBatchEntry } from './wire-decoding';

export type BatchEventSource = Pick<ChatServiceClient, 'getEventsBatch'>;

export interface EventBatchOptions {
  source: BatchEventSource;
  timers: Timers;
  logger: Logger;
  holdMs: number;
  retryBaseDelayMs: number;
  maxRetryDelayMs: number;
  /** How long joins and leaves are gathered before the held poll is reissued for them. */
  coalesceMs: number;
  /**
   * The timers that gathering runs on. It paces connections, not chats, so a server runs it on the
   * wall clock even where its chats' time is simulated. @default timers
   */
  coalesceTimers?: Timers;
  /** The service has no GetEventsBatch (it answered UnknownMethod). */
  onUnsupported: () => void;
  /** The batch has closed (its last chat left, or the feed closed it); resolves when it is idle. */
  onClosed: (idle: Promise<void>) => void;
}

/**
 * A few chats sharing one GetEventsBatch long-poll, each acknowledging its own Seq. The guarantees
 * are EventPump's, per chat: events once and in order, the end once; and the batch's: one chat's
 * fault leaves the others alone, and a service that does not answer is reported to every chat
 * once, with EventPump's back-off.
 */
export class EventBatch {
  private readonly chats = new Map<string, BatchedChat>();
  private closed = false;
  private polling = false;
  private available = true;
  private failures = 0;
  private held: AbortController | undefined;
  private reissue: TimerHandle | undefined;
  private backoff: { handle: TimerHandle; wake: () => void } | undefined;
  private running: Promise<void> = Promise.resolve();

  private readonly coalesceTimers: Timers;

  constructor(private readonly options: EventBatchOptions) {
    this.coalesceTimers = options.coalesceTimers ?? options.timers;
  }

  get size(): number {
    return this.chats.size;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  join(chat: BatchedChat): void {
    this.chats.set(chat.chatId, chat);
    chat.joined(() => this.leave(chat));
    this.changed();
  }

  /** Ends the held poll and any wait; nothing fires afterwards. Resolves once idle. */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.held?.abort();
      if (this.reissue !== undefined) this.coalesceTimers.clearTimeout(this.reissue);
      this.reissue = undefined;
      if (this.backoff !== undefined) {
        this.options.timers.clearTimeout(this.backoff.handle);
        this.backoff.wake();
      }
      for (const chat of this.chats.values()) this.unpause(chat);
      this.options.onClosed(this.running);
    }
    return this.running;
  }

  /** Closes the batch and hands over the chats still followed, to be followed some other way. */
  dissolve(): BatchedChat[] {
    const staying = [...this.chats.values()].filter((chat) => !chat.isStopped);
    void this.close();
    this.chats.clear();
    return staying;
  }

  private leave(chat: BatchedChat): Promise<void> {
    if (this.chats.get(chat.chatId) !== chat) return Promise.resolve();
    this.remove(chat);
    if (this.closed) return this.running;
    this.changed();
    return Promise.resolve();
  }

  private remove(chat: BatchedChat): void {
    this.chats.delete(chat.chatId);
    this.unpause(chat);
    if (this.chats.size === 0) void this.close();
  }

  /**
   * The chats to poll for have changed. The held poll still lists the old ones and may be held for
   * long, so it is ended and reissued; changes within coalesceMs share one reissue, since each
   * abort costs a connection.
   */
  private changed(): void {
    if (this.closed || this.reissue !== undefined) return;
    this.reissue = this.coalesceTimers.setTimeout(() => {
      this.reissue = undefined;
      if (!this.polling) this.running = this.run();
      else this.held?.abort();
    }, this.options.coalesceMs);
  }

  private async run(): Promise<void> {
    this.polling = true;
    while (!this.closed) {
      const chats = [...this.chats.values()].filter((chat) => chat.pause === undefined);
      // Every chat sits out a refusal: the end of a pause starts the polls again.
      if (chats.length === 0) break;
      if ((await this.poll(chats)) === 'after-pause') await this.waitBeforeRetry();
    }
    this.polling = false;
  }

  /** One long-poll and what it brought; says when the next one may go out. */
  private async poll(chats: BatchedChat[]): Promise<'now' | 'after-pause'> {
    // This poll lists every chat joined so far: a pending reissue has nothing left to do.
    if (this.reissue !== undefined) this.coalesceTimers.clearTimeout(this.reissue);
    this.reissue = undefined;
    const held = new AbortController();
    this.held = held;
    try {
      const request = chats.map((chat) => ({ ChatID: chat.chatId, AfterSeq: chat.afterSeq }));
      // While the service is thought away, ask without holding, so its return is noticed at once.
      const hold = this.available ? this.options.holdMs : 0;
      const { Chats } = await this.options.source.getEventsBatch(request, hold, held.signal);
      if (this.closed) return 'now';
      this.failures = 0;
      this.answered();
      for (const entry of Chats) this.hand(entry);
      return 'now';
    } catch (error) {
      // Aborted: closed, or reissued for a change of chats. Their events come in the next poll.
      if (this.closed || held.signal.aborted) return 'now';
      this.failures += 1;
      if (!(error instanceof ServiceFault)) {
        this.unanswered(error);
        return 'after-pause';
      }
      // A fault is an answer: the service is there, whatever it thinks of this request.
      this.answered();
      if (error.code === 'UnknownMethod') {
        this.options.onUnsupported();
        return 'now';
      }
      this.options.logger.warn({ code: error.code, chats: chats.length }, 'GetEventsBatch refused');
      return 'after-pause';
    } finally {
      this.held = undefined;
    }
  }

  /** One chat's part of an answer. */
  private hand(entry: DecodedBatchEntry): void {
    const chat = this.chats.get(entry.ChatID);
    // Gone while the poll was held; whatever came for it is someone else's now.
    if (chat === undefined || chat.isStopped) return;
    if ('Fault' in entry) {
      const { Code } = entry.Fault;
      if (Code === 'UnknownChat' || Code === 'ChatTerminated') {
        this.remove(chat);
        chat.end();
      } else {
        this.refused(chat, Code);
      }
      return;
    }
    chat.refusals = 0;
    if (chat.deliver(entry.Events)) {
      this.remove(chat);
      chat.end();
    }
  }

  /**
   * A fault for one chat that is not its end: it sits out the next polls for a while, as its own
   * pump would, rather than have every poll answered at once for it and so spin the whole batch.
   */
  private refused(chat: BatchedChat, code: string): void {
    this.options.logger.warn({ chatId: chat.chatId, code }, 'GetEventsBatch refused a chat');
    chat.refusals += 1;
    const { retryBaseDelayMs, maxRetryDelayMs, timers } = this.options;
    const delayMs = retryDelayMs(chat.refusals, retryBaseDelayMs, maxRetryDelayMs);
    chat.pause = timers.setTimeout(() => {
      chat.pause = undefined;
      this.changed();
    }, delayMs);
  }

  private unpause(chat: BatchedChat): void {
    if (chat.pause !== undefined) this.options.timers.clearTimeout(chat.pause);
    chat.pause = undefined;
  }

  private answered(): void {
    this.available = true;
    for (const chat of this.chats.values()) chat.reachable(true);
  }

  private unanswered(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.options.logger.warn({ chats: this.chats.size, reason }, 'GetEventsBatch failed; retrying');
    this.available = false;
    for (const chat of this.chats.values()) chat.reachable(false);
  }

  private waitBeforeRetry(): Promise<void> {
    const { retryBaseDelayMs, maxRetryDelayMs, timers } = this.options;
    const delayMs = retryDelayMs(this.failures, retryBaseDelayMs, maxRetryDelayMs);
    return new Promise((wake) => {
      const handle = timers.setTimeout(() => {
        this.backoff = undefined;
        wake();
      }, delayMs);
      this.backoff = { handle, wake };
    });
  }
}
