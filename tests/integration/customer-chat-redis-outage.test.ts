import type { LoggedEvent } from '../../server/customer-chat/session/visitor-events';
import { until } from '../support/chat-service-harness';
import { type CustomerChatHarness } from '../support/customer-chat-harness';
import { agentHandledChat, askWithin, useCustomerChat } from '../support/customer-chat-test-kit';
import { RedisServer } from '../support/redis-server';
import { TcpProxy } from '../support/tcp-proxy';

/**
 * Redis goes away mid-chat (the TCP proxy between CustomerChat and it is cut) and comes back with
 * its data: the page is told the chat is unavailable for now, sends are refused with that reason,
 * CustomerChat stays up, and once Redis is back the chat goes on with nothing lost or doubled.
 */

const { start } = useCustomerChat();
const ask = askWithin(15_000);
let redis: RedisServer;
let redisProxy: TcpProxy;

beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(async () => {
  await redis.stop();
});
beforeEach(async () => {
  redisProxy = new TcpProxy(redis.port);
  await redisProxy.start();
});
afterEach(async () => {
  await redisProxy.stop();
});

const textsFrom = (events: LoggedEvent[], from: string) =>
  events.flatMap((event) => (event.type === 'message' && event.from === from ? [event.text] : []));

/** Moves CustomerChat's clock a second at a time (leases lapse on it) until the state is reached. */
async function advanceUntil(h: CustomerChatHarness, condition: () => boolean, what: string) {
  for (let turn = 0; turn < 3000; turn += 1) {
    if (condition()) return;
    h.time.advance(1_000);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`Timed out waiting until ${what}`);
}

describe('CustomerChat on Redis when Redis goes away and comes back', () => {
  test('when Redis is cut mid-chat, then the page hears the chat is unavailable for now, sends fail with that reason, and all resumes once it is back', async () => {
    const h = await start({ redisUrl: `redis://127.0.0.1:${redisProxy.port}` });
    const statuses: boolean[] = [];
    const { agent, page, events, chatId } = await agentHandledChat(h, 'alice', {
      ask,
      preparePage: (socket) =>
        socket.on('service:status', (status: { available: boolean }) =>
          statuses.push(status.available),
        ),
    });
    expect(await ask(page, 'message:send', { clientMessageId: 'r1', text: 'Before' })).toEqual({
      ok: true,
    });

    await redisProxy.cut();
    await until(() => statuses.includes(false), 'the page is told the chat is unavailable');
    const refused = await ask(page, 'message:send', { clientMessageId: 'r2', text: 'During' });
    expect(refused).toEqual({
      ok: false,
      error: { code: 'ServiceUnavailable', message: expect.stringMatching(/unavailable for now/) },
    });
    // The process serves on, but sends no new visitors here while Redis is away.
    expect((await fetch(`${h.url}/CustomerChat/health/live`)).status).toBe(200);
    const ready = await fetch(`${h.url}/CustomerChat/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'degraded', redis: 'down' });
    // The agent writes meanwhile: the Chat Service keeps it until CustomerChat can store it.
    await agent.call('SendMessage', { ChatID: chatId, Message: 'Are you there?' });

    await redisProxy.restore();
    await until(() => statuses.at(-1) === true, 'the page is told the chat is back');
    // The same message again (the page retries with its id), and a new one.
    expect(await ask(page, 'message:send', { clientMessageId: 'r2', text: 'During' })).toEqual({
      ok: true,
    });
    expect(await ask(page, 'message:send', { clientMessageId: 'r3', text: 'After' })).toEqual({
      ok: true,
    });
    await advanceUntil(
      h,
      () => textsFrom(events, 'agent').includes('Are you there?'),
      'the agent message written during the outage arrives',
    );
    await agent.waitFor(
      (event) => event.EventType === 'MessageReceived' && event.Data.Message === 'After',
      'the visitor message after the outage',
    );
    expect(agent.customerTexts()).toEqual(['Before', 'During', 'After']);
    expect(textsFrom(events, 'visitor')).toEqual(['Before', 'During', 'After']);
    expect(textsFrom(events, 'agent')).toEqual(['Are you there?']);
  });
});
