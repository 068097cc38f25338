import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../../server/chat-service/auth/password-hash';
import type { TranscriptRequest } from '../../server/chat-service/domain/agent-desk';
import type { ArchivedChat } from '../../server/chat-service/archive/chat-archive';
import type { ChatDetails, LoginResponse } from '../../server/protocol/agent-api';
import { ChatEventType, ChatState } from '../../server/protocol/enums';
import {
  testConfig,
  testPasswordHashing,
  type ChatServiceHarness,
} from '../support/chat-service-harness';
import {
  agentEvents,
  customerEvents,
  expectFault,
  requestChat,
  useChatService,
} from '../support/agent-api-test-kit';

const { start } = useChatService();

/** A chat requested in a group, offered to and accepted by the agent, streams drained. */
async function handledChat(
  h: ChatServiceHarness,
  token: string,
  fields: Record<string, unknown>,
): Promise<string> {
  const chatId = await requestChat(h, fields);
  expect((await h.agent(token, 'AcceptChat', { ChatID: chatId })).status).toBe(200);
  await customerEvents(h, chatId);
  await agentEvents(h, token);
  return chatId;
}

async function getChat(h: ChatServiceHarness, token: string, chatId: string) {
  const result = await h.agent<ChatDetails>(token, 'GetChat', { ChatID: chatId });
  expect(result.status).toBe(200);
  return result.body;
}

async function search(h: ChatServiceHarness, token: string, query: Record<string, unknown>) {
  const result = await h.agent<{ Chats: ArchivedChat[] }>(token, 'SearchArchive', query);
  expect(result.status).toBe(200);
  return result.body.Chats.map((chat) => chat.ChatID);
}

const customer = {
  SessionID: 'session-1',
  CustomerID: 'customer-1',
  CustomerName: 'Ann',
  EmailAddress: 'ann@example.com',
  PhoneNumber: '+46701234567',
};

/** The test config's agents plus dave, a second Support agent besides bob. */
const withDave = {
  Agents: [
    ...testConfig().Agents,
    {
      AgentID: 'dave',
      Name: 'Dave Dahl',
      PasswordHash: hashPassword('dave-pw', testPasswordHashing),
      ServiceGroupIDs: [2],
    },
  ],
};

