import type { LoggedEvent } from '../../server/customer-chat/session/visitor-events';
import { until } from '../support/chat-service-harness';
import { type CustomerChatHarness } from '../support/customer-chat-harness';
import { agentHandledChat, askWithin, useCustomerChat } from '../support/customer-chat-test-kit';

/**
 * The Chat Service goes away mid-chat (the TCP proxy between CustomerChat and it is cut) and comes
 * back on the same address with its state: pages are told, CustomerChat stays up and answers
 * clearly, and the chat goes on with nothing lost or doubled. The event pumps' back-off runs on
 * CustomerChat's ManualTime, advanced by the test.
 */

const { start, forget } = useCustomerChat();
const ask = askWithin(15_000);
/** A send during the cut fails after the client's few quick retries, not after a send window. */
const noSendWindow = { web: { upstreamSendRetrySeconds: 0 } };

/** A chat of a new page accepted by the agent (alice: Sales, bob: Support), its service:status seen. */
async function handledChat(h: CustomerChatHarness, agentId: 'alice' | 'bob' = 'alice') {
  const statuses: boolean[] = [];
  const chat = await agentHandledChat(h, agentId, {
    ask,
    preparePage: (page) =>
      page.on('service:status', (status: { available: boolean }) =>
        statuses.push(status.available),
      ),
  });
  return { ...chat, statuses };
}

/** Moves CustomerChat's clock a second at a time (the pumps' back-off) until the state is reached. */
async function advanceUntil(h: CustomerChatHarness, condition: () => boolean, what: string) {
  for (let turn = 0; turn < 2000; turn += 1) {
    if (condition()) return;
    h.time.advance(1_000);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`Timed out waiting until ${what}`);
}

