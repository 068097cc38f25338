import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database, { type Database as Db } from 'better-sqlite3';
import { ChangeBuffer, type Change } from './change-buffer';
import type {
  AgentSnapshot,
  ChatSnapshot,
  EntrySnapshot,
  EventStream,
  LiveStateImage,
  LiveStateStore,
  StoredEvent,
} from './live-state-store';
import { migrateLiveState, refuseNewerLiveState } from './live-state-schema';

/** The live state's file cannot be used: start-up stops on it, naming the file. */
export class LiveStateError extends Error {
  override readonly name = 'LiveStateError';

  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`Live state file ${file}: ${reason}`);
  }
}

/** How many ClientMessageIDs of a chat are read back: as many as a chat remembers. */
const messageIdsKept = 500;

type Statements = ReturnType<typeof prepare>;

/**
 * The live state in a SQLite file of its own. WAL with synchronous=NORMAL: a committed batch is in
 * the file before its callers are answered, so `kill -9` loses none of it (an OS crash may lose
 * the last few). The file is locked for this process alone: a second Chat Service on the same
 * file stops at start-up instead of both writing it.
 */
export class SqliteLiveState extends ChangeBuffer implements LiveStateStore {
  private readonly db: Db;
  private readonly statements: Statements;
  /** One wrapper for every batch: better-sqlite3 builds its BEGIN/COMMIT handling once. */
  private readonly inTransaction: (batch: readonly Change[]) => void;

  constructor(
    readonly file: string,
    onError: (error: Error) => void,
  ) {
    super((batch) => this.inTransaction(batch), onError);
    this.db = openDatabase(file);
    this.statements = prepare(this.db);
    this.inTransaction = this.db.transaction((batch: readonly Change[]) => this.write(batch));
  }

  load(): LiveStateImage {
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
    this.db.close();
  }

  private write(batch: readonly Change[]): void {
    const s = this.statements;
    for (const change of batch) {
      switch (change.kind) {
        case 'chat':
          s.putChat.run(change.chat.id, JSON.stringify(change.chat.snapshot()));
          break;
        case 'entry': {
          const { attachmentData, ...entry } = change.entry;
          s.putEntry.run(
            change.chatId,
            change.position,
            JSON.stringify(entry),
            change.clientMessageId,
          );
          if (attachmentData !== null)
            s.putAttachment.run(change.chatId, change.position, attachmentData);
          break;
        }
        case 'event':
          s.putEvent.run(change.stream, change.event.seq, JSON.stringify(change.event.event));
          break;
        case 'dropEvents':
          if (Number.isFinite(change.upToSeq)) {
            s.dropEvents.run(change.stream, change.upToSeq);
            s.putReadSeq.run(change.stream, change.upToSeq);
          } else {
            s.dropAllEvents.run(change.stream);
            s.dropReadSeq.run(change.stream);
          }
          break;
        case 'dropChat':
          for (const statement of s.dropChat) statement.run(change.chatId);
          s.dropAllEvents.run(`chat:${change.chatId}`);
          s.dropReadSeq.run(`chat:${change.chatId}`);
          break;
        case 'agent':
          s.putAgent.run(change.agent.id, JSON.stringify(change.agent.snapshot()));
          break;
        case 'session':
          s.putSession.run(
            change.session.tokenHash,
            change.session.agentId,
            change.session.lastSeenAt,
          );
          break;
        case 'dropSession':
          s.dropSession.run(change.tokenHash);
          break;
        case 'meta':
          s.putMeta.run(change.key, JSON.stringify(change.value));
          break;
        default:
          change satisfies never;
      }
    }
  }
}

