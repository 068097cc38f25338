import type {
  AgentSnapshot,
  ChatSnapshot,
  EventStream,
  LiveStateWriter,
  SessionRecord,
  StoredEntry,
  StoredEvent,
} from './live-state-store';

/**
 * The least time between two commits. Alone, a change is committed at the end of the event-loop
 * turn that made it (nothing waits for a timer); while commits follow each other, the next waits
 * until commitSpacingMs after the previous one, and takes everything that came meanwhile. At 2,000
 * messages a second, 0-2 ms cost more CPU (more turns, each answering fewer calls) without a
 * shorter p99, and 6-8 ms only lengthened the p50 (bench/results/chat-service-cpu.md).
 */
const commitSpacingMs = 4;

export type Change =
  | { kind: 'chat'; chat: { readonly id: string; snapshot(): ChatSnapshot } }
  | {
      kind: 'entry';
      chatId: string;
      position: number;
      entry: StoredEntry;
      clientMessageId: string | null;
    }
  | { kind: 'event'; stream: EventStream; event: StoredEvent }
  | { kind: 'dropEvents'; stream: EventStream; upToSeq: number }
  | { kind: 'dropChat'; chatId: string }
  | { kind: 'agent'; agent: { readonly id: string; snapshot(): AgentSnapshot } }
  | { kind: 'session'; session: SessionRecord }
  | { kind: 'dropSession'; tokenHash: string }
  | { kind: 'meta'; key: string; value: unknown };

/**
 * Collects changes and hands them to `apply` as one batch (group commit): every caller answered
 * after the same commit waited for the same transaction. A chat or agent changed several times is
 * listed once, and its snapshot is taken when the batch is applied.
 */
export class ChangeBuffer implements LiveStateWriter {
  private pending: Change[] = [];
  private readonly listed = new Set<string>();
  private flushing: Promise<void> | null = null;
  private closed = false;
  /** performance.now() at the end of the last commit. */
  private committedAt = -Infinity;

  /**
   * @param apply writes one batch, all or nothing; it throws when the batch could not be written
   * @param onError told of a batch that failed, also when no caller was waiting for it
   */
  constructor(
    private readonly apply: (batch: readonly Change[]) => void,
    private readonly onError: (error: Error) => void,
  ) {}

  putChat(chat: { readonly id: string; snapshot(): ChatSnapshot }): void {
    if (this.list(`chat:${chat.id}`)) this.add({ kind: 'chat', chat });
  }

  appendEntry(
    chatId: string,
    position: number,
    entry: StoredEntry,
    clientMessageId: string | null,
  ): void {
    this.add({ kind: 'entry', chatId, position, entry, clientMessageId });
  }

  pushEvent(stream: EventStream, event: StoredEvent): void {
    this.add({ kind: 'event', stream, event });
  }

  dropEvents(stream: EventStream, upToSeq: number): void {
    this.add({ kind: 'dropEvents', stream, upToSeq });
  }

  dropChat(chatId: string): void {
    this.add({ kind: 'dropChat', chatId });
  }

  putAgent(agent: { readonly id: string; snapshot(): AgentSnapshot }): void {
    if (this.list(`agent:${agent.id}`)) this.add({ kind: 'agent', agent });
  }

  putSession(session: SessionRecord): void {
    this.add({ kind: 'session', session });
  }

  dropSession(tokenHash: string): void {
    this.add({ kind: 'dropSession', tokenHash });
  }

  putMeta(key: string, value: unknown): void {
    this.add({ kind: 'meta', key, value });
  }

  commit(): Promise<void> {
    return this.flushing ?? Promise.resolve();
  }

  /** Applies what is pending now, synchronously; nothing is taken after. */
  close(): void {
    if (this.closed) return;
    this.flushNow();
    this.closed = true;
  }

  /** Closes without committing what is pending: those changes are lost, as in a crash. */
  protected abandon(): void {
    this.pending = [];
    this.listed.clear();
    this.closed = true;
  }

  private list(key: string): boolean {
    if (this.listed.has(key)) return false;
    this.listed.add(key);
    return true;
  }

  private add(change: Change): void {
    if (this.closed) throw new Error('The live state is closed.');
    this.pending.push(change);
    if (this.flushing !== null) return;
    const wait = this.committedAt + commitSpacingMs - performance.now();
    this.flushing = new Promise<void>((resolve, reject) => {
      const due = () => {
        if (this.closed) {
          resolve();
          return;
        }
        try {
          this.flushNow();
          resolve();
        } catch (error) {
          const failure = error instanceof Error ? error : new Error(String(error));
          this.onError(failure);
          reject(failure);
        }
      };
      if (wait > 0) setTimeout(due, wait);
      else setImmediate(due);
    });
    // A batch changed by a timer has no caller waiting: onError has told of its failure.
    this.flushing.catch(() => undefined);
  }

  private flushNow(): void {
    const batch = this.pending;
    this.pending = [];
    this.listed.clear();
    this.flushing = null;
    if (batch.length === 0) return;
    try {
      this.apply(batch);
    } finally {
      this.committedAt = performance.now();
    }
  }
}
