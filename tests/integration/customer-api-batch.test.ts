import type { ChatEvent, GetEventsBatchResponse } from '../../server/protocol/customer-api';
import { ChatState } from '../../server/protocol/enums';
import {
  agentEvents,
  customerEvents,
  expectFault,
  requestChat,
  useChatService,
} from '../support/agent-api-test-kit';
import { until, type ChatServiceHarness } from '../support/chat-service-harness';

/**
 * GetEventsBatch, the reference service's extension for relays: GetEvents with AfterSeq for many
 * chats in one long-poll, over real HTTP with the service's time driven by its ManualTime.
 */

const { start } = useChatService();
const sales = { TenantID: -1, ServiceGroupID: 1, CustomerName: 'Cleo' };
const support = { TenantID: -1, ServiceGroupID: 2, CustomerName: 'Dora' };

/** alice has accepted a Sales chat and bob a Support chat; every event so far is read. */
async function twoHandledChats(service: ChatServiceHarness) {
  const alice = await service.login('alice', { ready: true });
  const bob = await service.login('bob', { ready: true });
  const first = await requestChat(service, sales);
  const second = await requestChat(service, support);
  for (const [token, chatId] of [
    [alice, first],
    [bob, second],
  ] as const) {
    expect((await service.agent(token, 'AcceptChat', { ChatID: chatId })).status).toBe(200);
    await customerEvents(service, chatId);
    await agentEvents(service, token);
  }
  return { alice, bob, first, second };
}

const lastSeq = (service: ChatServiceHarness, chatId: string) =>
  service.server.center.chat(chatId).customerEvents.lastSeq;
const readers = (service: ChatServiceHarness, chatId: string) =>
  service.server.center.chat(chatId).customerEvents.readers;
const texts = (events: ChatEvent[]) =>
  events.flatMap((event) => (event.EventType === 0 ? [event.Data.Message] : []));

/** Each chat listed after the last event it has. */
function caughtUp(service: ChatServiceHarness, ...chatIds: string[]) {
  return chatIds.map((chatId) => ({ ChatID: chatId, AfterSeq: lastSeq(service, chatId) }));
}

function batch(service: ChatServiceHarness, request: unknown, options: { bare?: boolean } = {}) {
  return service.customer<GetEventsBatchResponse>('GetEventsBatch', request, options);
}

