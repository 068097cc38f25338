import type { Database as Db } from 'better-sqlite3';
import { ChangeBuffer, type Change } from './change-buffer';
import {
  decodeLogRow,
  encodeLogRow,
  type FoldOp,
  toFoldOps,
  toLogRecords,
  type LogRecord,
  withoutDroppedEvents,
} from './change-log';
import { ChangeLogFiles } from './change-log-files';
import { FoldThread } from './fold-thread';
import type {
  AgentSnapshot,
  ChatSnapshot,
  EntrySnapshot,
  LiveStateImage,
  LiveStateStore,
  StoredEvent,
} from './live-state-store';
import {
  LiveStateError,
  openDatabase,
  prepare,
  reasonOf,
  type Statements,
} from './live-state-file';

/** How many ClientMessageIDs of a chat are read back: as many as a chat remembers. */
const messageIdsKept = 500;
/**
 * How long committed records wait in the change log before they are folded into the tables, and
 * how much of the log (characters of its lines, attachment data included) makes a fold sooner. A
 * fold writes each chat's and agent's page once for all of its records, and an event pushed and
 * read within one fold's span is never written at all. The records wait on the event loop's heap:
 * kept a second, most of them outlived two young-generation collections and were promoted, and
 * the old generation's collections (pauses of 8-20 ms each) came twice as often; kept 200 ms, they
 * die young, for about the same CPU a message (bench/results/chat-service-cpu.md).
 */
const foldAfterMs = 200;
const foldAtChars = 8 * 1024 * 1024;

/**
 * The live state in a SQLite file of its own, with its change log in files beside it. A committed
 * batch is one line appended to the change log before its callers are answered, so `kill -9`
 * loses none of it (an OS crash may lose the last few). A thread of its own folds the log into
 * the tables every foldAfterMs and at close; start-up folds what a killed process left. Start-up
 * reads the file on the event loop, then hands it to the fold thread, which holds it locked for
 * this process alone: a second Chat Service on the same file stops at start-up.
 */
export class SqliteLiveState extends ChangeBuffer implements LiveStateStore {
  private readonly log: ChangeLogFiles;
  private readonly thread: FoldThread;
  /** What start-up read, until load() hands it over. */
  private image: LiveStateImage | null;
  /** Committed in the change log, not yet sent to the fold thread, oldest first. */
  private unfolded: LogRecord[] = [];
  /** The length of their lines in the log. */
  private unfoldedChars = 0;
  private foldTimer: NodeJS.Timeout | undefined;
  private finished = false;

  constructor(
    readonly file: string,
    private readonly reportError: (error: Error) => void,
  ) {
    super((batch) => this.append(batch), reportError);
    const db = openDatabase(file);
    this.log = new ChangeLogFiles(file);
    try {
      const statements = prepare(db);
      this.log.numberAfter(this.foldStoredLogs(db, statements));
      this.image = readImage(statements);
    } catch (error) {
      db.close();
      throw error instanceof LiveStateError
        ? error
        : new LiveStateError(file, (error as Error).message);
    }
    db.close();
    try {
      this.thread = new FoldThread(file, {
        folded: (generation) => this.log.remove(generation),
        failed: (message) => this.reportError(new Error(`live state not folded: ${message}`)),
      });
    } catch (error) {
      throw new LiveStateError(file, reasonOf((error as Error).message));
    }
  }

  load(): LiveStateImage {
    const image = this.image;
    if (image === null) throw new Error('The live state was read at start-up only once.');
    this.image = null;
    return image;
  }

  override close(): void {
    if (this.finished) return;
    super.close();
    this.finished = true;
    this.image = null;
    this.sendFold();
    const { foldedThrough, failure } = this.thread.close();
    if (failure !== null) this.reportError(new Error(`live state not folded: ${failure}`));
    this.log.remove(foldedThrough);
    this.log.close();
  }

