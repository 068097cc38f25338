import type { Timers } from '../../shared/clock';
import { silentLogger, type Logger } from '../../shared/logger';
import { BatchedChat } from './batched-chat';
import type { ChatServiceClient } from './chat-service-client';
import { EventBatch } from './event-batch';
import type { ChatEventListener, EventFeed, FollowedChat, PollTiming } from './event-feed';
import { PerChatEventFeed } from './per-chat-event-feed';

export interface BatchedEventFeedOptions extends PollTiming {
  /** getEventsBatch for the batches; getEvents for a service that has no batches. */
  source: Pick<ChatServiceClient, 'getEventsBatch' | 'getEvents'>;
  /** Most chats in one batch. */
  batchSize: number;
  timers: Timers;
  logger?: Logger;
  /** @default 20: how long a batch gathers joins and leaves before it reissues its poll. */
  coalesceMs?: number;
  /** The timers gathering runs on. @default timers */
  coalesceTimers?: Timers;
}

/**
 * Chats followed in batches of up to batchSize, each batch with one GetEventsBatch long-poll, so
 * thousands of chats need a few hundred upstream connections rather than one each. When the
 * service turns out not to have GetEventsBatch (a contact center's own server that has only the
 * specification's methods), every chat moves to its own GetEvents long-poll where it was.
 */
export class BatchedEventFeed implements EventFeed {
  private readonly batches = new Set<EventBatch>();
  private readonly perChat: PerChatEventFeed;
  private readonly logger: Logger;
  private batchesUnsupported = false;

  constructor(private readonly options: BatchedEventFeedOptions) {
    this.logger = options.logger ?? silentLogger;
    const { source, timers, holdMs, retryBaseDelayMs, maxRetryDelayMs } = options;
    this.perChat = new PerChatEventFeed({
      source,
      timers,
      logger: this.logger,
      holdMs,
      retryBaseDelayMs,
      maxRetryDelayMs,
    });
  }

  get chatsPerPoll(): number {
    return this.batchesUnsupported ? 1 : this.options.batchSize;
  }

  follow(chatId: string, afterSeq: number, listener: ChatEventListener): FollowedChat {
    if (this.batchesUnsupported) return this.perChat.follow(chatId, afterSeq, listener);
    const chat = new BatchedChat(chatId, afterSeq, listener, this.logger);
    this.batchWithRoom().join(chat);
    return chat;
  }

  async close(): Promise<void> {
    await Promise.all([...this.batches].map((batch) => batch.close()));
    await this.perChat.close();
  }

  private batchWithRoom(): EventBatch {
    for (const batch of this.batches) {
      if (!batch.isClosed && batch.size < this.options.batchSize) return batch;
    }
    const batch = new EventBatch({
      source: this.options.source,
      timers: this.options.timers,
      logger: this.logger,
      holdMs: this.options.holdMs ?? 25_000,
      retryBaseDelayMs: this.options.retryBaseDelayMs ?? 250,
      maxRetryDelayMs: this.options.maxRetryDelayMs ?? 5_000,
      coalesceMs: this.options.coalesceMs ?? 20,
      coalesceTimers: this.options.coalesceTimers,
      onUnsupported: () => this.fallBack(),
      onClosed: (idle) => void idle.then(() => this.batches.delete(batch)),
    });
    this.batches.add(batch);
    return batch;
  }

  /** Moves every chat, now and later, to its own long-poll, carrying on after its last Seq. */
  private fallBack(): void {
    if (this.batchesUnsupported) return;
    this.batchesUnsupported = true;
    this.logger.warn(
      { chats: [...this.batches].reduce((sum, batch) => sum + batch.size, 0) },
      'the Chat Service has no GetEventsBatch: each chat polls GetEvents on its own',
    );
    for (const batch of this.batches) {
      for (const chat of batch.dissolve()) {
        // The service has just answered: a chat of a batch that was failing may hear it is back.
        chat.reachable(true);
        chat.movedTo(this.perChat.follow(chat.chatId, chat.afterSeq, chat.listener));
      }
    }
  }
}
