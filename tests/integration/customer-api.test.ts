import { startChatService, until, type ChatServiceHarness } from '../support/chat-service-harness';
import type { AgentEvent } from '../../server/protocol/agent-api';
import type {
  ChatEvent,
  GetChatConfigurationResponse,
  RequestChatResponse,
} from '../../server/protocol/customer-api';

/**
 * The customer REST API (/ChatService/<Method>) over real HTTP: every method, the integer enums on
 * the wire, body shapes, the long-poll, queue positions and closing groups (faults, limits and
 * the idle timeout: customer-api-limits.test.ts).
 */

let h: ChatServiceHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function start(overrides: Record<string, unknown> = {}): Promise<ChatServiceHarness> {
  h = await startChatService(overrides);
  return h;
}

const sales = { TenantID: -1, ServiceGroupID: 1, CustomerName: 'Cleo' };

type Harness = ChatServiceHarness;
type Events = { Events: ChatEvent[] };
type Fault = { Fault: { Code: string } };

async function requestChat(s: Harness, request: Record<string, unknown> = sales): Promise<string> {
  const { status, body } = await s.customer<RequestChatResponse>('RequestChat', request);
  expect(status).toBe(200);
  if (body.ChatID === null) throw new Error(`no chat: ${JSON.stringify(body)}`);
  return body.ChatID;
}

async function events(s: Harness, chatId: string, extra = {}): Promise<ChatEvent[]> {
  const result = await s.customer<Events>('GetEvents', { ChatID: chatId, Timeout: 0, ...extra });
  expect(result.status).toBe(200);
  return result.body.Events;
}

async function agentEvents(s: Harness, token: string): Promise<AgentEvent[]> {
  const result = await s.agent<{ Events: AgentEvent[] }>(token, 'GetEvents', { Timeout: 0 });
  expect(result.status).toBe(200);
  return result.body.Events;
}

/** alice (ready) has accepted a Sales chat; the customer's events so far are read. */
async function handledChat(service: ChatServiceHarness) {
  const token = await service.login('alice', { ready: true });
  const chatId = await requestChat(service);
  expect((await service.agent(token, 'AcceptChat', { ChatID: chatId })).status).toBe(200);
  await events(service, chatId);
  await agentEvents(service, token);
  return { token, chatId };
}

const chatInfo = async (service: ChatServiceHarness, chatId: string) =>
  (await service.customer('GetChatInfo', { ChatID: chatId })).body;
const info = (State: number, QueuePosition = 0) => ({ State, QueuePosition });
const ok = { status: 200, body: {} };
/** A ChatState event (EventType 4) with this State and these other fields. */
const stateEvent = (State: number, data: Record<string, unknown> = {}) =>
  expect.objectContaining({ EventType: 4, Data: expect.objectContaining({ State, ...data }) });
const restricted = ['exe', 'bat', 'cmd', 'com', 'vbs'];

