import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ChatState, TerminationCause } from '../../protocol/enums';
import { archiveSchemaVersion } from './archive-schema';
import { InMemoryChatArchive, type ArchivedChat, type ChatArchive } from './chat-archive';
import { ChatArchiveError, SqliteChatArchive } from './sqlite-chat-archive';

const at = (hhmm: string) => `2026-01-05T${hhmm}:00.000Z`;

function archivedChat(overrides: Partial<ArchivedChat> = {}): ArchivedChat {
  return {
    ChatID: 'chat-1',
    State: ChatState.Terminated,
    TerminationCause: TerminationCause.General,
    EndedBy: 'Agent',
    TenantID: -1,
    ServiceGroupID: 1,
    ServiceGroupName: 'Sales',
    AgentID: 'bob',
    InternalSessionID: 7,
    SessionID: 'session-1',
    CustomerID: 'customer-1',
    CustomerIDVerified: true,
    CustomerName: 'Ann',
    EmailAddress: 'Ann@Example.com',
    PhoneNumber: '+46701234567',
    From: 'Ann@Example.com',
    PrivateData: 'order=1234',
    InitialMessage: 'Hi',
    InitialMessageToAgent: 'VIP',
    TimeZoneOffset: -60,
    RequestedAt: at('09:00'),
    AnsweredAt: '2026-01-05T09:00:30.250Z',
    EndedAt: at('09:10'),
    QueuePosition: 0,
    Transcript: [
      {
        From: 'Customer',
        Name: 'Ann',
        Message: 'receipt.pdf',
        TimeStamp: at('09:01'),
        Attachment: { AttachmentID: '1', FileName: 'receipt.pdf', Size: 2048 },
        AgentOnly: false,
      },
      {
        From: 'System',
        Name: '',
        Message: 'Transferred by Alice to Bob.',
        TimeStamp: at('09:02'),
        Attachment: null,
        AgentOnly: true,
      },
    ],
    AgentIDs: ['alice', 'bob'],
    Rating: null,
    ...overrides,
  };
}

const everyGroup = { serviceGroupIds: [1, 2], limit: 100 };

