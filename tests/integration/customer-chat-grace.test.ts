import { join } from 'node:path';
import { endedChatRetentionMs } from '../../server/customer-chat/relay/session-keeper';
import type { LoggedEvent } from '../../server/customer-chat/session/visitor-events';
import type { SendMessageInput } from '../../server/customer-chat/upstream/chat-service-client';
import { format, loadResourceCatalog } from '../../server/resources/resource-catalog';
import { until } from '../support/chat-service-harness';
import {
  dutyTimers,
  recordEvents,
  settled,
  type CustomerChatHarness,
} from '../support/customer-chat-harness';
import { agentHandledChat, ask, useCustomerChat } from '../support/customer-chat-test-kit';

/**
 * The visitor's pages come and go: a page back within CustomerDisconnectTimeoutSeconds resumes
 * the chat with nothing lost or doubled, the agent is told each step, and a visitor who stays
 * away has the chat ended upstream, with the warning AgentWarningCustomerDisconnectTimeoutSeconds
 * before. Time is CustomerChat's ManualTime; nothing sleeps.
 */

const notices = loadResourceCatalog(join(__dirname, '..', '..', 'resources')).strings('');

const lifecycle = useCustomerChat({ restoreMocks: true });
/**
 * These tests follow the grace period itself, so the agent hears CustomerLeft at once; the delay
 * that spares it page navigations has its own tests at the end.
 */
const start = (options: { web?: { appSettings?: Record<string, unknown> } } = {}) =>
  lifecycle.start({
    web: {
      ...options.web,
      appSettings: { CustomerLeftNoticeDelaySeconds: 0, ...options.web?.appSettings },
    },
  });

/** A Sales chat of a new page, accepted by alice; CustomerChat's upstream calls are watched. */
async function handledChat(h: CustomerChatHarness) {
  const sent = jest.spyOn(h.customerChat.client, 'sendMessage');
  const left = jest.spyOn(h.customerChat.client, 'leaveChat');
  const { agent: alice, page, events, token, chatId } = await agentHandledChat(h, 'alice');
  const session = () => h.customerChat.relay.inspect(token);
  /** The notices CustomerChat has sent so far (recorded as the call is made). */
  const noticesSent = () =>
    sent.mock.calls.flatMap(([input]: [SendMessageInput]) =>
      input.System === true ? [input.Message] : [],
    );
  return { alice, page, events, token, chatId, session, noticesSent, left };
}

const agentMessages = (events: LoggedEvent[], text: string) =>
  events.filter((event) => event.type === 'message' && event.text === text);

const closing = (seconds: number) => format(notices.CustomerLeftClosing, seconds);