function prepare(db: Db) {
  return {
    putChat: db.prepare<[string, string]>(
      'INSERT INTO chats (chat_id, snapshot) VALUES (?, ?) ON CONFLICT DO UPDATE SET snapshot = excluded.snapshot',
    ),
    putEntry: db.prepare<[string, number, string, string | null]>(
      'INSERT OR REPLACE INTO transcript (chat_id, position, entry, client_message_id) VALUES (?, ?, ?, ?)',
    ),
    putAttachment: db.prepare<[string, number, Buffer]>(
      'INSERT OR REPLACE INTO attachments (chat_id, position, data) VALUES (?, ?, ?)',
    ),
    putEvent: db.prepare<[string, number, string]>(
      'INSERT OR REPLACE INTO events (stream, seq, event) VALUES (?, ?, ?)',
    ),
    dropEvents: db.prepare<[string, number]>('DELETE FROM events WHERE stream = ? AND seq <= ?'),
    dropAllEvents: db.prepare<[string]>('DELETE FROM events WHERE stream = ?'),
    putReadSeq: db.prepare<[string, number]>(
      'INSERT INTO read_seqs (stream, seq) VALUES (?, ?) ON CONFLICT DO UPDATE SET seq = max(seq, excluded.seq)',
    ),
    dropReadSeq: db.prepare<[string]>('DELETE FROM read_seqs WHERE stream = ?'),
    selectReadSeqs: db.prepare<[], { stream: EventStream; seq: number }>(
      'SELECT stream, seq FROM read_seqs',
    ),
    dropChat: ['chats', 'transcript', 'attachments', 'message_ids'].map((table) =>
      db.prepare<[string]>(`DELETE FROM ${table} WHERE chat_id = ?`),
    ),
    putAgent: db.prepare<[string, string]>(
      'INSERT INTO agents (agent_id, snapshot) VALUES (?, ?) ON CONFLICT DO UPDATE SET snapshot = excluded.snapshot',
    ),
    putSession: db.prepare<[string, string, number]>(
      'INSERT OR REPLACE INTO sessions (token_hash, agent_id, last_seen_at) VALUES (?, ?, ?)',
    ),
    dropSession: db.prepare<[string]>('DELETE FROM sessions WHERE token_hash = ?'),
    putMeta: db.prepare<[string, string]>('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
    selectChats: db.prepare<[], { chat_id: string; snapshot: string }>(
      'SELECT chat_id, snapshot FROM chats',
    ),
    selectEntries: db.prepare<[string], { entry: string; attachment: Buffer | null }>(
      `SELECT t.entry, a.data AS attachment FROM transcript t
       LEFT JOIN attachments a ON a.chat_id = t.chat_id AND a.position = t.position
       WHERE t.chat_id = ? ORDER BY t.position`,
    ),
    // Newest first; those of a version 2 file (message_ids) are older than the transcript's.
    selectMessageIds: db.prepare<[string, string, number], { message_id: string }>(
      `SELECT message_id FROM (
         SELECT 1 AS part, position AS n, client_message_id AS message_id FROM transcript
         WHERE chat_id = ? AND client_message_id IS NOT NULL
         UNION ALL
         SELECT 0, rowid, message_id FROM message_ids WHERE chat_id = ?
       ) ORDER BY part DESC, n DESC LIMIT ?`,
    ),
    selectEvents: db.prepare<[string], { seq: number; event: string }>(
      'SELECT seq, event FROM events WHERE stream = ? ORDER BY seq',
    ),
    selectAgents: db.prepare<[], { agent_id: string; snapshot: string }>(
      'SELECT agent_id, snapshot FROM agents',
    ),
    selectSessions: db.prepare<[], { token_hash: string; agent_id: string; last_seen_at: number }>(
      'SELECT token_hash, agent_id, last_seen_at FROM sessions',
    ),
    selectMeta: db.prepare<[], { key: string; value: string }>('SELECT key, value FROM meta'),
  };
}

/**
 * Opens, locks and migrates the file, creating it and its folder when absent. A corrupt file, one
 * of a newer schema or one in use by another process is left as it is and named in the error.
 */
function openDatabase(file: string): Db {
  let db: Db | undefined;
  try {
    mkdirSync(dirname(file), { recursive: true });
    db = new Database(file, { timeout: 0 });
    // Exclusive before the first read: the lock is then held until close, WAL without shared memory.
    db.pragma('locking_mode = EXCLUSIVE');
    // Read before anything is written: a corrupt file or one of a newer schema stays as it was.
    refuseNewerLiveState(db);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // A write takes the lock now, not at the first chat: a second process stops at start-up.
    db.exec('BEGIN IMMEDIATE; COMMIT;');
    migrateLiveState(db);
    return db;
  } catch (error) {
    db?.close();
    const message = (error as Error).message;
    const reason = /locked|busy/i.test(message)
      ? 'in use by another process (is another Chat Service running on this file?)'
      : message;
    throw new LiveStateError(file, reason);
  }
}
