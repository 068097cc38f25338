import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Redis from 'ioredis';
import type { ConversationEvent } from '../../server/customer-chat/session/visitor-events';
import { initialSession } from '../../server/customer-chat/session/visitor-session';
import { MemorySessionStore } from '../../server/customer-chat/store/memory-session-store';
import { RedisSessionStore } from '../../server/customer-chat/store/redis-session-store';
import { maxLoggedEvents, type SessionStore } from '../../server/customer-chat/store/session-store';
import { RedisServer } from '../support/redis-server';

/**
 * One contract, both engines: whatever the memory engine promises a single instance, the Redis
 * engine promises every instance, against a real redis-server.
 */

let redis: RedisServer;
let client: Redis;
let prefixes = 0;

beforeAll(async () => {
  redis = await RedisServer.start();
  client = redis.client();
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

const engines: Array<[string, () => SessionStore]> = [
  ['memory', () => new MemorySessionStore()],
  // Each test its own key prefix: a fresh store on the same Redis.
  ['redis', () => new RedisSessionStore(client, `contract${(prefixes += 1)}:`)],
];

const now = Date.UTC(2026, 0, 5, 9);
const record = (token: string) => ({ token, chatId: `chat-${token}`, customerName: 'Ann' });
const visitor = (text: string, clientMessageId?: string): ConversationEvent => ({
  type: 'message',
  from: 'visitor',
  name: 'Ann',
  text,
  at: now,
  ...(clientMessageId === undefined ? {} : { clientMessageId }),
});

describe.each(engines)('the %s session store', (_name, make) => {
  let store: SessionStore;
  beforeEach(async () => {
    store = make();
    await store.create(record('t1'), initialSession);
  });

  test('when events are appended, then they are numbered 1, 2, 3 and read back after any seq', async () => {
    const first = await store.append('t1', [{ type: 'agentJoined', name: 'Alice' }, visitor('hi')]);
    expect(first).toEqual({
      fenced: false,
      logged: [
        { type: 'agentJoined', name: 'Alice', seq: 1 },
        expect.objectContaining({ text: 'hi', seq: 2 }),
      ],
    });
    await store.append('t1', [visitor('again')]);
    expect((await store.eventsAfter('t1', 1)).map((event) => event.seq)).toEqual([2, 3]);
    expect(await store.eventsAfter('t1', 3)).toEqual([]);
    expect(await store.session('t1')).toMatchObject({ lastSeq: 3, record: record('t1') });
  });

  test('when a visitor message with a seen clientMessageId or a second end comes, then it is not logged again', async () => {
    await store.append('t1', [visitor('one', 'm1')]);
    expect(await store.append('t1', [visitor('one', 'm1'), visitor('two', 'm2')])).toMatchObject({
      logged: [{ text: 'two', seq: 2 }],
    });
    expect(await store.hasMessage('t1', 'm1')).toBe(true);
    expect(await store.hasMessage('t1', 'm3')).toBe(false);
    const end = { type: 'ended', cause: 'general' } as const;
    expect((await store.append('t1', [end])).fenced).toBe(false);
    expect(await store.append('t1', [end])).toEqual({ fenced: false, logged: [] });
  });

  test('when the log passes its bound, then the oldest events go and the seq numbers stay', async () => {
    const many = Array.from({ length: maxLoggedEvents + 5 }, (_, index) => visitor(`m${index}`));
    await store.append('t1', many);
    const kept = await store.eventsAfter('t1', 0);
    expect(kept).toHaveLength(maxLoggedEvents);
    expect(kept[0]?.seq).toBe(6);
    expect((await store.eventsAfter('t1', maxLoggedEvents + 3)).map((event) => event.seq)).toEqual([
      maxLoggedEvents + 4,
      maxLoggedEvents + 5,
    ]);
  });

  test('when two writers update the state from the same version, then only the first succeeds', async () => {
    const { version } = (await store.session('t1'))!;
    const away = { ...awayState, since: now };
    expect(await store.updateState('t1', version, away)).toBe(true);
    expect(await store.updateState('t1', version, { phase: 'ended' })).toBe(false);
    expect(await store.session('t1')).toMatchObject({ state: away, version: version + 1 });
  });

  test('when pages join on two instances and one instance is removed, then only its pages stop counting, once', async () => {
    expect(await store.pageJoined('t1', 'a', 'p1')).toBe(1);
    expect(await store.pageJoined('t1', 'b', 'p2')).toBe(2);
    expect(await store.pageJoined('t1', 'b', 'p2')).toBe(2);
    await store.heartbeat('a', now, 4000);
    await store.heartbeat('b', now + 3000, 4000);
    expect(await store.lapsedInstances(now + 5000)).toEqual(['a']);
    expect(await store.removeInstance('a')).toEqual([{ token: 't1', pages: 1 }]);
    expect(await store.removeInstance('a')).toEqual([]);
    expect(await store.pageLeft('t1', 'b', 'p2')).toBe(0);
    expect((await store.session('t1'))?.pages).toBe(0);
  });

  test('when deadlines fall due, then each is handed to exactly one caller, and cleared ones never', async () => {
    await store.create(record('t2'), initialSession);
    await store.setDeadline('t1', 'warning', now + 40_000);
    await store.setDeadline('t1', 'grace', now + 60_000);
    await store.setDeadline('t2', 'grace', now + 10_000);
    expect(await store.claimDue(now + 5_000, 10)).toEqual([]);
    expect(await store.claimDue(now + 45_000, 10)).toEqual([
      { token: 't2', kind: 'grace' },
      { token: 't1', kind: 'warning' },
    ]);
    expect(await store.claimDue(now + 45_000, 10)).toEqual([]);
    await store.clearDeadlines('t1');
    expect(await store.claimDue(now + 120_000, 10)).toEqual([]);
  });

  test('when a pump lease lapses, then another instance takes it with a higher fence and the old holder can neither store nor renew', async () => {
    expect(await store.unleased(now, 10)).toEqual(['t1']);
    const first = await store.acquireLease('t1', 'a', now, 4000);
    expect(first).toBe(1);
    expect(await store.acquireLease('t1', 'b', now + 1000, 4000)).toBeUndefined();
    expect(await store.unleased(now + 1000, 10)).toEqual([]);
    expect(await store.renewLeases('a', [{ token: 't1', fence: 1 }], now + 2000, 4000)).toEqual([]);
    expect(await store.unleased(now + 5000, 10)).toEqual([]);
    expect(await store.unleased(now + 6000, 10)).toEqual(['t1']);
    const second = await store.acquireLease('t1', 'b', now + 6000, 4000);
    expect(second).toBe(2);
    const late = visitor('from the old holder');
    expect(await store.append('t1', [late], { fence: 1, upstreamSeq: 9 })).toEqual({
      fenced: true,
    });
    expect(await store.renewLeases('a', [{ token: 't1', fence: 1 }], now + 6500, 4000)).toEqual([
      't1',
    ]);
    await store.append('t1', [visitor('from the new one')], { fence: 2, upstreamSeq: 7 });
    expect(await store.session('t1')).toMatchObject({ lastSeq: 1, upstreamSeq: 7 });
  });

  test('when a holder lets go of its lease, then another takes it at once', async () => {
    const fence = (await store.acquireLease('t1', 'a', now, 4000))!;
    await store.releaseLease('t1', fence);
    expect(await store.unleased(now + 1, 10)).toEqual(['t1']);
    expect(await store.acquireLease('t1', 'b', now + 1, 4000)).toBe(fence + 1);
  });

  test('when a chat ends with no retention, then it is gone: no session, no lease, no deadline', async () => {
    await store.setDeadline('t1', 'grace', now);
    await store.end('t1', 0);
    expect(await store.session('t1')).toBeUndefined();
    expect(await store.unleased(now, 10)).toEqual([]);
    expect(await store.acquireLease('t1', 'a', now, 4000)).toBeUndefined();
    expect(await store.claimDue(now, 10)).toEqual([]);
  });

  test('when a file is kept, then its bytes come back whole under its id', async () => {
    const data = Buffer.from([0, 255, 10, 13, 128, 1]);
    const id = await store.keepFile('t1', { name: 'scan.pdf', data });
    expect(await store.file('t1', id)).toEqual({ name: 'scan.pdf', data });
    expect(await store.file('t1', 'nope')).toBeUndefined();
  });

  test('when a staged upload is kept, then its bytes come back whole, and the staged file may go', async () => {
    const data = Buffer.from(Array.from({ length: 70_000 }, (_, index) => index % 251));
    const staged = join(mkdtempSync(join(tmpdir(), 'staged-')), 'upload');
    writeFileSync(staged, data);
    const id = await store.keepFile('t1', { name: 'photo.png', stagedPath: staged });
    rmSync(staged);
    expect(await store.file('t1', id)).toEqual({ name: 'photo.png', data });
  });
});

const awayState = {
  phase: 'away' as const,
  agentPresent: true,
  since: 0,
  agentTold: true,
  messagesWhileAway: 0,
  toldAgentOfMessage: false,
};
