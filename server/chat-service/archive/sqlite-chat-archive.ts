import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import { migrateArchive } from './archive-schema';
import { fromRows, toChatRow, toMessageRows, type ChatRow, type MessageRow } from './archive-rows';
import type { ChatRating } from '../../protocol/agent-api';
import type {
  ArchivedChat,
  ArchiveQuery,
  ChatArchive,
  GroupRatings,
  OfflineMessage,
  RatingOutcome,
} from './chat-archive';
import {
  fromOfflineMessageRow,
  offlineColumns,
  toOfflineMessageRow,
  type OfflineMessageRow,
} from './offline-message-rows';

/** The archive file cannot be opened or read: start-up stops on it, naming the file. */
export class ChatArchiveError extends Error {
  override readonly name = 'ChatArchiveError';

  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`Chat archive ${file}: ${reason}`);
  }
}

/** How long a readiness check waits for a lock held elsewhere before the file counts as unwritable. */
const writeCheckTimeoutMs = 250;

/** The search keys an ArchiveQuery may give, each with the condition it adds. */
const searchFilters = [
  ['customerId', 'customer_id = @customerId'],
  ['sessionId', 'session_id = @sessionId'],
  ['email', 'email_key = @email'],
  ['phone', 'phone_number = @phone'],
  ['from', 'requested_at >= @from'],
  ['to', 'requested_at <= @to'],
] as const satisfies readonly (readonly [keyof ArchiveQuery, string])[];

type SearchParams = Record<(typeof searchFilters)[number][0], string | number | null> & {
  groups: string;
  limit: number;
};

interface RatingParams {
  chatId: string;
  rating: number;
  comment: string;
  ratedAt: number;
}

interface GroupRatingRow {
  groupId: number;
  count: number;
  average: number;
}

/**
 * Ended chats in a SQLite file (WAL), so a restart loses none. Each chat is a row of `chats` with
 * indexed search keys, its transcript rows of `messages`; `':memory:'` gives a private database.
 */
export class SqliteChatArchive implements ChatArchive {
  private readonly db: Db;
  private readonly insertChat: Statement<[ChatRow]>;
  private readonly insertMessage: Statement<[MessageRow]>;
  private readonly deleteChat: Statement<[string]>;
  private readonly selectChat: Statement<[string], ChatRow>;
  private readonly selectMessages: Statement<[string], MessageRow>;
  private readonly updateRating: Statement<[RatingParams]>;
  private readonly selectRatings: Statement<[string], GroupRatingRow>;
  private readonly insertOffline: Statement<[OfflineMessageRow]>;
  private readonly selectOffline: Statement<[{ groups: string; limit: number }], OfflineMessageRow>;
  /** One statement per combination of search keys, so each can use its index. */
  private readonly searches = new Map<string, Statement<[SearchParams], ChatRow>>();

  constructor(readonly file: string) {
    this.db = openDatabase(file);
    this.insertChat = this.db.prepare<[ChatRow]>(
      `INSERT INTO chats (${chatColumns.join(', ')})
       VALUES (${chatColumns.map((column) => `@${column}`).join(', ')})`,
    );
    this.insertMessage = this.db.prepare<[MessageRow]>(
      `INSERT INTO messages (${messageColumns.join(', ')})
       VALUES (${messageColumns.map((column) => `@${column}`).join(', ')})`,
    );
    this.deleteChat = this.db.prepare<[string]>('DELETE FROM chats WHERE chat_id = ?');
    this.selectChat = this.db.prepare<[string], ChatRow>('SELECT * FROM chats WHERE chat_id = ?');
    this.selectMessages = this.db.prepare<[string], MessageRow>(
      'SELECT * FROM messages WHERE chat_id = ? ORDER BY position',
    );
    this.updateRating = this.db.prepare<[RatingParams]>(
      `UPDATE chats SET rating = @rating, rating_comment = @comment, rated_at = @ratedAt
       WHERE chat_id = @chatId AND rating IS NULL`,
    );
    this.selectRatings = this.db.prepare<[string], GroupRatingRow>(
      `SELECT service_group_id AS groupId, COUNT(*) AS count, AVG(rating) AS average FROM chats
       WHERE rating IS NOT NULL AND service_group_id IN (SELECT value FROM json_each(?))
       GROUP BY service_group_id`,
    );
    this.insertOffline = this.db.prepare<[OfflineMessageRow]>(
      `INSERT INTO offline_messages (${offlineColumns.join(', ')})
       VALUES (${offlineColumns.map((column) => `@${column}`).join(', ')})`,
    );
    this.selectOffline = this.db.prepare(
      `SELECT * FROM offline_messages
       WHERE service_group_id IN (SELECT value FROM json_each(@groups))
       ORDER BY left_at DESC, rowid DESC LIMIT @limit`,
    );
  }

  rate(chatId: string, rating: ChatRating): RatingOutcome {
    const { changes } = this.updateRating.run({
      chatId,
      rating: rating.Rating,
      comment: rating.Comment,
      ratedAt: Date.parse(rating.RatedAt),
    });
    if (changes === 1) return 'rated';
    return this.selectChat.get(chatId) === undefined ? 'unknownChat' : 'alreadyRated';
  }

