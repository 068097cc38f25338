import { startChatService, type ChatServiceHarness } from '../support/chat-service-harness';
import type { AgentEvent } from '../../server/protocol/agent-api';
import type { ChatEvent, RequestChatResponse } from '../../server/protocol/customer-api';

/**
 * The customer REST API's faults and limits over real HTTP: every fault code with its status and
 * body (and nothing changed by the refused request), rate limits, ClientMessageID, attachments in
 * both wire shapes and the idle timeout.
 */

type Harness = ChatServiceHarness;
type Case = [method: string, request: unknown, status: number, code: string];

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function start(overrides: Record<string, unknown> = {}): Promise<Harness> {
  h = await startChatService(overrides);
  return h;
}

const sales = { TenantID: -1, ServiceGroupID: 1, CustomerName: 'Cleo' };
const ok = { status: 200, body: {} };
const fault = (status: number, Code: string) => ({
  status,
  body: { Fault: { Code, Message: expect.stringMatching(/\S/) } },
});

/** Each case is refused with its status and fault code. */
async function expectRefused(s: Harness, cases: Case[]): Promise<void> {
  for (const [index, [method, request, status, code]] of cases.entries()) {
    const result = await s.customer(method, request);
    expect([index, method, result]).toEqual([index, method, fault(status, code)]);
  }
}

const send = (s: Harness, request: unknown) => s.customer('SendMessage', request);
const attach = (ChatID: string, Message: string, data: Buffer) => ({
  ...{ ChatID, Message },
  Attachment: data.toString('base64'),
});

async function agentEvents(s: Harness, token: string): Promise<AgentEvent[]> {
  const result = await s.agent<{ Events: AgentEvent[] }>(token, 'GetEvents', { Timeout: 0 });
  expect(result.status).toBe(200);
  return result.body.Events;
}

async function customerEvents(s: Harness, chatId: string): Promise<ChatEvent[]> {
  const request = { ChatID: chatId, Timeout: 0 };
  const result = await s.customer<{ Events: ChatEvent[] }>('GetEvents', request);
  expect(result.status).toBe(200);
  return result.body.Events;
}

/** alice (ready) has accepted a Sales chat; both sides' events so far are read. */
async function handledChat(s: Harness) {
  const token = await s.login('alice', { ready: true });
  const { body } = await s.customer<RequestChatResponse>('RequestChat', sales);
  const chatId = body.ChatID ?? '';
  expect((await s.agent(token, 'AcceptChat', { ChatID: chatId })).status).toBe(200);
  await customerEvents(s, chatId);
  await agentEvents(s, token);
  return { token, chatId };
}

/** What a refused request must leave as it was. */
function snapshot(s: Harness, chatId: string) {
  const chat = s.server.center.chat(chatId);
  return {
    state: chat.state,
    transcript: chat.transcript.length,
    customerEvents: chat.customerEvents.lastSeq,
    agentEvents: s.server.center.agents.get('alice')?.events.lastSeq,
  };
}

const messagesTo = (events: AgentEvent[]) =>
  events.flatMap((event) => (event.EventType === 'MessageReceived' ? [event.Data] : []));
const textsTo = async (s: Harness, token: string) =>
  messagesTo(await agentEvents(s, token)).map((message) => message.Message);
const chatState = (State: number, TerminationCause: number) =>
  expect.objectContaining({
    EventType: 4,
    Data: expect.objectContaining({ State, TerminationCause }),
  });

