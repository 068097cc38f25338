import type { AgentEvent } from '../../server/protocol/agent-api';
import { until } from '../support/chat-service-harness';
import { recordEvents, type CustomerChatHarness } from '../support/customer-chat-harness';
import { ask, useCustomerChat, type AnyReply } from '../support/customer-chat-test-kit';

/**
 * Bad input on the socket: payloads of the wrong shape, events out of order, unknown tokens and
 * too many requests each get a clear error reply and change nothing else.
 */

const { start } = useCustomerChat();

const refusal = (code: string) => ({ ok: false, error: { code, message: expect.any(String) } });

async function agentEvents(h: CustomerChatHarness, token: string): Promise<AgentEvent[]> {
  const result = await h.chatService.agent<{ Events: AgentEvent[] }>(token, 'GetEvents', {
    Timeout: 0,
  });
  return result.body.Events;
}

/** A Sales chat of a new page, accepted by alice, with alice's events read. */
async function handledChat(h: CustomerChatHarness) {
  const alice = await h.chatService.login('alice', { ready: true });
  const page = await h.visitor();
  const events = recordEvents(page);
  const reply = await ask(page, 'chat:request', { serviceGroupId: 1, customerName: 'Ann' });
  expect(reply).toMatchObject({ ok: true });
  const [chatId = ''] = [...h.chatService.server.center.chats.keys()];
  expect((await h.chatService.agent(alice, 'AcceptChat', { ChatID: chatId })).status).toBe(200);
  await until(() => events.some((event) => event.type === 'agentJoined'), 'the agent joins');
  await agentEvents(h, alice);
  return { alice, page, events, chatId, token: String(reply['token']) };
}

