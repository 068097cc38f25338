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
  RatePayload,
} from '../gateway/socket-contract';
import type { LoggedEvent, Reply } from '../session/visitor-events';
import { initialSession, type PresenceNotice } from '../session/visitor-session';
import type { SessionStore, StoredFile } from '../store/session-store';
import type { StagedFile } from '../upstream/attachment-body';
import type { ChatServiceClient } from '../upstream/chat-service-client';
import type { EventFeed } from '../upstream/event-feed';
import { ClusterDuties } from './cluster-duties';
import { errorReply, replyForError } from './relay-errors';
import { GroupDesk } from './group-desk';
import type { PageBroadcaster } from './page-broadcaster';
import { PumpLeases } from './pump-leases';
import { SessionKeeper } from './session-keeper';
import { upstreamChatRequest } from './upstream-chat-request';
import { VisitorSends } from './visitor-sends';
import { verifyCustomerId } from '../identity/verify-customer-id';
import { leaveOfflineMessage } from '../offline/leave-offline-message';
import { rateEndedChat } from '../rating/rate-ended-chat';
import type { RelayObserver } from '../metrics/relay-observer';

export interface ChatRelayOptions {
  client: ChatServiceClient;
  /** Where every chat is kept: this process's memory, or Redis shared by every instance. */
  store: SessionStore;
  /** Brings each chat's events from the Chat Service. */
  feed: EventFeed;
  time: Time;
  settings: AppSettings;
  rateLimits: { requestChatPerMinute: number; messagesPerMinute: number };
  /** Most live chats this instance follows at once: past it a chat request is refused. */
  maxChats: () => number;
  /** The text of a notice to the agent, in the configured culture. */
  noticeText: (notice: PresenceNotice, secondsLeft: number) => string;
  pages: PageBroadcaster;
  /** This process among the instances sharing the store. */
  instanceId: string;
  cluster: ClusterTiming;
  logger: Logger;
  /** Told of refusals and expired grace periods (the metrics). */
  observer?: RelayObserver;
}

export interface ClusterTiming {
  /** @default 1000: between two rounds of duties (deadlines, lapsed instances and leases). */
  tickMs: number;
  /** @default 4000: a pump lease (and a heartbeat) holds this long without renewal. */
  leaseMs: number;
  /** @default 5000: a visitor whose page went with its instance has this long before the agent hears. */
  handoverMs: number;
}

/** A chat as a test or the health route may look at it. */
export interface ChatSnapshot {
  chatId: string;
  lastSeq: number;
  pages: number;
  isAway: boolean;
  isEnded: boolean;
}

/**
 * CustomerChat's core: visitors' chats relayed to the Chat Service. The gateway tells it of pages
 * joining and leaving a chat and of what the visitor does; the session keeper owns each chat's
 * state, the pump leases its upstream events, the cluster duties what no single instance may be
 * trusted with. No sockets in here.
 */
export class ChatRelay {
  /** Questions about groups: availability, limits, and whether this relay refuses them. */
  readonly groups: GroupDesk;
  private readonly keeper: SessionKeeper;
  private readonly leases: PumpLeases;
  private readonly duties: ClusterDuties;
  /** What the visitor sends in a running chat. */
  readonly sends: VisitorSends;
  private readonly requestLimiter: RateLimiter;

  constructor(private readonly options: ChatRelayOptions) {
    const { store, client, time, settings, pages, instanceId, cluster, logger } = options;
    this.groups = new GroupDesk(options);
    this.requestLimiter = new RateLimiter(time, options.rateLimits.requestChatPerMinute);
    this.keeper = new SessionKeeper({
      store,
      client,
      pages,
      time,
      noticeText: options.noticeText,
      logger,
      ...(options.observer === undefined ? {} : { observer: options.observer }),
      timing: {
        graceMs: settings.CustomerDisconnectTimeoutSeconds * 1000,
        warningMs: settings.AgentWarningCustomerDisconnectTimeoutSeconds * 1000,
        handoverMs: cluster.handoverMs,
        leftNoticeDelayMs: settings.CustomerLeftNoticeDelaySeconds * 1000,
      },
    });
    this.sends = new VisitorSends({
      client,
      store,
      keeper: this.keeper,
      time,
      messagesPerMinute: options.rateLimits.messagesPerMinute,
      logger,
    });
    this.leases = new PumpLeases({
      store,
      feed: options.feed,
      keeper: this.keeper,
      pages,
      instanceId,
      time,
      leaseMs: cluster.leaseMs,
      logger,
    });
    this.duties = new ClusterDuties({
      store,
      keeper: this.keeper,
      leases: this.leases,
      instanceId,
      time,
      tickMs: cluster.tickMs,
      heartbeatMs: cluster.leaseMs,
      logger,
    });
  }

  /** Chats whose upstream events this instance follows. */
  get liveChats(): number {
    return this.leases.count;
  }

  /** Visitors of this instance's chats with no page open (their grace period runs). */
  get visitorsAway(): number {
    return this.keeper.deadlinesWatched;
  }

  /** Joins the cluster: the first round of duties takes over what lapsed while no one ran. */
  async start(): Promise<void> {
    await this.duties.round();
    this.duties.start();
  }