describe('faults on a live chat', () => {
  it('when a request is malformed, has wrong types, lacks ChatID or sends an empty message, then BadRequest and nothing changes', async () => {
    const service = await start();
    const { chatId } = await handledChat(service);
    const before = snapshot(service, chatId);
    const malformed = await fetch(`${service.url}/ChatService/SendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"request": {"ChatID',
    });
    expect({ status: malformed.status, body: await malformed.json() }).toEqual(
      fault(400, 'BadRequest'),
    );
    await expectRefused(service, [
      ['SendMessage', { ChatID: 42, Message: 'x' }, 400, 'BadRequest'],
      ['GetEvents', { ChatID: chatId, Timeout: 'soon' }, 400, 'BadRequest'],
      ['SendMessage', { Message: 'no chat id' }, 400, 'BadRequest'],
      ['SendMessage', { ChatID: chatId, Message: '  ' }, 400, 'BadRequest'],
      ['SendTyping', {}, 400, 'BadRequest'],
    ]);
    expect(snapshot(service, chatId)).toEqual(before);
    const info = await service.customer('GetChatInfo', { ChatID: chatId });
    expect(info.body).toEqual({ State: 1, QueuePosition: 0 });
  });

  it('when a method names an unknown ChatID, then UnknownChat', async () => {
    const service = await start();
    const request = { ChatID: 'no-such-chat', Message: 'hello', Timeout: 0 };
    const methods = ['LeaveChat', 'SendMessage', 'SendTyping', 'GetEvents', 'GetChatInfo'];
    await expectRefused(
      service,
      methods.map((method): Case => [method, request, 404, 'UnknownChat']),
    );
  });

  it('when the chat has ended, then sending, typing and (after the last events) polling are ChatTerminated', async () => {
    const service = await start();
    const { chatId } = await handledChat(service);
    await service.customer('LeaveChat', { ChatID: chatId });
    const before = snapshot(service, chatId);
    await expectRefused(service, [
      ['SendMessage', { ChatID: chatId, Message: 'hi' }, 409, 'ChatTerminated'],
      ['SendTyping', { ChatID: chatId }, 409, 'ChatTerminated'],
    ]);
    expect(snapshot(service, chatId)).toEqual(before);
    expect(await customerEvents(service, chatId)).toEqual([chatState(2, 0)]);
    await expectRefused(service, [['GetEvents', { ChatID: chatId }, 409, 'ChatTerminated']]);
  });

  it('when a message is longer than MaxMessageLength characters, then MessageTooLong and nothing is delivered', async () => {
    const service = await start({ MaxMessageLength: 10 });
    const { token, chatId } = await handledChat(service);
    const before = snapshot(service, chatId);
    const tooLong = { ChatID: chatId, Message: 'a'.repeat(11) };
    await expectRefused(service, [['SendMessage', tooLong, 400, 'MessageTooLong']]);
    expect(snapshot(service, chatId)).toEqual(before);
    const emoji = '😀'.repeat(10); // ten characters, twenty UTF-16 units
    expect(await send(service, { ChatID: chatId, Message: emoji })).toEqual(ok);
    expect(await textsTo(service, token)).toEqual([emoji]);
  });
});

describe('attachment faults', () => {
  it('when the decoded attachment is over MaxAttachmentSize, then AttachmentTooLarge; at the limit it is accepted', async () => {
    const service = await start({ MaxAttachmentSize: 1 });
    const { chatId } = await handledChat(service);
    const before = snapshot(service, chatId);
    const big = attach(chatId, 'big.txt', Buffer.alloc(1025, 'a'));
    await expectRefused(service, [['SendMessage', big, 413, 'AttachmentTooLarge']]);
    expect(snapshot(service, chatId)).toEqual(before);
    expect(await send(service, attach(chatId, 'fits.txt', Buffer.alloc(1024, 'a')))).toEqual(ok);
  });

  it('when the body is too big for the parser, then it is still AttachmentTooLarge and the chat lives on', async () => {
    const service = await start({ MaxAttachmentSize: 1 });
    const { chatId } = await handledChat(service);
    const before = snapshot(service, chatId);
    const huge = attach(chatId, 'huge.txt', Buffer.alloc(200_000, 'a'));
    await expectRefused(service, [['SendMessage', huge, 413, 'AttachmentTooLarge']]);
    expect(snapshot(service, chatId)).toEqual(before);
    expect(await send(service, { ChatID: chatId, Message: 'still here' })).toEqual(ok);
  });

  it('when attachments are disabled (MaxAttachmentSize 0), then any attachment is AttachmentTooLarge', async () => {
    const service = await start({ MaxAttachmentSize: 0 });
    const { chatId } = await handledChat(service);
    const tiny = attach(chatId, 'a.txt', Buffer.from('tiny'));
    await expectRefused(service, [['SendMessage', tiny, 413, 'AttachmentTooLarge']]);
  });

  it('when a Windows executable is renamed .txt or a .png is not one, then AttachmentContentMismatch; a file named .exe, AttachmentTypeNotAllowed', async () => {
    const service = await start();
    const { token, chatId } = await handledChat(service);
    const before = snapshot(service, chatId);
    const program = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(126)]);
    await expectRefused(service, [
      ['SendMessage', attach(chatId, 'invoice.txt', program), 415, 'AttachmentContentMismatch'],
      [
        'SendMessage',
        attach(chatId, 'setup.exe', Buffer.from('hi')),
        415,
        'AttachmentTypeNotAllowed',
      ],
      [
        'SendMessage',
        attach(chatId, 'photo.png', Buffer.from('hi')),
        415,
        'AttachmentContentMismatch',
      ],
    ]);
    expect(snapshot(service, chatId)).toEqual(before);
    expect(messagesTo(await agentEvents(service, token))).toEqual([]);
  });

  it('when AllowedAttachmentTypes is set, then only those types are accepted', async () => {
    const service = await start({ AllowedAttachmentTypes: ['png', 'txt'] });
    const { chatId } = await handledChat(service);
    const config = await service.customer('GetChatConfiguration');
    expect(config.body).toMatchObject({ AllowedAttachmentTypes: ['png', 'txt'] });
    const pdf = attach(chatId, 'report.pdf', Buffer.from('%PDF-1.7\n%\xe2\xe3\n', 'latin1'));
    await expectRefused(service, [['SendMessage', pdf, 415, 'AttachmentTypeNotAllowed']]);
    expect(await send(service, attach(chatId, 'notes.txt', Buffer.from('notes')))).toEqual(ok);
  });
});

describe('faults of RequestChat and GetQueueInfo', () => {
  it('when the group is unknown by ID or name, or not given, then UnknownServiceGroup or BadRequest and no chat is made', async () => {
    const service = await start();
    await service.login('alice');
    await expectRefused(service, [
      ['RequestChat', { ServiceGroupID: 99 }, 404, 'UnknownServiceGroup'],
      ['RequestChat', { ServiceGroupName: 'Marketing' }, 404, 'UnknownServiceGroup'],
      ['GetQueueInfo', { ServiceGroupID: 99 }, 404, 'UnknownServiceGroup'],
      ['RequestChat', { TenantID: -1 }, 400, 'BadRequest'],
      ['RequestChat', { ...sales, CustomerName: 5 }, 400, 'BadRequest'],
    ]);
    expect(service.server.center.chats.size).toBe(0);
  });

  it('when the tenant is not the group’s, then TenantMismatch; the right tenant gets a chat', async () => {
    const service = await start();
    await service.login('alice');
    await service.login('carol');
    await expectRefused(service, [
      ['RequestChat', { ...sales, TenantID: 7 }, 400, 'TenantMismatch'],
      ['RequestChat', { ServiceGroupID: 3 }, 400, 'TenantMismatch'],
      ['GetQueueInfo', { TenantID: 7, ServiceGroupName: 'Sales' }, 400, 'TenantMismatch'],
    ]);
    expect(service.server.center.chats.size).toBe(0);
    const right = await service.customer('RequestChat', { TenantID: 7, ServiceGroupID: 3 });
    expect(right.body).toMatchObject({ ChatID: expect.any(String) });
  });

  it('when one address requests more chats than RequestChatPerMinute, then RateLimited until the minute refills', async () => {
    const service = await start({ RateLimits: { RequestChatPerMinute: 3 } });
    await service.login('alice');
    const chat = { status: 200, body: expect.objectContaining({ ChatID: expect.any(String) }) };
    for (let i = 0; i < 3; i++) expect(await service.customer('RequestChat', sales)).toEqual(chat);
    await expectRefused(service, [['RequestChat', sales, 429, 'RateLimited']]);
    expect(service.server.center.chats.size).toBe(3);
    service.time.advance(20_000); // a third of a minute: one request's worth
    expect(await service.customer('RequestChat', sales)).toEqual(chat);
    await expectRefused(service, [['RequestChat', sales, 429, 'RateLimited']]);
  });
});

describe('messages: rate limit and ClientMessageID', () => {
  it('when a chat sends more than MessagesPerMinute messages, then RateLimited and the extra is not delivered', async () => {
    const service = await start({ RateLimits: { MessagesPerMinute: 3 } });
    const { token, chatId } = await handledChat(service);
    for (const text of ['1', '2', '3'])
      expect(await send(service, { ChatID: chatId, Message: text })).toEqual(ok);
    const before = snapshot(service, chatId);
    const fourth = { ChatID: chatId, Message: '4' };
    await expectRefused(service, [['SendMessage', fourth, 429, 'RateLimited']]);
    expect(snapshot(service, chatId)).toEqual(before);
    expect(await textsTo(service, token)).toEqual(['1', '2', '3']);
    service.time.advance(20_000);
    expect(await send(service, { ChatID: chatId, Message: '5' })).toEqual(ok);
  });

  it('when a SendMessage is repeated with the same ClientMessageID, then both answer 200 and the agent gets it once', async () => {
    const service = await start();
    const { token, chatId } = await handledChat(service);
    const message = { ChatID: chatId, Message: 'Only once', ClientMessageID: 'c-1' };
    expect(await send(service, message)).toEqual(ok);
    expect(await send(service, message)).toEqual(ok);
    await send(service, { ...message, Message: 'Another', ClientMessageID: 'c-2' });
    expect(await textsTo(service, token)).toEqual(['Only once', 'Another']);
    expect(service.server.center.chat(chatId).transcript).toHaveLength(2);
  });
});

describe('attachments', () => {
  const withFile = (FileName: string, Size: number) =>
    expect.objectContaining({
      Message: FileName,
      Attachment: expect.objectContaining({ FileName, Size }),
    });

  it('when the customer sends an attachment as base64 or as an array of bytes, then the agent gets MessageReceived with its name and size', async () => {
    const service = await start();
    const { token, chatId } = await handledChat(service);
    expect(await send(service, attach(chatId, 'order.txt', Buffer.from('order #1234\n')))).toEqual(
      ok,
    );
    const bytes = { ChatID: chatId, Message: 'bytes.txt', Attachment: [...Buffer.from('bytes!')] };
    expect(await send(service, bytes)).toEqual(ok);
    expect(messagesTo(await agentEvents(service, token))).toEqual([
      withFile('order.txt', 12),
      withFile('bytes.txt', 6),
    ]);
  });

  it('when an attachment near MaxAttachmentSize comes as an array of bytes, then it is accepted like its base64 form', async () => {
    const service = await start({ MaxAttachmentSize: 64 });
    const { token, chatId } = await handledChat(service);
    const data = [...Buffer.alloc(60 * 1024, 200)]; // within 64 KB; "200," is 4 characters a byte
    expect(await send(service, { ChatID: chatId, Message: 'scan.txt', Attachment: data })).toEqual(
      ok,
    );
    expect(messagesTo(await agentEvents(service, token))).toEqual([
      withFile('scan.txt', 60 * 1024),
    ]);
  });

  it('when the agent sends an attachment, then the customer gets it as base64 in MessageReceived.Attachment', async () => {
    const service = await start();
    const { token, chatId } = await handledChat(service);
    const request = attach(chatId, 'receipt.txt', Buffer.from('Your receipt\n'));
    expect(await service.agent(token, 'SendMessage', request)).toEqual(ok);
    const { Message, Attachment } = request;
    expect(await customerEvents(service, chatId)).toEqual([
      expect.objectContaining({
        EventType: 0,
        Data: expect.objectContaining({ Name: 'Alice', Message, Attachment }),
      }),
    ]);
  });
});

describe('the idle timeout (CustomerTimeout)', () => {
  const stillHandled = async (s: Harness, chatId: string) =>
    expect((await s.customer('GetChatInfo', { ChatID: chatId })).body).toEqual({
      State: 1,
      QueuePosition: 0,
    });

  it('when the customer stays idle for CustomerTimeout seconds, then the chat ends with cause General', async () => {
    const service = await start({ CustomerTimeout: 60 });
    const { token, chatId } = await handledChat(service);
    service.time.advance(59_999);
    await stillHandled(service, chatId);
    service.time.advance(1);
    expect(await customerEvents(service, chatId)).toEqual([chatState(2, 0)]);
    const ended = { ChatID: chatId, State: 2, TerminationCause: 0, EndedBy: 'IdleTimeout' };
    expect(await agentEvents(service, token)).toContainEqual(
      expect.objectContaining({ EventType: 'ChatState', Data: ended }),
    );
  });

  it('when the customer sends a message and types, then each postpones the timeout', async () => {
    const service = await start({ CustomerTimeout: 60 });
    const { chatId } = await handledChat(service);
    service.time.advance(40_000);
    expect(await send(service, { ChatID: chatId, Message: 'still here' })).toEqual(ok);
    service.time.advance(40_000); // 80 s in, 40 s idle
    await stillHandled(service, chatId);
    expect(await service.customer('SendTyping', { ChatID: chatId })).toEqual(ok);
    service.time.advance(59_000);
    await stillHandled(service, chatId);
    service.time.advance(1_000); // 60 s after typing
    expect(await customerEvents(service, chatId)).toEqual([chatState(2, 0)]);
  });
});