describe('RequestChat', () => {
  it('when Sales is open, then the response carries ChatID, the queue message, SessionID, QueuePosition and EstimatedWaitTime', async () => {
    const service = await start();
    await service.login('alice'); // logged in, not ready: open, but nobody takes chats
    const first = await service.customer<RequestChatResponse>('RequestChat', sales);
    const second = await service.customer<RequestChatResponse>('RequestChat', sales);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      ChatID: expect.stringMatching(/^[0-9a-f-]{32,}$/i),
      Message: 'Welcome to Sales',
      SessionID: 1,
      QueuePosition: 1,
      EstimatedWaitTime: -1,
    });
    expect(second.body).toMatchObject({ SessionID: 2, QueuePosition: 2, EstimatedWaitTime: -1 });
    expect(second.body.ChatID).not.toBe(first.body.ChatID);
  });

  it('when ServiceGroupID is 0 and ServiceGroupName is given (the specification example), then the chat goes to the named group', async () => {
    const service = await start();
    await service.login('alice');
    const request = { TenantID: -1, ServiceGroupID: 0, ServiceGroupName: 'Sales' };
    const chatId = await requestChat(service, request);
    expect(service.server.center.chat(chatId).groupId).toBe(1);
  });

  it('when ServiceGroupName differs in case, then the group is still found', async () => {
    const service = await start();
    await service.login('alice');
    const request = { ServiceGroupName: 'sUPPORT' };
    const { body } = await service.customer<RequestChatResponse>('RequestChat', request);
    expect(body.Message).toBe('Welcome to Support');
    expect(service.server.center.chat(body.ChatID ?? '').groupId).toBe(2);
  });

  it('when the group is closed, then ChatID is null with the closed message and no fault', async () => {
    const service = await start();
    const { status, body } = await service.customer<RequestChatResponse>('RequestChat', sales);
    expect(status).toBe(200);
    const none = { SessionID: 0, QueuePosition: 0, EstimatedWaitTime: -1 };
    expect(body).toEqual({ ChatID: null, Message: 'Sales is closed', ...none });
    expect(service.server.center.chats.size).toBe(0);
  });
});

