import type { Timers } from '../../shared/clock';
import type { ChatEvent } from '../../protocol/customer-api';
import { ChatState, type TerminationCause } from '../../protocol/enums';
import type { ChatEndedBy, TranscriptSender } from '../../protocol/agent-api';
import { EventQueue } from './event-queue';

export interface CustomerDetails {
  sessionId: string;
  customerId: string;
  name: string;
  email: string;
  phone: string;
  privateData: string;
  initialMessage: string;
  initialMessageToAgent: string;
  timeZoneOffset: number | null;
}

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

export interface PendingOffer {
  agentId: string;
  expiresAt: number;
  cancel: () => void;
}

/** How many ClientMessageIDs a chat remembers for de-duplicating retried sends. */
const rememberedMessageIds = 500;

/** One customer's chat, from RequestChat to its end; what the archive keeps is derived from it. */
export class Chat {
  state: ChatState = ChatState.Queued;
  /** The group the chat is queued in or handled for; a transfer changes it. */
  groupId: number;
  agentId: string | null = null;
  /** Every agent that handled the chat, in order. */
  readonly agentIds: string[] = [];
  answeredAt: number | null = null;
  /** When the current agent took the chat, for the group's handling-time samples. */
  assignedAt: number | null = null;
  endedAt: number | null = null;
  terminationCause: TerminationCause | null = null;
  endedBy: ChatEndedBy | null = null;
  lastCustomerActivityAt: number;
  offer: PendingOffer | null = null;
  /** Agents that let an offer of this chat lapse, skipped until every candidate has had a turn. */
  readonly passedOver = new Set<string>();
  /** Set by a transfer to one agent: only that agent is offered the chat. */
  reservedFor: string | null = null;
  lastQueueNotice: { position: number; estimate: number } | null = null;
  readonly transcript: TranscriptEntry[] = [];
  readonly customerEvents: EventQueue<ChatEvent>;
  /** Remembered ClientMessageIDs, oldest first (a Set keeps insertion order). */
  private readonly seenMessageIds = new Set<string>();

  constructor(
    readonly id: string,
    readonly internalSessionId: number,
    readonly tenantId: number,
    groupId: number,
    readonly customer: CustomerDetails,
    readonly requestedAt: number,
    timers: Timers,
  ) {
    this.groupId = groupId;
    this.lastCustomerActivityAt = requestedAt;
    this.customerEvents = new EventQueue<ChatEvent>(timers);
  }

  get isTerminated(): boolean {
    return this.state === ChatState.Terminated;
  }

  /** True when a send with this ClientMessageID was already delivered: a retry to ignore. */
  hasSeenMessageId(clientMessageId: string | null | undefined): boolean {
    return clientMessageId != null && this.seenMessageIds.has(clientMessageId);
  }

  rememberMessageId(clientMessageId: string | null | undefined): void {
    if (clientMessageId == null) return;
    this.seenMessageIds.add(clientMessageId);
    if (this.seenMessageIds.size > rememberedMessageIds) {
      const oldest = this.seenMessageIds.values().next().value;
      if (oldest !== undefined) this.seenMessageIds.delete(oldest);
    }
  }

  findAttachment(attachmentId: string): StoredAttachment | undefined {
    return (
      this.transcript.find((entry) => entry.attachment?.id === attachmentId)?.attachment ??
      undefined
    );
  }
}
