import type { ChatEvent } from '../../protocol/customer-api';
import { ChatEventType, ChatState, TerminationCause } from '../../protocol/enums';
import type { ChatEndedBy, TranscriptSender } from '../../protocol/agent-api';
import type { Unnumbered } from '../../protocol/numbered';
import type { ChatSnapshot, CustomerDetails } from '../live-state/live-state-store';
import type { EventQueue } from './event-queue';

export type { CustomerDetails } from '../live-state/live-state-store';

export interface StoredAttachment {
  id: string;
  fileName: string;
  data: Buffer;
}

export interface TranscriptEntry {
  at: number;
  from: TranscriptSender;
  name: string;
  message: string;
  attachment: StoredAttachment | null;
  agentOnly: boolean;
}

/** The offer of a waiting chat to one agent, until it is accepted, lapses or is withdrawn. */
export interface PendingOffer {
  agentId: string;
  expiresAt: number;
}

export type CustomerEvent = Unnumbered<ChatEvent>;

/** How many ClientMessageIDs a chat remembers for de-duplicating retried sends. */
const rememberedMessageIds = 500;

/** A transition asked of a chat in a state that does not allow it: a bug of the caller. */
export class ChatTransitionError extends Error {
  override readonly name = 'ChatTransitionError';
}

/**
 * One customer's chat, from RequestChat to its end, and the only writer of its state. Each
 * transition checks that the chat is in a state that allows it and returns the events it causes
 * for the customer; the ContactCenter delivers them and stores the change.
 */
export class Chat {
  private stateValue: ChatState = ChatState.Queued;
  private groupIdValue: number;
  private agentIdValue: string | null = null;
  private readonly handledBy: string[] = [];
  private answeredAtValue: number | null = null;
  private assignedAtValue: number | null = null;
  private endedAtValue: number | null = null;
  private terminationCauseValue: TerminationCause | null = null;
  private endedByValue: ChatEndedBy | null = null;
  private lastCustomerActivity: number;
  private offerValue: PendingOffer | null = null;
  /** Agents that let an offer of this chat lapse, skipped until every candidate has had a turn. */
  private readonly passedOverAgents = new Set<string>();
  /** Set by a transfer to one agent: only that agent is offered the chat. */
  private reservedForValue: string | null = null;
  private atFrontValue = false;
  private lastQueueNotice: { position: number; estimate: number } | null = null;
  private readonly entries: TranscriptEntry[] = [];
  /** Remembered ClientMessageIDs, oldest first (a Set keeps insertion order). */
  private readonly seenMessageIds = new Set<string>();
  /**
   * @param customerEvents the customer's event stream; the ContactCenter pushes what transitions
   * return, the customer's long-polls read it
   */
  constructor(
    readonly id: string,
    readonly internalSessionId: number,
    readonly tenantId: number,
    groupId: number,
    readonly customer: CustomerDetails,
    readonly requestedAt: number,
    readonly customerEvents: EventQueue<ChatEvent>,
  ) {
    this.groupIdValue = groupId;
    this.lastCustomerActivity = requestedAt;
  }

  /** The chat as it was committed, with its transcript and remembered ClientMessageIDs. */
  static restore(
    snapshot: ChatSnapshot,
    transcript: readonly TranscriptEntry[],
    messageIds: readonly string[],
    customerEvents: EventQueue<ChatEvent>,
  ): Chat {
    const chat = new Chat(
      snapshot.id,
      snapshot.internalSessionId,
      snapshot.tenantId,
      snapshot.groupId,
      snapshot.customer,
      snapshot.requestedAt,
      customerEvents,
    );
    chat.stateValue = snapshot.state;
    chat.agentIdValue = snapshot.agentId;
    chat.handledBy.push(...snapshot.agentIds);
    chat.answeredAtValue = snapshot.answeredAt;
    chat.assignedAtValue = snapshot.assignedAt;
    chat.endedAtValue = snapshot.endedAt;
    chat.terminationCauseValue = snapshot.terminationCause;
    chat.endedByValue = snapshot.endedBy;
    chat.lastCustomerActivity = snapshot.lastCustomerActivityAt;
    for (const agentId of snapshot.passedOver) chat.passedOverAgents.add(agentId);
    chat.reservedForValue = snapshot.reservedFor;
    chat.atFrontValue = snapshot.atFront;
    chat.lastQueueNotice = snapshot.lastQueueNotice;
    chat.entries.push(...transcript);
    for (const messageId of messageIds) chat.seenMessageIds.add(messageId);
    return chat;
  }

