import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChatServiceServer } from '../../server/chat-service/chat-service-server';
import {
  ChatServiceClient,
  UpstreamUnavailableError,
  type ChatServiceClientOptions,
} from '../../server/customer-chat/upstream/chat-service-client';
import {
  EventPump,
  type EventPumpOptions,
  type EventSource,
} from '../../server/customer-chat/upstream/event-pump';
import type { DecodedChatEvent } from '../../server/customer-chat/upstream/wire-decoding';
import type { AgentEvent } from '../../server/protocol/agent-api';
import { ChatEventType, ChatState } from '../../server/protocol/enums';
import { ServiceFault, type FaultCode } from '../../server/protocol/faults';
import { systemTime } from '../../server/shared/clock';
import { ManualTime } from '../../server/shared/manual-time';
import {
  startChatService,
  testConfig,
  type ChatServiceHarness,
} from '../support/chat-service-harness';

/**
 * CustomerChat's way upstream: the REST client and the per-chat event pump, against a real Chat
 * Service running on real time (short holds) and against small fake servers that fail on cue.
 */

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sales = { TenantID: -1, ServiceGroupID: 1, CustomerName: 'Cleo' };
const hold = 300;

async function realService(): Promise<ChatServiceHarness> {
  const service = await startChatService({}, { time: systemTime() });
  cleanups.push(() => service.stop());
  return service;
}

interface Recorded {
  sleeps: number[];
  client: ChatServiceClient;
}

function clientOf(baseUrl: string, options: Partial<ChatServiceClientOptions> = {}): Recorded {
  const sleeps: number[] = [];
  const client = new ChatServiceClient({
    baseUrl,
    sleep: async (ms) => void sleeps.push(ms),
    ...options,
  });
  cleanups.push(() => client.close());
  return { sleeps, client };
}

interface FakeRequest {
  path: string;
  body: { request: Record<string, unknown> };
  closedEarly: boolean;
}

interface FakeUpstream {
  url: string;
  requests: FakeRequest[];
}

/** A stand-in Chat Service: `answer` gets each request with its 0-based index. */
async function fakeUpstream(
  answer: (res: ServerResponse, index: number) => void,
): Promise<FakeUpstream> {
  const requests: FakeRequest[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      const entry = { path: req.url ?? '', body: JSON.parse(text), closedEarly: false };
      res.on('close', () => (entry.closedEarly = !res.writableFinished));
      requests.push(entry);
      answer(res, requests.length - 1);
    });
  });
  const port = await listen(server, 0);
  cleanups.push(() => close(server));
  return { url: `http://127.0.0.1:${port}`, requests };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json' }).end(text);
}

const fault = (code: string) => ({ Fault: { Code: code, Message: `${code} here` } });

async function expectFault(promise: Promise<unknown>, code: FaultCode): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ServiceFault);
  expect((error as ServiceFault).code).toBe(code);
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function agentEvents(service: ChatServiceHarness, token: string): Promise<AgentEvent[]> {
  const result = await service.agent<{ Events: AgentEvent[] }>(token, 'GetEvents', { Timeout: 0 });
  return result.body.Events;
}

/** alice (ready) has accepted a Sales chat requested through the client. */
async function handledChat(service: ChatServiceHarness, client: ChatServiceClient) {
  const token = await service.login('alice', { ready: true });
  const { ChatID } = await client.requestChat(sales);
  if (ChatID === null) throw new Error('Sales is closed');
  expect((await service.agent(token, 'AcceptChat', { ChatID })).status).toBe(200);
  await agentEvents(service, token);
  return { token, chatId: ChatID };
}

const texts = (events: DecodedChatEvent[]) =>
  events.flatMap((event) =>
    event.EventType === ChatEventType.MessageReceived ? [event.Data.Message] : [],
  );