const health = async (h: CustomerChatHarness) => {
  const response = await fetch(`${h.url}/CustomerChat/health`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const textsFrom = (events: LoggedEvent[], from: string) =>
  events.flatMap((event) => (event.type === 'message' && event.from === from ? [event.text] : []));

describe('CustomerChat when the Chat Service goes away and comes back', () => {
  test('when the upstream stops mid-chat, then the page is told, sending fails clearly and CustomerChat stays up', async () => {
    const h = await start(noSendWindow);
    const { agent, page, statuses } = await handledChat(h);
    expect(await health(h)).toEqual({
      status: 200,
      body: { status: 'ok', upstream: 'up', liveChats: 1 },
    });

    await h.proxy.cut();
    await advanceUntil(h, () => statuses.includes(false), 'the page is told the service is away');
    expect(statuses).toEqual([false]);

    const failed = await ask(page, 'message:send', { clientMessageId: 'o1', text: 'Hello?' });
    expect(failed).toMatchObject({ ok: false, error: { code: 'ServiceUnavailable' } });
    expect(await health(h)).toEqual({
      status: 503,
      body: { status: 'degraded', upstream: 'down', liveChats: 1 },
    });
    // CustomerChat itself still serves: new pages connect and are answered.
    const newcomer = await h.visitor();
    expect(await ask(newcomer, 'chat:request', { serviceGroupId: 1 })).toMatchObject({
      ok: false,
      error: { code: 'ServiceUnavailable' },
    });
    expect(await ask(newcomer, 'queue:info', { serviceGroupId: 1 })).toMatchObject({
      ok: false,
      error: { code: 'ServiceUnavailable' },
    });
    expect(h.customerChat.relay.liveChats).toBe(1);
    await agent.read();
    expect(agent.customerTexts()).toEqual([]);
  });

  test('when the upstream comes back, then the page is told, the agent messages of the outage arrive exactly once and the visitor writes again', async () => {
    const h = await start(noSendWindow);
    const { agent, page, events, statuses, chatId } = await handledChat(h);

    await h.proxy.cut();
    await advanceUntil(h, () => statuses.includes(false), 'the page is told the service is away');
    const failed = await ask(page, 'message:send', { clientMessageId: 'o1', text: 'Hello?' });
    expect(failed).toMatchObject({ ok: false, error: { code: 'ServiceUnavailable' } });
    // The agent does not see the outage: it writes twice meanwhile.
    for (const text of ['Sorry for the wait.', 'Are you there?']) {
      expect((await agent.call('SendMessage', { ChatID: chatId, Message: text })).status).toBe(200);
    }
    // Retries during the outage fail too, and are not taken for the service's return.
    h.time.advance(30_000);
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(statuses).toEqual([false]);

    await h.proxy.restore();
    await advanceUntil(h, () => statuses.includes(true), 'the page is told the service is back');
    expect(statuses).toEqual([false, true]);
    await until(
      () => textsFrom(events, 'agent').length === 2,
      'the messages of the outage reach the page',
    );
    expect(textsFrom(events, 'agent')).toEqual(['Sorry for the wait.', 'Are you there?']);

    // The page sends again what failed (same id), then something new: each arrives once.
    expect(await ask(page, 'message:send', { clientMessageId: 'o1', text: 'Hello?' })).toEqual({
      ok: true,
    });
    expect(await ask(page, 'message:send', { clientMessageId: 'o2', text: 'Yes!' })).toEqual({
      ok: true,
    });
    await agent.waitFor(
      (event) => event.EventType === 'MessageReceived' && event.Data.Message === 'Yes!',
      'the visitor writing after the outage',
    );
    expect(agent.customerTexts()).toEqual(['Hello?', 'Yes!']);
    expect(textsFrom(events, 'visitor')).toEqual(['Hello?', 'Yes!']);

    // More time and another agent message: nothing of the outage comes again.
    h.time.advance(60_000);
    await agent.call('SendMessage', { ChatID: chatId, Message: 'Great.' });
    await until(() => textsFrom(events, 'agent').length === 3, 'the next agent message');
    expect(textsFrom(events, 'agent')).toEqual(['Sorry for the wait.', 'Are you there?', 'Great.']);
    expect(events.map((event) => event.seq)).toEqual(events.map((_event, index) => index + 1));
    expect(await health(h)).toMatchObject({ status: 200, body: { upstream: 'up' } });
  });

  test('when the upstream is cut for a moment while a message is on its way, then CustomerChat keeps trying it and it arrives once, confirmed', async () => {
    const h = await start({ web: { upstreamSendRetrySeconds: 20 } });
    const { agent, page, events } = await handledChat(h);
    await h.proxy.cut();
    const reply = ask(page, 'message:send', { clientMessageId: 'w1', text: 'Still there?' });
    // The page sends again while the first is being tried: it is answered as the first.
    const again = ask(page, 'message:send', { clientMessageId: 'w1', text: 'Still there?' });
    // The cut lasts a second and a half of real time, as the client's tries do.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await h.proxy.restore();
    expect(await reply).toEqual({ ok: true });
    expect(await again).toEqual({ ok: true });
    await agent.waitFor(
      (event) => event.EventType === 'MessageReceived' && event.Data.Message === 'Still there?',
      'the message sent during the cut',
    );
    expect(agent.customerTexts()).toEqual(['Still there?']);
    expect(textsFrom(events, 'visitor')).toEqual(['Still there?']);
  });

  test('when several chats live through the outage, then each page is told both ways once', async () => {
    const h = await start();
    const one = await handledChat(h, 'alice');
    const two = await handledChat(h, 'bob');
    await h.proxy.cut();
    await advanceUntil(
      h,
      () => one.statuses.includes(false) && two.statuses.includes(false),
      'both pages are told',
    );
    await one.agent.call('SendMessage', { ChatID: one.chatId, Message: 'For Ann' });
    await two.agent.call('SendMessage', { ChatID: two.chatId, Message: 'For Bo' });
    await h.proxy.restore();
    await advanceUntil(
      h,
      () => one.statuses.includes(true) && two.statuses.includes(true),
      'both pages are told of the return',
    );
    expect(one.statuses).toEqual([false, true]);
    expect(two.statuses).toEqual([false, true]);
    await until(
      () => textsFrom(one.events, 'agent').length + textsFrom(two.events, 'agent').length === 2,
      'each page gets its own message',
    );
    expect(textsFrom(one.events, 'agent')).toEqual(['For Ann']);
    expect(textsFrom(two.events, 'agent')).toEqual(['For Bo']);
  });

  test('when the visitor leaves during the outage, then the page is told it failed and the chat can still be left later', async () => {
    const h = await start();
    const { agent, page, events, statuses } = await handledChat(h);
    await h.proxy.cut();
    await advanceUntil(h, () => statuses.includes(false), 'the page is told the service is away');
    expect(await ask(page, 'chat:leave')).toMatchObject({
      ok: false,
      error: { code: 'ServiceUnavailable' },
    });
    await h.proxy.restore();
    expect(await ask(page, 'chat:leave')).toEqual({ ok: true });
    await agent.waitFor(
      (event) => event.EventType === 'ChatState' && event.Data.EndedBy === 'Customer',
      'the end of the chat',
    );
    await advanceUntil(
      h,
      () => events.some((event) => event.type === 'ended'),
      'the page sees the end',
    );
  });

  test('when the upstream comes back and no event is waiting, then the page is told it is back without waiting for one', async () => {
    const h = await start();
    const { page, statuses } = await handledChat(h);
    await h.proxy.cut();
    await advanceUntil(h, () => statuses.includes(false), 'the page is told the service is away');
    await h.proxy.restore();
    // The service answers again (sending works) ...
    expect(await ask(page, 'message:send', { clientMessageId: 'r1', text: 'Back?' })).toEqual({
      ok: true,
    });
    // ... so the page, still showing the outage, must be told.
    await advanceUntil(h, () => statuses.includes(true), 'the page is told the service is back');
    expect(statuses).toEqual([false, true]);
  });

  test('when CustomerChat stops during an outage, then no timer of its clock is left pending', async () => {
    const h = await start();
    const { page, statuses, token } = await handledChat(h);
    await h.proxy.cut();
    await advanceUntil(h, () => statuses.includes(false), 'the page is told the service is away');
    page.disconnect();
    await until(
      async () => (await h.customerChat.relay.inspect(token))?.isAway === true,
      'the page goes',
    );
    expect(h.time.pendingCount).toBeGreaterThan(2); // the pump's back-off and the grace period
    await h.stop();
    forget();
    expect(h.time.pendingCount).toBe(0);
  });
});
