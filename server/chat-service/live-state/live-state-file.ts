import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import type { EventStream } from './live-state-store';
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

/**
 * The statements a fold runs, by name: the fold thread prepares them from this text, and start-up
 * (which folds what a killed process left) on its own connection.
 */
export const writeSql = {
  putChat:
    'INSERT INTO chats (chat_id, snapshot) VALUES (?, ?) ON CONFLICT DO UPDATE SET snapshot = excluded.snapshot',
  putEntry:
    'INSERT OR REPLACE INTO transcript (chat_id, position, entry, client_message_id) VALUES (?, ?, ?, ?)',
  putAttachment: 'INSERT OR REPLACE INTO attachments (chat_id, position, data) VALUES (?, ?, ?)',
  putEvent: 'INSERT OR REPLACE INTO events (stream, seq, event) VALUES (?, ?, ?)',
  dropEvents: 'DELETE FROM events WHERE stream = ? AND seq <= ?',
  dropAllEvents: 'DELETE FROM events WHERE stream = ?',
  putReadSeq:
    'INSERT INTO read_seqs (stream, seq) VALUES (?, ?) ON CONFLICT DO UPDATE SET seq = max(seq, excluded.seq)',
  dropReadSeq: 'DELETE FROM read_seqs WHERE stream = ?',
  dropChatRow: 'DELETE FROM chats WHERE chat_id = ?',
  dropTranscript: 'DELETE FROM transcript WHERE chat_id = ?',
  dropAttachments: 'DELETE FROM attachments WHERE chat_id = ?',
  dropMessageIds: 'DELETE FROM message_ids WHERE chat_id = ?',
  putAgent:
    'INSERT INTO agents (agent_id, snapshot) VALUES (?, ?) ON CONFLICT DO UPDATE SET snapshot = excluded.snapshot',
  putSession:
    'INSERT OR REPLACE INTO sessions (token_hash, agent_id, last_seen_at) VALUES (?, ?, ?)',
  dropSession: 'DELETE FROM sessions WHERE token_hash = ?',
  putMeta: 'INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)',
  /** The change-log generation folded last (change-log-files.ts), in the same transaction. */
  setFolded: 'UPDATE folded SET generation = max(generation, ?)',
} as const;

export type WriteStatement = keyof typeof writeSql;

/** Every statement start-up runs, prepared once: the writes of a fold and the reads of load(). */
export function prepare(db: Db) {
  return {
    write: Object.fromEntries(
      Object.entries(writeSql).map(([name, sql]) => [name, db.prepare(sql)]),
    ) as Record<WriteStatement, Statement>,
    selectReadSeqs: db.prepare<[], { stream: EventStream; seq: number }>(
      'SELECT stream, seq FROM read_seqs',
    ),
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
    selectFolded: db.prepare<[], { generation: number }>('SELECT generation FROM folded'),
    /** Rows a process of schema 4 committed in the file and did not fold. */
    selectLog: db.prepare<[], { batch_id: number; changes: string }>(
      'SELECT batch_id, changes FROM change_log ORDER BY batch_id',
    ),
    dropLog: db.prepare('DELETE FROM change_log'),
  };
}

/**
 * How the file is opened, by start-up and by the fold thread alike: exclusive before the first
 * read (the lock is then held until close, WAL without shared memory), WAL with synchronous=NORMAL.
 */
export const openingPragmas = [
  'locking_mode = EXCLUSIVE',
  'journal_mode = WAL',
  'synchronous = NORMAL',
] as const;
/** A write takes the lock at once, not at the first change: a second process stops at start-up. */
export const takeLock = 'BEGIN IMMEDIATE; COMMIT;';

/**
 * Opens, locks and migrates the file, creating it and its folder when absent. A corrupt file, one
 * of a newer schema or one in use by another process is left as it is and named in the error.
 */
export function openDatabase(file: string): Db {
  let db: Db | undefined;
  try {
    mkdirSync(dirname(file), { recursive: true });
    db = new Database(file, { timeout: 0 });
    const [lock, ...journal] = openingPragmas;
    db.pragma(lock as string);
    // Read before anything is written: a corrupt file or one of a newer schema stays as it was.
    refuseNewerLiveState(db);
    for (const pragma of journal) db.pragma(pragma);
    db.exec(takeLock);
    migrateLiveState(db);
    return db;
  } catch (error) {
    db?.close();
    const message = (error as Error).message;
    throw new LiveStateError(file, reasonOf(message));
  }
}

export type Statements = ReturnType<typeof prepare>;

/** SQLite's message for a file it could not open, as the operator needs to read it. */
export function reasonOf(message: string): string {
  return /locked|busy/i.test(message)
    ? 'in use by another process (is another Chat Service running on this file?)'
    : message;
}