describe('ChatServiceClient against the reference Chat Service', () => {
  it('when asked for the version and the configuration, then both are decoded', async () => {
    const { client } = clientOf((await realService()).url);
    expect(await client.getVersion()).toBe('0.1.0');
    expect(await client.getChatConfiguration()).toEqual({
      MaxMessageLength: 1024,
      MaxAttachmentSize: 5120 * 1024,
      AllowedAttachmentTypes: [],
      RestrictedAttachmentTypes: ['exe', 'bat', 'cmd', 'com', 'vbs'],
    });
  });

  it('when Sales closes and opens, then GetQueueInfo and RequestChat follow, and GetChatInfo reports the queue', async () => {
    const service = await realService();
    const { client } = clientOf(service.url);
    const group = { TenantID: -1, ServiceGroupID: 1, ServiceGroupName: null };
    expect(await client.getQueueInfo(group)).toEqual({
      Open: false,
      EstimatedWaitTime: -1,
      ServiceGroupID: 1,
      ClosedMessage: 'Sales is closed',
    });
    expect(await client.requestChat(sales)).toMatchObject({
      ChatID: null,
      Message: 'Sales is closed',
    });
    await service.login('alice');
    expect(await client.getQueueInfo(group)).toMatchObject({ Open: true });
    const chat = await client.requestChat(sales);
    expect(chat).toMatchObject({ Message: 'Welcome to Sales', QueuePosition: 1 });
    expect(await client.getChatInfo(chat.ChatID ?? '')).toEqual({
      State: ChatState.Queued,
      QueuePosition: 1,
    });
  });

  it('when the customer sends a message with an attachment twice under one ClientMessageID, types and leaves, then the agent gets each once', async () => {
    const service = await realService();
    const { client } = clientOf(service.url);
    const { token, chatId } = await handledChat(service, client);
    const message = { ChatID: chatId, Message: 'note.txt', ClientMessageID: 'm-1' };
    await client.sendMessage({ ...message, Attachment: Buffer.from('hello') });
    await client.sendMessage({ ...message, Attachment: new Uint8Array(Buffer.from('hello')) });
    await client.sendTyping(chatId);
    const seen = await agentEvents(service, token);
    expect(seen.map((event) => event.EventType)).toEqual(['MessageReceived', 'CustomerTyping']);
    const received = seen[0];
    if (received?.EventType !== 'MessageReceived') throw new Error('no message');
    expect(received.Data.Attachment).toMatchObject({ FileName: 'note.txt', Size: 5 });
    const stored = await service.agent<{ Data: string }>(token, 'GetAttachment', {
      ChatID: chatId,
      AttachmentID: received.Data.Attachment?.AttachmentID,
    });
    expect(Buffer.from(stored.body.Data, 'base64').toString()).toBe('hello');
    await client.leaveChat(chatId);
    expect(await client.getChatInfo(chatId)).toMatchObject({ State: ChatState.Terminated });
  });

  it('when the agent joins and sends a file, then GetEvents decodes the events, and an empty hold lasts its Timeout', async () => {
    const service = await realService();
    const { client } = clientOf(service.url);
    const { token, chatId } = await handledChat(service, client);
    const file = {
      ChatID: chatId,
      Message: 'hi.txt',
      Attachment: Buffer.from('hi').toString('base64'),
    };
    await service.agent(token, 'SendMessage', file);
    const { Events } = await client.getEvents(chatId, hold, 0);
    expect(Events.map((event) => event.EventType)).toEqual([4, 1, 4, 0]);
    const last = Events.at(-1);
    if (last?.EventType !== ChatEventType.MessageReceived) throw new Error('no message');
    expect(last.Data).toMatchObject({ Name: 'Alice', Message: 'hi.txt', System: false });
    expect(last.Data.Attachment).toEqual(Buffer.from('hi'));
    expect(Math.abs(last.Data.TimeStamp - Date.now())).toBeLessThan(5000);
    const startedAt = Date.now();
    expect(await client.getEvents(chatId, hold, last.Seq)).toEqual({ Events: [] });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(hold - 50);
  });

  it('when a request is refused, then the fault arrives as ServiceFault with its code', async () => {
    const service = await realService();
    const { client } = clientOf(service.url);
    await expectFault(client.getChatInfo('no-such-chat'), 'UnknownChat');
    await expectFault(client.requestChat({ ...sales, TenantID: 7 }), 'TenantMismatch');
    const { chatId } = await handledChat(service, client);
    const tooLong = { ChatID: chatId, Message: 'x'.repeat(1025) };
    await expectFault(client.sendMessage(tooLong), 'MessageTooLong');
  });

  it('when the caller aborts a held GetEvents, then it rejects at once and not as an outage', async () => {
    const service = await realService();
    const { client } = clientOf(service.url);
    await service.login('alice');
    const { ChatID } = await client.requestChat(sales);
    const caller = new AbortController();
    const held = client.getEvents(ChatID ?? '', 5000, 99, caller.signal);
    setTimeout(() => caller.abort(), 50);
    const error: unknown = await held.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(error).not.toBeInstanceOf(UpstreamUnavailableError);
    expect(error).not.toBeInstanceOf(ServiceFault);
  });
});

