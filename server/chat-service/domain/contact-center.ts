import { randomUUID } from 'node:crypto';
import type { TimerHandle, Time } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { ChatServiceConfig } from '../../config/chat-service-config';
import { ChatEventType, ChatState, TerminationCause } from '../../protocol/enums';
import { ServiceFault } from '../../protocol/faults';
import type { ChatEndedBy, OfferWithdrawnReason } from '../../protocol/agent-api';
import type { ChatArchive } from '../archive/chat-archive';
import { AgentRuntime } from './agent-runtime';
import { Chat, type CustomerDetails } from './chat';
import { toArchivedChat } from './chat-views';
import { GroupRuntime } from './group-runtime';
import { isOpenAt } from './opening-hours';
import { pickAgent } from './pick-agent';
import { estimateWaitSeconds } from './wait-time';

export interface ContactCenterOptions {
  config: ChatServiceConfig;
  time: Time;
  archive: ChatArchive;
  logger: Logger;
  /** Chat ids are the customer's credential: 122 random bits by default. */
  newChatId?: () => string;
}

/** How long an ended chat stays readable (its last events, GetChatInfo) before only the archive has it. */
const endedChatRetentionMs = 10 * 60_000;
/** How often opening hours are looked at, so a group closes on time. */
const openingHoursCheckMs = 15_000;

/**
 * The state of the whole service (chats, groups, agents) and every transition that touches more than
 * one of them: queueing, offering, assigning, ending, opening and closing. The customer and agent
 * desks call into it; it knows nothing of HTTP.
 */
export class ContactCenter {
  readonly chats = new Map<string, Chat>();
  readonly groups = new Map<number, GroupRuntime>();
  readonly agents = new Map<string, AgentRuntime>();
  readonly config: ChatServiceConfig;
  readonly time: Time;
  readonly archive: ChatArchive;
  readonly logger: Logger;
  private readonly newChatId: () => string;
  private readonly chatTimers = new Map<string, TimerHandle>();
  private openingHoursTimer: TimerHandle | undefined;
  private nextSessionId = 1;

  constructor(options: ContactCenterOptions) {
    this.config = options.config;
    this.time = options.time;
    this.archive = options.archive;
    this.logger = options.logger;
    this.newChatId = options.newChatId ?? randomUUID;
    for (const group of this.config.ServiceGroups) {
      this.groups.set(
        group.ServiceGroupID,
        new GroupRuntime(group, this.config.WaitTimeSampleSize),
      );
    }
    for (const agent of this.config.Agents) {
      this.agents.set(
        agent.AgentID.toLowerCase(),
        new AgentRuntime(agent, this.time, this.time.now()),
      );
    }
    this.scheduleOpeningHoursCheck();
  }

  chat(chatId: string): Chat {
    const chat = this.chats.get(chatId);
    if (chat === undefined) throw new ServiceFault('UnknownChat', 'No chat has that ChatID.');
    return chat;
  }

  group(groupId: number): GroupRuntime {
    const group = this.groups.get(groupId);
    if (group === undefined)
      throw new ServiceFault('UnknownServiceGroup', `No service group has the ID ${groupId}.`);
    return group;
  }

  groupOf(chat: Chat): GroupRuntime {
    return this.group(chat.groupId);
  }

  /** By ID when one other than 0 is given, else by name (the specification's "ID 0 and a name"). */
  findGroup(
    groupId: number | null | undefined,
    groupName: string | null | undefined,
  ): GroupRuntime {
    if (groupId != null && groupId !== 0) return this.group(groupId);
    if (groupName != null && groupName.trim() !== '') {
      const wanted = groupName.trim().toLowerCase();
      for (const group of this.groups.values()) {
        if (group.config.Name.toLowerCase() === wanted) return group;
      }
      throw new ServiceFault('UnknownServiceGroup', `No service group is named "${groupName}".`);
    }
    throw new ServiceFault('BadRequest', 'Give ServiceGroupID or ServiceGroupName.');
  }

  agentsOf(group: GroupRuntime): AgentRuntime[] {
    return [...this.agents.values()].filter((agent) => agent.belongsTo(group.id));
  }

  isOpen(group: GroupRuntime): boolean {
    if (!isOpenAt(group.config.OpeningHours, this.time.now())) return false;
    return (
      !group.config.ClosedWhenNoAgentsLoggedIn ||
      this.agentsOf(group).some((agent) => agent.loggedIn)
    );
  }