describe.each([
  ['SqliteChatArchive', () => new SqliteChatArchive(':memory:')],
  ['InMemoryChatArchive', () => new InMemoryChatArchive()],
])('%s', (_name, create: () => ChatArchive) => {
  let archive: ChatArchive;
  beforeEach(() => {
    archive = create();
  });
  afterEach(() => archive.close());

  const ids = (chats: ArchivedChat[]) => chats.map((chat) => chat.ChatID);

  test('when a chat is saved, then get returns it whole', () => {
    const chat = archivedChat();
    archive.save(chat);
    expect(archive.get('chat-1')).toEqual(chat);
    expect(archive.get('chat-2')).toBeUndefined();
  });

  test('when a chat has no answer, agent, cause or transcript, then the nulls come back', () => {
    const chat = archivedChat({
      TerminationCause: TerminationCause.GroupClosed,
      EndedBy: 'GroupClosed',
      AgentID: null,
      AnsweredAt: null,
      TimeZoneOffset: null,
      Transcript: [],
      AgentIDs: [],
    });
    archive.save(chat);
    expect(archive.get('chat-1')).toEqual(chat);
  });

  test('when a chat is saved again, then it replaces the earlier one', () => {
    archive.save(archivedChat());
    const again = archivedChat({ Transcript: [], CustomerName: 'Ann B' });
    archive.save(again);
    expect(archive.get('chat-1')).toEqual(again);
    expect(ids(archive.search(everyGroup))).toEqual(['chat-1']);
  });

  test('when searching, then each key, the dates and the groups narrow the result, newest first', () => {
    archive.save(archivedChat());
    archive.save(
      archivedChat({
        ChatID: 'chat-2',
        ServiceGroupID: 2,
        SessionID: 'session-2',
        CustomerID: 'customer-2',
        EmailAddress: 'bo@example.com',
        PhoneNumber: '+4631000000',
        RequestedAt: at('10:00'),
      }),
    );
    archive.save(archivedChat({ ChatID: 'chat-3', RequestedAt: at('11:00') }));
    const search = (query: Record<string, unknown>) =>
      ids(archive.search({ ...everyGroup, ...query }));
    expect(search({})).toEqual(['chat-3', 'chat-2', 'chat-1']);
    expect(search({ customerId: 'customer-2' })).toEqual(['chat-2']);
    expect(search({ sessionId: 'session-1' })).toEqual(['chat-3', 'chat-1']);
    expect(search({ email: 'ann@EXAMPLE.com' })).toEqual(['chat-3', 'chat-1']);
    expect(search({ phone: '+4631000000' })).toEqual(['chat-2']);
    expect(search({ from: Date.parse(at('10:00')) })).toEqual(['chat-3', 'chat-2']);
    expect(search({ to: Date.parse(at('10:00')) })).toEqual(['chat-2', 'chat-1']);
    expect(search({ from: Date.parse(at('09:30')), to: Date.parse(at('10:30')) })).toEqual([
      'chat-2',
    ]);
    expect(search({ sessionId: 'session-1', to: Date.parse(at('10:00')) })).toEqual(['chat-1']);
    expect(search({ serviceGroupIds: [2] })).toEqual(['chat-2']);
    expect(search({ serviceGroupIds: [] })).toEqual([]);
    expect(search({ limit: 2 })).toEqual(['chat-3', 'chat-2']);
    expect(search({ customerId: 'nobody' })).toEqual([]);
  });

  test('when chats were requested in the same millisecond, then they keep the order they were saved in', () => {
    for (const chatId of ['b', 'a', 'c']) archive.save(archivedChat({ ChatID: chatId }));
    expect(ids(archive.search(everyGroup))).toEqual(['b', 'a', 'c']);
  });

  test('when offline messages are saved, then each group reads its own, newest first, as many as asked', () => {
    const left = (id: string, group: number, at: string) => ({
      MessageID: id,
      TenantID: -1,
      ServiceGroupID: group,
      ServiceGroupName: group === 1 ? 'Sales' : 'Support',
      CustomerName: 'Olga',
      EmailAddress: 'olga@example.com',
      Message: `Message ${id}\nsecond line`,
      LeftAt: at,
    });
    archive.saveOfflineMessage(left('m1', 1, at('09:00')));
    archive.saveOfflineMessage(left('m2', 2, at('09:05')));
    archive.saveOfflineMessage(left('m3', 1, at('09:10')));
    archive.saveOfflineMessage(left('m4', 1, at('09:10')));
    expect(archive.offlineMessages([1], 10)).toEqual([
      left('m4', 1, at('09:10')),
      left('m3', 1, at('09:10')),
      left('m1', 1, at('09:00')),
    ]);
    expect(archive.offlineMessages([1, 2], 2).map((m) => m.MessageID)).toEqual(['m4', 'm3']);
    expect(archive.offlineMessages([], 10)).toEqual([]);
  });

  test('when a chat is rated, then it keeps that one rating, a second is refused, and each group averages its own', () => {
    const rating = (value: number, comment = '') => ({
      Rating: value,
      Comment: comment,
      RatedAt: at('09:20'),
    });
    archive.save(archivedChat({ ChatID: 'a' }));
    archive.save(archivedChat({ ChatID: 'b' }));
    archive.save(archivedChat({ ChatID: 'c', ServiceGroupID: 2 }));
    archive.save(archivedChat({ ChatID: 'd' }));
    expect(archive.rate('a', rating(5, 'Quick <b>and</b> kind'))).toBe('rated');
    expect(archive.rate('a', rating(1))).toBe('alreadyRated');
    expect(archive.rate('b', rating(2))).toBe('rated');
    expect(archive.rate('c', rating(4))).toBe('rated');
    expect(archive.rate('nope', rating(3))).toBe('unknownChat');
    expect(archive.get('a')?.Rating).toEqual(rating(5, 'Quick <b>and</b> kind'));
    expect(archive.get('d')?.Rating).toBeNull();
    expect(
      archive
        .search({ ...everyGroup, customerId: 'customer-1' })
        .map((c) => c.Rating?.Rating ?? null),
    ).toEqual([5, 2, 4, null]);
    expect([...archive.ratingsByGroup([1, 2, 3])]).toEqual([
      [1, { count: 2, average: 3.5 }],
      [2, { count: 1, average: 4 }],
    ]);
    expect([...archive.ratingsByGroup([2])]).toEqual([[2, { count: 1, average: 4 }]]);
  });
});

