import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryChatArchive } from '../../server/chat-service/archive/chat-archive';
import { SqliteChatArchive } from '../../server/chat-service/archive/sqlite-chat-archive';
import type { ArchivedChat } from '../../server/chat-service/archive/chat-archive';
import type { ChatDetails } from '../../server/protocol/agent-api';
import type { RequestChatResponse } from '../../server/protocol/customer-api';
import { ChatState, TerminationCause } from '../../server/protocol/enums';
import { startChatService, type ChatServiceHarness } from '../support/chat-service-harness';

let folder: string;
let archiveFile: string;
let running: ChatServiceHarness | undefined;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'archive-durability-'));
  archiveFile = join(folder, 'archive.sqlite');
});
afterEach(async () => {
  await running?.stop();
  running = undefined;
  rmSync(folder, { recursive: true, force: true });
});

/** A Chat Service on the test's archive file; agents stay logged in for hours of test time. */
async function start(): Promise<ChatServiceHarness> {
  running = await startChatService({ ArchiveFile: archiveFile, AgentSessionTimeoutSeconds: 86400 });
  return running;
}

async function restart(): Promise<ChatServiceHarness> {
  await running?.stop();
  running = undefined;
  return start();
}

async function requestChat(h: ChatServiceHarness, fields: Record<string, unknown>) {
  const result = await h.customer<RequestChatResponse>('RequestChat', fields);
  if (result.body.ChatID === null) throw new Error(`no chat: ${JSON.stringify(result.body)}`);
  return result.body.ChatID;
}

async function getChat(h: ChatServiceHarness, token: string, chatId: string) {
  const result = await h.agent<ChatDetails>(token, 'GetChat', { ChatID: chatId });
  expect(result.status).toBe(200);
  return result.body;
}

async function search(h: ChatServiceHarness, token: string, query: Record<string, unknown>) {
  const result = await h.agent<{ Chats: ArchivedChat[] }>(token, 'SearchArchive', query);
  expect(result.status).toBe(200);
  return result.body.Chats;
}

const ann = {
  SessionID: 'session-ann',
  CustomerID: 'customer-ann',
  CustomerName: 'Ann',
  EmailAddress: 'ann@example.com',
  PhoneNumber: '+46701234567',
};
const bo = {
  SessionID: 'session-bo',
  CustomerID: 'customer-bo',
  CustomerName: 'Bo',
  EmailAddress: 'bo@example.com',
  PhoneNumber: '+4631000000',
};

/**
 * Three chats ended through the APIs: Sales at 09:00 (Ann; an attachment; alice leaves),
 * Support at 10:00 (Bo phones in without an e-mail address and leaves while queued) and Support at
 * 11:00 (Bo again; the group closes when alice logs out).
 */
async function endThreeChats(h: ChatServiceHarness) {
  const alice = await h.login('alice', { ready: true });
  const sales = await requestChat(h, { ServiceGroupID: 1, ...ann });
  h.time.advance(5_000);
  await h.agent(alice, 'AcceptChat', { ChatID: sales });
  h.time.advance(10_000);
  const receipt = Buffer.from('order 1234, paid');
  await h.customer('SendMessage', {
    ChatID: sales,
    Message: 'receipt.txt',
    Attachment: receipt.toString('base64'),
  });
  await h.agent(alice, 'SendMessage', { ChatID: sales, Message: 'Thanks, found it.' });
  h.time.advance(45_000);
  await h.agent(alice, 'LeaveChat', { ChatID: sales });

  h.time.advance(3600_000 - 60_000);
  await h.agent(alice, 'SetReady', { Ready: false });
  const queued = await requestChat(h, { ServiceGroupID: 2, ...bo, EmailAddress: '' });
  h.time.advance(30_000);
  await h.customer('LeaveChat', { ChatID: queued });

  h.time.advance(3600_000 - 30_000);
  const closed = await requestChat(h, { ServiceGroupID: 2, ...bo });
  await h.agent(alice, 'Logout');
  return { sales, queued, closed, receiptSize: receipt.length };
}

