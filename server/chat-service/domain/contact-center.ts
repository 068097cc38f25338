import { randomUUID } from 'node:crypto';
import type { TimerHandle, Time } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { ChatServiceConfig } from '../../config/chat-service-config';
import type { AgentLeftReason, ChatEvent } from '../../protocol/customer-api';
import { ChatEventType, TerminationCause } from '../../protocol/enums';
import type { AgentEvent, ChatEndedBy, OfferWithdrawnReason } from '../../protocol/agent-api';
import type { Unnumbered } from '../../protocol/numbered';
import type { ChatArchive } from '../archive/chat-archive';
import type { LiveStateImage, LiveStateWriter } from '../live-state/live-state-store';
import type { AgentRuntime } from './agent-runtime';
import { Chat, type CustomerDetails, type CustomerEvent, type TranscriptEntry } from './chat';
import { toArchivedChat } from './chat-views';
import type { GroupRuntime } from './group-runtime';
import { journaledQueue } from './journaled-queue';
import { Roster } from './roster';
import { ChatTimers, endedChatRetentionMs } from './chat-timers';
import { OfferDesk } from './offer-desk';
import { PresenceWatch } from './presence-watch';
import { restoreChat, restoreRoster } from './restore-center';
import type { OfferObserver } from '../metrics/offer-observer';

export interface ContactCenterOptions {
  config: ChatServiceConfig;
  time: Time;
  archive: ChatArchive;
  /** Where every change goes before its caller is answered. */
  liveState: LiveStateWriter;
  logger: Logger;
  /** Chat ids are the customer's credential: 122 random bits by default. */
  newChatId?: () => string;
  /** Told of offers made and lapsed (the metrics). */
  offerObserver?: OfferObserver;
}

/** How often opening hours are looked at, so a group closes on time. */
const openingHoursCheckMs = 15_000;

/**
 * The one place that applies transitions: it asks chats and agents to change, delivers the events
 * they return to the customers' and agents' event streams, keeps the timers (offers, idleness,
 * opening hours, presence) and reports every change to the live state. It knows nothing of HTTP.
 */
export class ContactCenter extends Roster {
  readonly archive: ChatArchive;
  readonly logger: Logger;
  private readonly liveState: LiveStateWriter;
  private readonly newChatId: () => string;
  private readonly timers: ChatTimers;
  private readonly offers: OfferDesk;
  private openingHoursTimer: TimerHandle | undefined;
  private readonly presence: PresenceWatch;
  private nextSessionId = 1;

  constructor(options: ContactCenterOptions) {
    const { liveState, time } = options;
    super(options.config, time, (agentId, restored) =>
      journaledQueue<AgentEvent>(liveState, time, `agent:${agentId}`, restored),
    );
    this.archive = options.archive;
    this.logger = options.logger;
    this.liveState = liveState;
    this.newChatId = options.newChatId ?? randomUUID;
    this.timers = new ChatTimers(time, options.config.CustomerTimeout * 1000);
    this.offers = new OfferDesk({
      roster: this,
      time,
      liveState,
      logger: options.logger,
      observer: options.offerObserver,
      onLapsed: (group) => this.queueChanged(group),
    });
    this.scheduleOpeningHoursCheck();
    this.presence = new PresenceWatch(this);
  }

  /** Takes back what was committed before a restart, then offers the waiting chats again. */
  restore(image: LiveStateImage): void {
    const next = image.meta.get('nextSessionId');
    if (typeof next === 'number') this.nextSessionId = next;
    restoreRoster(this, image, this.time.now());
    for (const stored of image.chats) {
      this.adoptRestored(
        restoreChat(image, stored, (stream, restored) =>
          journaledQueue(this.liveState, this.time, stream, restored),
        ),
      );
    }
    this.logger.info({ chats: image.chats.length }, 'live state restored');
    for (const group of this.groups.values()) this.queueChanged(group);
  }

  openChat(group: GroupRuntime, tenantId: number, customer: CustomerDetails): Chat {
    const now = this.time.now();
    const id = this.newChatId();
    const chat = new Chat(
      id,
      this.nextSessionId++,
      tenantId,
      group.id,
      customer,
      now,
      journaledQueue<ChatEvent>(this.liveState, this.time, `chat:${id}`),
    );
    this.liveState.putMeta('nextSessionId', this.nextSessionId);
    this.liveChats.set(chat.id, chat);
    if (customer.initialMessage !== '') {
      this.addEntry(chat, {
        at: now,
        from: 'Customer',
        name: customer.name,
        message: customer.initialMessage,
        attachment: null,
        agentOnly: false,
      });
    }
    this.liveState.putChat(chat);
    group.enqueue(chat);
    this.watchIdleness(chat);
    this.logger.info({ chatId: chat.id, serviceGroupId: group.id }, 'chat requested');
    this.queueChanged(group);
    return chat;
  }

