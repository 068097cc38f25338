import type { ChatEndedBy, TranscriptSender } from '../../protocol/agent-api';
import type { ChatState, TerminationCause } from '../../protocol/enums';

/** The customer's details as RequestChat gave them; fixed for the chat's life. */
export interface CustomerDetails {
  sessionId: string;
  customerId: string;
  /** CustomerChat checked the CustomerID (IdentityVerificationSecret); absent in older snapshots. */
  customerIdVerified?: boolean;
  name: string;
  email: string;
  phone: string;
  privateData: string;
  initialMessage: string;
  initialMessageToAgent: string;
  timeZoneOffset: number | null;
}

/** A chat's own state, without its transcript and events (stored apart, appended as they come). */
export interface ChatSnapshot {
  id: string;
  internalSessionId: number;
  tenantId: number;
  groupId: number;
  customer: CustomerDetails;
  requestedAt: number;
  state: ChatState;
  agentId: string | null;
  agentIds: string[];
  answeredAt: number | null;
  assignedAt: number | null;
  endedAt: number | null;
  terminationCause: TerminationCause | null;
  endedBy: ChatEndedBy | null;
  lastCustomerActivityAt: number;
  passedOver: string[];
  reservedFor: string | null;
  /** Put back at the head of its queue (its agent vanished), ahead of first-come order. */
  atFront: boolean;
  lastQueueNotice: { position: number; estimate: number } | null;
  /** The last Seq the customer's event queue gave out. */
  lastSeq: number;
}

export interface EntrySnapshot {
  at: number;
  from: TranscriptSender;
  name: string;
  message: string;
  attachment: { id: string; fileName: string } | null;
  agentOnly: boolean;
}

export interface AgentSnapshot {
  id: string;
  loggedIn: boolean;
  ready: boolean;
  idleSince: number;
  /** The last Seq the agent's event queue gave out. */
  lastSeq: number;
}

/** A log-in: the token itself is never stored, only its hash. */
export interface SessionRecord {
  tokenHash: string;
  agentId: string;
  lastSeenAt: number;
}

export interface StoredEntry extends EntrySnapshot {
  attachmentData: Buffer | null;
}

export interface StoredEvent {
  seq: number;
  event: unknown;
}

/** Everything committed, as read back at start-up. */
export interface LiveStateImage {
  chats: {
    snapshot: ChatSnapshot;
    entries: StoredEntry[];
    messageIds: string[];
    events: StoredEvent[];
  }[];
  agents: { snapshot: AgentSnapshot; events: StoredEvent[] }[];
  sessions: SessionRecord[];
  meta: Map<string, unknown>;
  /** Per stream, the highest Seq read and dropped: a stream whose events were all read goes on after it. */
  readSeqs: Map<EventStream, number>;
}

/** The event stream of a chat's customer or of an agent. */
export type EventStream = `chat:${string}` | `agent:${string}`;

/**
 * Where the service's live state goes. Owners report each change as it happens; snapshots are
 * taken lazily, at commit, so a chat changed ten times in one turn is written once.
 */
export interface LiveStateWriter {
  putChat(chat: { readonly id: string; snapshot(): ChatSnapshot }): void;
  /** A transcript entry, with the ClientMessageID of the send that made it (for retried sends). */
  appendEntry(
    chatId: string,
    position: number,
    entry: StoredEntry,
    clientMessageId: string | null,
  ): void;
  pushEvent(stream: EventStream, event: StoredEvent): void;
  /** Events up to and including this Seq were read; all of them when it is Infinity. */
  dropEvents(stream: EventStream, upToSeq: number): void;
  /** The chat and everything of it: transcript, attachment data, message ids, events. */
  dropChat(chatId: string): void;
  putAgent(agent: { readonly id: string; snapshot(): AgentSnapshot }): void;
  putSession(session: SessionRecord): void;
  dropSession(tokenHash: string): void;
  putMeta(key: string, value: unknown): void;
}

export interface LiveStateStore extends LiveStateWriter {
  load(): LiveStateImage;
  /** Resolves once every change reported so far is committed (group commit: one per turn). */
  commit(): Promise<void>;
  /** Commits what is pending and closes; later changes are refused. */
  close(): void;
}
