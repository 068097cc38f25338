import type { Database } from 'better-sqlite3';
import { migrate, refuseNewerSchema, type Migrations } from '../sqlite/schema-migrations';

/** The live state's schema, one step per version (see Migrations). */
export const liveStateMigrations: Migrations = [
  `
  -- One row a chat: its own state as JSON (ChatSnapshot).
  CREATE TABLE chats (chat_id TEXT PRIMARY KEY, snapshot TEXT NOT NULL) STRICT;
  -- The transcript, appended as it grows; attachment data stays only while the chat lives.
  CREATE TABLE entries (
    chat_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    entry TEXT NOT NULL,
    attachment BLOB,
    PRIMARY KEY (chat_id, position)
  ) STRICT;
  -- ClientMessageIDs seen per chat, oldest first by rowid.
  CREATE TABLE message_ids (chat_id TEXT NOT NULL, message_id TEXT NOT NULL) STRICT;
  CREATE INDEX message_ids_chat ON message_ids (chat_id);
  -- Events not yet read, per stream ('chat:<id>' or 'agent:<id>').
  CREATE TABLE events (
    stream TEXT NOT NULL,
    seq INTEGER NOT NULL,
    event TEXT NOT NULL,
    PRIMARY KEY (stream, seq)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE agents (agent_id TEXT PRIMARY KEY, snapshot TEXT NOT NULL) STRICT;
  -- Log-ins by the SHA-256 of their token; the token itself is never written.
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    agent_id TEXT NOT NULL,
    last_seen_at INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
  `,
  `
  -- Per stream, the highest Seq read and dropped, so that no snapshot is written per event.
  CREATE TABLE read_seqs (stream TEXT PRIMARY KEY, seq INTEGER NOT NULL) STRICT;
  `,
  `
  -- One row a transcript entry, with the ClientMessageID it was sent with: a message is one row
  -- (one b-tree), where entries and message_ids took two rows and four b-trees.
  CREATE TABLE transcript (
    chat_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    entry TEXT NOT NULL,
    client_message_id TEXT,
    PRIMARY KEY (chat_id, position)
  ) STRICT, WITHOUT ROWID;
  -- Attachment data of live chats, apart, so that the transcript's rows stay small.
  CREATE TABLE attachments (
    chat_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (chat_id, position)
  ) STRICT;
  INSERT INTO transcript (chat_id, position, entry) SELECT chat_id, position, entry FROM entries;
  INSERT INTO attachments (chat_id, position, data)
    SELECT chat_id, position, attachment FROM entries WHERE attachment IS NOT NULL;
  DROP TABLE entries;
  -- message_ids is no longer written: the ClientMessageIDs a file of version 2 holds are read
  -- back before the transcript's, and go with their chats.
  `,
  `
  -- Committed batches not yet folded into the tables above, one row a batch (a JSON array of
  -- change records, change-log.ts): a batch appends one row where its changes would dirty a page
  -- of every chat and agent they touch. Folded in the background and at start-up, in order.
  CREATE TABLE change_log (batch_id INTEGER PRIMARY KEY, changes TEXT NOT NULL) STRICT;
  `,
  `
  -- The change log moves into files of its own beside this one (change-log-files.ts), appended
  -- without a transaction and folded in by a thread of its own; this file keeps the generation of
  -- those files folded in last. change_log is read once more at start-up, then left empty.
  CREATE TABLE folded (generation INTEGER NOT NULL) STRICT;
  INSERT INTO folded (generation) VALUES (0);
  `,
];

/** Throws when the file was written by a newer Chat Service, before anything touches it. */
export function refuseNewerLiveState(db: Database): void {
  refuseNewerSchema(db, liveStateMigrations);
}

/** Brings the file to the current schema; one of a newer version is refused, untouched. */
export function migrateLiveState(db: Database): void {
  migrate(db, liveStateMigrations);
}