describe('Transferring chats', () => {
  test('when an agent transfers a chat to a group, then the customer is queued again and the chat is offered there', async () => {
    const h = await start();
    const bob = await h.login('bob', { ready: true });
    const chatId = await handledChat(h, bob, { ServiceGroupID: 2 });
    const alice = await h.login('alice', { ready: true });
    const moved = await h.agent(bob, 'TransferChat', { ChatID: chatId, ServiceGroupID: 1 });
    expect(moved.status).toBe(200);
    expect((await customerEvents(h, chatId)).slice(0, 2)).toEqual([
      expect.objectContaining({
        EventType: ChatEventType.AgentLeft,
        Data: { ChatID: chatId, Name: 'Bob Berg', Reason: 'Transferred' },
      }),
      expect.objectContaining({
        EventType: ChatEventType.ChatState,
        Data: expect.objectContaining({ State: ChatState.Queued }),
      }),
    ]);
    expect(await agentEvents(h, bob)).toEqual([
      expect.objectContaining({ EventType: 'ChatUnassigned', Data: { ChatID: chatId } }),
    ]);
    expect(await agentEvents(h, alice)).toEqual([
      expect.objectContaining({
        EventType: 'ChatOffered',
        Data: expect.objectContaining({ ChatID: chatId, ServiceGroupID: 1, Transferred: true }),
      }),
    ]);
    expect(await getChat(h, alice, chatId)).toMatchObject({
      ServiceGroupID: 1,
      State: ChatState.Queued,
    });
    expect((await h.agent(alice, 'AcceptChat', { ChatID: chatId })).status).toBe(200);
  });

  test('when an agent transfers a chat to an agent, then that agent alone is offered it, then others of the group', async () => {
    const h = await start(withDave);
    const alice = await h.login('alice', { ready: true });
    const chatId = await handledChat(h, alice, { ServiceGroupID: 2 });
    const bob = await h.login('bob', { ready: true });
    const dave = (
      await h.agent<LoginResponse>(null, 'Login', { AgentID: 'dave', Password: 'dave-pw' })
    ).body.Token;
    await h.agent(dave, 'SetReady', { Ready: true });
    expect((await h.agent(alice, 'TransferChat', { ChatID: chatId, AgentID: 'bob' })).status).toBe(
      200,
    );
    expect(await agentEvents(h, bob)).toEqual([
      expect.objectContaining({
        EventType: 'ChatOffered',
        Data: expect.objectContaining({ ChatID: chatId, Transferred: true }),
      }),
    ]);
    expect(await agentEvents(h, dave)).toEqual([]);
    h.time.advance(30_000);
    expect(await agentEvents(h, bob)).toEqual([
      expect.objectContaining({
        EventType: 'ChatOfferWithdrawn',
        Data: { ChatID: chatId, Reason: 'Timeout' },
      }),
    ]);
    expect(await agentEvents(h, dave)).toEqual([
      expect.objectContaining({
        EventType: 'ChatOffered',
        Data: expect.objectContaining({ ChatID: chatId, Transferred: true }),
      }),
    ]);
  });

  test('when a transfer is refused, then the chat stays with its agent', async () => {
    const h = await start();
    const bob = await h.login('bob', { ready: true });
    const chatId = await handledChat(h, bob, { ServiceGroupID: 2 });
    const transfer = (target: Record<string, unknown>) =>
      h.agent(bob, 'TransferChat', { ChatID: chatId, ...target });
    // Sales is closed: none of its agents is logged in.
    expectFault(await transfer({ ServiceGroupID: 1 }), 409, 'AgentNotAvailable');
    expectFault(await transfer({ ServiceGroupID: 3 }), 400, 'TenantMismatch');
    expectFault(await transfer({ AgentID: 'nobody' }), 404, 'UnknownAgent');
    expectFault(await transfer({ ServiceGroupID: 99 }), 404, 'UnknownServiceGroup');
    expectFault(await transfer({}), 400, 'BadRequest');
    expect(await customerEvents(h, chatId)).toEqual([]);
    expect(await getChat(h, bob, chatId)).toMatchObject({
      State: ChatState.Handling,
      AgentID: 'bob',
    });
  });

  test('when an agent transfers a chat to an agent of another tenant, then it gets TenantMismatch', async () => {
    const h = await start();
    const bob = await h.login('bob', { ready: true });
    const carol = await h.login('carol', { ready: true });
    const chatId = await handledChat(h, bob, { ServiceGroupID: 2, CustomerName: 'Ann' });
    const moved = await h.agent(bob, 'TransferChat', { ChatID: chatId, AgentID: 'carol' });
    expectFault(moved, 400, 'TenantMismatch');
    expect(await agentEvents(h, carol)).toEqual([]);
  });
});

