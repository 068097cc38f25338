import type { AgentEvent, ChatDetails } from '../../server/protocol/agent-api';
import { originRefusal } from '../../server/customer-chat/gateway/handshake-refusal';
import { until } from '../support/chat-service-harness';
import { recordEvents, type CustomerChatHarness } from '../support/customer-chat-harness';
import { ask, useCustomerChat } from '../support/customer-chat-test-kit';

/**
 * web.config.json appSettings, each seen from outside: what the agent is told of the customer,
 * which groups are refused before the Chat Service, and which other sites may open sockets and
 * call the attachment route. The two timeout settings: customer-chat-grace.test.ts.
 */

const { start, forget } = useCustomerChat();

const appSettings = (settings: Record<string, unknown>) => ({ web: { appSettings: settings } });

const details = {
  serviceGroupId: 1,
  customerName: 'Ann Lee',
  email: 'ann@example.com',
  phone: '+46 70 123 45 67',
  customerId: 'C-17',
  privateData: 'cart=3',
  initialMessageToAgent: 'VIP',
};

/** Requests a chat with all details and returns what the agent's GetChat shows of it. */
async function chatAsAgentSeesIt(h: CustomerChatHarness): Promise<ChatDetails> {
  const alice = await h.chatService.login('alice', { ready: true });
  const page = await h.visitor();
  const reply = await ask(page, 'chat:request', details);
  expect(reply).toMatchObject({ ok: true });
  const [chatId] = [...h.chatService.server.center.chats.keys()];
  const events = await h.chatService.agent<{ Events: AgentEvent[] }>(alice, 'GetEvents', {
    Timeout: 0,
  });
  const offer = events.body.Events.find((event) => event.EventType === 'ChatOffered');
  expect(offer?.Data.ChatID).toBe(chatId);
  const chat = await h.chatService.agent<ChatDetails>(alice, 'GetChat', { ChatID: chatId });
  expect(chat.status).toBe(200);
  return chat.body;
}

describe('IgnoreCustomerDetails', () => {
  test('when it is true, then the agent sees no name, e-mail or phone, and the other details', async () => {
    const h = await start(appSettings({ IgnoreCustomerDetails: true }));
    const chat = await chatAsAgentSeesIt(h);
    expect(chat).toMatchObject({ CustomerName: '', EmailAddress: '', PhoneNumber: '' });
    expect(chat).toMatchObject({
      CustomerID: 'C-17',
      PrivateData: 'cart=3',
      InitialMessageToAgent: 'VIP',
    });
  });

  test('when it is "True" as .NET writes it, then the details are dropped too', async () => {
    const h = await start(appSettings({ IgnoreCustomerDetails: 'True' }));
    const chat = await chatAsAgentSeesIt(h);
    expect(chat).toMatchObject({ CustomerName: '', EmailAddress: '', PhoneNumber: '' });
  });

  test('when it is false (the default), then the agent sees name, e-mail and phone', async () => {
    for (const options of [appSettings({ IgnoreCustomerDetails: false }), {}]) {
      const h = await start(options);
      const chat = await chatAsAgentSeesIt(h);
      expect(chat).toMatchObject({
        CustomerName: 'Ann Lee',
        EmailAddress: 'ann@example.com',
        PhoneNumber: '+46 70 123 45 67',
      });
      await h.stop();
      forget();
    }
  });
});

