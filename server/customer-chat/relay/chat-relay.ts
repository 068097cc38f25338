import { randomBytes } from 'node:crypto';
import type { Time } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import { RateLimiter } from '../../shared/rate-limiter';
import type { AppSettings } from '../../config/web-config';
import type {
  ChatRequestPayload,
  ChatClosed,
  ChatStarted,
  LeaveMessagePayload,
} from '../gateway/socket-contract';
import type { LoggedEvent, Reply } from '../session/visitor-events';
import { VisitorSession, type PresenceNotice } from '../session/visitor-session';
import type { ChatServiceClient } from '../upstream/chat-service-client';
import type { EventFeed } from '../upstream/event-feed';
import { errorReply, replyForError } from './relay-errors';
import { GroupDesk } from './group-desk';
import { upstreamChatRequest } from './upstream-chat-request';
import { verifyCustomerId } from '../identity/verify-customer-id';
import { leaveOfflineMessage } from '../offline/leave-offline-message';
import { RelayedChat, type RelayedChatHooks } from './relayed-chat';
import type { RelayObserver } from '../metrics/relay-observer';

/** Where the relay sends what a visitor's pages must see; the socket gateway implements it. */
export interface PageBroadcaster {
  event(token: string, event: LoggedEvent): void;
  typing(token: string, name: string): void;
  availability(token: string, available: boolean): void;
}

export interface ChatRelayOptions {
  client: ChatServiceClient;
  /** Brings each chat's events from the Chat Service. */
  feed: EventFeed;
  time: Time;
  settings: AppSettings;
  rateLimits: { requestChatPerMinute: number; messagesPerMinute: number };
  /** Most live chats at once: past it a chat request is refused. */
  maxChats: () => number;
  /** The text of a notice to the agent, in the configured culture. */
  noticeText: (notice: PresenceNotice, secondsLeft: number) => string;
  pages: PageBroadcaster;
  logger: Logger;
  /** Told of refusals and expired grace periods (the metrics). */
  observer?: RelayObserver;
}

/** How long an ended chat can still be shown to a page that comes back (the post-chat page). */
const endedChatRetentionMs = 10 * 60_000;

/**
 * CustomerChat's core: visitors' chats relayed to the Chat Service. It keeps each chat's
 * conversation so every page of the visitor shows it whole, runs the grace period when the last
 * page goes, and applies the web.config.json settings. No sockets in here: the gateway calls it.
 */
export class ChatRelay {
  /** Questions about groups: availability, limits, and whether this relay refuses them. */
  readonly groups: GroupDesk;
  private readonly chats = new Map<string, RelayedChat>();
  /** Chats not ended yet (ended ones stay in `chats` a while for the post-chat page). */
  private readonly live = new Set<string>();
  private readonly requestLimiter: RateLimiter;
  private readonly messageLimiter: RateLimiter;

  constructor(private readonly options: ChatRelayOptions) {
    this.groups = new GroupDesk(options);
    this.requestLimiter = new RateLimiter(options.time, options.rateLimits.requestChatPerMinute);
    this.messageLimiter = new RateLimiter(options.time, options.rateLimits.messagesPerMinute);
  }

  get liveChats(): number {
    return this.live.size;
  }

  /** Live chats whose visitor has no page open (their grace period runs). */
  get visitorsAway(): number {
    let away = 0;
    for (const token of this.live) if (this.chats.get(token)?.session.isAway === true) away += 1;
    return away;
  }

  /** A closed group's "leave a message" form; it counts against the chat requests per minute. */
  leaveMessage(payload: LeaveMessagePayload, address: string): Promise<Reply> {
    if (!this.requestLimiter.tryTake(address))
      return Promise.resolve(
        errorReply('RateLimited', 'Too many requests; try again in a minute.'),
      );
    return leaveOfflineMessage(this.options.client, payload, this.options.logger);
  }

  find(token: string): RelayedChat | undefined {
    return this.chats.get(token);
  }

  async requestChat(
    payload: ChatRequestPayload,
    address: string,
  ): Promise<Reply<ChatStarted | ChatClosed>> {
    const { settings, client, logger } = this.options;
    if (
      await this.groups.isRejected(
        payload.tenantId,
        payload.serviceGroupId,
        payload.serviceGroupName,
      )
    ) {
      logger.info(
        { serviceGroupId: payload.serviceGroupId },
        'chat request rejected by ServiceGroupIDsToReject',
      );
      this.options.observer?.chatRefused('rejected_group');
      return errorReply(
        'RequestRejected',
        'Chat requests for this service group are not accepted here.',
      );
    }
    if (this.live.size >= this.options.maxChats()) {
      logger.warn({ liveChats: this.live.size }, 'chat request refused: at capacity');
      this.options.observer?.chatRefused('capacity');
      return errorReply('AtCapacity', 'Too many chats are open right now; try again shortly.');
    }
    if (!this.requestLimiter.tryTake(address)) {
      this.options.observer?.chatRefused('rate');
      return errorReply('RateLimited', 'Too many chat requests; try again in a minute.');
    }
    const identity = verifyCustomerId(payload.customerId, payload.customerIdHash, settings);
    if (identity === 'refused') {
      logger.info({ tenantId: payload.tenantId }, 'chat request refused: CustomerID not verified');
      return errorReply('IdentityNotVerified', 'The customer ID could not be verified.');
    }
    const request = upstreamChatRequest(payload, settings, identity.verified);
    try {
      const answer = await client.requestChat(request);
      if (answer.ChatID === null) return { ok: true, closed: true, message: answer.Message };
      const chat = this.open(answer.ChatID, request.CustomerName ?? '');
      if (payload.initialMessage) {
        chat.record(
          {
            type: 'message',
            from: 'visitor',
            name: chat.customerName,
            text: payload.initialMessage,
            at: this.options.time.now(),
            clientMessageId: 'initial',
          },
          null,
        );
      }
      logger.info({ chatId: answer.ChatID }, 'chat started');
      return {
        ok: true,
        token: chat.token,
        message: answer.Message,
        queuePosition: answer.QueuePosition,
        estimatedWaitSeconds: answer.EstimatedWaitTime,
      };
    } catch (error) {
      return replyForError(error, logger, { step: 'RequestChat' });
    }
  }