describe('GetEventsBatch', () => {
  it('when no listed chat has events, then the poll is held on every chat and an agent message to one answers with that chat alone', async () => {
    const service = await start();
    const { alice, first, second } = await twoHandledChats(service);
    const held = batch(service, {
      Chats: caughtUp(service, first, second),
      Timeout: 30_000,
    });
    await until(
      () => readers(service, first) === 1 && readers(service, second) === 1,
      'the poll is held on both chats',
    );
    await service.agent(alice, 'SendMessage', { ChatID: first, Message: 'Hello!' });
    const { status, body } = await held;
    expect(status).toBe(200);
    expect(body.Chats).toEqual([{ ChatID: first, Events: [expect.objectContaining({ Seq: 4 })] }]);
    const [entry] = body.Chats;
    expect(entry !== undefined && 'Events' in entry ? texts(entry.Events) : []).toEqual(['Hello!']);
    expect([readers(service, first), readers(service, second)]).toEqual([0, 0]);
  });

  it('when nothing happens, then it answers no chats at its Timeout, held at most MaxEventsTimeoutMs', async () => {
    const service = await start({ MaxEventsTimeoutMs: 20_000 });
    const { first, second } = await twoHandledChats(service);
    const state = { settled: false };
    const held = batch(service, {
      Chats: caughtUp(service, first, second),
      Timeout: 90_000,
    }).finally(() => (state.settled = true));
    await until(() => readers(service, first) === 1, 'the poll is held');
    service.time.advance(19_999);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(state.settled).toBe(false);
    service.time.advance(1);
    expect(await held).toEqual({ status: 200, body: { Chats: [] } });
    expect([readers(service, first), readers(service, second)]).toEqual([0, 0]);
  });

  it('when the same AfterSeq is sent again, then the same events come again; a higher one acknowledges them, per chat', async () => {
    const service = await start();
    const { alice, bob, first, second } = await twoHandledChats(service);
    const seen = { first: lastSeq(service, first), second: lastSeq(service, second) };
    for (const text of ['one', 'two'])
      await service.agent(alice, 'SendMessage', { ChatID: first, Message: text });
    await service.agent(bob, 'SendMessage', { ChatID: second, Message: 'three' });
    const request = (firstAfter: number, secondAfter: number) => ({
      Chats: [
        { ChatID: first, AfterSeq: firstAfter },
        { ChatID: second, AfterSeq: secondAfter },
      ],
      Timeout: 0,
    });
    const once = await batch(service, request(seen.first, seen.second));
    const again = await batch(service, request(seen.first, seen.second));
    expect(again.body).toEqual(once.body);
    expect(once.body.Chats.map((entry) => entry.ChatID)).toEqual([first, second]);
    const rest = await batch(service, request(seen.first + 1, seen.second + 1));
    expect(rest.body.Chats).toEqual([
      { ChatID: first, Events: [expect.objectContaining({ Seq: seen.first + 2 })] },
    ]);
  });

  it('when a listed chat is unknown, then it answers at once with UnknownChat for it beside the others that have events', async () => {
    const service = await start();
    const { alice, first, second } = await twoHandledChats(service);
    await service.agent(alice, 'SendMessage', { ChatID: first, Message: 'waiting' });
    const { status, body } = await batch(service, {
      Chats: [
        { ChatID: 'no-such-chat', AfterSeq: 0 },
        { ChatID: first, AfterSeq: lastSeq(service, first) - 1 },
        { ChatID: second, AfterSeq: lastSeq(service, second) },
      ],
      Timeout: 30_000,
    });
    expect(status).toBe(200);
    expect(body.Chats).toEqual([
      { ChatID: 'no-such-chat', Fault: { Code: 'UnknownChat', Message: expect.any(String) } },
      { ChatID: first, Events: [expect.objectContaining({ EventType: 0 })] },
    ]);
    expect([readers(service, first), readers(service, second)]).toEqual([0, 0]);
  });

  it('when a chat ends, then its last events come, and once acknowledged it answers ChatTerminated for it alone', async () => {
    const service = await start();
    const { alice, first, second } = await twoHandledChats(service);
    const held = batch(service, {
      Chats: caughtUp(service, first, second),
      Timeout: 30_000,
    });
    await until(() => readers(service, first) === 1, 'the poll is held');
    await service.agent(alice, 'LeaveChat', { ChatID: first });
    const ended = await held;
    expect(ended.body.Chats).toHaveLength(1);
    const [entry] = ended.body.Chats;
    const events = entry !== undefined && 'Events' in entry ? entry.Events : [];
    expect(events.at(-1)).toMatchObject({ EventType: 4, Data: { State: ChatState.Terminated } });
    const after = await batch(service, {
      Chats: caughtUp(service, first, second),
      Timeout: 30_000,
    });
    expect(after.body.Chats).toEqual([
      { ChatID: first, Fault: { Code: 'ChatTerminated', Message: expect.any(String) } },
    ]);
  });

  it('when a listed chat is queued, then the poll counts as its activity, as GetEvents does', async () => {
    const service = await start();
    await service.login('alice'); // logged in, not ready: the chat stays queued
    const chatId = await requestChat(service, sales);
    const requestedAt = service.server.center.chat(chatId).lastCustomerActivityAt;
    service.time.advance(60_000);
    const answer = await batch(
      service,
      { Chats: [{ ChatID: chatId, AfterSeq: 0 }], Timeout: 0 },
      { bare: true },
    );
    expect(answer.status).toBe(200);
    expect(service.server.center.chat(chatId).lastCustomerActivityAt).toBe(requestedAt + 60_000);
  });

  it('when the caller has gone, then no events are handed out', async () => {
    const service = await start();
    const { alice, first } = await twoHandledChats(service);
    await service.agent(alice, 'SendMessage', { ChatID: first, Message: 'unseen' });
    const answer = await service.server.customerDesk.getEventsBatch(
      { Chats: [{ ChatID: first, AfterSeq: 0 }], Timeout: 0 },
      () => false,
    );
    expect(answer).toEqual([]);
  });

  it('when the list is empty, too long, names a chat twice or lacks AfterSeq, then BadRequest', async () => {
    const service = await start();
    const many = Array.from({ length: 501 }, (_, index) => ({ ChatID: `c${index}`, AfterSeq: 0 }));
    for (const Chats of [
      [],
      many,
      [
        { ChatID: 'a', AfterSeq: 0 },
        { ChatID: 'a', AfterSeq: 1 },
      ],
      [{ ChatID: 'a' }],
    ]) {
      expectFault(await batch(service, { Chats, Timeout: 0 }), 400, 'BadRequest');
    }
  });
});