  /** A message or notice joins the chat's transcript (and its attachment the live state). */
  addEntry(chat: Chat, entry: TranscriptEntry, clientMessageId?: string | null): void {
    const position = chat.addEntry(entry, clientMessageId);
    const { at, from, name, message, attachment, agentOnly } = entry;
    // Field by field rather than a rest spread: this runs for every message.
    this.liveState.appendEntry(
      chat.id,
      position,
      {
        at,
        from,
        name,
        message,
        attachment:
          attachment === null ? null : { id: attachment.id, fileName: attachment.fileName },
        agentOnly,
        attachmentData: attachment?.data ?? null,
      },
      clientMessageId ?? null,
    );
  }

  /** Written only now and then (ChatTimers.activityWriteDue), not for every message and keystroke. */
  noteCustomerActivity(chat: Chat): void {
    const now = this.time.now();
    chat.noteCustomerActivity(now);
    if (this.timers.activityWriteDue(chat.id, now)) this.liveState.putChat(chat);
  }

  /** The event streams keep their own Seq in the live state: no snapshot is written for them. */
  toCustomer(chat: Chat, events: readonly CustomerEvent[]): void {
    for (const event of events) chat.customerEvents.push(event);
  }

  toAgent(agent: AgentRuntime, event: Unnumbered<AgentEvent>): void {
    agent.events.push(event);
  }

  /** A log-in: the agent's event stream starts again at Seq 1, the old one's events are gone. */
  startAgentSession(agent: AgentRuntime): void {
    this.liveState.dropEvents(`agent:${agent.id}`, Infinity);
    agent.startSession(this.time.now());
    this.liveState.putAgent(agent);
  }

  /** Puts a chat back in a queue (a transfer, or its agent left) and finds it an agent. */
  requeue(
    chat: Chat,
    group: GroupRuntime,
    options: { reservedFor?: string | null; passOver?: string; atFront?: boolean } = {},
  ): void {
    chat.requeue(group.id, options);
    this.liveState.putChat(chat);
    group.enqueue(chat);
    this.queueChanged(group);
  }

  assign(chat: Chat, agent: AgentRuntime): void {
    const group = this.groupOf(chat);
    this.offers.withdraw(chat);
    group.remove(chat);
    this.toCustomer(chat, chat.assign(agent.id, agent.chatName, this.time.now()));
    this.liveState.putChat(chat);
    agent.chatTaken(chat.id);
    this.toAgent(agent, { EventType: 'ChatAssigned', Data: { ChatID: chat.id } });
    this.logger.info({ chatId: chat.id, agentId: agent.id }, 'chat assigned');
    this.queueChanged(group);
  }

  /** Takes the chat away from its agent, recording the handling time for the wait estimate. */
  release(chat: Chat): AgentRuntime | undefined {
    const now = this.time.now();
    const released = chat.release(now);
    if (released === null) return undefined;
    this.liveState.putChat(chat);
    const group = this.groupOf(chat);
    if (released.handledSeconds !== null) {
      group.handlingTimes.add(released.handledSeconds);
      this.liveState.putMeta(`handlingTimes:${group.id}`, group.handlingTimes.list());
    }
    const agent = this.agents.get(released.agentId.toLowerCase());
    if (agent !== undefined) {
      agent.chatGone(chat.id, now);
      this.liveState.putAgent(agent);
    }
    return agent;
  }

  /**
   * The agent's chat goes back to the queue: the customer is told the agent left and why
   * (transferred, or handed on to the next free agent).
   */
  handBack(
    chat: Chat,
    agent: AgentRuntime,
    group: GroupRuntime,
    reason: AgentLeftReason,
    options: { reservedFor?: string | null; passOver?: string; atFront?: boolean } = {},
  ): void {
    this.toCustomer(chat, [
      {
        EventType: ChatEventType.AgentLeft,
        Data: { ChatID: chat.id, Name: agent.chatName, Reason: reason },
      },
    ]);
    this.release(chat);
    this.toAgent(agent, { EventType: 'ChatUnassigned', Data: { ChatID: chat.id } });
    this.requeue(chat, group, options);
  }