describe('Archive', () => {
  test.each([
    ['the customer leaves', 'Customer'],
    ['the agent leaves', 'Agent'],
    ['the customer stays idle for CustomerTimeout', 'IdleTimeout'],
    ["the customer's page times out idle", 'CustomerIdle'],
    ['the customer leaves the site for good', 'CustomerGone'],
  ])('when %s, then the chat is archived with its transcript', async (_how, endedBy) => {
    const h = await start({ CustomerTimeout: 60 });
    const alice = await h.login('alice', { ready: true });
    const chatId = await handledChat(h, alice, { ServiceGroupID: 1, ...customer });
    await h.customer('SendMessage', { ChatID: chatId, Message: 'Where is my order?' });
    await h.agent(alice, 'SendMessage', { ChatID: chatId, Message: 'On its way.' });
    if (endedBy === 'Customer') await h.customer('LeaveChat', { ChatID: chatId });
    if (endedBy === 'Agent') await h.agent(alice, 'LeaveChat', { ChatID: chatId });
    if (endedBy === 'IdleTimeout') h.time.advance(60_000);
    if (endedBy === 'CustomerIdle')
      await h.customer('LeaveChat', { ChatID: chatId, Reason: 'Idle' });
    if (endedBy === 'CustomerGone')
      await h.customer('LeaveChat', { ChatID: chatId, Reason: 'Gone' });
    const [archived] = (
      await h.agent<{ Chats: ArchivedChat[] }>(alice, 'SearchArchive', { SessionID: 'session-1' })
    ).body.Chats;
    expect(archived).toMatchObject({
      ChatID: chatId,
      State: ChatState.Terminated,
      EndedBy: endedBy,
      SessionID: 'session-1',
      CustomerID: 'customer-1',
      From: 'ann@example.com',
      AgentIDs: ['alice'],
    });
    expect(archived?.Transcript.map((line) => [line.From, line.Message])).toEqual([
      ['Customer', 'Where is my order?'],
      ['Agent', 'On its way.'],
    ]);
  });

  const phoneFirst = { FromPriority: 'phone, email, id' };
  test.each([
    ['the default', 'e-mail and phone', 'ann@example.com', {}, customer],
    ['the default', 'phone only', '+46701234567', {}, { ...customer, EmailAddress: '' }],
    ['"phone, email, id"', 'e-mail and phone', '+46701234567', phoneFirst, customer],
    ['"phone, email, id"', 'an ID only', 'customer-1', phoneFirst, { CustomerID: 'customer-1' }],
  ])(
    "when FromPriority is %s and the customer gives %s, then the archive's From is %s",
    async (_priority, _given, from, overrides, details) => {
      const h = await start(overrides);
      await h.login('alice');
      const chatId = await requestChat(h, { ServiceGroupID: 1, ...details });
      await h.customer('LeaveChat', { ChatID: chatId });
      expect(h.server.center.archive.get(chatId)?.From).toBe(from);
    },
  );

  test('when an ended chat has left memory, then GetChat still answers from the archive', async () => {
    const h = await start({ AgentSessionTimeoutSeconds: 3600 });
    const alice = await h.login('alice', { ready: true });
    const chatId = await handledChat(h, alice, { ServiceGroupID: 1, ...customer });
    await h.agent(alice, 'SendMessage', { ChatID: chatId, Message: 'Hello Ann' });
    await h.agent(alice, 'LeaveChat', { ChatID: chatId });
    h.time.advance(11 * 60_000);
    expect(h.server.center.chats.has(chatId)).toBe(false);
    expectFault(await h.customer('GetChatInfo', { ChatID: chatId }), 404, 'UnknownChat');
    const details = await getChat(h, alice, chatId);
    expect(details).toMatchObject({ ChatID: chatId, EndedBy: 'Agent', CustomerName: 'Ann' });
    expect(details).not.toHaveProperty('AgentIDs');
    expect(details.Transcript.map((line) => line.Message)).toEqual(['Hello Ann']);
  });

  test('when an agent searches the archive, then it finds chats by each field and date, in its own groups only', async () => {
    const h = await start({ AgentSessionTimeoutSeconds: 7200 });
    const alice = await h.login('alice');
    const bob = await h.login('bob');
    const early = await requestChat(h, { ServiceGroupID: 1, ...customer });
    await h.customer('LeaveChat', { ChatID: early });
    h.time.advance(60 * 60_000);
    const late = await requestChat(h, {
      ServiceGroupID: 2,
      SessionID: 'session-2',
      CustomerID: 'customer-2',
      EmailAddress: 'bo@example.com',
      PhoneNumber: '+4631000000',
    });
    await h.customer('LeaveChat', { ChatID: late });
    expect(await search(h, alice, {})).toEqual([late, early]);
    expect(await search(h, alice, { CustomerID: 'customer-1' })).toEqual([early]);
    expect(await search(h, alice, { SessionID: 'session-2' })).toEqual([late]);
    expect(await search(h, alice, { EmailAddress: 'ANN@example.com' })).toEqual([early]);
    expect(await search(h, alice, { PhoneNumber: '+4631000000' })).toEqual([late]);
    expect(await search(h, alice, { From: '2026-01-05T09:30:00Z' })).toEqual([late]);
    expect(await search(h, alice, { To: '2026-01-05T09:30:00Z' })).toEqual([early]);
    expect(await search(h, alice, { Limit: 1 })).toEqual([late]);
    expect(await search(h, bob, {})).toEqual([late]);
    expect(await search(h, bob, { CustomerID: 'customer-1' })).toEqual([]);
    expectFault(await h.agent(bob, 'GetChat', { ChatID: early }), 403, 'Forbidden');
  });
});