describe('SqliteChatArchive on a file', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'chat-archive-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  test('when the file does not exist, then it and its folder are made, in WAL mode at the current schema', () => {
    const file = join(folder, 'data', 'archive.sqlite');
    new SqliteChatArchive(file).close();
    expect(existsSync(file)).toBe(true);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(archiveSchemaVersion);
    db.close();
  });

  test('when the file is opened again, then its chats are there', () => {
    const file = join(folder, 'archive.sqlite');
    const first = new SqliteChatArchive(file);
    first.save(archivedChat());
    first.close();
    const second = new SqliteChatArchive(file);
    expect(second.get('chat-1')).toEqual(archivedChat());
    second.close();
  });

  test('when a file of schema 1 is opened, then it gains the verified column and its chats read as unverified', () => {
    const file = join(folder, 'archive.sqlite');
    const first = new SqliteChatArchive(file);
    first.save(archivedChat());
    first.close();
    // Back to how the first shipped schema left the file.
    const db = new Database(file);
    db.exec(`DROP INDEX chats_rated;
      ALTER TABLE chats DROP COLUMN rating;
      ALTER TABLE chats DROP COLUMN rating_comment;
      ALTER TABLE chats DROP COLUMN rated_at;
      ALTER TABLE chats DROP COLUMN customer_id_verified;
      DROP TABLE offline_messages`);
    db.pragma('user_version = 1');
    db.close();
    const second = new SqliteChatArchive(file);
    expect(second.get('chat-1')).toEqual(archivedChat({ CustomerIDVerified: false }));
    second.close();
  });

  test('when a file of schema 3 is opened, then its chats read as not rated and can be rated', () => {
    const file = join(folder, 'archive.sqlite');
    const first = new SqliteChatArchive(file);
    first.save(archivedChat());
    first.close();
    const db = new Database(file);
    db.exec(`DROP INDEX chats_rated;
      ALTER TABLE chats DROP COLUMN rating;
      ALTER TABLE chats DROP COLUMN rating_comment;
      ALTER TABLE chats DROP COLUMN rated_at`);
    db.pragma('user_version = 3');
    db.close();
    const second = new SqliteChatArchive(file);
    expect(second.get('chat-1')).toEqual(archivedChat());
    const rating = { Rating: 4, Comment: '', RatedAt: at('09:30') };
    expect(second.rate('chat-1', rating)).toBe('rated');
    second.close();
    const third = new SqliteChatArchive(file);
    expect(third.get('chat-1')?.Rating).toEqual(rating);
    third.close();
  });

  test('when the file is not a database, then opening fails naming the file', () => {
    const file = join(folder, 'archive.sqlite');
    writeFileSync(file, 'not a database '.repeat(100));
    expect(() => new SqliteChatArchive(file)).toThrow(ChatArchiveError);
    expect(() => new SqliteChatArchive(file)).toThrow(
      `Chat archive ${file}: file is not a database`,
    );
  });

  test('when the file comes from a newer version, then it is refused and left as it is', () => {
    const file = join(folder, 'archive.sqlite');
    const db = new Database(file);
    db.pragma(`user_version = ${archiveSchemaVersion + 1}`);
    db.close();
    expect(() => new SqliteChatArchive(file)).toThrow(
      `Chat archive ${file}: its schema version ${archiveSchemaVersion + 1} is newer than this Chat Service knows (${archiveSchemaVersion})`,
    );
    const after = new Database(file, { readonly: true });
    expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([]);
    after.close();
  });
});
