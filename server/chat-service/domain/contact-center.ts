import { randomUUID } from 'node:crypto';
import type { TimerHandle, Time } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { ChatServiceConfig } from '../../config/chat-service-config';
import type { AgentLeftReason, ChatEvent } from '../../protocol/customer-api';
import { ChatEventType, TerminationCause } from '../../protocol/enums';
import type { AgentEvent, ChatEndedBy, OfferWithdrawnReason } from '../../protocol/agent-api';
import type { Unnumbered } from '../../protocol/numbered';
import type { ChatArchive } from '../archive/chat-archive';
import type { EventStream, LiveStateImage, LiveStateWriter } from '../live-state/live-state-store';
import type { AgentRuntime } from './agent-runtime';
import { Chat, type CustomerDetails, type CustomerEvent, type TranscriptEntry } from './chat';
import { toArchivedChat } from './chat-views';
import { EventQueue } from './event-queue';
import type { GroupRuntime } from './group-runtime';
import { pickAgent } from './pick-agent';
import { Roster } from './roster';
import { watchIdle, type IdleWatch } from './idle-watch';
import { OfferBook } from './offer-book';
import { PresenceWatch } from './presence-watch';
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

/**
 * How long an ended chat stays readable (its last events, GetChatInfo) before only the archive has
 * it; also its post-chat window, in which the customer may rate it.
 */
