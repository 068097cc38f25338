import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ChatSnapshot, LiveStateStore } from './live-state-store';
import { migrate } from '../sqlite/schema-migrations';
import { liveStateMigrations } from './live-state-schema';
import { MemoryLiveState } from './memory-live-state';
import { LiveStateError } from './live-state-file';
import { SqliteLiveState } from './sqlite-live-state';
import { queuedChatSnapshot } from '../../../tests/support/live-state-fixtures';

const folder = mkdtempSync(join(tmpdir(), 'live-state-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;

/** Each engine: a new store, and the store a restarted process would open on the same data. */
const engines: [
  string,
  () => { open: () => LiveStateStore; reopen: (store: LiveStateStore) => LiveStateStore },
][] = [
  [
    'memory',
    () => ({
      open: () => new MemoryLiveState(),
      reopen: (store) => (store as MemoryLiveState).afterCrash(),
    }),
  ],
  [
    'SQLite',
    () => {
      const file = join(folder, `live-${files++}.sqlite`);
      return {
        open: () => new SqliteLiveState(file, () => undefined),
        reopen: (store) => {
          store.close();
          return new SqliteLiveState(file, () => undefined);
        },
      };
    },
  ],
  [
    'SQLite, killed before its change log was folded,',
    () => {
      const file = join(folder, `live-${files++}.sqlite`);
      return {
        open: () => new SqliteLiveState(file, () => undefined),
        reopen: (store) => (store as SqliteLiveState).afterCrash(),
      };
    },
  ],
];

function chat(id: string, lastSeq = 0): { id: string; snapshot(): ChatSnapshot } {
  return { id, snapshot: () => queuedChatSnapshot(id, lastSeq) };
}

describe.each(engines)('The %s live state', (_name, engine) => {
  test('when changes are committed, then a reopened store reads them back in order', async () => {
    const { open, reopen } = engine();
    const store = open();
    store.putChat(chat('a', 3));
    store.appendEntry(
      'a',
      0,
      {
        at: 1,
        from: 'Customer',
        name: 'Ann',
        message: 'file.txt',
        attachment: { id: '1', fileName: 'file.txt' },
        agentOnly: false,
        attachmentData: Buffer.from('hello'),
      },
      'm1',
    );
    for (const seq of [1, 2, 3]) store.pushEvent('chat:a', { seq, event: { n: seq } });
    store.dropEvents('chat:a', 1);
    store.putSession({ tokenHash: 'h', agentId: 'bob', lastSeenAt: 5 });
    store.putMeta('nextSessionId', 7);
    await store.commit();
    const image = reopen(store).load();
    expect(image.chats).toHaveLength(1);
    expect(image.chats[0]?.snapshot.lastSeq).toBe(3);
    expect(image.chats[0]?.entries[0]?.attachmentData?.toString()).toBe('hello');
    expect(image.chats[0]?.messageIds).toEqual(['m1']);
    expect(image.chats[0]?.events).toEqual([
      { seq: 2, event: { n: 2 } },
      { seq: 3, event: { n: 3 } },
    ]);
    expect(image.sessions).toEqual([{ tokenHash: 'h', agentId: 'bob', lastSeenAt: 5 }]);
    expect(image.meta.get('nextSessionId')).toBe(7);
  });

  test('when a stream is dropped whole and starts again at Seq 1, then only its new events are read back', async () => {
    const { open, reopen } = engine();
    const store = open();
    store.putAgent({
      id: 'bob',
      snapshot: () => ({ id: 'bob', loggedIn: true, ready: true, idleSince: 0, lastSeq: 2 }),
    });
    for (const seq of [1, 2]) store.pushEvent('agent:bob', { seq, event: { old: seq } });
    await store.commit();
    store.dropEvents('agent:bob', Infinity);
    for (const seq of [1, 2, 3]) store.pushEvent('agent:bob', { seq, event: { new: seq } });
    store.dropEvents('agent:bob', 1);
    await store.commit();
    const image = reopen(store).load();
    expect(image.agents[0]?.events).toEqual([
      { seq: 2, event: { new: 2 } },
      { seq: 3, event: { new: 3 } },
    ]);
    expect(image.readSeqs.get('agent:bob')).toBe(1);
  });

  test('when a chat is dropped, then nothing of it is read back', async () => {
    const { open, reopen } = engine();
    const store = open();
    store.putChat(chat('a'));
    store.pushEvent('chat:a', { seq: 1, event: {} });
    await store.commit();
    store.dropChat('a');
    store.dropSession('none');
    await store.commit();
    const image = reopen(store).load();
    expect(image.chats).toEqual([]);
  });
});

describe('The SQLite live state file', () => {
  test('when the file has a newer schema, then opening it fails naming the file and leaves it as it was', () => {
    const file = join(folder, 'newer.sqlite');
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    const before = readFileSync(file);
    expect(() => new SqliteLiveState(file, () => undefined)).toThrow(LiveStateError);
    expect(() => new SqliteLiveState(file, () => undefined)).toThrow(
      /newer.sqlite.*schema version 99/,
    );
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  test('when the file was written by the version that kept message ids apart, then its transcript, attachments and message ids are read back with the new ones after them', async () => {
    const file = join(folder, 'version-2.sqlite');
    const db = new Database(file);
    migrate(db, liveStateMigrations.slice(0, 2));
    db.prepare('INSERT INTO chats (chat_id, snapshot) VALUES (?, ?)').run(
      'a',
      JSON.stringify(chat('a').snapshot()),
    );
    db.prepare(
      'INSERT INTO entries (chat_id, position, entry, attachment) VALUES (?, ?, ?, ?)',
    ).run(
      'a',
      0,
      JSON.stringify({
        at: 1,
        from: 'Customer',
        name: 'Ann',
        message: 'file.txt',
        attachment: { id: '1', fileName: 'file.txt' },
        agentOnly: false,
      }),
      Buffer.from('hello'),
    );
    for (const id of ['old1', 'old2'])
      db.prepare('INSERT INTO message_ids (chat_id, message_id) VALUES (?, ?)').run('a', id);
    db.close();
    const store = new SqliteLiveState(file, () => undefined);
    store.appendEntry(
      'a',
      1,
      {
        at: 2,
        from: 'Customer',
        name: 'Ann',
        message: 'hi',
        attachment: null,
        agentOnly: false,
        attachmentData: null,
      },
      'new1',
    );
    await store.commit();
    store.close();
    const reopened = new SqliteLiveState(file, () => undefined);
    const [restored] = reopened.load().chats;
    reopened.close();
    expect(restored?.entries.map((entry) => entry.message)).toEqual(['file.txt', 'hi']);
    expect(restored?.entries[0]?.attachmentData?.toString()).toBe('hello');
    expect(restored?.entries[1]?.attachmentData).toBeNull();
    expect(restored?.messageIds).toEqual(['old1', 'old2', 'new1']);
  });
});