describe('CustomerChat refuses bad socket input', () => {
  test('when chat:request has the wrong shape, then it gets BadRequest and no chat is made', async () => {
    const h = await start();
    await h.chatService.login('alice');
    const page = await h.visitor();
    for (const payload of [
      'group 1',
      null,
      42,
      [1],
      { serviceGroupId: '1' },
      { serviceGroupId: 1.5 },
      { serviceGroupId: 1, customerName: 'x'.repeat(257) },
      { serviceGroupId: 1, phone: 12345 },
      { serviceGroupId: 1, timeZoneOffset: 5000 },
      { serviceGroupId: 1, privateData: 'p'.repeat(8193) },
    ]) {
      expect(await ask(page, 'chat:request', payload)).toEqual(refusal('BadRequest'));
    }
    // Without an ack there is nobody to answer: nothing is done.
    page.emit('chat:request', { serviceGroupId: 1 });
    expect(await ask(page, 'queue:info', { serviceGroupId: 1 })).toMatchObject({ ok: true });
    expect(h.chatService.server.center.chats.size).toBe(0);
    expect(h.customerChat.relay.liveChats).toBe(0);
    // The page can still start a proper chat.
    expect(await ask(page, 'chat:request', { serviceGroupId: 1 })).toMatchObject({ ok: true });
  });

  test('when message:send has the wrong shape, then it gets BadRequest and neither agent nor page sees anything', async () => {
    const h = await start();
    const { alice, page, events, token } = await handledChat(h);
    const before = events.length;
    for (const payload of [
      'hello',
      null,
      { text: 'no id' },
      { clientMessageId: '', text: 'empty id' },
      { clientMessageId: 'a', text: '' },
      { clientMessageId: 'a', text: 42 },
      { clientMessageId: 'i'.repeat(101), text: 'long id' },
      { clientMessageId: 'a', text: 'hi', hideLocal: 'yes' },
    ]) {
      expect(await ask(page, 'message:send', payload)).toEqual(refusal('BadRequest'));
    }
    expect(await ask(page, 'message:send', { clientMessageId: 'ok', text: 'fine' })).toEqual({
      ok: true,
    });
    const received = await agentEvents(h, alice);
    expect(
      received.map((event) => event.EventType === 'MessageReceived' && event.Data.Message),
    ).toEqual(['fine']);
    expect(events.slice(before).map((event) => event.type === 'message' && event.text)).toEqual([
      'fine',
    ]);
    expect((await h.customerChat.relay.inspect(token))?.lastSeq).toBe(before + 1);
  });

  test('when chat:resume or queue:info has the wrong shape, then it gets BadRequest', async () => {
    const h = await start();
    const { token } = await handledChat(h);
    const page = await h.visitor();
    for (const payload of [
      null,
      token,
      { token: 5 },
      { token: '' },
      { token: 't'.repeat(129) },
      { token, afterSeq: -1 },
      { token, afterSeq: '3' },
    ]) {
      expect(await ask(page, 'chat:resume', payload)).toEqual(refusal('BadRequest'));
    }
    expect((await h.customerChat.relay.inspect(token))?.pages).toBe(1);
    expect(await ask(page, 'queue:info', { serviceGroupId: 'Sales' })).toEqual(
      refusal('BadRequest'),
    );
  });

  test('when a page sends before it has a chat, then it gets UnknownSession', async () => {
    const h = await start();
    await h.chatService.login('alice');
    const page = await h.visitor();
    expect(await ask(page, 'message:send', { clientMessageId: 'm', text: 'hi' })).toEqual(
      refusal('UnknownSession'),
    );
    expect(await ask(page, 'chat:leave')).toEqual(refusal('UnknownSession'));
    page.emit('typing');
    expect(await ask(page, 'chat:resume', { token: 'no-such-chat' })).toEqual(
      refusal('UnknownSession'),
    );
    expect(await ask(page, 'message:send', { clientMessageId: 'm', text: 'hi' })).toEqual(
      refusal('UnknownSession'),
    );
    expect(h.chatService.server.center.chats.size).toBe(0);
  });

  test('when a page with a running chat requests another, then it gets BadRequest and keeps its chat', async () => {
    const h = await start();
    const { page, token } = await handledChat(h);
    expect(await ask(page, 'chat:request', { serviceGroupId: 1 })).toEqual(refusal('BadRequest'));
    expect(h.chatService.server.center.chats.size).toBe(1);
    expect((await h.customerChat.relay.inspect(token))?.pages).toBe(1);
  });

  test('when an address requests more chats a minute than requestChatPerMinute, then the extra ones get RateLimited', async () => {
    const h = await start({ web: { rateLimits: { requestChatPerMinute: 2 } } });
    await h.chatService.login('alice');
    const replies: AnyReply[] = [];
    for (let visitor = 0; visitor < 3; visitor += 1) {
      // Each from a new page: the limit is per address, not per socket.
      replies.push(await ask(await h.visitor(), 'chat:request', { serviceGroupId: 1 }));
    }
    expect(replies.map((reply) => reply.ok)).toEqual([true, true, false]);
    expect(replies[2]).toEqual(refusal('RateLimited'));
    expect(h.chatService.server.center.chats.size).toBe(2);
    // Half a minute later one more is allowed, and not two.
    h.time.advance(30_000);
    expect(await ask(await h.visitor(), 'chat:request', { serviceGroupId: 1 })).toMatchObject({
      ok: true,
    });
    expect(await ask(await h.visitor(), 'chat:request', { serviceGroupId: 1 })).toEqual(
      refusal('RateLimited'),
    );
    expect(h.chatService.server.center.chats.size).toBe(3);
  });

  test('when a visitor sends more messages a minute than messagesPerMinute, then the extra ones get RateLimited and are not delivered', async () => {
    const h = await start({ web: { rateLimits: { messagesPerMinute: 3 } } });
    const { alice, page } = await handledChat(h);
    const replies: AnyReply[] = [];
    for (const id of ['1', '2', '3', '4']) {
      replies.push(await ask(page, 'message:send', { clientMessageId: id, text: `m${id}` }));
    }
    expect(replies.slice(0, 3)).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(replies[3]).toEqual(refusal('RateLimited'));
    const received = await agentEvents(h, alice);
    expect(
      received.map((event) => event.EventType === 'MessageReceived' && event.Data.Message),
    ).toEqual(['m1', 'm2', 'm3']);
  });

  test('when a message is over the Chat Service MaxMessageLength, then it gets MessageTooLong and is shown nowhere', async () => {
    const h = await start({ chatService: { MaxMessageLength: 10 } });
    const { alice, page, events } = await handledChat(h);
    const before = events.length;
    expect(await ask(page, 'message:send', { clientMessageId: 'l', text: 'x'.repeat(11) })).toEqual(
      refusal('MessageTooLong'),
    );
    expect(await agentEvents(h, alice)).toEqual([]);
    expect(events).toHaveLength(before);
    expect(await ask(page, 'chat:configuration')).toMatchObject({
      ok: true,
      maxMessageLength: 10,
      maxAttachmentBytes: 5120 * 1024,
    });
  });

  test('when a socket message is over maxSocketMessageBytes, then that socket is closed and CustomerChat serves the rest', async () => {
    const h = await start({ web: { maxSocketMessageBytes: 4096 } });
    const { alice, page, token } = await handledChat(h);
    page.emit('message:send', { clientMessageId: 'big', text: 'x'.repeat(10_000) }, () => {});
    await until(() => !page.connected, 'the oversized socket is closed');
    const received = await agentEvents(h, alice);
    expect(
      received.filter(
        (event) => event.EventType === 'MessageReceived' && event.Data.From !== 'System',
      ),
    ).toEqual([]);
    const back = await h.visitor();
    expect(await ask(back, 'chat:resume', { token })).toMatchObject({ ok: true });
    expect(await ask(back, 'message:send', { clientMessageId: 's', text: 'small' })).toEqual({
      ok: true,
    });
  });
});