export const endedChatRetentionMs = 10 * 60_000;
/** Least time between two writes of a chat's last customer activity. */
const activityWriteIntervalMs = 5_000;
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
  private readonly retentionTimers = new Map<string, TimerHandle>();
  private readonly idleWatches = new Map<string, IdleWatch>();
  private readonly activityWrittenAt = new Map<string, number>();
  private readonly offers: OfferBook;
  private readonly offerObserver: OfferObserver | undefined;
  private openingHoursTimer: TimerHandle | undefined;
  private readonly presence: PresenceWatch;
  private nextSessionId = 1;

  constructor(options: ContactCenterOptions) {
    const { liveState, time } = options;
    super(options.config, time, (agentId, restored) =>
      ContactCenter.eventQueue<AgentEvent>(liveState, time, `agent:${agentId}`, restored),
    );
    this.archive = options.archive;
    this.logger = options.logger;
    this.liveState = liveState;
    this.newChatId = options.newChatId ?? randomUUID;
    this.offers = new OfferBook(time, (chat, agent) => this.offerLapsed(chat, agent));
    this.offerObserver = options.offerObserver;
    this.scheduleOpeningHoursCheck();
    this.presence = new PresenceWatch(this);
  }

  /** Takes back what was committed before a restart, then offers the waiting chats again. */
  restore(image: LiveStateImage): void {
    const now = this.time.now();
    const next = image.meta.get('nextSessionId');
    if (typeof next === 'number') this.nextSessionId = next;
    for (const group of this.groups.values()) {
      const samples = image.meta.get(`handlingTimes:${group.id}`);
      if (Array.isArray(samples)) group.handlingTimes.restore(samples.map(Number));
    }
    for (const { snapshot, events } of image.agents) {
      const readSeq = image.readSeqs.get(`agent:${snapshot.id}`) ?? 0;
      this.agents.get(snapshot.id.toLowerCase())?.restore(
        { ...snapshot, lastSeq: Math.max(snapshot.lastSeq, readSeq) },
        events.map((stored) => stored.event as AgentEvent),
        now,
      );
    }
    for (const stored of image.chats) {
      const transcript: TranscriptEntry[] = stored.entries.map(({ attachmentData, ...entry }) => ({
        ...entry,
        attachment:
          entry.attachment === null || attachmentData === null
            ? null
            : { ...entry.attachment, data: attachmentData },
      }));
      const queue = ContactCenter.eventQueue<ChatEvent>(
        this.liveState,
        this.time,
        `chat:${stored.snapshot.id}`,
        {
          events: stored.events.map((event) => event.event as ChatEvent),
          lastSeq: Math.max(
            stored.snapshot.lastSeq,
            image.readSeqs.get(`chat:${stored.snapshot.id}`) ?? 0,
          ),
        },
      );
      const chat = Chat.restore(stored.snapshot, transcript, stored.messageIds, queue);
      if (!this.groups.has(chat.groupId)) {
        // The config no longer has its group: the customer's next poll finds no chat.
        this.logger.warn(
          { chatId: chat.id, serviceGroupId: chat.groupId },
          'chat of a removed group dropped',
        );
        this.liveState.dropChat(chat.id);
        continue;
      }
      this.liveChats.set(chat.id, chat);
      if (chat.isTerminated) {
        queue.close();
        this.keepEnded(chat, Math.max(0, (chat.endedAt ?? now) + endedChatRetentionMs - now));
        continue;
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
      ContactCenter.eventQueue<ChatEvent>(this.liveState, this.time, `chat:${id}`),
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
    const { attachment, ...rest } = entry;
    this.liveState.appendEntry(chat.id, position, {
      ...rest,
      attachment: attachment === null ? null : { id: attachment.id, fileName: attachment.fileName },
      attachmentData: attachment?.data ?? null,
    });
    if (clientMessageId != null) this.liveState.rememberMessageId(chat.id, clientMessageId);
  }

  /**
   * Written at most every activityWriteIntervalMs per chat: after a restart the idle timeout may
   * come that much early, which is cheaper than a write for every message and keystroke.
   */
  noteCustomerActivity(chat: Chat): void {
    const now = this.time.now();
    chat.noteCustomerActivity(now);
    if (now - (this.activityWrittenAt.get(chat.id) ?? -Infinity) < activityWriteIntervalMs) return;
    this.activityWrittenAt.set(chat.id, now);
    this.liveState.putChat(chat);
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
    this.withdrawOffer(chat);
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
    this.withdrawOffer(chat, 'ChatEnded');
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
    this.idleWatches.get(chat.id)?.cancel();
    this.idleWatches.delete(chat.id);
    this.keepEnded(chat, endedChatRetentionMs);
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

  /**
   * Takes back the chat's pending offer. With a reason the agent is told it is gone; with
   * `passOver` the agent is skipped for this chat until the others had their turn.
   */
  withdrawOffer(chat: Chat, reason?: OfferWithdrawnReason, passOver = false): void {
    const agentId = chat.withdrawOffer(passOver);
    if (agentId === null) return;
    this.offers.cancel(chat.id);
    this.liveState.putChat(chat);
    const agent = this.agents.get(agentId.toLowerCase());
    if (agent === undefined) return;
    agent.offerEnded(chat.id);
    if (reason !== undefined) {
      this.toAgent(agent, {
        EventType: 'ChatOfferWithdrawn',
        Data: { ChatID: chat.id, Reason: reason },
      });
    }
  }

  /** Stops every timer and wakes every waiting reader: nothing is left running. */
  stop(): void {
    if (this.openingHoursTimer !== undefined) this.time.clearTimeout(this.openingHoursTimer);
    this.openingHoursTimer = undefined;
    this.presence.stop();
    this.offers.stop();
    for (const chat of this.liveChats.values()) chat.customerEvents.close();
    for (const handle of this.retentionTimers.values()) this.time.clearTimeout(handle);
    this.retentionTimers.clear();
    for (const watch of this.idleWatches.values()) watch.cancel();
    this.idleWatches.clear();
    for (const agent of this.agents.values()) agent.events.close();
  }

  private static eventQueue<E extends { Seq: number }>(
    liveState: LiveStateWriter,
    time: Time,
    stream: EventStream,
    restored?: { events: readonly E[]; lastSeq: number },
  ): EventQueue<E> {
    return new EventQueue<E>(
      time,
      {
        pushed: (event) => liveState.pushEvent(stream, { seq: event.Seq, event }),
        dropped: (upToSeq) => liveState.dropEvents(stream, upToSeq),
      },
      restored,
    );
  }

  private offerWaitingChats(group: GroupRuntime): void {
    for (const chat of group.queue) {
      if (chat.offer !== null) continue;
      const picked = pickAgent(chat, this.agentsOf(group), this.agents, {
        canTake: (agent) => this.canTakeChat(agent),
        isPresent: (agent) => this.isPresent(agent),
      });
      if (picked === undefined) continue;
      if (picked.startNewRound) chat.forgetPassedOver();
      this.makeOffer(chat, picked.agent, group);
      this.offerObserver?.offerMade(group.id);
    }
  }

  private makeOffer(chat: Chat, agent: AgentRuntime, group: GroupRuntime): void {
    const timeoutMs = group.config.OfferTimeoutSeconds * 1000;
    const expiresAt = this.time.now() + timeoutMs;
    chat.offerTo(agent.id, expiresAt);
    this.liveState.putChat(chat);
    agent.offerMade(chat.id);
    this.offers.arm(chat, agent, timeoutMs);
    this.toAgent(agent, {
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
    chat.lapseOffer(agent.id);
    this.liveState.putChat(chat);
    agent.offerEnded(chat.id);
    this.toAgent(agent, {
      EventType: 'ChatOfferWithdrawn',
      Data: { ChatID: chat.id, Reason: 'Timeout' },
    });
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

  private watchIdleness(chat: Chat): void {
    this.idleWatches.set(
      chat.id,
      watchIdle(
        this.time,
        this.config.CustomerTimeout * 1000,
        () => chat.lastCustomerActivityAt,
        () => this.endChat(chat, TerminationCause.General, 'IdleTimeout'),
      ),
    );
  }

  private keepEnded(chat: Chat, forMs: number): void {
    this.retentionTimers.set(
      chat.id,
      this.time.setTimeout(() => {
        this.retentionTimers.delete(chat.id);
        this.activityWrittenAt.delete(chat.id);
        this.liveChats.delete(chat.id);
        this.liveState.dropChat(chat.id);
      }, forMs),
    );
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
