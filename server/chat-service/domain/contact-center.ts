import { randomUUID } from 'node:crypto';
import type { TimerHandle, Time } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { ChatServiceConfig } from '../../config/chat-service-config';
import { ChatEventType, ChatState, TerminationCause } from '../../protocol/enums';
import type { ChatEndedBy, OfferWithdrawnReason } from '../../protocol/agent-api';
import type { ChatArchive } from '../archive/chat-archive';
import type { AgentRuntime } from './agent-runtime';
import { Chat, type CustomerDetails } from './chat';
import { toArchivedChat } from './chat-views';
import type { GroupRuntime } from './group-runtime';
import { pickAgent } from './pick-agent';
import { Roster } from './roster';
import { watchIdle, type IdleWatch } from './idle-watch';
import { OfferBook } from './offer-book';
import type { OfferObserver } from '../metrics/offer-observer';

export interface ContactCenterOptions {
  config: ChatServiceConfig;
  time: Time;
  archive: ChatArchive;
  logger: Logger;
  /** Chat ids are the customer's credential: 122 random bits by default. */
  newChatId?: () => string;
  /** Told of offers made and lapsed (the metrics). */
  offerObserver?: OfferObserver;
}

/** How long an ended chat stays readable (its last events, GetChatInfo) before only the archive has it. */
const endedChatRetentionMs = 10 * 60_000;
/** How often opening hours are looked at, so a group closes on time. */
const openingHoursCheckMs = 15_000;

/**
 * Every transition of the service's state that touches more than one chat, group or agent: queueing, offering, assigning, ending, opening and closing. The customer and agent
 * desks call into it; it knows nothing of HTTP.
 */
export class ContactCenter extends Roster {
  readonly archive: ChatArchive;
  readonly logger: Logger;
  private readonly newChatId: () => string;
  private readonly retentionTimers = new Map<string, TimerHandle>();
  private readonly idleWatches = new Map<string, IdleWatch>();
  private readonly offers: OfferBook;
  private readonly offerObserver: OfferObserver | undefined;
  private openingHoursTimer: TimerHandle | undefined;
  private nextSessionId = 1;

  constructor(options: ContactCenterOptions) {
    super(options.config, options.time);
    this.archive = options.archive;
    this.logger = options.logger;
    this.newChatId = options.newChatId ?? randomUUID;
    this.offerObserver = options.offerObserver;
    this.offers = new OfferBook({
      time: this.time,
      logger: this.logger,
      agents: this.agents,
      onLapsed: (chat, agent) => this.offerLapsed(chat, agent),
    });
    this.scheduleOpeningHoursCheck();
  }

  openChat(group: GroupRuntime, tenantId: number, customer: CustomerDetails): Chat {
    const now = this.time.now();
    const chat = new Chat(
      this.newChatId(),
      this.nextSessionId++,
      tenantId,
      group.id,
      customer,
      now,
      this.time,
    );
    this.chats.set(chat.id, chat);
    if (customer.initialMessage !== '') {
      chat.transcript.push({
        at: now,
        from: 'Customer',
        name: customer.name,
        message: customer.initialMessage,
        attachment: null,
        agentOnly: false,
      });
    }
    group.enqueue(chat);
    this.idleWatches.set(
      chat.id,
      watchIdle(
        this.time,
        this.config.CustomerTimeout * 1000,
        () => chat.lastCustomerActivityAt,
        () => this.endChat(chat, TerminationCause.General, 'IdleTimeout'),
      ),
    );
    this.logger.info({ chatId: chat.id, serviceGroupId: group.id }, 'chat requested');
    this.queueChanged(group);
    return chat;
  }

  /** Puts a chat back in a queue (a transfer, or its agent logged out) and finds it an agent. */
  requeue(chat: Chat, group: GroupRuntime): void {
    chat.state = ChatState.Queued;
    chat.groupId = group.id;
    chat.lastQueueNotice = null;
    group.enqueue(chat);
    this.queueChanged(group);
  }

  assign(chat: Chat, agent: AgentRuntime): void {
    const now = this.time.now();
    const group = this.groupOf(chat);
    this.clearOffer(chat);
    group.remove(chat);
    chat.state = ChatState.Handling;
    chat.agentId = agent.id;
    if (!chat.agentIds.includes(agent.id)) chat.agentIds.push(agent.id);
    chat.answeredAt ??= now;
    chat.assignedAt = now;
    chat.passedOver.clear();
    chat.reservedFor = null;
    chat.lastQueueNotice = null;
    chat.lastCustomerActivityAt = now;
    agent.activeChats.add(chat.id);
    chat.customerEvents.push({
      EventType: ChatEventType.AgentJoined,
      Data: { ChatID: chat.id, Name: agent.chatName },
    });
    chat.customerEvents.push({
      EventType: ChatEventType.ChatState,
      Data: this.stateData(chat, 0, 0),
    });
    agent.events.push({ EventType: 'ChatAssigned', Data: { ChatID: chat.id } });
    this.logger.info({ chatId: chat.id, agentId: agent.id }, 'chat assigned');
    this.queueChanged(group);
  }

  /** Takes the chat away from its agent, recording the handling time for the wait estimate. */
  release(chat: Chat): AgentRuntime | undefined {
    if (chat.agentId === null) return undefined;
    const agent = this.agents.get(chat.agentId.toLowerCase());
    const now = this.time.now();
    if (chat.assignedAt !== null)
      this.groupOf(chat).handlingTimes.add((now - chat.assignedAt) / 1000);
    chat.agentId = null;
    chat.assignedAt = null;
    if (agent !== undefined) {
      agent.activeChats.delete(chat.id);
      agent.idleSince = now;
    }
    return agent;
  }

