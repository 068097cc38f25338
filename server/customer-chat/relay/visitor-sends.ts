import { randomBytes } from 'node:crypto';
import type { Time } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import { RateLimiter } from '../../shared/rate-limiter';
import type { Reply } from '../session/visitor-events';
import type { SessionStore } from '../store/session-store';
import { StoreUnavailableError } from '../store/store-unavailable';
import type { StagedFile } from '../upstream/attachment-body';
import { UpstreamUnavailableError, type ChatServiceClient } from '../upstream/chat-service-client';
import { errorReply, replyForError } from './relay-errors';
import type { SessionKeeper } from './session-keeper';

export interface VisitorSendsOptions {
  client: Pick<ChatServiceClient, 'sendMessage' | 'sendTyping' | 'leaveChat'>;
  store: SessionStore;
  keeper: SessionKeeper;
  time: Time;
  messagesPerMinute: number;
  logger: Logger;
}

/** Least time between two typing notices sent on for one visitor. */
const typingIntervalMs = 2000;

/**
 * What a visitor sends in a running chat, on whichever instance the page is: messages (each once,
 * by its clientMessageId), files, typing and leaving, relayed to the Chat Service and recorded in
 * the conversation.
 */
export class VisitorSends {
  private readonly messageLimiter: RateLimiter;
  private readonly lastTyping = new Map<string, number>();
  /**
   * Sends on their way upstream, by token and clientMessageId: a page that resends while the first
   * is still being tried (it reconnected, or a second tab) waits for that one, so the message is
   * recorded once.
   */
  private readonly inFlight = new Map<string, Promise<Reply>>();

  constructor(private readonly options: VisitorSendsOptions) {
    this.messageLimiter = new RateLimiter(options.time, options.messagesPerMinute);
  }

  sendMessage(
    token: string,
    clientMessageId: string,
    text: string,
    hideLocal: boolean,
  ): Promise<Reply> {
    const key = `${token}\n${clientMessageId}`;
    const running = this.inFlight.get(key);
    if (running !== undefined) return running;
    const sent = this.sendOnce(token, clientMessageId, text, hideLocal).finally(() =>
      this.inFlight.delete(key),
    );
    this.inFlight.set(key, sent);
    return sent;
  }

  private async sendOnce(
    token: string,
    clientMessageId: string,
    text: string,
    hideLocal: boolean,
  ): Promise<Reply> {
    const { store, client, logger, time } = this.options;
    try {
      // Both asked at once: one round trip to Redis, not two.
      const [session, seen] = await Promise.all([
        store.session(token),
        store.hasMessage(token, clientMessageId),
      ]);
      if (session === undefined || session.state.phase === 'ended')
        return errorReply('ChatEnded', 'The chat has ended.');
      if (seen) return { ok: true };
      if (!this.messageLimiter.tryTake(token))
        return errorReply('RateLimited', 'You are sending messages too fast.');
      const { chatId, customerName } = session.record;
      await this.counted(token, () =>
        client.sendMessage({ ChatID: chatId, Message: text, ClientMessageID: clientMessageId }),
      );
      if (!hideLocal) {
        await this.options.keeper.record(token, [
          {
            type: 'message',
            from: 'visitor',
            name: customerName,
            text,
            at: time.now(),
            clientMessageId,
          },
        ]);
      }
      return { ok: true };
    } catch (error) {
      return replyForError(error, logger, { step: 'SendMessage' });
    }
  }

  /** An upload staged on disk: sent to the Chat Service and kept from there, never read whole. */
  async sendAttachment(
    token: string,
    fileName: string,
    file: StagedFile,
  ): Promise<Reply<{ id: string }>> {
    const { store, client, logger, time } = this.options;
    try {
      const session = await store.session(token);
      if (session === undefined || session.state.phase === 'ended')
        return errorReply('ChatEnded', 'The chat has ended.');
      if (!this.messageLimiter.tryTake(token))
        return errorReply('RateLimited', 'You are sending messages too fast.');
      const { chatId, customerName } = session.record;
      await this.counted(token, () =>
        client.sendMessage({
          ChatID: chatId,
          Message: fileName,
          Attachment: file,
          ClientMessageID: `file-${randomBytes(8).toString('hex')}`,
        }),
      );
      const id = await store.keepFile(token, { name: fileName, stagedPath: file.path });
      await this.options.keeper.record(token, [
        {
          type: 'message',
          from: 'visitor',
          name: customerName,
          text: fileName,
          at: time.now(),
          attachment: { id, name: fileName, size: file.size },
        },
      ]);
      return { ok: true, id };
    } catch (error) {
      return replyForError(error, logger, { step: 'SendAttachment' });
    }
  }

  /**
   * Runs a send the visitor's allowance has paid for, paying it back when an outage (the Chat
   * Service or the store away) refused it: the page sends it again, and only the one that gets
   * through counts.
   */
  private async counted(token: string, send: () => Promise<void>): Promise<void> {
    try {
      await send();
    } catch (error) {
      if (error instanceof UpstreamUnavailableError || error instanceof StoreUnavailableError)
        this.messageLimiter.giveBack(token);
      throw error;
    }
  }

  async typing(token: string): Promise<void> {
    const { time, client, logger } = this.options;
    const now = time.now();
    if (now - (this.lastTyping.get(token) ?? Number.NEGATIVE_INFINITY) < typingIntervalMs) return;
    this.lastTyping.set(token, now);
    if (this.lastTyping.size > 10_000) {
      for (const [other, at] of this.lastTyping)
        if (now - at >= typingIntervalMs) this.lastTyping.delete(other);
    }
    const session = await this.options.store.session(token);
    if (session === undefined || session.state.phase === 'ended') {
      this.lastTyping.delete(token);
      return;
    }
    const chatId = session.record.chatId;
    client.sendTyping(chatId).catch((error: unknown) => {
      logger.debug({ chatId, err: String(error) }, 'typing not relayed');
    });
  }

  /** `idle`: the page's idle timeout ended the chat, not the visitor. */
  async leave(token: string, reason: 'closed' | 'idle' = 'closed'): Promise<Reply> {
    const { store, client, logger } = this.options;
    try {
      const session = await store.session(token);
      if (session === undefined || session.state.phase === 'ended') return { ok: true };
      await client.leaveChat(session.record.chatId, reason === 'idle' ? 'Idle' : 'Closed');
      return { ok: true };
    } catch (error) {
      return replyForError(error, logger, { step: 'LeaveChat' });
    }
  }
}
