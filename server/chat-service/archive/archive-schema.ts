import type { Database } from 'better-sqlite3';
import { migrate, type Migrations } from '../sqlite/schema-migrations';

/** The archive's schema, one step per version (see Migrations). */
const migrations: Migrations = [
  `
  CREATE TABLE chats (
    chat_id TEXT PRIMARY KEY,
    state INTEGER NOT NULL,
    termination_cause INTEGER,
    ended_by TEXT,
    tenant_id INTEGER NOT NULL,
    service_group_id INTEGER NOT NULL,
    service_group_name TEXT NOT NULL,
    agent_id TEXT,
    -- JSON array of every agent that handled the chat, in order.
    agent_ids TEXT NOT NULL,
    internal_session_id INTEGER NOT NULL,
    session_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    customer_name TEXT NOT NULL,
    email_address TEXT NOT NULL,
    -- Lower-cased e-mail address: searches ignore case.
    email_key TEXT NOT NULL,
    phone_number TEXT NOT NULL,
    from_field TEXT NOT NULL,
    private_data TEXT NOT NULL,
    initial_message TEXT NOT NULL,
    initial_message_to_agent TEXT NOT NULL,
    time_zone_offset INTEGER,
    -- Times in epoch milliseconds.
    requested_at INTEGER NOT NULL,
    answered_at INTEGER,
    ended_at INTEGER
  ) STRICT;
  CREATE INDEX chats_customer_id ON chats (customer_id);
  CREATE INDEX chats_session_id ON chats (session_id);
  CREATE INDEX chats_email_key ON chats (email_key);
  CREATE INDEX chats_phone_number ON chats (phone_number);
  CREATE INDEX chats_requested_at ON chats (requested_at);

  CREATE TABLE messages (
    chat_id TEXT NOT NULL REFERENCES chats (chat_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    sent_at INTEGER NOT NULL,
    sender TEXT NOT NULL,
    name TEXT NOT NULL,
    message TEXT NOT NULL,
    -- Attachments keep their name and size only; the data is not archived.
    attachment_id TEXT,
    attachment_name TEXT,
    attachment_size INTEGER,
    agent_only INTEGER NOT NULL,
    PRIMARY KEY (chat_id, position),
    CHECK ((attachment_id IS NULL) = (attachment_name IS NULL)
      AND (attachment_id IS NULL) = (attachment_size IS NULL))
  ) STRICT, WITHOUT ROWID;
  `,
  `
  -- 1 when CustomerChat verified the CustomerID (IdentityVerificationSecret).
  ALTER TABLE chats ADD COLUMN customer_id_verified INTEGER NOT NULL DEFAULT 0;
  `,
  `
  -- Messages left for a closed group (LeaveMessage); left_at in epoch milliseconds.
  CREATE TABLE offline_messages (
    message_id TEXT PRIMARY KEY,
    tenant_id INTEGER NOT NULL,
    service_group_id INTEGER NOT NULL,
    service_group_name TEXT NOT NULL,
    customer_name TEXT NOT NULL,
    email_address TEXT NOT NULL,
    message TEXT NOT NULL,
    left_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX offline_messages_group ON offline_messages (service_group_id, left_at);
  `,
  `
  -- The customer's rating (RateChat), set once after the chat ended; rated_at in epoch milliseconds.
  ALTER TABLE chats ADD COLUMN rating INTEGER CHECK (rating BETWEEN 1 AND 5);
  ALTER TABLE chats ADD COLUMN rating_comment TEXT;
  ALTER TABLE chats ADD COLUMN rated_at INTEGER;
  -- The overview's average per group reads the rated chats only.
  CREATE INDEX chats_rated ON chats (service_group_id, rating) WHERE rating IS NOT NULL;
  `,
];

export const archiveSchemaVersion = migrations.length;

/** Brings the archive to the current schema; a file of a newer Chat Service is left untouched. */
export function migrateArchive(db: Database): void {
  migrate(db, migrations);
}