describe('CustomerChat: a visitor back within the grace period', () => {
  test('when the page goes and the agent writes meanwhile, then a resumed page gets that message exactly once and the agent is told each step', async () => {
    const h = await start();
    const { alice, page, events, token, chatId, session } = await handledChat(h);
    const seen = events.at(-1)?.seq ?? 0;

    page.disconnect();
    await alice.waitForNotice(notices.CustomerLeft);
    expect((await session())?.isAway).toBe(true);
    expect(
      (await alice.call('SendMessage', { ChatID: chatId, Message: 'Still there?' })).status,
    ).toBe(200);
    await alice.waitForNotice(notices.CustomerLeftAutoSend);
    expect(alice.notices()).toEqual([notices.CustomerLeft, notices.CustomerLeftAutoSend]);

    const back = await h.visitor();
    const live = recordEvents(back);
    const resumed = await ask(back, 'chat:resume', { token, afterSeq: seen });
    expect(resumed).toMatchObject({ ok: true, ended: false });
    const missed = resumed['events'] as LoggedEvent[];
    expect(missed).toEqual([
      expect.objectContaining({ type: 'message', from: 'agent', text: 'Still there?' }),
    ]);
    expect(missed[0]?.seq).toBe(seen + 1);
    await alice.waitForNotice(notices.CustomerBackReceivedMessage);
    expect((await session())?.isAway).toBe(false);

    // Live again: the next message arrives once, and the one sent while away never again.
    expect((await alice.call('SendMessage', { ChatID: chatId, Message: 'Good.' })).status).toBe(
      200,
    );
    await until(() => agentMessages(live, 'Good.').length === 1, 'the live message');
    expect(agentMessages([...missed, ...live], 'Still there?')).toHaveLength(1);
    expect(live.map((event) => event.seq)).toEqual([seen + 2]);
    expect(alice.notices()).toEqual([
      notices.CustomerLeft,
      notices.CustomerLeftAutoSend,
      notices.CustomerBackReceivedMessage,
    ]);
    // The page can write again, and the grace period is over: no timer is left running.
    expect(await ask(back, 'message:send', { clientMessageId: 'b1', text: 'Yes!' })).toEqual({
      ok: true,
    });
    await alice.waitFor(
      (event) => event.EventType === 'MessageReceived' && event.Data.Message === 'Yes!',
      "the visitor's message after the return",
    );
    expect(h.time.pendingCount).toBe(dutyTimers);
  });

  test('when the agent writes several times while the page is away, then CustomerLeftAutoSend is sent once and all messages arrive in order', async () => {
    const h = await start();
    const { alice, page, events, token, chatId, noticesSent } = await handledChat(h);
    const seen = events.at(-1)?.seq ?? 0;
    page.disconnect();
    await alice.waitForNotice(notices.CustomerLeft);
    for (const text of ['one', 'two', 'three']) {
      expect((await alice.call('SendMessage', { ChatID: chatId, Message: text })).status).toBe(200);
    }
    await until(
      async () => ((await h.customerChat.relay.inspect(token))?.lastSeq ?? 0) === seen + 3,
      'all three relayed',
    );
    const back = await h.visitor();
    const resumed = await ask(back, 'chat:resume', { token, afterSeq: seen });
    expect(
      (resumed['events'] as LoggedEvent[]).map((event) => event.type === 'message' && event.text),
    ).toEqual(['one', 'two', 'three']);
    await alice.waitForNotice(notices.CustomerBackReceivedMessage);
    expect(noticesSent()).toEqual([
      notices.CustomerLeft,
      notices.CustomerLeftAutoSend,
      notices.CustomerBackReceivedMessage,
    ]);
  });

  test('when the page comes back and the agent wrote nothing meanwhile, then the agent gets CustomerBack', async () => {
    const h = await start();
    const { alice, page, events, token, noticesSent } = await handledChat(h);
    page.disconnect();
    await alice.waitForNotice(notices.CustomerLeft);
    h.time.advance(30_000);
    await settled();

    const back = await h.visitor();
    const resumed = await ask(back, 'chat:resume', { token, afterSeq: events.at(-1)?.seq ?? 0 });
    expect(resumed).toEqual({ ok: true, events: [], ended: false });
    await alice.waitForNotice(notices.CustomerBack);
    expect(noticesSent()).toEqual([notices.CustomerLeft, notices.CustomerBack]);
    expect(h.time.pendingCount).toBe(dutyTimers);
  });

  test('when two tabs share the chat, then both see new messages live and closing one does not start the grace period', async () => {
    const h = await start();
    const { alice, page, events, token, chatId, session, noticesSent } = await handledChat(h);
    const tab = await h.visitor();
    const tabEvents = recordEvents(tab);
    const joined = await ask(tab, 'chat:resume', { token, afterSeq: 0 });
    expect(joined).toMatchObject({ ok: true, events });
    expect((await session())?.pages).toBe(2);

    await alice.call('SendMessage', { ChatID: chatId, Message: 'To both tabs' });
    await until(
      () =>
        agentMessages(events, 'To both tabs').length === 1 &&
        agentMessages(tabEvents, 'To both tabs').length === 1,
      'both tabs show the message',
    );
    // What one tab sends, the other shows too.
    expect(await ask(tab, 'message:send', { clientMessageId: 't1', text: 'From tab 2' })).toEqual({
      ok: true,
    });
    await until(
      () => events.some((event) => event.type === 'message' && event.text === 'From tab 2'),
      'the first tab shows the second tab’s message',
    );

    page.disconnect();
    await until(async () => (await session())?.pages === 1, 'the server sees the first tab go');
    expect((await session())?.isAway).toBe(false);
    expect(h.time.pendingCount).toBe(dutyTimers);
    await alice.call('SendMessage', { ChatID: chatId, Message: 'Only one tab now' });
    await until(() => agentMessages(tabEvents, 'Only one tab now').length === 1, 'the tab left');
    h.time.advance(120_000);
    await settled();
    expect((await session())?.isEnded).toBe(false);
    expect(noticesSent()).toEqual([]);

    tab.disconnect();
    await alice.waitForNotice(notices.CustomerLeft);
    expect((await session())?.isAway).toBe(true);
  });
});