  ratingsByGroup(serviceGroupIds: readonly number[]): Map<number, GroupRatings> {
    const rows = this.selectRatings.all(JSON.stringify(serviceGroupIds));
    return new Map(rows.map((row) => [row.groupId, { count: row.count, average: row.average }]));
  }

  saveOfflineMessage(message: OfflineMessage): void {
    this.insertOffline.run(toOfflineMessageRow(message));
  }

  offlineMessages(serviceGroupIds: readonly number[], limit: number): OfflineMessage[] {
    return this.selectOffline
      .all({ groups: JSON.stringify(serviceGroupIds), limit })
      .map(fromOfflineMessageRow);
  }

  save(chat: ArchivedChat): void {
    // Saving a chat again replaces it whole; its old messages go with the row (ON DELETE CASCADE).
    this.db.transaction(() => {
      this.deleteChat.run(chat.ChatID);
      this.insertChat.run(toChatRow(chat));
      for (const message of toMessageRows(chat)) this.insertMessage.run(message);
    })();
  }

  get(chatId: string): ArchivedChat | undefined {
    const row = this.selectChat.get(chatId);
    return row === undefined ? undefined : this.withMessages(row);
  }

  search(query: ArchiveQuery): ArchivedChat[] {
    const params: SearchParams = {
      customerId: query.customerId ?? null,
      sessionId: query.sessionId ?? null,
      email: query.email?.toLowerCase() ?? null,
      phone: query.phone ?? null,
      from: query.from ?? null,
      to: query.to ?? null,
      groups: JSON.stringify(query.serviceGroupIds),
      limit: query.limit,
    };
    const conditions = searchFilters
      .filter(([key]) => params[key] !== null)
      .map(([, condition]) => condition);
    return this.searchStatement(conditions)
      .all(params)
      .map((row) => this.withMessages(row));
  }

  /**
   * Commits one row (a table of its own, made on first use) so that a file that cannot be written,
   * or a lock held elsewhere for longer than a moment, throws here rather than at the next chat.
   */
  checkWritable(): void {
    const busyTimeout: unknown = this.db.pragma('busy_timeout', { simple: true });
    this.db.pragma(`busy_timeout = ${writeCheckTimeoutMs}`);
    try {
      this.db.exec(
        'CREATE TABLE IF NOT EXISTS write_check (id INTEGER PRIMARY KEY CHECK (id = 1), checked_at INTEGER NOT NULL)',
      );
      this.db
        .prepare('INSERT OR REPLACE INTO write_check (id, checked_at) VALUES (1, ?)')
        .run(Date.now());
    } finally {
      this.db.pragma(`busy_timeout = ${Number(busyTimeout)}`);
    }
  }

  close(): void {
    this.db.close();
  }

  private searchStatement(conditions: readonly string[]): Statement<[SearchParams], ChatRow> {
    const where = ['service_group_id IN (SELECT value FROM json_each(@groups))', ...conditions];
    // Newest first; chats requested in the same millisecond keep the order they were archived in.
    const sql = `SELECT * FROM chats WHERE ${where.join(' AND ')}
                 ORDER BY requested_at DESC, rowid LIMIT @limit`;
    let statement = this.searches.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare<[SearchParams], ChatRow>(sql);
      this.searches.set(sql, statement);
    }
    return statement;
  }

  private withMessages(row: ChatRow): ArchivedChat {
    return fromRows(row, this.selectMessages.all(row.chat_id));
  }
}

const chatColumns: readonly (keyof ChatRow)[] = [
  'chat_id',
  'state',
  'termination_cause',
  'ended_by',
  'tenant_id',
  'service_group_id',
  'service_group_name',
  'agent_id',
  'agent_ids',
  'internal_session_id',
  'session_id',
  'customer_id',
  'customer_id_verified',
  'customer_name',
  'email_address',
  'email_key',
  'phone_number',
  'from_field',
  'private_data',
  'initial_message',
  'initial_message_to_agent',
  'time_zone_offset',
  'requested_at',
  'answered_at',
  'ended_at',
  'rating',
  'rating_comment',
  'rated_at',
];

const messageColumns: readonly (keyof MessageRow)[] = [
  'chat_id',
  'position',
  'sent_at',
  'sender',
  'name',
  'message',
  'attachment_id',
  'attachment_name',
  'attachment_size',
  'agent_only',
];

/** Opens (creating the file and its folder if need be) and migrates; any failure names the file. */
function openDatabase(file: string): Db {
  const inMemory = file === ':memory:';
  let db: Db | undefined;
  try {
    if (!inMemory) mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
    // WAL: readers (searches) never wait for the writer, and a crash loses no committed chat.
    // The first statement is also the first read of the file: a corrupt one fails here.
    if (!inMemory) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    migrateArchive(db);
    return db;
  } catch (error) {
    db?.close();
    throw new ChatArchiveError(file, (error as Error).message);
  }
}
