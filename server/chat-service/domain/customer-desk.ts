import { RateLimiter } from '../../shared/rate-limiter';
import { ChatState, TerminationCause } from '../../protocol/enums';
import { ServiceFault } from '../../protocol/faults';
import type {
  ChatEvent,
  GetChatConfigurationResponse,
  GetChatInfoResponse,
  GetEventsRequest,
  GetQueueInfoRequest,
  GetQueueInfoResponse,
  RequestChatRequest,
  RequestChatResponse,
  SendChatMessageRequest,
} from '../../protocol/customer-api';
import type { Chat } from './chat';
import type { ContactCenter } from './contact-center';
import { toTranscriptMessage } from './chat-views';
import { composeMessage } from './compose-message';

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

  requestChat(request: RequestChatRequest, clientAddress: string): RequestChatResponse {
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

  leaveChat(chatId: string): void {
    const chat = this.center.chat(chatId);
    this.center.endChat(chat, TerminationCause.General, 'Customer');
  }

  sendMessage(request: SendChatMessageRequest): void {
    const chat = this.liveChat(request.ChatID);
    const system = request.System === true;
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
    chat.rememberMessageId(request.ClientMessageID);
    const now = this.center.time.now();
    if (!system) chat.lastCustomerActivityAt = now;
    const entry = {
      at: now,
      from: system ? ('System' as const) : ('Customer' as const),
      name: system ? '' : chat.customer.name,
      message,
      attachment,
      agentOnly: system,
    };
    chat.transcript.push(entry);
    this.agentOf(chat)?.events.push({
      EventType: 'MessageReceived',
      Data: { ChatID: chat.id, ...toTranscriptMessage(entry) },
    });
  }

  sendTyping(chatId: string): void {
    const chat = this.liveChat(chatId);
    chat.lastCustomerActivityAt = this.center.time.now();
    const agent = this.agentOf(chat);
    // Typing is a hint, not history: one unread notice per chat is enough.
    const unread = agent?.events.hasPending(
      (event) => event.EventType === 'CustomerTyping' && event.Data.ChatID === chat.id,
    );
    if (agent !== undefined && unread !== true) {
      agent.events.push({ EventType: 'CustomerTyping', Data: { ChatID: chat.id } });
    }
  }

  /**
   * The long-poll. Without AfterSeq the events returned leave the queue; with it, they stay until a
   * later call acknowledges them, so a response lost on the way loses nothing. `stillWanted` says
   * whether the caller is still connected: events are not handed to a caller that has gone.
   */
  async getEvents(request: GetEventsRequest, stillWanted: () => boolean): Promise<ChatEvent[]> {
    const chat = this.center.chat(request.ChatID);
    // While queued, polling is how a custom client shows it is still there.
    if (chat.state === ChatState.Queued) chat.lastCustomerActivityAt = this.center.time.now();
    const acknowledging = request.AfterSeq != null;
    if (acknowledging) chat.customerEvents.acknowledge(request.AfterSeq ?? 0);
    const timeout = Math.min(request.Timeout ?? 0, this.center.config.MaxEventsTimeoutMs);
    await chat.customerEvents.wait(timeout);
    if (chat.customerEvents.size === 0 && chat.isTerminated) {
      throw new ServiceFault('ChatTerminated', 'The chat has ended.');
    }
    if (!stillWanted()) return [];
    return acknowledging ? chat.customerEvents.pending() : chat.customerEvents.take();
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

  private liveChat(chatId: string): Chat {
    const chat = this.center.chat(chatId);
    if (chat.isTerminated) throw new ServiceFault('ChatTerminated', 'The chat has ended.');
    return chat;
  }

  private agentOf(chat: Chat) {
    return chat.agentId === null ? undefined : this.center.agents.get(chat.agentId.toLowerCase());
  }
}