  endChat(chat: Chat, cause: TerminationCause, endedBy: ChatEndedBy): void {
    if (chat.isTerminated) return;
    const group = this.groupOf(chat);
    const wasQueued = group.remove(chat);
    this.clearOffer(chat, 'ChatEnded');
    const agent = this.release(chat);
    chat.state = ChatState.Terminated;
    chat.endedAt = this.time.now();
    chat.terminationCause = cause;
    chat.endedBy = endedBy;
    chat.customerEvents.push({
      EventType: ChatEventType.ChatState,
      Data: this.stateData(chat, 0, -1),
    });
    chat.customerEvents.close();
    agent?.events.push({
      EventType: 'ChatState',
      Data: { ChatID: chat.id, State: chat.state, TerminationCause: cause, EndedBy: endedBy },
    });
    this.cancelTimers(chat);
    this.retentionTimers.set(
      chat.id,
      this.time.setTimeout(() => this.forget(chat), endedChatRetentionMs),
    );
    this.archive.save(toArchivedChat(chat, group.config.Name, this.config.FromPriority));
    this.logger.info({ chatId: chat.id, cause, endedBy }, 'chat ended');
    if (wasQueued) this.queueChanged(group);
    if (agent !== undefined) this.agentChanged(agent);
  }

  /** After any change of a group's queue or staffing: tell waiting customers, then offer chats. */
  queueChanged(group: GroupRuntime): void {
    this.offerWaitingChats(group);
    group.queue.forEach((chat, index) => {
      const position = index + 1;
      const estimate = this.estimateWait(group, position);
      const last = chat.lastQueueNotice;
      if (last !== null && last.position === position && last.estimate === estimate) return;
      chat.lastQueueNotice = { position, estimate };
      chat.customerEvents.push({
        EventType: ChatEventType.ChatState,
        Data: this.stateData(chat, position, estimate),
      });
    });
  }

  /** After an agent logs in or out, turns ready or not, or frees a slot. */
  agentChanged(agent: AgentRuntime): void {
    for (const groupId of agent.config.ServiceGroupIDs) {
      const group = this.group(groupId);
      if (!this.isOpen(group)) this.closeQueue(group);
      else this.queueChanged(group);
    }
    for (const group of this.groups.values()) {
      if (group.queue.some((chat) => chat.reservedFor === agent.id)) this.queueChanged(group);
    }
  }

  clearOffer(chat: Chat, reason?: OfferWithdrawnReason): void {
    this.offers.withdraw(chat, reason);
  }

  /** Stops every timer and wakes every waiting reader: nothing is left running. */
  stop(): void {
    if (this.openingHoursTimer !== undefined) this.time.clearTimeout(this.openingHoursTimer);
    this.openingHoursTimer = undefined;
    for (const chat of this.chats.values()) {
      chat.offer?.cancel();
      chat.customerEvents.close();
    }
    for (const handle of this.retentionTimers.values()) this.time.clearTimeout(handle);
    this.retentionTimers.clear();
    for (const watch of this.idleWatches.values()) watch.cancel();
    this.idleWatches.clear();
    for (const agent of this.agents.values()) agent.events.close();
  }

  private stateData(chat: Chat, position: number, estimate: number) {
    return {
      ChatID: chat.id,
      State: chat.state,
      QueuePosition: position,
      EstimatedWaitTime: estimate,
      TerminationCause: chat.terminationCause ?? TerminationCause.General,
    };
  }

  private offerWaitingChats(group: GroupRuntime): void {
    for (const chat of group.queue) {
      if (chat.offer !== null) continue;
      const agent = pickAgent(chat, this.agentsOf(group), this.agents);
      if (agent === undefined) continue;
      this.offers.offer(chat, agent, group);
      this.offerObserver?.offerMade(group.id);
    }
  }

  private offerLapsed(chat: Chat, agent: AgentRuntime): void {
    chat.passedOver.add(agent.id);
    if (chat.reservedFor === agent.id) chat.reservedFor = null;
    this.logger.info({ chatId: chat.id, agentId: agent.id }, 'offer lapsed');
    this.offerObserver?.offerLapsed(chat.groupId);
    this.queueChanged(this.groupOf(chat));
  }

  private closeQueue(group: GroupRuntime): void {
    // Empty the queue first, so the chats still waiting are not told of new positions as it closes.
    const waiting = [...group.queue];
    for (const chat of waiting) group.remove(chat);
    for (const chat of waiting) this.endChat(chat, TerminationCause.GroupClosed, 'GroupClosed');
  }

  private cancelTimers(chat: Chat): void {
    this.idleWatches.get(chat.id)?.cancel();
    this.idleWatches.delete(chat.id);
  }

  private forget(chat: Chat): void {
    this.retentionTimers.delete(chat.id);
    this.chats.delete(chat.id);
  }

  private scheduleOpeningHoursCheck(): void {
    this.openingHoursTimer = this.time.setTimeout(() => {
      for (const group of this.groups.values()) {
        if (group.queue.length > 0 && !this.isOpen(group)) this.closeQueue(group);
      }
      this.scheduleOpeningHoursCheck();
    }, openingHoursCheckMs);
  }
}