  snapshot(): ChatSnapshot {
    return {
      id: this.id,
      internalSessionId: this.internalSessionId,
      tenantId: this.tenantId,
      groupId: this.groupIdValue,
      customer: this.customer,
      requestedAt: this.requestedAt,
      state: this.stateValue,
      agentId: this.agentIdValue,
      agentIds: [...this.handledBy],
      answeredAt: this.answeredAtValue,
      assignedAt: this.assignedAtValue,
      endedAt: this.endedAtValue,
      terminationCause: this.terminationCauseValue,
      endedBy: this.endedByValue,
      lastCustomerActivityAt: this.lastCustomerActivity,
      passedOver: [...this.passedOverAgents],
      reservedFor: this.reservedForValue,
      atFront: this.atFrontValue,
      lastQueueNotice: this.lastQueueNotice,
      lastSeq: this.customerEvents.lastSeq,
    };
  }

  get state(): ChatState {
    return this.stateValue;
  }
  get isTerminated(): boolean {
    return this.stateValue === ChatState.Terminated;
  }
  /** The group the chat is queued in or handled for; a transfer changes it. */
  get groupId(): number {
    return this.groupIdValue;
  }
  get agentId(): string | null {
    return this.agentIdValue;
  }
  /** Every agent that handled the chat, in order. */
  get agentIds(): readonly string[] {
    return this.handledBy;
  }
  get answeredAt(): number | null {
    return this.answeredAtValue;
  }
  get endedAt(): number | null {
    return this.endedAtValue;
  }
  get terminationCause(): TerminationCause | null {
    return this.terminationCauseValue;
  }
  get endedBy(): ChatEndedBy | null {
    return this.endedByValue;
  }
  get lastCustomerActivityAt(): number {
    return this.lastCustomerActivity;
  }
  get offer(): PendingOffer | null {
    return this.offerValue;
  }
  get reservedFor(): string | null {
    return this.reservedForValue;
  }
  get atFront(): boolean {
    return this.atFrontValue;
  }
  get transcript(): readonly TranscriptEntry[] {
    return this.entries;
  }

  hasPassedOver(agentId: string): boolean {
    return this.passedOverAgents.has(agentId);
  }

  /** True when a send with this ClientMessageID was already delivered: a retry to ignore. */
  hasSeenMessageId(clientMessageId: string | null | undefined): boolean {
    return clientMessageId != null && this.seenMessageIds.has(clientMessageId);
  }

  findAttachment(attachmentId: string): StoredAttachment | undefined {
    return (
      this.entries.find((entry) => entry.attachment?.id === attachmentId)?.attachment ?? undefined
    );
  }

  /** The id the next attachment of this chat gets. */
  nextAttachmentId(): string {
    return String(this.entries.length + 1);
  }

  /** A message or notice joins the transcript; returns its position. */
  addEntry(entry: TranscriptEntry, clientMessageId?: string | null): number {
    this.requireLive('add to the transcript of');
    if (clientMessageId != null) {
      this.seenMessageIds.add(clientMessageId);
      if (this.seenMessageIds.size > rememberedMessageIds) {
        const oldest = this.seenMessageIds.values().next().value;
        if (oldest !== undefined) this.seenMessageIds.delete(oldest);
      }
    }
    this.entries.push(entry);
    return this.entries.length - 1;
  }

  /** The customer wrote, typed, or (while queued) polled. */
  noteCustomerActivity(now: number): void {
    this.lastCustomerActivity = now;
  }

  /** Whether this position and estimate are news to the customer; they are remembered if so. */
  noteQueuePosition(position: number, estimate: number): boolean {
    const last = this.lastQueueNotice;
    if (last !== null && last.position === position && last.estimate === estimate) return false;
    this.lastQueueNotice = { position, estimate };
    return true;
  }

  offerTo(agentId: string, expiresAt: number): void {
    if (this.stateValue !== ChatState.Queued || this.offerValue !== null)
      throw new ChatTransitionError(`Chat ${this.id} cannot be offered now.`);
    this.offerValue = { agentId, expiresAt };
  }