describe('ServiceGroupIDsToReject', () => {
  test('when a request is for a listed group, then it gets RequestRejected and the Chat Service sees no chat', async () => {
    const h = await start(appSettings({ ServiceGroupIDsToReject: ' 2, 5' }));
    await h.chatService.login('bob', { ready: true });
    const page = await h.visitor();
    const events = recordEvents(page);
    const rejected = await ask(page, 'chat:request', { serviceGroupId: 2, customerName: 'Ann' });
    expect(rejected).toEqual({
      ok: false,
      error: { code: 'RequestRejected', message: expect.any(String) },
    });
    expect(h.chatService.server.center.chats.size).toBe(0);
    expect(h.customerChat.relay.liveChats).toBe(0);
    // Polled, the group reads as refused (the page shows RequestRejected), not as closed.
    expect(await ask(page, 'queue:info', { serviceGroupId: 2 })).toEqual({
      ok: true,
      open: false,
      estimatedWaitSeconds: -1,
      closedMessage: null,
      rejected: true,
    });
    // Refusals do not use up the page's requests, and other groups are served.
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const again = await ask(page, 'chat:request', { serviceGroupId: 2 });
      expect(again).toMatchObject({ ok: false, error: { code: 'RequestRejected' } });
    }
    await h.chatService.login('alice');
    expect(await ask(page, 'chat:request', { serviceGroupId: 1 })).toMatchObject({ ok: true });
    expect(h.chatService.server.center.chats.size).toBe(1);
    await until(() => events.length > 0, 'the Sales chat is queued');
    expect([...h.chatService.server.center.chats.values()].map((chat) => chat.groupId)).toEqual([
      1,
    ]);
  });

  test('when a request names a listed group by its name instead of its ID, then it is refused too and never reaches the Chat Service', async () => {
    const h = await start(appSettings({ ServiceGroupIDsToReject: '2' }));
    await h.chatService.login('bob');
    const page = await h.visitor();
    const byName = await ask(page, 'chat:request', { serviceGroupName: 'Support' });
    expect(byName).toMatchObject({ ok: false, error: { code: 'RequestRejected' } });
    expect([...h.chatService.server.center.chats.values()].map((chat) => chat.groupId)).toEqual([]);
  });

  test('when it is empty (the default), then a request for group 2 reaches the Chat Service', async () => {
    const h = await start();
    await h.chatService.login('bob');
    const page = await h.visitor();
    expect(await ask(page, 'chat:request', { serviceGroupId: 2 })).toMatchObject({ ok: true });
    expect(h.chatService.server.center.chats.size).toBe(1);
  });
});

describe('maxChats', () => {
  test('when as many chats are live as maxChats allows, then another request is refused as AtCapacity until one ends', async () => {
    const h = await start({ web: { maxChats: 2 } });
    await h.chatService.login('alice', { ready: true });
    const pages = [await h.visitor(), await h.visitor(), await h.visitor()];
    const [first, second, third] = pages as [
      (typeof pages)[0],
      (typeof pages)[0],
      (typeof pages)[0],
    ];
    expect(await ask(first, 'chat:request', { serviceGroupId: 1 })).toMatchObject({ ok: true });
    expect(await ask(second, 'chat:request', { serviceGroupId: 1 })).toMatchObject({ ok: true });
    const refused = await ask(third, 'chat:request', { serviceGroupId: 1 });
    expect(refused).toEqual({
      ok: false,
      error: { code: 'AtCapacity', message: expect.any(String) },
    });
    expect(h.chatService.server.center.chats.size).toBe(2);
    expect(await ask(first, 'chat:leave')).toMatchObject({ ok: true });
    await until(() => h.customerChat.relay.liveChats < 2, 'the first chat has ended in the relay');
    expect(await ask(third, 'chat:request', { serviceGroupId: 1 })).toMatchObject({ ok: true });
  });
});