describe('The archive across a restart', () => {
  test('when the Chat Service restarts on the same file, then GetChat and SearchArchive find every ended chat whole', async () => {
    const before = await start();
    const { sales, queued, closed, receiptSize } = await endThreeChats(before);
    const aliceBefore = await before.login('alice');
    const archivedBefore = await search(before, aliceBefore, {});

    const after = await restart();
    const alice = await after.login('alice');
    expect(await search(after, alice, {})).toEqual(archivedBefore);
    expect(archivedBefore.map((chat) => chat.ChatID)).toEqual([closed, queued, sales]);

    const salesChat = await getChat(after, alice, sales);
    expect(salesChat).toMatchObject({
      State: ChatState.Terminated,
      TerminationCause: TerminationCause.General,
      EndedBy: 'Agent',
      ServiceGroupID: 1,
      ServiceGroupName: 'Sales',
      AgentID: 'alice',
      ...ann,
      From: 'ann@example.com',
      RequestedAt: '2026-01-05T09:00:00.000Z',
      AnsweredAt: '2026-01-05T09:00:05.000Z',
      EndedAt: '2026-01-05T09:01:00.000Z',
    });
    expect(salesChat.Transcript).toEqual([
      {
        From: 'Customer',
        Name: 'Ann',
        Message: 'receipt.txt',
        TimeStamp: '2026-01-05T09:00:15.000Z',
        Attachment: {
          AttachmentID: expect.any(String),
          FileName: 'receipt.txt',
          Size: receiptSize,
        },
        AgentOnly: false,
      },
      {
        From: 'Agent',
        Name: 'Alice',
        Message: 'Thanks, found it.',
        TimeStamp: '2026-01-05T09:00:15.000Z',
        Attachment: null,
        AgentOnly: false,
      },
    ]);
    expect(await getChat(after, alice, queued)).toMatchObject({
      TerminationCause: TerminationCause.General,
      EndedBy: 'Customer',
      From: '+4631000000',
      AnsweredAt: null,
      EndedAt: '2026-01-05T10:00:30.000Z',
      Transcript: [],
    });
    expect(await getChat(after, alice, closed)).toMatchObject({
      TerminationCause: TerminationCause.GroupClosed,
      EndedBy: 'GroupClosed',
      From: 'bo@example.com',
      RequestedAt: '2026-01-05T11:00:00.000Z',
    });
  });

  test('when an agent searches after a restart, then each key and the date range find the chats of its own groups only', async () => {
    const { sales, queued, closed } = await endThreeChats(await start());
    const h = await restart();
    const alice = await h.login('alice');
    const bob = await h.login('bob');
    const ids = async (token: string, query: Record<string, unknown>) =>
      (await search(h, token, query)).map((chat) => chat.ChatID);
    expect(await ids(alice, { CustomerID: 'customer-ann' })).toEqual([sales]);
    expect(await ids(alice, { SessionID: 'session-bo' })).toEqual([closed, queued]);
    expect(await ids(alice, { EmailAddress: 'BO@example.com' })).toEqual([closed]);
    expect(await ids(alice, { PhoneNumber: '+46701234567' })).toEqual([sales]);
    const range = { From: '2026-01-05T09:30:00Z', To: '2026-01-05T10:30:00+00:00' };
    expect(await ids(alice, range)).toEqual([queued]);
    expect(await ids(alice, { From: '2026-01-05T10:00:00Z' })).toEqual([closed, queued]);
    expect(await ids(alice, { To: '2026-01-05T10:00:00Z' })).toEqual([queued, sales]);
    expect(await ids(alice, { Limit: 1 })).toEqual([closed]);
    expect(await ids(bob, {})).toEqual([closed, queued]);
    expect(await ids(bob, { CustomerID: 'customer-ann' })).toEqual([]);
    const forbidden = await h.agent(bob, 'GetChat', { ChatID: sales });
    expect(forbidden.status).toBe(403);
  });
});

describe('Where the archive is kept', () => {
  test('when ArchiveFile is relative, then it is made in a folder under the config folder', async () => {
    const h = await startChatService({ ArchiveFile: 'data/chats.sqlite' }, { configDir: folder });
    running = h;
    expect(h.server.center.archive).toBeInstanceOf(SqliteChatArchive);
    expect(existsSync(join(folder, 'data', 'chats.sqlite'))).toBe(true);
  });

  test('when ArchiveFile is ":memory:", then no file is written', async () => {
    running = await startChatService({ ArchiveFile: ':memory:' }, { configDir: folder });
    expect(running.server.center.archive).toBeInstanceOf(InMemoryChatArchive);
    expect(readdirSync(folder)).toEqual([]);
  });

  test.each([
    [
      'is not a database',
      () => {
        writeFileSync(archiveFile, 'plain text '.repeat(200));
        return { file: archiveFile, reason: 'file is not a database' };
      },
    ],
    [
      'is in a folder that is a file',
      () => {
        writeFileSync(join(folder, 'data'), '');
        return { file: join(folder, 'data', 'archive.sqlite'), reason: 'EEXIST' };
      },
    ],
  ])('when the archive file %s, then start-up fails naming the file', async (_case, spoil) => {
    const { file, reason } = spoil();
    // The live state has tests of its own; here only the archive's file is in the way.
    const failure = startChatService({ ArchiveFile: file, LiveStateFile: ':memory:' });
    await expect(failure).rejects.toThrow(`Chat archive ${file}: `);
    await expect(failure).rejects.toThrow(reason);
  });
});