describe('ChatServiceClient when the upstream fails', () => {
  async function closedPort(): Promise<number> {
    const server = createServer();
    const port = await listen(server, 0);
    await close(server);
    return port;
  }

  it('when a fault or a non-fault 4xx comes back, then it is not retried; a bare 404 means no such method', async () => {
    const answers = [
      (res: ServerResponse) => send(res, 429, fault('RateLimited')),
      (res: ServerResponse) => send(res, 404, '<html>Endpoint not found</html>'),
      (res: ServerResponse) => send(res, 400, '<html>bad</html>'),
    ];
    const upstream = await fakeUpstream((res, index) => answers[index]?.(res));
    const { client, sleeps } = clientOf(upstream.url);
    await expectFault(client.getChatInfo('c1'), 'RateLimited');
    await expectFault(client.getChatInfo('c1'), 'UnknownMethod');
    await expect(client.getChatInfo('c1')).rejects.toBeInstanceOf(UpstreamUnavailableError);
    expect(upstream.requests).toHaveLength(3);
    expect(sleeps).toEqual([]);
  });

  it('when 503 twice and then an answer, then it backs off exponentially with jitter and succeeds', async () => {
    const upstream = await fakeUpstream((res, index) =>
      index < 2 ? send(res, 503, 'busy') : send(res, 200, { State: 1, QueuePosition: 0 }),
    );
    const { client, sleeps } = clientOf(upstream.url, { retryBaseDelayMs: 100 });
    expect(await client.getChatInfo('c1')).toEqual({ State: 1, QueuePosition: 0 });
    expect(upstream.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(100);
    expect(sleeps[0]).toBeLessThan(200);
    expect(sleeps[1]).toBeGreaterThanOrEqual(200);
    expect(sleeps[1]).toBeLessThan(300);
  });

  it('when the connection is reset before an answer, then the request is repeated with the same ClientMessageID', async () => {
    const upstream = await fakeUpstream((res, index) =>
      index === 0 ? res.socket?.destroy() : send(res, 200, {}),
    );
    const { client, sleeps } = clientOf(upstream.url);
    await client.sendMessage({ ChatID: 'c1', Message: 'hi', ClientMessageID: 'm-7' });
    expect(upstream.requests.map((request) => request.body.request)).toEqual([
      { ChatID: 'c1', Message: 'hi', ClientMessageID: 'm-7' },
      { ChatID: 'c1', Message: 'hi', ClientMessageID: 'm-7' },
    ]);
    expect(sleeps).toHaveLength(1);
  });

  it('when a send with a ClientMessageID gets no answer in time, then it is tried again with the same id until the service answers', async () => {
    const upstream = await fakeUpstream((res, index) => {
      // The first try sits in a stalled service; the second is answered.
      if (index > 0) send(res, 200, {});
    });
    const { client } = clientOf(upstream.url, { sendAttemptTimeoutMs: 200 });
    await client.sendMessage({ ChatID: 'c1', Message: 'hi', ClientMessageID: 'm-8' });
    expect(upstream.requests.map((request) => request.body.request)).toEqual([
      { ChatID: 'c1', Message: 'hi', ClientMessageID: 'm-8' },
      { ChatID: 'c1', Message: 'hi', ClientMessageID: 'm-8' },
    ]);
  });

  it('when the service stays away, then a send is tried through its window and only then fails as unavailable; a refusal is not tried again', async () => {
    let now = 0;
    const { client, sleeps } = clientOf(`http://127.0.0.1:${await closedPort()}`, {
      sendWindowMs: 10_000,
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    });
    const error: unknown = await client
      .sendMessage({ ChatID: 'c1', Message: 'hi', ClientMessageID: 'm-9' })
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(sleeps.length).toBeGreaterThan(3);
    expect(now).toBeLessThanOrEqual(10_000);
    expect(now).toBeGreaterThan(7_000);

    const refusing = await fakeUpstream((res) => send(res, 400, fault('MessageTooLong')));
    const refused = clientOf(refusing.url, { sendWindowMs: 10_000 });
    await expectFault(
      refused.client.sendMessage({ ChatID: 'c1', Message: 'hi', ClientMessageID: 'm-10' }),
      'MessageTooLong',
    );
    expect(refusing.requests).toHaveLength(1);
  });

  it('when 5xx never ends, then it gives up after the retries with the last error', async () => {
    const upstream = await fakeUpstream((res, index) =>
      index % 2 === 0 ? send(res, 503, '') : send(res, 500, fault('Internal')),
    );
    const { client } = clientOf(upstream.url, { retries: 2 });
    await expect(client.getChatConfiguration()).rejects.toBeInstanceOf(UpstreamUnavailableError);
    expect(upstream.requests).toHaveLength(3);
    await expectFault(client.leaveChat('c1'), 'Internal');
    expect(upstream.requests).toHaveLength(6);
  });

  it('when RequestChat or GetEvents meets a 503, then neither is repeated', async () => {
    const upstream = await fakeUpstream((res) => send(res, 503, fault('Internal')));
    const { client } = clientOf(upstream.url);
    await expectFault(client.requestChat(sales), 'Internal');
    await expectFault(client.getEvents('c1', 100), 'Internal');
    expect(upstream.requests.map((request) => request.path)).toEqual([
      '/ChatService/RequestChat',
      '/ChatService/GetEvents',
    ]);
  });

  it('when nothing listens, then it retries and then reports the upstream unavailable', async () => {
    const { client, sleeps } = clientOf(`http://127.0.0.1:${await closedPort()}`);
    const error: unknown = await client.getChatConfiguration().catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect((error as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
    expect(sleeps).toHaveLength(3);
  });

  it('when the answer is not the expected shape, then it is unavailable and not repeated', async () => {
    const upstream = await fakeUpstream((res) => send(res, 200, { State: 'Queued' }));
    const { client } = clientOf(upstream.url);
    await expect(client.getChatInfo('c1')).rejects.toBeInstanceOf(UpstreamUnavailableError);
    expect(upstream.requests).toHaveLength(1);
  });

  it('when no answer comes within requestTimeoutMs, then it is unavailable, while GetEvents may take its hold plus a grace', async () => {
    const upstream = await fakeUpstream((res, index) => {
      if (index === 1) setTimeout(() => send(res, 200, { Events: [] }), 400);
    });
    const { client } = clientOf(upstream.url, { requestTimeoutMs: 100 });
    await expect(client.getChatInfo('c1')).rejects.toBeInstanceOf(UpstreamUnavailableError);
    expect(await client.getEvents('c1', 200)).toEqual({ Events: [] });
    expect(upstream.requests).toHaveLength(2);
  });

  it('when a .NET server answers under a path prefix, then its dates, byte arrays and nulls are decoded', async () => {
    const answer = `{"Events":[
      {"__type":"ChatEvent:#Vendor","EventType":0,"Data":{"ChatID":"c1","Name":"Alice",
        "Message":"hi.txt","TimeStamp":"\\/Date(1700000000000+0000)\\/","Attachment":[104,105]}},
      {"EventType":0,"Data":{"ChatID":"c1","Name":null,"Message":"Hello","System":true,
        "TimeStamp":"2023-11-14T22:13:20.0000000","Attachment":null}},
      {"EventType":4,"Data":{"ChatID":"c1","State":2,"QueuePosition":0,
        "EstimatedWaitTime":0,"TerminationCause":1}}]}`;
    const upstream = await fakeUpstream((res) => send(res, 200, answer));
    const { client } = clientOf(`${upstream.url}/legacy/`);
    const { Events } = await client.getEvents('c1', 100, 3);
    expect(upstream.requests[0]).toMatchObject({
      path: '/legacy/ChatService/GetEvents',
      body: { request: { ChatID: 'c1', Timeout: 100, AfterSeq: 3 } },
    });
    expect(Events).toEqual([
      {
        EventType: 0,
        Data: {
          ...{ ChatID: 'c1', Name: 'Alice', Message: 'hi.txt', System: false },
          ...{ TimeStamp: 1700000000000, Attachment: Buffer.from('hi') },
        },
      },
      {
        EventType: 0,
        Data: {
          ...{ ChatID: 'c1', Name: '', Message: 'Hello', System: true },
          ...{ TimeStamp: 1700000000000, Attachment: null },
        },
      },
      {
        EventType: 4,
        Data: {
          ...{ ChatID: 'c1', State: 2, QueuePosition: 0 },
          ...{ EstimatedWaitTime: 0, TerminationCause: 1 },
        },
      },
    ]);
  });
});

describe('EventPump', () => {
  interface PumpLog {
    events: DecodedChatEvent[];
    /** 'unavailable', 'available' and 'ended', in the order they fired. */
    notices: string[];
  }

  function startPump(options: Partial<EventPumpOptions> & Pick<EventPumpOptions, 'client'>) {
    const log: PumpLog = { events: [], notices: [] };
    const pump = new EventPump({
      chatId: 'c1',
      holdMs: hold,
      timers: systemTime(),
      retryBaseDelayMs: 10,
      maxRetryDelayMs: 50,
      onEvents: (events) => log.events.push(...events),
      onEnded: () => log.notices.push('ended'),
      onAvailability: (available) => log.notices.push(available ? 'available' : 'unavailable'),
      ...options,
    });
    pump.start();
    cleanups.push(() => pump.stop());
    return { pump, log };
  }

  /** The real client, with the AfterSeq of every call noted. */
  function recording(client: ChatServiceClient) {
    const afterSeqs: Array<number | undefined> = [];
    const source: EventSource = {
      getEvents: (chatId, timeoutMs, afterSeq, signal) => {
        afterSeqs.push(afterSeq);
        return client.getEvents(chatId, timeoutMs, afterSeq, signal);
      },
    };
    return { afterSeqs, source };
  }

  const eventsAnswer = (...seqs: number[]) => ({
    Events: seqs.map((seq) => ({ EventType: 3, Data: { ChatID: 'c1', Name: 'Alice' }, Seq: seq })),
  });

  it('when the agent writes, then every message arrives once and in order, each poll acknowledging the last Seq', async () => {
    const service = await realService();
    const { client } = clientOf(service.url);
    const { token, chatId } = await handledChat(service, client);
    const { afterSeqs, source } = recording(client);
    const { pump, log } = startPump({ client: source, chatId });
    for (const text of ['one', 'two', 'three']) {
      await service.agent(token, 'SendMessage', { ChatID: chatId, Message: text });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await waitFor(() => texts(log.events).length === 3, 'three messages arrived');
    expect(texts(log.events)).toEqual(['one', 'two', 'three']);
    const seqs = log.events.map((event) => event.Seq ?? 0);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    await waitFor(() => afterSeqs.at(-1) === pump.afterSeq, 'the last Seq was acknowledged');
    expect(pump.afterSeq).toBe(seqs.at(-1));
    expect(afterSeqs[0]).toBe(0);
    expect(log.notices).toEqual([]);
  });

  it('when an answer is lost on the way, then the events come again and are handed on once', async () => {
    const service = await realService();
    const { client } = clientOf(service.url);
    const { token, chatId } = await handledChat(service, client);
    let lost = false;
    const source: EventSource = {
      getEvents: async (...args) => {
        const answer = await client.getEvents(...args);
        if (lost || texts(answer.Events).length === 0) return answer;
        lost = true;
        throw new UpstreamUnavailableError('answer lost');
      },
    };
    const { log } = startPump({ client: source, chatId });
    await service.agent(token, 'SendMessage', { ChatID: chatId, Message: 'again' });
    await waitFor(() => texts(log.events).length > 0, 'the message arrived');
    expect(lost).toBe(true);
    expect(texts(log.events)).toEqual(['again']);
    expect(log.notices).toEqual(['unavailable', 'available']);
  });

  it('when the agent leaves, then the pump hands on the end, reports it and polls no more', async () => {
    const service = await realService();
    const { client } = clientOf(service.url);
    const { token, chatId } = await handledChat(service, client);
    const { afterSeqs, source } = recording(client);
    const { log } = startPump({ client: source, chatId });
    await service.agent(token, 'LeaveChat', { ChatID: chatId });
    await waitFor(() => log.notices.includes('ended'), 'the pump ended');
    const last = log.events.at(-1);
    expect(last).toMatchObject({ EventType: 4, Data: { State: ChatState.Terminated } });
    const polls = afterSeqs.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(afterSeqs).toHaveLength(polls);
    expect(log.notices).toEqual(['ended']);
  });

  it('when the service does not know the chat, then the pump ends', async () => {
    const { client } = clientOf((await realService()).url);
    const { log } = startPump({ client, chatId: 'no-such-chat' });
    await waitFor(() => log.notices.length > 0, 'the pump ended');
    expect(log).toEqual({ events: [], notices: ['ended'] });
  });

  it('when the Chat Service stops and comes back on the same port, then the pump reports the outage and, as the restarted service lost the chat, the end', async () => {
    const first = await startChatService({}, { time: systemTime() });
    let firstRunning = true;
    cleanups.push(async () => void (firstRunning && (await first.stop())));
    const port = Number(new URL(first.url).port);
    const { client } = clientOf(first.url);
    const { chatId } = await handledChat(first, client);
    const { log } = startPump({ client, chatId });
    await waitFor(() => log.events.length > 0, 'the first events arrived');
    await first.stop();
    firstRunning = false;
    await waitFor(() => log.notices.includes('unavailable'), 'the outage was noticed');
    const second = new ChatServiceServer({ config: testConfig(), port, host: '127.0.0.1' });
    await second.start();
    cleanups.push(() => second.stop());
    await waitFor(() => log.notices.includes('ended'), 'the pump ended');
    expect(log.notices).toEqual(['unavailable', 'available', 'ended']);
  });

  it('when the upstream drops out between answers, then the events continue after it, repeats dropped', async () => {
    const upstream = await fakeUpstream((res, index) => {
      if (index === 0) send(res, 200, eventsAnswer(1));
      else if (index === 1) res.socket?.destroy();
      else if (index === 2) send(res, 503, 'down for maintenance');
      else if (index === 3) send(res, 200, eventsAnswer(1, 2, 3));
      else setTimeout(() => send(res, 200, { Events: [] }), 50);
    });
    const { client } = clientOf(upstream.url);
    const { log } = startPump({ client });
    await waitFor(() => log.events.length === 3, 'three events arrived');
    expect(log.events.map((event) => event.Seq)).toEqual([1, 2, 3]);
    expect(log.notices).toEqual(['unavailable', 'available']);
    await waitFor(() => upstream.requests.length >= 5, 'the pump polled again');
    const acknowledged = upstream.requests.map((request) => request.body.request['AfterSeq']);
    expect(acknowledged.slice(0, 5)).toEqual([0, 1, 1, 1, 3]);
  });

  it('when a listener throws, then the pump goes on', async () => {
    const upstream = await fakeUpstream((res, index) =>
      index < 2 ? send(res, 200, eventsAnswer(index + 1)) : undefined,
    );
    const { client } = clientOf(upstream.url);
    const seen: number[] = [];
    startPump({
      client,
      onEvents: (events) => {
        seen.push(...events.map((event) => event.Seq ?? 0));
        if (seen.length === 1) throw new Error('listener broke');
      },
    });
    await waitFor(() => seen.length === 2, 'the second event arrived');
    expect(seen).toEqual([1, 2]);
  });

  it('when stopped during a held request, then the request is aborted and nothing fires or waits', async () => {
    const upstream = await fakeUpstream(() => undefined);
    const { client } = clientOf(upstream.url);
    const timers = new ManualTime();
    const { pump, log } = startPump({ client, timers, holdMs: 60_000 });
    await waitFor(() => upstream.requests.length === 1, 'the poll is held');
    await pump.stop();
    await waitFor(() => upstream.requests[0]?.closedEarly === true, 'the poll was aborted');
    expect(timers.pendingCount).toBe(0);
    expect(log).toEqual({ events: [], notices: [] });
  });

  it('when stopped while backing off, then the timer is cleared and no request follows', async () => {
    const upstream = await fakeUpstream((res) => send(res, 503, ''));
    const { client } = clientOf(upstream.url);
    const timers = new ManualTime();
    const { pump, log } = startPump({ client, timers });
    await waitFor(() => timers.pendingCount === 1, 'the pump is backing off');
    await pump.stop();
    expect(timers.pendingCount).toBe(0);
    timers.advance(60_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(upstream.requests).toHaveLength(1);
    expect(log.notices).toEqual(['unavailable']);
  });
});
