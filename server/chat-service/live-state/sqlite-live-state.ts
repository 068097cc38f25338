import type { Database as Db } from 'better-sqlite3';
import { ChangeBuffer, type Change } from './change-buffer';
import {
  decodeLogRow,
  encodeLogRow,
  toLogRecord,
  type LogRecord,
  withoutDroppedEvents,
} from './change-log';
import type {
  AgentSnapshot,
  ChatSnapshot,
  EntrySnapshot,
  LiveStateImage,
  LiveStateStore,
  StoredEvent,
} from './live-state-store';
import { LiveStateError, openDatabase, prepare, type Statements } from './live-state-file';

/** How many ClientMessageIDs of a chat are read back: as many as a chat remembers. */
const messageIdsKept = 500;
/**
 * How long committed records wait in the change log before they are folded into the tables, and
 * how many make a fold at once: a fold writes each chat's and agent's page once for all of its
 * records, and blocks the event loop for a few milliseconds (it ends with a checkpoint).
 */
const foldAfterMs = 200;
const foldAtRecords = 4096;

type AttachmentRow = [chatId: string, position: number, data: Buffer];

/**
 * The live state in a SQLite file of its own. WAL with synchronous=NORMAL: a committed batch is in
 * the file before its callers are answered, so `kill -9` loses none of it (an OS crash may lose
 * the last few). A batch is committed as one row of the change log and folded into the tables
 * later (at most foldAfterMs on, at close, or at the next start after a crash). The file is locked
 * for this process alone: a second Chat Service on the same file stops at start-up instead of
 * both writing it.
 */
export class SqliteLiveState extends ChangeBuffer implements LiveStateStore {
  private readonly db: Db;
  private readonly statements: Statements;
  /** Built once: better-sqlite3 builds its BEGIN/COMMIT handling per wrapper. */
  private readonly logInTransaction: (row: string, attachments: readonly AttachmentRow[]) => number;
  private readonly foldInTransaction: (records: readonly LogRecord[], upToBatch: number) => void;
  /** Committed in the change log, not yet in the tables, oldest first. */
  private unfolded: LogRecord[] = [];
  private lastBatchId = 0;
  private foldTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly file: string,
    private readonly reportError: (error: Error) => void,
  ) {
    super((batch) => this.log(batch), reportError);
    this.db = openDatabase(file);
    this.statements = prepare(this.db);
    const s = this.statements;
    this.logInTransaction = this.db.transaction(
      (row: string, attachments: readonly AttachmentRow[]) => {
        for (const attachment of attachments) s.putAttachment.run(...attachment);
        return Number(s.appendLog.run(row).lastInsertRowid);
      },
    );
    this.foldInTransaction = this.db.transaction(
      (records: readonly LogRecord[], upToBatch: number) => {
        for (const record of records) this.write(record);
        s.dropLog.run(upToBatch);
      },
    );
    this.foldStoredLog();
  }

  load(): LiveStateImage {
    this.fold();
    const s = this.statements;
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

  override close(): void {
    if (!this.db.open) return;
    super.close();
    this.foldSafely();
    this.db.close();
  }

  /**
   * What a new process would find if this one were killed now: the changes not yet committed are
   * lost, the change log is left unfolded, and a new store opens the same file.
   */
  afterCrash(): SqliteLiveState {
    this.abandon();
    clearTimeout(this.foldTimer);
    this.db.close();
    return new SqliteLiveState(this.file, this.reportError);
  }

  /** One group-commit batch: one change-log row (and the data of its attachments), committed. */
  private log(batch: readonly Change[]): void {
    const records: LogRecord[] = [];
    const attachments: AttachmentRow[] = [];
    for (const change of batch) {
      const { record, attachmentData } = toLogRecord(change);
      records.push(record);
      if (attachmentData !== null && record[0] === 'entry')
        attachments.push([record[1], record[2], attachmentData]);
    }
    this.lastBatchId = this.logInTransaction(encodeLogRow(records), attachments);
    for (const record of records) this.unfolded.push(record);
    if (this.unfolded.length >= foldAtRecords) this.foldSafely();
    else
      this.foldTimer ??= setTimeout(() => {
        this.foldTimer = undefined;
        this.foldSafely();
      }, foldAfterMs).unref();
  }

  /** A fold that fails leaves the log as it was (committed all the same) for the next one. */
  private foldSafely(): void {
    try {
      this.fold();
    } catch (error) {
      this.reportError(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private fold(): void {
    clearTimeout(this.foldTimer);
    this.foldTimer = undefined;
    if (this.unfolded.length === 0) return;
    this.foldInTransaction(withoutDroppedEvents(this.unfolded), this.lastBatchId);
    this.unfolded = [];
    // Now, while the write-ahead log is small: a checkpoint syncs the file, and one of a thousand
    // pages (SQLite's own trigger) stalls every commit behind it for 15-40 ms.
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  /** What a process killed before its fold left in the log, folded before anything is read. */
  private foldStoredLog(): void {
    const rows = this.statements.selectLog.all();
    const last = rows.at(-1);
    if (last === undefined) return;
    try {
      const records = rows.flatMap((row) => decodeLogRow(row.changes));
      this.foldInTransaction(withoutDroppedEvents(records), last.batch_id);
    } catch (error) {
      this.db.close();
      throw new LiveStateError(
        this.file,
        `its change log cannot be read: ${(error as Error).message}`,
      );
    }
  }

  private write(record: LogRecord): void {
    const s = this.statements;
    switch (record[0]) {
      case 'chat':
        s.putChat.run(record[1], record[2]);
        break;
      case 'entry':
        s.putEntry.run(record[1], record[2], record[3], record[4]);
        break;
      case 'event':
        s.putEvent.run(record[1], record[2], record[3]);
        break;
      case 'dropEvents':
        if (record[2] !== null) {
          s.dropEvents.run(record[1], record[2]);
          s.putReadSeq.run(record[1], record[2]);
        } else {
          s.dropAllEvents.run(record[1]);
          s.dropReadSeq.run(record[1]);
        }
        break;
      case 'dropChat':
        for (const statement of s.dropChat) statement.run(record[1]);
        s.dropAllEvents.run(`chat:${record[1]}`);
        s.dropReadSeq.run(`chat:${record[1]}`);
        break;
      case 'agent':
        s.putAgent.run(record[1], record[2]);
        break;
      case 'session':
        s.putSession.run(record[1], record[2], record[3]);
        break;
      case 'dropSession':
        s.dropSession.run(record[1]);
        break;
      case 'meta':
        s.putMeta.run(record[1], record[2]);
        break;
      default:
        record satisfies never;
    }
  }
}