describe('CrossDomainAllowIpAddress: sockets', () => {
  test('when nothing is listed, then a socket from another site is refused and the own site and no Origin are let in', async () => {
    const h = await start();
    await expect(h.visitor({ origin: 'http://shop.example' })).rejects.toThrow();
    await expect(h.visitor({ origin: 'null' })).rejects.toThrow();
    const own = await h.visitor({ origin: h.url });
    expect(own.connected).toBe(true);
    const none = await h.visitor();
    expect(none.connected).toBe(true);
  });

  test('when a host is listed, then its pages get sockets and look-alike hosts do not', async () => {
    const h = await start(appSettings({ CrossDomainAllowIpAddress: 'Shop.Example, 10.1.2.3' }));
    for (const origin of [
      'http://shop.example',
      'https://SHOP.example:8443',
      'http://10.1.2.3:8080',
    ]) {
      const socket = await h.visitor({ origin });
      expect(socket.connected).toBe(true);
    }
    for (const origin of [
      'http://shop.example.evil.test',
      'http://evil-shop.example',
      'http://shop.example@evil.test',
      'ftp://shop.example',
      'http://10.1.2.30',
    ]) {
      await expect(h.visitor({ origin })).rejects.toThrow();
    }
    // An accepted page works as any other.
    await h.chatService.login('alice');
    const page = await h.visitor({ origin: 'http://shop.example' });
    expect(await ask(page, 'chat:request', { serviceGroupId: 1 })).toMatchObject({ ok: true });
  });
});

describe('CrossDomainAllowIpAddress: the refusal of a handshake', () => {
  const polling = (h: CustomerChatHarness, origin: string, query = '') =>
    fetch(`${h.url}/CustomerChat/socket.io/?EIO=4&transport=polling${query}`, {
      headers: { Origin: origin },
    });

  test('when a page of a site not listed asks for a socket, then the refusal is readable by it and names the setting, while nothing else is', async () => {
    const h = await start(appSettings({ CrossDomainAllowIpAddress: 'shop.example' }));
    const refused = await polling(h, 'http://other.example');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBe('http://other.example');
    expect(await refused.json()).toEqual({ code: 4, message: originRefusal });

    // A request of a session such a page never got: not readable.
    const session = await polling(h, 'http://other.example', '&sid=made-up');
    expect(session.headers.get('access-control-allow-origin')).toBeNull();

    const allowed = await polling(h, 'http://shop.example');
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://shop.example');
  });
});

describe('CrossDomainAllowIpAddress: CORS on the attachment route', () => {
  const preflight = (h: CustomerChatHarness, origin: string) =>
    fetch(`${h.url}/CustomerChat/Chat/Attachment`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-chat-token',
      },
    });

  test('when the origin is listed, then the preflight and the answers allow it', async () => {
    const h = await start(appSettings({ CrossDomainAllowIpAddress: 'shop.example' }));
    const allowed = await preflight(h, 'http://shop.example');
    expect(allowed.status).toBeLessThan(300);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://shop.example');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'x-chat-token',
    );
    const download = await fetch(`${h.url}/CustomerChat/Chat/Attachment/1?token=x`, {
      headers: { origin: 'http://shop.example' },
    });
    expect(download.headers.get('access-control-allow-origin')).toBe('http://shop.example');
  });

  test('when the origin is not listed, then no answer carries Access-Control-Allow-Origin', async () => {
    const h = await start(appSettings({ CrossDomainAllowIpAddress: 'shop.example' }));
    for (const origin of ['http://evil.test', 'http://shop.example.evil.test']) {
      const refused = await preflight(h, origin);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      const download = await fetch(`${h.url}/CustomerChat/Chat/Attachment/1?token=x`, {
        headers: { origin },
      });
      expect(download.headers.get('access-control-allow-origin')).toBeNull();
    }
    const unlisted = await start();
    const byDefault = await preflight(unlisted, 'http://shop.example');
    expect(byDefault.headers.get('access-control-allow-origin')).toBeNull();
    await h.stop();
  });
});

describe('upstreamSendRetrySeconds', () => {
  test('when it is set, then the toolbox is told, so a page waits for a send past that window', async () => {
    for (const seconds of [90, undefined]) {
      const h = await start(
        seconds === undefined ? {} : { web: { upstreamSendRetrySeconds: seconds } },
      );
      const script = await (await fetch(`${h.url}/CustomerChat/Chat/Toolbox`)).text();
      const boot = /__customerChatBoot=(\{.*?\});\n/s.exec(script)?.[1];
      expect(JSON.parse(boot ?? '{}')).toMatchObject({ sendWindowSeconds: seconds ?? 30 });
      await h.stop();
      forget();
    }
  });
});