  async sendMessage(
    chat: RelayedChat,
    clientMessageId: string,
    text: string,
    hideLocal: boolean,
  ): Promise<Reply> {
    if (chat.session.isEnded) return errorReply('ChatEnded', 'The chat has ended.');
    if (chat.session.hasMessage(clientMessageId)) return { ok: true };
    if (!this.messageLimiter.tryTake(chat.token))
      return errorReply('RateLimited', 'You are sending messages too fast.');
    try {
      await this.options.client.sendMessage({
        ChatID: chat.chatId,
        Message: text,
        ClientMessageID: clientMessageId,
      });
    } catch (error) {
      return replyForError(error, this.options.logger, {
        chatId: chat.chatId,
        step: 'SendMessage',
      });
    }
    if (!hideLocal) {
      chat.record(
        {
          type: 'message',
          from: 'visitor',
          name: chat.customerName,
          text,
          at: this.options.time.now(),
          clientMessageId,
        },
        null,
      );
    }
    return { ok: true };
  }

  async sendAttachment(
    chat: RelayedChat,
    fileName: string,
    data: Buffer,
  ): Promise<Reply<{ id: string }>> {
    if (chat.session.isEnded) return errorReply('ChatEnded', 'The chat has ended.');
    if (!this.messageLimiter.tryTake(chat.token))
      return errorReply('RateLimited', 'You are sending messages too fast.');
    try {
      await this.options.client.sendMessage({
        ChatID: chat.chatId,
        Message: fileName,
        Attachment: data,
        ClientMessageID: `file-${randomBytes(8).toString('hex')}`,
      });
    } catch (error) {
      return replyForError(error, this.options.logger, {
        chatId: chat.chatId,
        step: 'SendAttachment',
      });
    }
    const logged = chat.record(
      {
        type: 'message',
        from: 'visitor',
        name: chat.customerName,
        text: fileName,
        at: this.options.time.now(),
      },
      data,
    );
    return { ok: true, id: logged?.type === 'message' ? (logged.attachment?.id ?? '') : '' };
  }

  typing(chat: RelayedChat): void {
    if (chat.session.isEnded || !chat.typingAllowed(this.options.time.now())) return;
    this.options.client.sendTyping(chat.chatId).catch((error: unknown) => {
      this.options.logger.debug({ chatId: chat.chatId, err: String(error) }, 'typing not relayed');
    });
  }

  async leave(chat: RelayedChat): Promise<Reply> {
    if (chat.session.isEnded) return { ok: true };
    try {
      await this.options.client.leaveChat(chat.chatId);
      return { ok: true };
    } catch (error) {
      return replyForError(error, this.options.logger, { chatId: chat.chatId, step: 'LeaveChat' });
    }
  }

  /**
   * Stops following every chat, and every timer; chats stay alive upstream (another CustomerChat
   * may take over).
   */
  async stop(): Promise<void> {
    const chats = [...this.chats.values()];
    this.chats.clear();
    this.live.clear();
    await Promise.all(chats.map((chat) => chat.close()));
  }

  private open(chatId: string, customerName: string): RelayedChat {
    const token = randomBytes(24).toString('base64url');
    const { time, settings, client, feed, pages, logger } = this.options;
    const hooks: RelayedChatHooks = {
      pages,
      onEnded: (ended) => {
        logger.info({ chatId: ended.chatId }, 'chat ended');
        this.live.delete(ended.token);
        ended.forgetAfter(time, endedChatRetentionMs, () => this.chats.delete(ended.token));
      },
      onGraceExpired: (expired) => {
        logger.info({ chatId: expired.chatId }, 'visitor stayed away: ending the chat');
        this.options.observer?.gracePeriodExpired();
        this.chats.delete(expired.token);
        this.live.delete(expired.token);
        void expired.close();
        client.leaveChat(expired.chatId).catch((error: unknown) => {
          logger.warn(
            { chatId: expired.chatId, err: String(error) },
            'LeaveChat after the grace period failed',
          );
        });
      },
      notifyAgent: (target, notice, secondsLeft) => {
        client
          .sendMessage({
            ChatID: target.chatId,
            Message: this.options.noticeText(notice, secondsLeft),
            System: true,
            ClientMessageID: `notice-${randomBytes(8).toString('hex')}`,
          })
          .catch((error: unknown) =>
            logger.warn(
              { chatId: target.chatId, notice, err: String(error) },
              'notice not delivered',
            ),
          );
      },
    };
    const session = (relayed: RelayedChat) =>
      new VisitorSession({
        token,
        chatId,
        time,
        graceMs: settings.CustomerDisconnectTimeoutSeconds * 1000,
        warningMs: settings.AgentWarningCustomerDisconnectTimeoutSeconds * 1000,
        notifyAgent: (notice, secondsLeft) => hooks.notifyAgent(relayed, notice, secondsLeft),
        onGraceExpired: () => hooks.onGraceExpired(relayed),
      });
    const chat = new RelayedChat({
      token,
      chatId,
      customerName,
      feed,
      time,
      logger,
      hooks,
      makeSession: session,
    });
    this.chats.set(token, chat);
    this.live.add(token);
    return chat;
  }
}
