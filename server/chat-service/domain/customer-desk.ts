import type { ChatEndedBy } from '../../protocol/agent-api';
import { RateLimiter } from '../../shared/rate-limiter';
import { ChatState, TerminationCause } from '../../protocol/enums';
import { ServiceFault } from '../../protocol/faults';
import type {
  ChatEvent,
  GetChatConfigurationResponse,
  GetChatInfoResponse,
  GetEventsBatchEntry,
  GetEventsBatchRequest,
  GetEventsRequest,
  GetQueueInfoRequest,
  GetQueueInfoResponse,
  LeaveReason,
  RequestChatRequest,
  RequestChatResponse,
  SendChatMessageRequest,
} from '../../protocol/customer-api';
import type { Chat } from './chat';
import type { ContactCenter } from './contact-center';
import { toTranscriptMessage } from './chat-views';
import { composeMessage } from './compose-message';
import { EventQueue } from './event-queue';

const endedByOf = {
  Closed: 'Customer',
  Idle: 'CustomerIdle',
  Gone: 'CustomerGone',
  Service: 'Service',
} as const satisfies Record<LeaveReason, ChatEndedBy>;

const chatEnded = () => new ServiceFault('ChatTerminated', 'The chat has ended.');

/**
 * The customer side of the service: what the specification's REST methods do. Each method checks
 * everything before it changes anything, so a refused request leaves the chat as it was.
 */
export class CustomerDesk {
  private readonly requestLimiter: RateLimiter;
  private readonly messageLimiter: RateLimiter;

  constructor(private readonly center: ContactCenter) {
    const { RateLimits } = center.config;
    this.requestLimiter = new RateLimiter(center.time, RateLimits.RequestChatPerMinute);
    this.messageLimiter = new RateLimiter(center.time, RateLimits.MessagesPerMinute);
  }

  /** `verified`: CustomerChat, proven by its relay key, checked the CustomerID's hash. */
  requestChat(
    request: RequestChatRequest,
    clientAddress: string,
    verified = false,
  ): RequestChatResponse {
    const group = this.center.findGroup(request.ServiceGroupID, request.ServiceGroupName);
    const tenantId = request.TenantID ?? -1;
    if (tenantId !== group.config.TenantID) {
      throw new ServiceFault(
        'TenantMismatch',
        `Service group ${group.id} does not belong to tenant ${tenantId}.`,
      );
    }
    const { RateLimits } = this.center.config;
    if (
      !RateLimits.ExemptAddresses.includes(clientAddress) &&
      !this.requestLimiter.tryTake(clientAddress)
    ) {
      throw new ServiceFault(
        'RateLimited',
        'Too many chat requests from this address; try again in a minute.',
      );
    }
    if (!this.center.isOpen(group)) {
      return {
        ChatID: null,
        Message: group.config.ClosedMessage || null,
        SessionID: 0,
        QueuePosition: 0,
        EstimatedWaitTime: -1,
      };
    }
    const chat = this.center.openChat(group, tenantId, {
      sessionId: request.SessionID ?? '',
      customerId: request.CustomerID ?? '',
      customerIdVerified: verified && (request.CustomerID ?? '') !== '',
      name: request.CustomerName ?? '',
      email: request.EmailAddress ?? '',
      phone: request.PhoneNumber ?? '',
      privateData: request.PrivateData ?? '',
      initialMessage: request.InitialMessage ?? '',
      initialMessageToAgent: request.InitialMessageToAgent ?? '',
      timeZoneOffset: request.TimeZoneOffset ?? null,
    });
    const position = group.positionOf(chat);
    return {
      ChatID: chat.id,
      Message: group.config.QueueMessage || null,
      SessionID: chat.internalSessionId,
      QueuePosition: position,
      EstimatedWaitTime: position === 0 ? 0 : this.center.estimateWait(group, position),
    };
  }

  leaveChat(chatId: string, reason: LeaveReason): void {
    const chat = this.center.chat(chatId);
    this.center.endChat(chat, TerminationCause.General, endedByOf[reason]);
  }

  /** `system`: a notice from the relay, shown to the agent only (the HTTP layer checked who sent it). */
  sendMessage(request: SendChatMessageRequest, system: boolean): void {
    const chat = this.liveChat(request.ChatID);
    if (chat.hasSeenMessageId(request.ClientMessageID)) return;
    const { message, attachment } = composeMessage(
      request.Message,
      request.Attachment,
      this.center.config,
      chat,
    );
    // Only a message that would be delivered counts against the rate.
    if (!system && !this.messageLimiter.tryTake(chat.id)) {
      throw new ServiceFault('RateLimited', 'Too many messages in this chat; slow down.');
    }
    const now = this.center.time.now();
    const entry = {
      at: now,
      from: system ? ('System' as const) : ('Customer' as const),
      name: system ? '' : chat.customer.name,
      message,
      attachment,
      agentOnly: system,
    };
    this.center.addEntry(chat, entry, request.ClientMessageID);
    if (!system) this.center.noteCustomerActivity(chat);
    const agent = this.center.agentOf(chat);
    if (agent !== undefined) {
      this.center.toAgent(agent, {
        EventType: 'MessageReceived',
        Data: { ChatID: chat.id, ...toTranscriptMessage(entry) },
      });
    }
  }

