import type { ConversationEvent, LoggedEvent } from '../session/visitor-events';
import type { DeadlineKind, SessionState } from '../session/visitor-session';

/** What a chat is, once created; it never changes. */
export interface ChatRecord {
  token: string;
  chatId: string;
  customerName: string;
}

/** A chat's session as stored, with the version a compare-and-set update must name. */
export interface StoredSession {
  record: ChatRecord;
  state: SessionState;
  version: number;
  /** The highest seq of the conversation log. */
  lastSeq: number;
  /** The highest upstream Seq the log has taken in: a new pump starts after it. */
  upstreamSeq: number;
  /** Pages connected to the chat now. */
  pages: number;
}

export interface DueDeadline {
  token: string;
  kind: DeadlineKind;
}

export interface StoredFile {
  name: string;
  data: Buffer;
}

/** A file to keep: its bytes, or an upload staged on disk, copied from there. */
export type FileToKeep = StoredFile | { name: string; stagedPath: string };

/**
 * Events the lease holder takes in from the Chat Service, with the upstream Seq they bring the
 * chat to; refused (`fenced`) when another instance has taken the lease since.
 */
export interface UpstreamAppend {
  fence: number;
  upstreamSeq: number;
}

export type AppendResult = { fenced: false; logged: LoggedEvent[] } | { fenced: true };

/** Every instance's view of one instance: its id and how long its word holds. */
export interface InstanceLiveness {
  instanceId: string;
  ttlMs: number;
}

/**
 * Where CustomerChat keeps every visitor's chat, so that any instance can serve any of them: the
 * memory engine (one instance) and the Redis engine (many) implement it alike, and one contract
 * test suite runs against both. Times are the caller's clock (ms since the epoch).
 */
export interface SessionStore {
  /** A new chat, present, with an empty log and no lease taken yet. */
  create(record: ChatRecord, state: SessionState): Promise<void>;
  session(token: string): Promise<StoredSession | undefined>;
  /** Sets the state if the stored version is still `version`; false when another write came first. */
  updateState(token: string, version: number, state: SessionState): Promise<boolean>;

  /**
   * Appends to the conversation log, numbering each event; a visitor message whose clientMessageId
   * is already logged is dropped. With `upstream`, only if that fence still holds the lease.
   */
  append(
    token: string,
    events: ConversationEvent[],
    upstream?: UpstreamAppend,
  ): Promise<AppendResult>;
  eventsAfter(token: string, seq: number): Promise<LoggedEvent[]>;
  hasMessage(token: string, clientMessageId: string): Promise<boolean>;
  /** The chat is over: its keys go after retentionMs, its lease and deadlines now. */
  end(token: string, retentionMs: number): Promise<void>;

  keepFile(token: string, file: FileToKeep): Promise<string>;
  file(token: string, id: string): Promise<StoredFile | undefined>;

  /** Pages connected to the chat on live instances, after adding or removing one. */
  pageJoined(token: string, instanceId: string, pageId: string): Promise<number>;
  pageLeft(token: string, instanceId: string, pageId: string): Promise<number>;

  /** The instance is alive until now + ttlMs. */
  heartbeat(instanceId: string, now: number, ttlMs: number): Promise<void>;
  /**
   * Removes instances whose heartbeat has lapsed (or `instanceId` itself when it leaves), with
   * their pages; answers each chat that lost pages and how many it has left. Exactly one caller
   * gets each lost instance's chats.
   */
  removeInstance(instanceId: string): Promise<Array<{ token: string; pages: number }>>;
  lapsedInstances(now: number): Promise<string[]>;

  setDeadline(token: string, kind: DeadlineKind, at: number): Promise<void>;
  clearDeadlines(token: string): Promise<void>;
  /** Deadlines due by now, each handed to exactly one caller (and removed). */
  claimDue(now: number, limit: number): Promise<DueDeadline[]>;

  /** The chat's pump lease for ttlMs when free or lapsed; answers its fencing token. */
  acquireLease(
    token: string,
    instanceId: string,
    now: number,
    ttlMs: number,
  ): Promise<number | undefined>;
  /** Extends the leases still held with these fences; answers the tokens lost. */
  renewLeases(
    instanceId: string,
    leases: ReadonlyArray<{ token: string; fence: number }>,
    now: number,
    ttlMs: number,
  ): Promise<string[]>;
  /** Lets go of a lease so another instance takes it at once. */
  releaseLease(token: string, fence: number): Promise<void>;
  /** Live chats whose pump lease is free or lapsed by now. */
  unleased(now: number, limit: number): Promise<string[]>;

  close(): Promise<void>;
}

/** Most events one chat's log keeps; a chat is far shorter than this. */
export const maxLoggedEvents = 10_000;

/**
 * The key an event is logged once under, if any: a visitor message's clientMessageId (a retry is
 * the same message), and the end (the grace period and the Chat Service may both report it).
 */
export function onceKey(event: ConversationEvent): string | undefined {
  if (event.type === 'ended') return '\u0000ended';
  return event.type === 'message' ? event.clientMessageId : undefined;
}