  /** Estimated wait for the customer at a 1-based position in the group's queue. */
  estimateWait(group: GroupRuntime, position: number): number {
    let totalSlots = 0;
    let freeSlots = 0;
    for (const agent of this.agentsOf(group)) {
      if (!agent.loggedIn || !agent.ready) continue;
      totalSlots += agent.config.MaxConcurrentChats;
      freeSlots += Math.max(0, agent.config.MaxConcurrentChats - agent.activeChats.size);
    }
    return estimateWaitSeconds({
      position,
      totalSlots,
      freeSlots,
      averageHandlingSeconds: group.handlingTimes.average(),
    });
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
    this.armIdleTimer(chat);
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
    this.cancelChatTimer(chat);
    this.chatTimers.set(
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
    const offer = chat.offer;
    if (offer === null) return;
    offer.cancel();
    chat.offer = null;
    const agent = this.agents.get(offer.agentId.toLowerCase());
    agent?.offeredChats.delete(chat.id);
    if (reason !== undefined)
      agent?.events.push({
        EventType: 'ChatOfferWithdrawn',
        Data: { ChatID: chat.id, Reason: reason },
      });
  }

  /** Stops every timer and wakes every waiting reader: nothing is left running. */
  stop(): void {
    if (this.openingHoursTimer !== undefined) this.time.clearTimeout(this.openingHoursTimer);
    this.openingHoursTimer = undefined;
    for (const chat of this.chats.values()) {
      chat.offer?.cancel();
      chat.customerEvents.close();
    }
    for (const handle of this.chatTimers.values()) this.time.clearTimeout(handle);
    this.chatTimers.clear();
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
      if (agent !== undefined) this.offer(chat, agent, group);
    }
  }

  private offer(chat: Chat, agent: AgentRuntime, group: GroupRuntime): void {
    const timeoutMs = group.config.OfferTimeoutSeconds * 1000;
    const expiresAt = this.time.now() + timeoutMs;
    const timer = this.time.setTimeout(() => this.offerLapsed(chat, agent), timeoutMs);
    chat.offer = { agentId: agent.id, expiresAt, cancel: () => this.time.clearTimeout(timer) };
    agent.offeredChats.add(chat.id);
    agent.events.push({
      EventType: 'ChatOffered',
      Data: {
        ChatID: chat.id,
        ServiceGroupID: group.id,
        ServiceGroupName: group.config.Name,
        CustomerName: chat.customer.name,
        InitialMessage: chat.customer.initialMessage,
        ExpiresAt: new Date(expiresAt).toISOString(),
        Transferred: chat.agentIds.length > 0,
      },
    });
    this.logger.info({ chatId: chat.id, agentId: agent.id }, 'chat offered');
  }

  private offerLapsed(chat: Chat, agent: AgentRuntime): void {
    this.clearOffer(chat, 'Timeout');
    chat.passedOver.add(agent.id);
    if (chat.reservedFor === agent.id) chat.reservedFor = null;
    this.logger.info({ chatId: chat.id, agentId: agent.id }, 'offer lapsed');
    this.queueChanged(this.groupOf(chat));
  }

  private closeQueue(group: GroupRuntime): void {
    for (const chat of [...group.queue])
      this.endChat(chat, TerminationCause.GroupClosed, 'GroupClosed');
  }

  /**
   * The server-side idle timeout. Rather than re-arming on every customer action, the timer fires at
   * the earliest possible deadline and, if the customer was active since, sleeps for the rest.
   */
  private armIdleTimer(chat: Chat): void {
    const timeoutMs = this.config.CustomerTimeout * 1000;
    const due = chat.lastCustomerActivityAt + timeoutMs - this.time.now();
    this.chatTimers.set(
      chat.id,
      this.time.setTimeout(() => {
        if (chat.isTerminated) return;
        if (this.time.now() - chat.lastCustomerActivityAt >= timeoutMs) {
          this.endChat(chat, TerminationCause.General, 'IdleTimeout');
        } else {
          this.armIdleTimer(chat);
        }
      }, due),
    );
  }

  private cancelChatTimer(chat: Chat): void {
    const handle = this.chatTimers.get(chat.id);
    if (handle !== undefined) this.time.clearTimeout(handle);
    this.chatTimers.delete(chat.id);
  }

  private forget(chat: Chat): void {
    this.chatTimers.delete(chat.id);
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