  /**
   * What a new process would find if this one were killed now: the changes not yet committed are
   * lost, the change log is left as it is, and a new store opens the same file.
   */
  afterCrash(): SqliteLiveState {
    this.abandon();
    this.finished = true;
    clearTimeout(this.foldTimer);
    this.thread.close();
    this.log.close();
    return new SqliteLiveState(this.file, this.reportError);
  }

  /** One group-commit batch: one line of the change log. */
  private append(batch: readonly Change[]): void {
    const records = batch.flatMap(toLogRecords);
    const row = encodeLogRow(records);
    this.log.append(row);
    for (const record of records) this.unfolded.push(record);
    this.unfoldedChars += row.length;
    if (this.unfoldedChars >= foldAtChars) this.sendFold();
    else
      this.foldTimer ??= setTimeout(() => {
        this.foldTimer = undefined;
        this.sendFold();
      }, foldAfterMs).unref();
  }

  /** Starts a new generation of the log and sends the thread what the one before holds. */
  private sendFold(): void {
    clearTimeout(this.foldTimer);
    this.foldTimer = undefined;
    if (this.unfolded.length === 0) return;
    const ops = withoutDroppedEvents(this.unfolded).flatMap(toFoldOps);
    this.unfolded = [];
    this.unfoldedChars = 0;
    this.thread.fold(ops, this.log.rotate());
  }

  /**
   * Folds what a killed process left: the change_log rows of a schema 4 file, then every
   * generation of the change log not yet folded, in order, in one transaction; their files are
   * removed once it commits. Returns the generation folded last.
   */
  private foldStoredLogs(db: Db, statements: Statements): number {
    const log = this.log;
    const done = statements.selectFolded.get()?.generation ?? 0;
    const pending = log.generations().filter((generation) => generation > done);
    let records: LogRecord[];
    try {
      records = [
        ...statements.selectLog.all().map((row) => row.changes),
        ...pending.flatMap((generation) => log.read(generation)),
      ].flatMap(decodeLogRow);
    } catch (error) {
      throw new LiveStateError(
        this.file,
        `its change log cannot be read: ${(error as Error).message}`,
      );
    }
    const last = pending.at(-1) ?? done;
    const ops = withoutDroppedEvents(records).flatMap(toFoldOps);
    db.transaction(() => {
      runOps(statements, ops);
      statements.dropLog.run();
      statements.write.setFolded.run(last);
    })();
    log.remove(last);
    return last;
  }
}

function runOps(statements: Statements, ops: readonly FoldOp[]): void {
  for (const [name, ...parameters] of ops) statements.write[name].run(...parameters);
}

function readImage(s: Statements): LiveStateImage {
  const events = (stream: string): StoredEvent[] =>
    s.selectEvents
      .all(stream)
      .map((row) => ({ seq: row.seq, event: JSON.parse(row.event) as unknown }));
  return {
    chats: s.selectChats.all().map((row) => ({
      snapshot: JSON.parse(row.snapshot) as ChatSnapshot,
      entries: s.selectEntries.all(row.chat_id).map((entry) => ({
        ...(JSON.parse(entry.entry) as EntrySnapshot),
        attachmentData: entry.attachment,
      })),
      messageIds: s.selectMessageIds
        .all(row.chat_id, row.chat_id, messageIdsKept)
        .map((id) => id.message_id)
        .reverse(),
      events: events(`chat:${row.chat_id}`),
    })),
    agents: s.selectAgents.all().map((row) => ({
      snapshot: JSON.parse(row.snapshot) as AgentSnapshot,
      events: events(`agent:${row.agent_id}`),
    })),
    sessions: s.selectSessions.all().map((row) => ({
      tokenHash: row.token_hash,
      agentId: row.agent_id,
      lastSeenAt: row.last_seen_at,
    })),
    meta: new Map(s.selectMeta.all().map((row) => [row.key, JSON.parse(row.value) as unknown])),
    readSeqs: new Map(s.selectReadSeqs.all().map((row) => [row.stream, row.seq])),
  };
}