  endChat(chat: Chat, cause: TerminationCause, endedBy: ChatEndedBy): void {
    if (chat.isTerminated) return;
    const group = this.groupOf(chat);
    const wasQueued = group.remove(chat);
    this.offers.withdraw(chat, 'ChatEnded');
    const agent = this.release(chat);
    this.toCustomer(chat, chat.end(cause, endedBy, this.time.now()));
    this.liveState.putChat(chat);
    chat.customerEvents.close();
    if (agent !== undefined) {
      this.toAgent(agent, {
        EventType: 'ChatState',
        Data: { ChatID: chat.id, State: chat.state, TerminationCause: cause, EndedBy: endedBy },
      });
    }
    this.keepEnded(chat, endedChatRetentionMs);
    this.archive.save(toArchivedChat(chat, group.config.Name, this.config.FromPriority));
    this.logger.info({ chatId: chat.id, cause, endedBy }, 'chat ended');
    if (wasQueued) this.queueChanged(group);
    if (agent !== undefined) this.agentChanged(agent);
  }

  /** After any change of a group's queue or staffing: tell waiting customers, then offer chats. */
  queueChanged(group: GroupRuntime): void {
    this.offers.offerWaitingChats(group);
    const estimateWait = this.waitEstimates(group);
    group.queue.forEach((chat, index) => {
      const position = index + 1;
      const estimate = estimateWait(position);
      if (!chat.noteQueuePosition(position, estimate)) return;
      this.toCustomer(chat, [
        { EventType: ChatEventType.ChatState, Data: chat.stateData(position, estimate) },
      ]);
    });
  }

  /** After an agent logs in or out, turns ready or not, comes or goes, or frees a slot. */
  agentChanged(agent: AgentRuntime): void {
    this.liveState.putAgent(agent);
    for (const groupId of agent.config.ServiceGroupIDs) {
      const group = this.group(groupId);
      if (!this.isOpen(group)) this.closeQueue(group);
      else this.queueChanged(group);
    }
    for (const group of this.groups.values()) {
      if (group.queue.some((chat) => chat.reservedFor === agent.id)) this.queueChanged(group);
    }
  }

  /** Takes back the chat's pending offer (see OfferDesk.withdraw). */
  withdrawOffer(chat: Chat, reason?: OfferWithdrawnReason, passOver = false): void {
    this.offers.withdraw(chat, reason, passOver);
  }

  /** Stops every timer and wakes every waiting reader: nothing is left running. */
  stop(): void {
    if (this.openingHoursTimer !== undefined) this.time.clearTimeout(this.openingHoursTimer);
    this.openingHoursTimer = undefined;
    this.presence.stop();
    this.offers.stop();
    for (const chat of this.liveChats.values()) chat.customerEvents.close();
    this.timers.stop();
    for (const agent of this.agents.values()) agent.events.close();
  }

  /** A restored chat rejoins its queue or its agent, its timers re-armed from the stored times. */
  private adoptRestored(chat: Chat): void {
    const now = this.time.now();
    if (!this.groups.has(chat.groupId)) {
      // The config no longer has its group: the customer's next poll finds no chat.
      this.logger.warn(
        { chatId: chat.id, serviceGroupId: chat.groupId },
        'chat of a removed group dropped',
      );
      this.liveState.dropChat(chat.id);
      return;
    }
    this.liveChats.set(chat.id, chat);
    if (chat.isTerminated) {
      chat.customerEvents.close();
      this.keepEnded(chat, Math.max(0, (chat.endedAt ?? now) + endedChatRetentionMs - now));
      return;
    }
    if (chat.agentId !== null && this.agentOf(chat) === undefined) {
      // Its agent is no longer in the config: back to the head of the queue.
      chat.release(now);
      chat.requeue(chat.groupId, { atFront: true });
      this.liveState.putChat(chat);
    }
    this.agentOf(chat)?.chatTaken(chat.id);
    if (chat.agentId === null) this.groupOf(chat).enqueue(chat);
    this.watchIdleness(chat);
  }

  private closeQueue(group: GroupRuntime): void {
    // Empty the queue first, so the chats still waiting are not told of new positions as it closes.
    const waiting = [...group.queue];
    for (const chat of waiting) group.remove(chat);
    for (const chat of waiting) this.endChat(chat, TerminationCause.GroupClosed, 'GroupClosed');
  }

  private watchIdleness(chat: Chat): void {
    this.timers.watchIdleness(chat, () =>
      this.endChat(chat, TerminationCause.General, 'IdleTimeout'),
    );
  }

  private keepEnded(chat: Chat, forMs: number): void {
    this.timers.keepEnded(chat.id, forMs, () => {
      this.liveChats.delete(chat.id);
      this.liveState.dropChat(chat.id);
    });
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