  sendTyping(chatId: string): void {
    const chat = this.liveChat(chatId);
    this.center.noteCustomerActivity(chat);
    const agent = this.center.agentOf(chat);
    // Typing is a hint, not history: one unread notice per chat is enough.
    const unread = agent?.events.hasPending(
      (event) => event.EventType === 'CustomerTyping' && event.Data.ChatID === chat.id,
    );
    if (agent !== undefined && unread !== true) {
      this.center.toAgent(agent, { EventType: 'CustomerTyping', Data: { ChatID: chat.id } });
    }
  }

  /**
   * The long-poll. Without AfterSeq the events returned leave the queue; with it, they stay until a
   * later call acknowledges them, so a response lost on the way loses nothing. `stillWanted` says
   * whether the caller is still connected: events are not handed to a caller that has gone.
   */
  async getEvents(request: GetEventsRequest, stillWanted: () => boolean): Promise<ChatEvent[]> {
    const chat = this.center.chat(request.ChatID);
    const acknowledging = request.AfterSeq != null;
    this.beginReading(chat, request.AfterSeq);
    await chat.customerEvents.wait(this.holdFor(request.Timeout));
    if (chat.customerEvents.size === 0 && chat.isTerminated) throw chatEnded();
    if (!stillWanted()) return [];
    return acknowledging ? chat.customerEvents.pending() : chat.customerEvents.take();
  }

  /**
   * Extension: getEvents with AfterSeq for many chats in one long-poll, answered as soon as any of
   * them has events or a fault, listing only those. A chat the service does not know is such a
   * fault, so it answers at once.
   */
  async getEventsBatch(
    request: GetEventsBatchRequest,
    stillWanted: () => boolean,
  ): Promise<GetEventsBatchEntry[]> {
    const answered: GetEventsBatchEntry[] = [];
    const chats: Chat[] = [];
    for (const { ChatID, AfterSeq } of request.Chats) {
      let chat: Chat;
      try {
        chat = this.center.chat(ChatID);
      } catch (error) {
        if (!(error instanceof ServiceFault)) throw error;
        answered.push({ ChatID, Fault: error.toBody().Fault });
        continue;
      }
      this.beginReading(chat, AfterSeq);
      chats.push(chat);
    }
    if (answered.length === 0) {
      const queues = chats.map((chat) => chat.customerEvents);
      await EventQueue.waitForAny(queues, this.holdFor(request.Timeout), this.center.time);
    }
    if (!stillWanted()) return [];
    for (const chat of chats) {
      if (chat.customerEvents.size > 0) {
        answered.push({ ChatID: chat.id, Events: chat.customerEvents.pending() });
      } else if (chat.isTerminated) {
        answered.push({ ChatID: chat.id, Fault: chatEnded().toBody().Fault });
      }
    }
    return answered;
  }

  chatInfo(chatId: string): GetChatInfoResponse {
    const chat = this.center.chat(chatId);
    const position =
      chat.state === ChatState.Queued ? this.center.groupOf(chat).positionOf(chat) : 0;
    return { State: chat.state, QueuePosition: position };
  }

  queueInfo(request: GetQueueInfoRequest): GetQueueInfoResponse {
    const group = this.center.findGroup(request.ServiceGroupID, request.ServiceGroupName);
    const tenantId = request.TenantID ?? -1;
    if (tenantId !== group.config.TenantID) {
      throw new ServiceFault(
        'TenantMismatch',
        `Service group ${group.id} does not belong to tenant ${tenantId}.`,
      );
    }
    const open = this.center.isOpen(group);
    return {
      Open: open,
      EstimatedWaitTime: open ? this.center.estimateWait(group, group.queue.length + 1) : -1,
      ServiceGroupID: group.id,
      ClosedMessage: open ? null : group.config.ClosedMessage || null,
    };
  }

  configuration(): GetChatConfigurationResponse {
    const config = this.center.config;
    return {
      MaxMessageLength: config.MaxMessageLength,
      MaxAttachmentSize: config.MaxAttachmentSize * 1024,
      AllowedAttachmentTypes: [...config.AllowedAttachmentTypes],
      RestrictedAttachmentTypes: [...config.RestrictedAttachmentTypes],
    };
  }

  /** Fails as SendMessage would for a chat that is unknown or has ended; a missing id passes. */
  requireLiveChat(chatId: string | undefined): void {
    if (chatId !== undefined) this.liveChat(chatId);
  }

  private liveChat(chatId: string): Chat {
    const chat = this.center.chat(chatId);
    if (chat.isTerminated) throw chatEnded();
    return chat;
  }

  /** What every long-poll of a chat does first. */
  private beginReading(chat: Chat, afterSeq: number | null | undefined): void {
    // While queued, polling is how a custom client shows it is still there.
    if (chat.state === ChatState.Queued) this.center.noteCustomerActivity(chat);
    if (afterSeq != null) chat.customerEvents.acknowledge(afterSeq);
  }

  private holdFor(timeout: number | null | undefined): number {
    return Math.min(timeout ?? 0, this.center.config.MaxEventsTimeoutMs);
  }
}