describe('the other customer methods', () => {
  it('when the customer sends a message and types, then the agent receives MessageReceived and CustomerTyping', async () => {
    const service = await start();
    const { token, chatId } = await handledChat(service);
    expect(await service.customer('SendMessage', { ChatID: chatId, Message: 'Hi' })).toEqual(ok);
    expect((await service.customer('SendTyping', { ChatID: chatId })).status).toBe(200);
    const message = expect.objectContaining({ ChatID: chatId, From: 'Customer', Message: 'Hi' });
    expect(await agentEvents(service, token)).toEqual([
      expect.objectContaining({ EventType: 'MessageReceived', Data: message }),
      expect.objectContaining({ EventType: 'CustomerTyping', Data: { ChatID: chatId } }),
    ]);
  });

  it('when the customer leaves, then the chat ends with ChatState Terminated and the agent is told', async () => {
    const service = await start();
    const { token, chatId } = await handledChat(service);
    expect(await service.customer('LeaveChat', { ChatID: chatId })).toEqual(ok);
    expect(await events(service, chatId)).toEqual([stateEvent(2, { TerminationCause: 0 })]);
    const ended = { ChatID: chatId, State: 2, TerminationCause: 0, EndedBy: 'Customer' };
    expect(await agentEvents(service, token)).toContainEqual(
      expect.objectContaining({ EventType: 'ChatState', Data: ended }),
    );
    expect(await chatInfo(service, chatId)).toEqual(info(2));
  });

  it('when GetChatInfo is asked while queued, handled and ended, then it answers State 0/1/2 and the position', async () => {
    const service = await start();
    const token = await service.login('alice');
    await requestChat(service);
    const chatId = await requestChat(service);
    expect(await chatInfo(service, chatId)).toEqual(info(0, 2));
    await service.agent(token, 'SetReady', { Ready: true });
    expect((await service.agent(token, 'AcceptChat', { ChatID: chatId })).status).toBe(200);
    expect(await chatInfo(service, chatId)).toEqual(info(1));
    await service.agent(token, 'LeaveChat', { ChatID: chatId });
    expect(await chatInfo(service, chatId)).toEqual(info(2));
  });

  it('when GetQueueInfo is asked, then Open and EstimatedWaitTime follow the staffing', async () => {
    const service = await start();
    const ask = async (request: Record<string, unknown>) =>
      (await service.customer('GetQueueInfo', request)).body;
    const closed = {
      Open: false,
      EstimatedWaitTime: -1,
      ServiceGroupID: 1,
      ClosedMessage: 'Sales is closed',
    };
    expect(await ask({ TenantID: -1, ServiceGroupID: 1 })).toEqual(closed);
    const token = await service.login('alice');
    const noEstimate = {
      Open: true,
      EstimatedWaitTime: -1,
      ServiceGroupID: 1,
      ClosedMessage: null,
    };
    expect(await ask({ ServiceGroupID: 0, ServiceGroupName: 'sales' })).toEqual(noEstimate);
    await service.agent(token, 'SetReady', { Ready: true });
    expect(await ask({ ServiceGroupID: 1 })).toEqual({
      Open: true,
      EstimatedWaitTime: 0,
      ServiceGroupID: 1,
      ClosedMessage: null,
    });
  });

  it('when GetChatConfiguration is called by GET and POST, then it gives the limits, the size in bytes', async () => {
    const settings = { MaxMessageLength: 500, MaxAttachmentSize: 3 };
    const service = await start({ ...settings, AllowedAttachmentTypes: 'PNG, .txt' });
    const expected: GetChatConfigurationResponse = {
      ...{ MaxMessageLength: 500, MaxAttachmentSize: 3 * 1024 },
      ...{ AllowedAttachmentTypes: ['png', 'txt'], RestrictedAttachmentTypes: restricted },
    };
    const get = await fetch(`${service.url}/ChatService/GetChatConfiguration`);
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual(expected);
    expect((await service.customer('GetChatConfiguration')).body).toEqual(expected);
  });

  it('when the configuration is the default, then MaxAttachmentSize is 5120 KB in bytes and no type is allowed-listed', async () => {
    const service = await start();
    const expected = { MaxMessageLength: 1024, MaxAttachmentSize: 5120 * 1024 };
    expect((await service.customer('GetChatConfiguration')).body).toEqual({
      ...{ ...expected, AllowedAttachmentTypes: [], RestrictedAttachmentTypes: restricted },
    });
  });

  it('when GetVersion is called by GET and POST, then it answers a JSON string', async () => {
    const service = await start();
    for (const init of [{ method: 'GET' }, { method: 'POST', body: '{}' }]) {
      const response = await fetch(`${service.url}/ChatService/GetVersion`, {
        ...init,
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const text = await response.text();
      expect(text).toMatch(/^"\d+\.\d+\.\d+"$/);
      expect(typeof JSON.parse(text)).toBe('string');
    }
  });

  const unknownMethod = { Fault: { Code: 'UnknownMethod', Message: expect.any(String) } };
  const withRequest =
    'RequestChat LeaveChat SendMessage SendTyping GetEvents GetChatInfo GetQueueInfo';

  it('when a method that takes a request is called by GET, then it is an UnknownMethod fault', async () => {
    const service = await start();
    for (const name of withRequest.split(' ')) {
      const response = await fetch(`${service.url}/ChatService/${name}`);
      expect([name, response.status, await response.json()]).toEqual([name, 404, unknownMethod]);
    }
  });

  it('when a method does not exist, then POST answers an UnknownMethod fault', async () => {
    const service = await start();
    expect(await service.customer('OpenChat', sales)).toEqual({ status: 404, body: unknownMethod });
  });
});

describe('method paths and bodies', () => {
  const post = (
    service: Harness,
    path: string,
    body: string,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  it('when a path differs in case, ends in a slash or carries a query, then it is the same method', async () => {
    const service = await start();
    await service.login('alice', { ready: true });
    for (const path of [
      '/chatservice/getqueueinfo',
      '/CHATSERVICE/GetQueueInfo/',
      '/ChatService/GetQueueInfo?x=1',
    ]) {
      const response = await post(service, path, JSON.stringify({ request: sales }));
      expect([path, response.status]).toEqual([path, 200]);
      expect(await response.json()).toMatchObject({ Open: true });
    }
  });

  it('when a body comes as text/plain (a browser without a pre-flight), then it is read as JSON', async () => {
    const service = await start();
    await service.login('alice', { ready: true });
    const response = await post(service, '/ChatService/RequestChat', JSON.stringify(sales), {
      'content-type': 'text/plain;charset=UTF-8',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ChatID: expect.any(String) });
  });

  it('when a body is not JSON, is a bare value or is compressed, then BadRequest and no chat is made', async () => {
    const service = await start();
    const cases: [string, Record<string, string>][] = [
      ['{"request": ', {}],
      ['"RequestChat"', {}],
      [JSON.stringify(sales), { 'content-encoding': 'gzip' }],
    ];
    for (const [body, headers] of cases) {
      const response = await post(service, '/ChatService/RequestChat', body, headers);
      expect([
        body,
        response.status,
        ((await response.json()) as Partial<Fault>).Fault?.Code,
      ]).toEqual([body, 400, 'BadRequest']);
    }
    expect(service.server.center.chats.size).toBe(0);
  });

  it('when a service path names no method, a nested path or another verb, then UnknownMethod', async () => {
    const service = await start();
    for (const [path, method] of [
      ['/ChatService', 'POST'],
      ['/ChatService/GetVersion/more', 'POST'],
      ['/ChatService/GetVersion', 'PUT'],
      ['/Elsewhere', 'GET'],
    ] as const) {
      const response = await fetch(`${service.url}${path}`, { method });
      expect([
        path,
        method,
        response.status,
        ((await response.json()) as Partial<Fault>).Fault?.Code,
      ]).toEqual([path, method, 404, 'UnknownMethod']);
    }
  });
});

describe('the wire format', () => {
  it('when a chat goes through its life, then every ChatEventType and ChatState travels as its integer', async () => {
    const service = await start();
    const token = await service.login('alice', { ready: true });
    const chatId = await requestChat(service);
    await service.agent(token, 'AcceptChat', { ChatID: chatId });
    await service.agent(token, 'SendMessage', { ChatID: chatId, Message: 'How can I help?' });
    await service.agent(token, 'SendTyping', { ChatID: chatId });
    await service.agent(token, 'LeaveChat', { ChatID: chatId });
    const all = await events(service, chatId);
    expect(all.map((event) => event.EventType)).toEqual([4, 1, 4, 0, 3, 2, 4]);
    expect(all.map((event) => event.Seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const states = all.flatMap((event) => (event.EventType === 4 ? [event.Data.State] : []));
    expect(states).toEqual([0, 1, 2]);
    const message = { ChatID: chatId, Name: 'Alice', Message: 'How can I help?', System: false };
    const at = '2026-01-05T09:00:00.000Z';
    expect(all[3]?.Data).toEqual({ ...message, TimeStamp: at, Attachment: null });
    expect(all[1]?.Data).toEqual({ ChatID: chatId, Name: 'Alice' });
    expect(all[6]?.Data).toMatchObject({ State: 2, TerminationCause: 0 });
  });

  it('when the body is wrapped as {"request": …} or bare, then both are accepted', async () => {
    const service = await start();
    await service.login('alice');
    const wrapped = await service.customer<RequestChatResponse>('RequestChat', sales);
    const bare = await service.customer<RequestChatResponse>('RequestChat', sales, { bare: true });
    expect(wrapped.body.QueuePosition).toBe(1);
    expect(bare.body.QueuePosition).toBe(2);
    const chatId = bare.body.ChatID ?? '';
    const info = await service.customer('GetChatInfo', { ChatID: chatId }, { bare: true });
    expect(info.body).toEqual({ State: 0, QueuePosition: 2 });
  });

  it('when the path is in lower case, then the method is still found', async () => {
    const service = await start();
    await service.login('alice');
    const headers = { 'content-type': 'application/json' };
    const body = JSON.stringify({ request: sales });
    const url = `${service.url}/chatservice/requestchat`;
    const response = await fetch(url, { method: 'POST', headers, body });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ChatID: expect.any(String), QueuePosition: 1 });
    const version = await fetch(`${service.url}/CHATSERVICE/getversion`);
    expect(version.status).toBe(200);
  });
});

describe('GetEvents long-poll', () => {
  function poll(service: ChatServiceHarness, request: Record<string, unknown>) {
    const state = { settled: false };
    const promise = service
      .customer<Events>('GetEvents', request)
      .finally(() => (state.settled = true));
    return { state, promise };
  }

  it('when no event is pending, then the request is held and an agent message answers it at once', async () => {
    const service = await start();
    const { token, chatId } = await handledChat(service);
    const { state, promise } = poll(service, { ChatID: chatId, Timeout: 30000 });
    const queue = service.server.center.chat(chatId).customerEvents;
    await until(() => queue.readers === 1, 'the long-poll is held');
    expect(state.settled).toBe(false);
    await service.agent(token, 'SendMessage', { ChatID: chatId, Message: 'Hello!' });
    const { status, body } = await promise;
    expect(status).toBe(200);
    const message = expect.objectContaining({ Message: 'Hello!' });
    expect(body.Events).toEqual([expect.objectContaining({ EventType: 0, Data: message })]);
    expect(queue.readers).toBe(0);
  });

  it('when nothing happens, then the request is answered with no events at its Timeout', async () => {
    const service = await start();
    const { chatId } = await handledChat(service);
    const { state, promise } = poll(service, { ChatID: chatId, Timeout: 30000 });
    const queue = service.server.center.chat(chatId).customerEvents;
    await until(() => queue.readers === 1, 'the long-poll is held');
    service.time.advance(29_999);
    expect(queue.readers).toBe(1);
    expect(state.settled).toBe(false);
    service.time.advance(1);
    expect(await promise).toEqual({ status: 200, body: { Events: [] } });
  });

  it('when no AfterSeq is given, then the events returned are removed', async () => {
    const service = await start();
    const { token, chatId } = await handledChat(service);
    await service.agent(token, 'SendMessage', { ChatID: chatId, Message: 'one' });
    expect(await events(service, chatId)).toHaveLength(1);
    expect(await events(service, chatId)).toEqual([]);
  });

  it('when a response is lost and the same AfterSeq is sent again, then the same events come again', async () => {
    const service = await start();
    const { token, chatId } = await handledChat(service);
    const lastSeen = service.server.center.chat(chatId).customerEvents.lastSeq;
    for (const text of ['one', 'two', 'three'])
      await service.agent(token, 'SendMessage', { ChatID: chatId, Message: text });
    const first = await events(service, chatId, { AfterSeq: lastSeen });
    const again = await events(service, chatId, { AfterSeq: lastSeen });
    expect(again).toEqual(first);
    expect(first.map((event) => event.Seq)).toEqual([lastSeen + 1, lastSeen + 2, lastSeen + 3]);
    const rest = await events(service, chatId, { AfterSeq: lastSeen + 1 });
    expect(rest.map((event) => event.Seq)).toEqual([lastSeen + 2, lastSeen + 3]);
    expect(await events(service, chatId, { AfterSeq: lastSeen + 3 })).toEqual([]);
  });
});

describe('queue positions and wait estimates', () => {
  it('when three chats wait and the first leaves, then the others get ChatState events with their new positions and estimates', async () => {
    const service = await start();
    const token = await service.login('alice', { ready: true }); // 2 chats at a time
    const sample = await requestChat(service);
    await service.agent(token, 'AcceptChat', { ChatID: sample });
    service.time.advance(100_000);
    await service.agent(token, 'LeaveChat', { ChatID: sample }); // handling time: 100 s
    const busy: string[] = [];
    for (let i = 0; i < 2; i++) {
      busy.push(await requestChat(service));
      await service.agent(token, 'AcceptChat', { ChatID: busy[i] });
    }
    const waiting: RequestChatResponse[] = [];
    for (let i = 0; i < 3; i++)
      waiting.push((await service.customer<RequestChatResponse>('RequestChat', sales)).body);
    // 2 slots, none free, 100 s a chat: position p waits ceil(p × 100 / 2) s.
    const positions = waiting.map((r) => `${r.QueuePosition}: ${r.EstimatedWaitTime} s`);
    expect(positions).toEqual(['1: 50 s', '2: 100 s', '3: 150 s']);
    const [a, b, c] = waiting.map((r) => r.ChatID ?? '') as [string, string, string];
    const queueInfo = await service.customer('GetQueueInfo', { ServiceGroupID: 1 });
    expect(queueInfo.body).toEqual({
      Open: true,
      EstimatedWaitTime: 200,
      ServiceGroupID: 1,
      ClosedMessage: null,
    });
    const queued = (QueuePosition: number, EstimatedWaitTime: number, ChatID: string) => [
      stateEvent(0, { ChatID, QueuePosition, EstimatedWaitTime, TerminationCause: 0 }),
    ];
    expect(await events(service, a)).toEqual(queued(1, 50, a));
    expect(await events(service, b)).toEqual(queued(2, 100, b));
    expect(await events(service, c)).toEqual(queued(3, 150, c));

    await service.customer('LeaveChat', { ChatID: a });
    expect(await events(service, b)).toEqual(queued(1, 50, b));
    expect(await events(service, c)).toEqual(queued(2, 100, c));
    expect(await chatInfo(service, c)).toEqual(info(0, 2));

    service.time.advance(50_000);
    await service.agent(token, 'LeaveChat', { ChatID: busy[0] }); // average now 75 s, 1 slot free
    expect(await events(service, b)).toEqual(queued(1, 0, b));
    expect(await events(service, c)).toEqual(queued(2, 38, c));
  });
});

describe('a group closing with chats queued', () => {
  const groupsWithSales = (sales: Record<string, unknown>) => [
    { ServiceGroupID: 1, Name: 'Sales', ClosedMessage: 'Sales is closed', ...sales },
    { ServiceGroupID: 2, Name: 'Support' },
    { ServiceGroupID: 3, Name: 'Tenant7Group', TenantID: 7 },
  ];
  const groupClosed = [stateEvent(2, { TerminationCause: 1 })];

  it('when the only logged-in agent logs out, then the queued chats end with cause GroupClosed', async () => {
    const service = await start();
    const token = await service.login('alice');
    const chats = [await requestChat(service), await requestChat(service)];
    for (const chatId of chats) await events(service, chatId);
    expect((await service.agent(token, 'Logout')).status).toBe(200);
    for (const chatId of chats) {
      // The last event ends the chat; a queue-position update may come just before it.
      const received = await events(service, chatId);
      expect(received.slice(-1)).toEqual(groupClosed);
      expect(received.slice(0, -1)).toEqual(received.slice(0, -1).map(() => stateEvent(0)));
      expect(await chatInfo(service, chatId)).toEqual(info(2));
    }
    const again = await service.customer<RequestChatResponse>('RequestChat', sales);
    expect(again.body).toMatchObject({ ChatID: null, Message: 'Sales is closed' });
  });

  it('when the opening hours end, then the queued chats end with cause GroupClosed', async () => {
    const service = await start({
      ServiceGroups: groupsWithSales({
        ClosedWhenNoAgentsLoggedIn: false,
        OpeningHours: { TimeZone: 'UTC', Days: { Mon: [{ From: '09:00', To: '09:05' }] } },
      }),
    });
    const chatId = await requestChat(service); // Monday 09:00 UTC: open with nobody logged in
    await events(service, chatId);
    service.time.advance(4 * 60_000);
    expect(await chatInfo(service, chatId)).toEqual(info(0, 1));
    service.time.advance(60_000 + 15_000);
    expect(await events(service, chatId)).toEqual(groupClosed);
    const queueInfo = await service.customer('GetQueueInfo', { ServiceGroupID: 1 });
    expect(queueInfo.body).toEqual({
      Open: false,
      EstimatedWaitTime: -1,
      ServiceGroupID: 1,
      ClosedMessage: 'Sales is closed',
    });
    const late = await service.customer<RequestChatResponse>('RequestChat', sales);
    expect(late.body).toMatchObject({ ChatID: null, Message: 'Sales is closed' });
  });
});