  /** A closed group's "leave a message" form; it counts against the chat requests per minute. */
  leaveMessage(payload: LeaveMessagePayload, address: string): Promise<Reply> {
    if (!this.requestLimiter.tryTake(address))
      return Promise.resolve(
        errorReply('RateLimited', 'Too many requests; try again in a minute.'),
      );
    return leaveOfflineMessage(this.options.client, payload, this.options.logger);
  }

  /** The post-chat page's rating of its ended chat. */
  rateChat(payload: RatePayload): Promise<Reply> {
    return rateEndedChat(this.options, payload);
  }

  async inspect(token: string): Promise<ChatSnapshot | undefined> {
    const session = await this.options.store.session(token);
    if (session === undefined) return undefined;
    return {
      chatId: session.record.chatId,
      lastSeq: session.lastSeq,
      pages: session.pages,
      isAway: session.state.phase === 'away',
      isEnded: session.state.phase === 'ended',
    };
  }

  /** The conversation as the store has it (every page shows this). */
  conversation(token: string): Promise<LoggedEvent[]> {
    return this.options.store.eventsAfter(token, 0);
  }

  async isLive(token: string): Promise<boolean> {
    const session = await this.options.store.session(token);
    return session !== undefined && session.state.phase !== 'ended';
  }

  /** Starts a chat for the page `pageId`, which is connected to it from the start. */
  async requestChat(
    payload: ChatRequestPayload,
    address: string,
    pageId: string,
  ): Promise<Reply<ChatStarted | ChatClosed>> {
    const { settings, client, logger, store, instanceId } = this.options;
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
    if (this.leases.count >= this.options.maxChats()) {
      logger.warn({ liveChats: this.leases.count }, 'chat request refused: at capacity');
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
      const token = randomBytes(24).toString('base64url');
      const customerName = request.CustomerName ?? '';
      await store.create({ token, chatId: answer.ChatID, customerName }, initialSession);
      await store.pageJoined(token, instanceId, pageId);
      if (payload.initialMessage) {
        await this.keeper.record(token, [
          {
            type: 'message',
            from: 'visitor',
            name: customerName,
            text: payload.initialMessage,
            at: this.options.time.now(),
            clientMessageId: 'initial',
          },
        ]);
      }
      await this.leases.take(token);
      logger.info({ chatId: answer.ChatID }, 'chat started');
      return {
        ok: true,
        token,
        message: answer.Message,
        queuePosition: answer.QueuePosition,
        estimatedWaitSeconds: answer.EstimatedWaitTime,
      };
    } catch (error) {
      return replyForError(error, logger, { step: 'RequestChat' });
    }
  }

  /** A page shows the chat now; answers what it has not seen, or undefined for an unknown chat. */
  async pageJoined(
    token: string,
    pageId: string,
    afterSeq: number,
  ): Promise<{ events: LoggedEvent[]; ended: boolean } | undefined> {
    const { store, instanceId } = this.options;
    if ((await store.session(token)) === undefined) return undefined;
    await store.pageJoined(token, instanceId, pageId);
    await this.keeper.pagesChanged(token);
    const session = await store.session(token);
    return {
      events: await store.eventsAfter(token, afterSeq),
      ended: session === undefined || session.state.phase === 'ended',
    };
  }

  /** A page no longer shows the chat (closed, navigated away, or lost its connection). */
  async pageLeft(token: string, pageId: string): Promise<void> {
    await this.options.store.pageLeft(token, this.options.instanceId, pageId);
    await this.keeper.pagesChanged(token);
  }

  /** A visitor's file for the agent (the attachment routes' way in). */
  sendAttachment(
    token: string,
    fileName: string,
    file: StagedFile,
  ): Promise<Reply<{ id: string }>> {
    return this.sends.sendAttachment(token, fileName, file);
  }

  file(token: string, id: string): Promise<StoredFile | undefined> {
    return this.options.store.file(token, id);
  }

  /**
   * Hands this instance's share over before it goes: lets go of its pump leases for another
   * instance to take at once, and takes its pages off their chats without telling the agent (the
   * visitors reconnect elsewhere within the handover time).
   */
  async handOver(): Promise<void> {
    this.duties.stop();
    this.keeper.close();
    await this.leases.releaseAll();
    const { store, instanceId } = this.options;
    for (const { token } of await store.removeInstance(instanceId))
      await this.keeper.pagesChanged(token, true);
  }

  /**
   * Ends every chat this instance follows, telling the visitor and the agent: what the memory
   * engine does when it stops, since no other instance could take its chats over.
   */
  async endAll(): Promise<void> {
    const { store, client, logger } = this.options;
    this.duties.stop();
    for (const token of this.leases.tokens()) {
      const session = await store.session(token);
      if (session === undefined || session.state.phase === 'ended') continue;
      const { chatId } = session.record;
      await client.leaveChat(chatId, 'Service').catch((error: unknown) => {
        logger.warn({ chatId, err: String(error) }, 'LeaveChat on shutdown failed');
      });
      await this.keeper.record(token, [{ type: 'ended', cause: 'general', by: 'service' }]);
    }
    this.keeper.close();
    await this.leases.close();
  }

  /** Stops following every chat, and every timer; the chats stay alive upstream and in the store. */
  async stop(): Promise<void> {
    this.duties.stop();
    this.keeper.close();
    await this.leases.close();
  }
}