describe('CustomerChat: a visitor who stays away past the grace period', () => {
  const web = {
    appSettings: {
      CustomerDisconnectTimeoutSeconds: 60,
      AgentWarningCustomerDisconnectTimeoutSeconds: 20,
    },
  };

  test('when 40 s of 60 pass, then the agent is warned; at 60 s the chat ends upstream, a page back later learns why, and the token is forgotten after the ended-chat retention', async () => {
    const h = await start({ web });
    const { alice, page, token, chatId, noticesSent, left, session } = await handledChat(h);
    page.disconnect();
    await alice.waitForNotice(notices.CustomerLeft);

    h.time.advance(39_000);

    await settled();
    expect(noticesSent()).toEqual([notices.CustomerLeft]);
    h.time.advance(1_000);
    await settled();
    expect(noticesSent()).toEqual([notices.CustomerLeft, closing(20)]);
    await alice.waitForNotice(closing(20));

    h.time.advance(19_999);

    await settled();
    expect(left).not.toHaveBeenCalled();
    expect((await session())?.isAway).toBe(true);
    h.time.advance(1);
    await settled();
    expect(left).toHaveBeenCalledWith(chatId, 'Gone');
    const ended = await alice.waitForEnd();
    expect(ended.Data).toMatchObject({ ChatID: chatId, EndedBy: 'CustomerGone' });
    expect(h.chatService.server.center.chats.get(chatId)?.isTerminated).toBe(true);

    const late = await h.visitor();
    const resumed = await ask(late, 'chat:resume', { token, afterSeq: 0 });
    expect(resumed).toMatchObject({ ok: true, ended: true });
    expect((resumed['events'] as LoggedEvent[]).at(-1)).toMatchObject({
      type: 'ended',
      by: 'gone',
    });
    late.disconnect();
    expect(alice.notices()).toEqual([notices.CustomerLeft, closing(20)]);

    h.time.advance(endedChatRetentionMs);
    await settled();
    const later = await h.visitor();
    expect(await ask(later, 'chat:resume', { token, afterSeq: 0 })).toMatchObject({
      ok: false,
      error: { code: 'UnknownSession' },
    });
    expect(h.time.pendingCount).toBe(dutyTimers);
  });

  test('when the page comes back at 59 s, then the chat goes on and does not end at 60 s', async () => {
    const h = await start({ web });
    const { alice, page, events, token, chatId, left } = await handledChat(h);
    page.disconnect();
    await alice.waitForNotice(notices.CustomerLeft);
    h.time.advance(59_000);
    await settled();
    await alice.waitForNotice(closing(20));

    const back = await h.visitor();
    const resumed = await ask(back, 'chat:resume', { token, afterSeq: events.at(-1)?.seq ?? 0 });
    expect(resumed).toEqual({ ok: true, events: [], ended: false });
    await alice.waitForNotice(notices.CustomerBack);
    h.time.advance(10 * 60_000);
    await settled();
    expect(left).not.toHaveBeenCalled();
    expect(await ask(back, 'message:send', { clientMessageId: 'x', text: 'Back!' })).toEqual({
      ok: true,
    });
    await alice.waitFor(
      (event) => event.EventType === 'MessageReceived' && event.Data.Message === 'Back!',
      'the message after the return',
    );
    expect(h.chatService.server.center.chats.get(chatId)?.isTerminated).toBe(false);
  });

  test('when the timeouts are 10 s and no warning, then the chat ends at 10 s and the agent is never warned', async () => {
    const h = await start({
      web: {
        appSettings: {
          CustomerDisconnectTimeoutSeconds: '10',
          AgentWarningCustomerDisconnectTimeoutSeconds: '0',
        },
      },
    });
    const { alice, page, chatId, noticesSent, left } = await handledChat(h);
    page.disconnect();
    await alice.waitForNotice(notices.CustomerLeft);
    h.time.advance(9_999);
    await settled();
    expect(left).not.toHaveBeenCalled();
    h.time.advance(1);
    await settled();
    expect(left).toHaveBeenCalledWith(chatId, 'Gone');
    await alice.waitForEnd();
    expect(noticesSent()).toEqual([notices.CustomerLeft]);
    expect(alice.notices()).toEqual([notices.CustomerLeft]);
  });
});

describe('CustomerChat: presence notices only for a real absence', () => {
  test('when the page navigates three times within CustomerLeftNoticeDelaySeconds, then the agent hears nothing; gone past it, CustomerLeft once and CustomerBack on return', async () => {
    const h = await lifecycle.start();
    const { alice, page, events, token, session, noticesSent } = await handledChat(h);
    const seen = events.at(-1)?.seq ?? 0;
    const away = async (expected: boolean) =>
      until(async () => (await session())?.isAway === expected, `away: ${expected}`);
    const comeBack = async () => {
      const next = await h.visitor();
      expect(await ask(next, 'chat:resume', { token, afterSeq: seen })).toMatchObject({ ok: true });
      await away(false);
      return next;
    };

    let current = page;
    for (let navigation = 0; navigation < 3; navigation += 1) {
      current.disconnect();
      await away(true);
      h.time.advance(1_500);
      await settled();
      current = await comeBack();
    }
    h.time.advance(60_000);
    await settled();
    expect(noticesSent()).toEqual([]);

    current.disconnect();
    await away(true);
    h.time.advance(4_999);
    await settled();
    expect(noticesSent()).toEqual([]);
    h.time.advance(1);
    await alice.waitForNotice(notices.CustomerLeft);
    await comeBack();
    await alice.waitForNotice(notices.CustomerBack);
    expect(noticesSent()).toEqual([notices.CustomerLeft, notices.CustomerBack]);
    expect(h.time.pendingCount).toBe(dutyTimers);
  });
});