  /** The agent let the offer run out: the others get their turn first. */
  lapseOffer(agentId: string): void {
    if (this.offerValue?.agentId !== agentId)
      throw new ChatTransitionError(`Chat ${this.id} is not offered to ${agentId}.`);
    this.offerValue = null;
    this.passedOverAgents.add(agentId);
    if (this.reservedForValue === agentId) this.reservedForValue = null;
  }

  /**
   * Takes back the pending offer, if any; returns the agent it was made to. An agent that turned
   * not ready or logged out is passed over, and loses a reservation.
   */
  withdrawOffer(passOver: boolean): string | null {
    const offer = this.offerValue;
    if (offer === null) return null;
    this.offerValue = null;
    if (passOver) {
      this.passedOverAgents.add(offer.agentId);
      this.reservedForValue = null;
    }
    return offer.agentId;
  }

  /** Every ready agent had a turn: start the round again. */
  forgetPassedOver(): void {
    this.passedOverAgents.clear();
  }

  assign(agentId: string, agentName: string, now: number): CustomerEvent[] {
    if (this.stateValue !== ChatState.Queued)
      throw new ChatTransitionError(`Chat ${this.id} is not waiting for an agent.`);
    this.offerValue = null;
    this.stateValue = ChatState.Handling;
    this.agentIdValue = agentId;
    if (!this.handledBy.includes(agentId)) this.handledBy.push(agentId);
    this.answeredAtValue ??= now;
    this.assignedAtValue = now;
    this.passedOverAgents.clear();
    this.reservedForValue = null;
    this.atFrontValue = false;
    this.lastQueueNotice = null;
    this.lastCustomerActivity = now;
    return [
      { EventType: ChatEventType.AgentJoined, Data: { ChatID: this.id, Name: agentName } },
      { EventType: ChatEventType.ChatState, Data: this.stateData(0, 0) },
    ];
  }

  /**
   * Takes the chat from its agent. Returns who had it and for how long (the group's handling-time
   * sample), or null when nobody had it.
   */
  release(now: number): { agentId: string; handledSeconds: number | null } | null {
    const agentId = this.agentIdValue;
    if (agentId === null) return null;
    const handledSeconds =
      this.assignedAtValue === null ? null : (now - this.assignedAtValue) / 1000;
    this.agentIdValue = null;
    this.assignedAtValue = null;
    return { agentId, handledSeconds };
  }

  /**
   * Back into a queue after a transfer or its agent's leaving. `reservedFor` gives it to one agent;
   * `atFront` puts it ahead of chats requested before it (its agent vanished mid-chat).
   */
  requeue(
    groupId: number,
    options: { reservedFor?: string | null; passOver?: string; atFront?: boolean } = {},
  ): void {
    this.requireLive('queue');
    if (this.agentIdValue !== null)
      throw new ChatTransitionError(`Chat ${this.id} is still with ${this.agentIdValue}.`);
    this.stateValue = ChatState.Queued;
    this.groupIdValue = groupId;
    this.lastQueueNotice = null;
    this.reservedForValue = options.reservedFor ?? null;
    if (options.passOver !== undefined) this.passedOverAgents.add(options.passOver);
    this.atFrontValue = options.atFront ?? false;
  }

  end(cause: TerminationCause, endedBy: ChatEndedBy, now: number): CustomerEvent[] {
    this.requireLive('end');
    if (this.agentIdValue !== null)
      throw new ChatTransitionError(`Chat ${this.id} is still with ${this.agentIdValue}.`);
    this.offerValue = null;
    this.stateValue = ChatState.Terminated;
    this.endedAtValue = now;
    this.terminationCauseValue = cause;
    this.endedByValue = endedBy;
    return [{ EventType: ChatEventType.ChatState, Data: this.stateData(0, -1) }];
  }

  /** The ChatState event for the customer at this queue position and estimate. */
  stateData(position: number, estimate: number) {
    return {
      ChatID: this.id,
      State: this.stateValue,
      QueuePosition: position,
      EstimatedWaitTime: estimate,
      TerminationCause: this.terminationCauseValue ?? TerminationCause.General,
      ...(this.endedByValue === null ? {} : { EndedBy: this.endedByValue }),
    };
  }

  private requireLive(action: string): void {
    if (this.isTerminated) throw new ChatTransitionError(`Cannot ${action} ended chat ${this.id}.`);
  }
}
