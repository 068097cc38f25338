import { ChangeBuffer, type Change } from './change-buffer';
import type {
  AgentSnapshot,
  EventStream,
  ChatSnapshot,
  LiveStateImage,
  LiveStateStore,
  SessionRecord,
  StoredEntry,
  StoredEvent,
} from './live-state-store';

interface ChatRecord {
  snapshot: ChatSnapshot | null;
  entries: Map<number, StoredEntry>;
  messageIds: string[];
}

/**
 * Live state kept in this process only: a restart of the process loses it. Tests use it to stand
 * for the database: what was committed is what a new ContactCenter restores, the rest is gone.
 */
export class MemoryLiveState extends ChangeBuffer implements LiveStateStore {
  private readonly chats = new Map<string, ChatRecord>();
  private readonly agents = new Map<string, AgentSnapshot>();
  private readonly events = new Map<string, Map<number, StoredEvent>>();
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly meta = new Map<string, unknown>();
  private readonly readSeqs = new Map<EventStream, number>();

  constructor(onError: (error: Error) => void = () => undefined) {
    super((batch) => this.applyBatch(batch), onError);
  }

  /**
   * What a new process would find if this one died now: a store with what was committed, while
   * this one is dropped with its changes not yet committed, as `kill -9` would.
   */
  afterCrash(): MemoryLiveState {
    this.abandon();
    const next = new MemoryLiveState();
    const image = this.load();
    for (const { snapshot, entries, messageIds, events } of image.chats) {
      next.chats.set(snapshot.id, {
        snapshot,
        entries: new Map(entries.map((entry, position) => [position, entry])),
        messageIds,
      });
      next.events.set(`chat:${snapshot.id}`, new Map(events.map((event) => [event.seq, event])));
    }
    for (const { snapshot, events } of image.agents) {
      next.agents.set(snapshot.id, snapshot);
      next.events.set(`agent:${snapshot.id}`, new Map(events.map((event) => [event.seq, event])));
    }
    for (const session of image.sessions) next.sessions.set(session.tokenHash, session);
    for (const [key, value] of image.meta) next.meta.set(key, value);
    for (const [stream, seq] of image.readSeqs) next.readSeqs.set(stream, seq);
    return next;
  }

  load(): LiveStateImage {
    const copy = <T>(value: T): T => structuredClone(value);
    return {
      chats: [...this.chats.entries()]
        .filter(([, record]) => record.snapshot !== null)
        .map(([id, record]) => ({
          snapshot: copy(record.snapshot as ChatSnapshot),
          entries: [...record.entries.entries()]
            .sort(([a], [b]) => a - b)
            .map(([, entry]) => copyEntry(entry)),
          messageIds: [...record.messageIds],
          events: this.eventsOf(`chat:${id}`),
        })),
      agents: [...this.agents.values()].map((snapshot) => ({
        snapshot: copy(snapshot),
        events: this.eventsOf(`agent:${snapshot.id}`),
      })),
      sessions: [...this.sessions.values()].map(copy),
      meta: new Map([...this.meta].map(([key, value]) => [key, copy(value)])),
      readSeqs: new Map(this.readSeqs),
    };
  }

  private eventsOf(stream: string): StoredEvent[] {
    return [...(this.events.get(stream)?.values() ?? [])]
      .sort((a, b) => a.seq - b.seq)
      .map((event) => structuredClone(event));
  }

  private record(chatId: string): ChatRecord {
    let record = this.chats.get(chatId);
    if (record === undefined) {
      record = { snapshot: null, entries: new Map(), messageIds: [] };
      this.chats.set(chatId, record);
    }
    return record;
  }

  private applyBatch(batch: readonly Change[]): void {
    for (const change of batch) {
      switch (change.kind) {
        case 'chat':
          this.record(change.chat.id).snapshot = structuredClone(change.chat.snapshot());
          break;
        case 'entry': {
          const record = this.record(change.chatId);
          record.entries.set(change.position, copyEntry(change.entry));
          if (change.clientMessageId !== null) record.messageIds.push(change.clientMessageId);
          break;
        }
        case 'event': {
          let stream = this.events.get(change.stream);
          if (stream === undefined) this.events.set(change.stream, (stream = new Map()));
          stream.set(change.event.seq, structuredClone(change.event));
          break;
        }
        case 'dropEvents': {
          const stream = this.events.get(change.stream);
          for (const seq of stream?.keys() ?? []) if (seq <= change.upToSeq) stream?.delete(seq);
          if (Number.isFinite(change.upToSeq)) {
            const read = this.readSeqs.get(change.stream) ?? 0;
            this.readSeqs.set(change.stream, Math.max(read, change.upToSeq));
          } else this.readSeqs.delete(change.stream);
          break;
        }
        case 'dropChat':
          this.chats.delete(change.chatId);
          this.events.delete(`chat:${change.chatId}`);
          this.readSeqs.delete(`chat:${change.chatId}`);
          break;
        case 'agent':
          this.agents.set(change.agent.id, structuredClone(change.agent.snapshot()));
          break;
        case 'session':
          this.sessions.set(change.session.tokenHash, { ...change.session });
          break;
        case 'dropSession':
          this.sessions.delete(change.tokenHash);
          break;
        case 'meta':
          this.meta.set(change.key, structuredClone(change.value));
          break;
        default:
          change satisfies never;
      }
    }
  }
}

/** structuredClone turns a Buffer into a plain Uint8Array. */
function copyEntry(entry: StoredEntry): StoredEntry {
  return {
    ...structuredClone({ ...entry, attachmentData: null }),
    attachmentData: entry.attachmentData === null ? null : Buffer.from(entry.attachmentData),
  };
}
