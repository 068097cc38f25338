import type { AgentEvent } from '../../server/protocol/agent-api';
import { ChatState } from '../../server/protocol/enums';
import type { LoggedEvent } from '../../server/customer-chat/session/visitor-events';
import { until } from '../support/chat-service-harness';
import {
  dutyTimers,
  recordEvents,
  settled,
  type CustomerChatHarness,
} from '../support/customer-chat-harness';
import {
  AgentFeed,
  agentHandledChat,
  ask,
  useCustomerChat,
} from '../support/customer-chat-test-kit';

/**
 * CustomerChat end to end: a visitor's socket.io page, the real CustomerChat and the real Chat
 * Service with an agent on its agent API. A whole conversation: request, queue, agent, messages
 * and typing both ways, leave; and a stop that leaves no timer behind.
 */

const { start, stopNow, forget } = useCustomerChat();

const isMessage = (text: string) => (event: AgentEvent) =>
  event.EventType === 'MessageReceived' && event.Data.Message === text;

const messagesOf = (events: LoggedEvent[]) =>
  events.filter(
    (event): event is Extract<LoggedEvent, { type: 'message' }> => event.type === 'message',
  );

describe('CustomerChat conversation end to end', () => {
  test('when a visitor requests a chat, then it is queued with its position and told as the queue moves', async () => {
    const h = await start();
    const alice = new AgentFeed(h, await h.chatService.login('alice'));
    const first = await h.visitor();
    const second = await h.visitor();
    const firstEvents = recordEvents(first);
    const secondEvents = recordEvents(second);

    const one = await ask(first, 'chat:request', { serviceGroupId: 1, customerName: 'Ann' });
    expect(one).toMatchObject({ ok: true, queuePosition: 1, message: 'Welcome to Sales' });
    expect(one['token']).toEqual(expect.stringMatching(/^[\w-]{32}$/));
    const two = await ask(second, 'chat:request', { serviceGroupId: 1, customerName: 'Bo' });
    expect(two).toMatchObject({ ok: true, queuePosition: 2 });
    expect(two['token']).not.toBe(one['token']);
    await until(
      () => secondEvents.some((event) => event.type === 'queued' && event.position === 2),
      'the second visitor is told position 2',
    );
    expect(firstEvents).toEqual([
      { type: 'queued', position: 1, estimatedWaitSeconds: expect.any(Number), seq: 1 },
    ]);

    await alice.call('SetReady', { Ready: true });
    const offer = await alice.waitFor((event) => event.EventType === 'ChatOffered', 'an offer');
    expect(offer.Data).toMatchObject({ CustomerName: 'Ann', ServiceGroupID: 1 });
    expect((await alice.call('AcceptChat', { ChatID: offer.Data.ChatID })).status).toBe(200);

    await until(
      () => firstEvents.some((event) => event.type === 'agentJoined'),
      'the first visitor sees the agent join',
    );
    // Estimates may be refreshed while waiting; the position stays 1 until the agent joins.
    expect(firstEvents.at(-1)).toEqual({
      type: 'agentJoined',
      name: 'Alice',
      seq: firstEvents.length,
    });
    expect(firstEvents.slice(0, -1).every((e) => e.type === 'queued' && e.position === 1)).toBe(
      true,
    );
    await until(
      () => secondEvents.some((event) => event.type === 'queued' && event.position === 1),
      'the second visitor moves up to position 1',
    );
    expect(secondEvents.map((event) => event.type === 'queued' && event.position)).toEqual([
      ...secondEvents.slice(0, -1).map(() => 2),
      1,
    ]);
  });

  test('when visitor and agent write and type, then each sees the other, once and in order', async () => {
    const h = await start();
    const { alice, page, events, chatId } = await handledChat(h);

    const sent = await ask(page, 'message:send', { clientMessageId: 'm1', text: 'Hi, my order?' });
    expect(sent).toEqual({ ok: true });
    const received = await alice.waitFor(isMessage('Hi, my order?'), "the visitor's message");
    expect(received.Data).toMatchObject({ ChatID: chatId, From: 'Customer', Name: 'Ann' });
    // The page shows its own message once, with the id it chose.
    expect(messagesOf(events)).toEqual([
      expect.objectContaining({ from: 'visitor', text: 'Hi, my order?', clientMessageId: 'm1' }),
    ]);
    // A resend of the same id (after a drop) is answered but delivered nowhere twice.
    expect(
      await ask(page, 'message:send', { clientMessageId: 'm1', text: 'Hi, my order?' }),
    ).toEqual({ ok: true });

    expect(
      (await alice.call('SendMessage', { ChatID: chatId, Message: 'It ships today.' })).status,
    ).toBe(200);
    await until(
      () => messagesOf(events).some((event) => event.from === 'agent'),
      "the agent's message reaches the page",
    );
    expect(messagesOf(events).map(({ from, name, text }) => ({ from, name, text }))).toEqual([
      { from: 'visitor', name: 'Ann', text: 'Hi, my order?' },
      { from: 'agent', name: 'Alice', text: 'It ships today.' },
    ]);
    expect(events.map((event) => event.seq)).toEqual(events.map((_event, index) => index + 1));

    page.emit('typing');
    await alice.waitFor(
      (event) => event.EventType === 'CustomerTyping' && event.Data.ChatID === chatId,
      "the visitor's typing",
    );
    const typing: { name: string }[] = [];
    page.on('agent:typing', (payload: { name: string }) => typing.push(payload));
    expect((await alice.call('SendTyping', { ChatID: chatId })).status).toBe(200);
    await until(() => typing.length > 0, 'the page is told the agent types');
    expect(typing).toEqual([{ name: 'Alice' }]);

    await alice.read();
    const fromVisitor = alice.events.filter((event) => event.EventType === 'MessageReceived');
    expect(fromVisitor).toHaveLength(1);
  });

  test("when the page's idle timeout ends the chat, then the agent learns it was idleness, not the visitor, and the page that the chat ended for it", async () => {
    const h = await start();
    const { alice, page, events, chatId } = await handledChat(h);

    expect(await ask(page, 'chat:leave', { reason: 'sleepy' })).toMatchObject({
      ok: false,
      error: { code: 'BadRequest' },
    });
    expect(await ask(page, 'chat:leave', { reason: 'idle' })).toEqual({ ok: true });
    const ended = await alice.waitFor(
      (event) => event.EventType === 'ChatState' && event.Data.State === ChatState.Terminated,
      'the end of the chat',
    );
    expect(ended.Data).toMatchObject({ ChatID: chatId, EndedBy: 'CustomerIdle' });
    await until(() => events.some((event) => event.type === 'ended'), 'the page sees the end');
    expect(events.at(-1)).toMatchObject({ type: 'ended', cause: 'general', by: 'idle' });
  });

  test('when the visitor leaves, then the chat ends upstream and the page gets an ended event', async () => {
    const h = await start();
    const { alice, page, events, token, chatId } = await handledChat(h);

    expect(await ask(page, 'chat:leave')).toEqual({ ok: true });
    const ended = await alice.waitFor(
      (event) => event.EventType === 'ChatState' && event.Data.State === ChatState.Terminated,
      'the end of the chat',
    );
    expect(ended.Data).toMatchObject({ ChatID: chatId, EndedBy: 'Customer' });
    await until(() => events.some((event) => event.type === 'ended'), 'the page sees the end');
    expect(events.at(-1)).toMatchObject({ type: 'ended', cause: 'general' });
    expect(events.filter((event) => event.type === 'ended')).toHaveLength(1);
    expect(h.chatService.server.center.chats.get(chatId)?.isTerminated).toBe(true);

    // The ended chat can still be shown to a page that comes back, and takes no more messages.
    const again = await ask(page, 'message:send', { clientMessageId: 'late', text: 'Hello?' });
    expect(again).toMatchObject({ ok: false, error: { code: 'ChatEnded' } });
    const other = await h.visitor();
    const resumed = await ask(other, 'chat:resume', { token, afterSeq: 0 });
    expect(resumed).toMatchObject({ ok: true, ended: true });
    expect(resumed['events']).toEqual(events);
    // A new chat may start on the same page once the old one is over.
    expect(await ask(page, 'chat:request', { serviceGroupId: 1 })).toMatchObject({ ok: true });
  });

  test('when the agent leaves, then the page sees the agent leave and the chat end', async () => {
    const h = await start();
    const { alice, events, chatId } = await handledChat(h);
    expect((await alice.call('LeaveChat', { ChatID: chatId })).status).toBe(200);
    await until(() => events.some((event) => event.type === 'ended'), 'the page sees the end');
    expect(events.slice(-2)).toEqual([
      { type: 'agentLeft', name: 'Alice', seq: expect.any(Number) },
      { type: 'ended', cause: 'general', by: 'agent', seq: expect.any(Number) },
    ]);
  });

  test('when the visitor sends an initial message, then the agent has it and the page shows it first', async () => {
    const h = await start();
    const { events, chatId, alice } = await handledChat(h, { initialMessage: 'Where is it?' });
    expect(events[0]).toMatchObject({ type: 'message', from: 'visitor', text: 'Where is it?' });
    const chat = await alice.call('GetChat', { ChatID: chatId });
    expect(chat.body).toMatchObject({ InitialMessage: 'Where is it?' });
  });

  test('when a queued visitor stays away past the grace period, then the chat leaves the queue upstream and the next visitor moves up', async () => {
    const h = await start();
    await h.chatService.login('alice');
    const first = await h.visitor();
    const second = await h.visitor();
    const secondEvents = recordEvents(second);
    const one = await ask(first, 'chat:request', { serviceGroupId: 1 });
    expect(await ask(second, 'chat:request', { serviceGroupId: 1 })).toMatchObject({
      queuePosition: 2,
    });
    first.disconnect();
    await until(
      async () => (await h.customerChat.relay.inspect(String(one['token'])))?.isAway === true,
      'the first visitor is away',
    );
    h.time.advance(60_000);
    await settled();
    await until(
      () => secondEvents.some((event) => event.type === 'queued' && event.position === 1),
      'the second visitor moves up',
    );
    const ended = [...h.chatService.server.center.chats.values()].filter(
      (chat) => chat.isTerminated,
    );
    expect(ended.map((chat) => chat.endedBy)).toEqual(['CustomerGone']);
  });

  test('when the agent ends the chat while the page is away, then a page back later is shown the end, for ten minutes', async () => {
    const h = await start();
    const { alice, page, events, token, chatId } = await handledChat(h);
    page.disconnect();
    await until(
      async () => (await h.customerChat.relay.inspect(token))?.isAway === true,
      'page away',
    );
    expect((await alice.call('LeaveChat', { ChatID: chatId })).status).toBe(200);
    await until(
      async () => (await h.customerChat.relay.inspect(token))?.isEnded === true,
      'chat ended',
    );
    h.time.advance(60_000);
    await settled();
    const chat = h.chatService.server.center.chats.get(chatId);
    expect(chat?.endedBy).toBe('Agent');

    const back = await h.visitor();
    const resumed = await ask(back, 'chat:resume', { token, afterSeq: events.at(-1)?.seq ?? 0 });
    expect(resumed).toMatchObject({ ok: true, ended: true });
    expect((resumed['events'] as LoggedEvent[]).map((event) => event.type)).toEqual([
      'agentLeft',
      'ended',
    ]);
    back.disconnect();
    h.time.advance(10 * 60_000);
    await settled();
    const later = await h.visitor();
    expect(await ask(later, 'chat:resume', { token })).toMatchObject({
      ok: false,
      error: { code: 'UnknownSession' },
    });
    expect(h.time.pendingCount).toBe(dutyTimers);
  });

  test('when CustomerChat stops with chats live, then no timer of its clock is left pending', async () => {
    const h = await start();
    const { page } = await handledChat(h);
    // One chat away (grace timers running), one ended (kept for the post-chat page).
    page.disconnect();
    await until(() => h.time.pendingCount > dutyTimers, 'the grace period starts');
    const { page: other } = await handledChat(h, { customerName: 'Cy' }, 'bob');
    expect(await ask(other, 'chat:leave')).toEqual({ ok: true });
    await stopNow();
    expect(h.time.pendingCount).toBe(0);
  });

  test('when CustomerChat shuts down with a page still connected to a live chat, then no grace timer is left behind', async () => {
    const h = await start();
    const { page } = await handledChat(h);
    forget();
    // The server goes first, as on a shutdown: its pages are still open.
    await h.customerChat.stop();
    const pending = h.time.pendingCount;
    page.disconnect();
    await h.proxy.stop();
    await h.chatService.stop();
    expect(pending).toBe(0);
  });
});

/** A Sales (or Support, for bob) chat of a new page, accepted by the agent. */
async function handledChat(
  h: CustomerChatHarness,
  request: Record<string, unknown> = {},
  agentId: 'alice' | 'bob' = 'alice',
) {
  const { agent: alice, ...chat } = await agentHandledChat(h, agentId, { request });
  return { alice, ...chat };
}