describe('Attachments and transcripts', () => {
  test('when a live chat has an attachment, then GetAttachment returns the file', async () => {
    const h = await start();
    const alice = await h.login('alice', { ready: true });
    const chatId = await handledChat(h, alice, { ServiceGroupID: 1 });
    const content = Buffer.from('order 1234');
    await h.customer('SendMessage', {
      ChatID: chatId,
      Message: 'receipt.txt',
      Attachment: content.toString('base64'),
    });
    const [line] = (await getChat(h, alice, chatId)).Transcript;
    expect(line?.Attachment).toEqual({
      AttachmentID: expect.any(String),
      FileName: 'receipt.txt',
      Size: content.length,
    });
    const attachmentId = line?.Attachment?.AttachmentID;
    const fetched = await h.agent(alice, 'GetAttachment', {
      ChatID: chatId,
      AttachmentID: attachmentId,
    });
    expect(fetched).toEqual({
      status: 200,
      body: { FileName: 'receipt.txt', Data: content.toString('base64'), ImageType: null },
    });
    const missing = await h.agent(alice, 'GetAttachment', { ChatID: chatId, AttachmentID: 'x' });
    expectFault(missing, 404, 'UnknownAttachment');
    const bob = await h.login('bob');
    const request = { ChatID: chatId, AttachmentID: attachmentId };
    expectFault(await h.agent(bob, 'GetAttachment', request), 403, 'Forbidden');
  });

  test("when an agent sends the transcript, then it goes to the customer's e-mail or to the given To", async () => {
    const captured: TranscriptRequest[] = [];
    const h = await start({}, { sendTranscript: async (request) => void captured.push(request) });
    const alice = await h.login('alice', { ready: true });
    const chatId = await handledChat(h, alice, { ServiceGroupID: 1, ...customer });
    const toCustomer = await h.agent(alice, 'SendTranscript', { ChatID: chatId });
    expect(toCustomer).toEqual({ status: 200, body: { To: 'ann@example.com' } });
    const toOther = await h.agent(alice, 'SendTranscript', {
      ChatID: chatId,
      To: 'boss@example.com',
    });
    expect(toOther.body).toEqual({ To: 'boss@example.com' });
    expect(captured.map((request) => [request.to, request.chat.ChatID, request.agent.id])).toEqual([
      ['ann@example.com', chatId, 'alice'],
      ['boss@example.com', chatId, 'alice'],
    ]);
  });

  test('when the group has no sender address or nobody to send to, then SendTranscript is refused', async () => {
    const captured: TranscriptRequest[] = [];
    const h = await start({}, { sendTranscript: async (request) => void captured.push(request) });
    const alice = await h.login('alice', { ready: true });
    const support = await handledChat(h, alice, { ServiceGroupID: 2, ...customer });
    expectFault(await h.agent(alice, 'SendTranscript', { ChatID: support }), 403, 'Forbidden');
    const anonymous = await handledChat(h, alice, { ServiceGroupID: 1 });
    expectFault(await h.agent(alice, 'SendTranscript', { ChatID: anonymous }), 400, 'BadRequest');
    expect(captured).toEqual([]);
  });

  test('when no sender is injected, then the transcript is written as an .eml file to the outbox', async () => {
    const outbox = mkdtempSync(join(tmpdir(), 'chat-outbox-'));
    try {
      const h = await start({ OutboxFolder: outbox }, { configDir: '/' });
      const alice = await h.login('alice', { ready: true });
      const chatId = await handledChat(h, alice, { ServiceGroupID: 1, ...customer });
      await h.customer('SendMessage', { ChatID: chatId, Message: 'Where is my order?' });
      await h.agent(alice, 'SendMessage', { ChatID: chatId, Message: 'On its way.' });
      expect((await h.agent(alice, 'SendTranscript', { ChatID: chatId })).status).toBe(200);
      const files = readdirSync(outbox);
      expect(files).toEqual([expect.stringMatching(new RegExp(`${chatId}\\.eml$`))]);
      const mail = readFileSync(join(outbox, files[0] ?? ''), 'utf8');
      expect(mail).toMatch(/^Subject: Chat conversation with Alice$/m);
      expect(mail).toMatch(/^To: ann@example\.com$/m);
      expect(mail).toMatch(/^From: sales@example\.com$/m);
      // Times are in the agent's locale (en-US by default): "[9:00 AM] Ann: …".
      expect(mail).toContain('] Ann: Where is my order?');
      expect(mail).toContain('] Alice: On its way.');
    } finally {
      rmSync(outbox, { recursive: true, force: true });
    }
  });
});
