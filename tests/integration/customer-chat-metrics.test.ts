import type { CustomerChatHarness } from '../support/customer-chat-harness';
import { until } from '../support/chat-service-harness';
import { agentHandledChat, ask, useCustomerChat } from '../support/customer-chat-test-kit';
import { scrape, valueOf } from '../support/scrape-metrics';

const { start } = useCustomerChat();

function metricsUrlOf(h: CustomerChatHarness): string {
  const url = h.customerChat.metricsUrl;
  if (url === undefined) throw new Error('no metrics listener');
  return url;
}

describe('CustomerChat metrics', () => {
  test('When a chat runs, is talked in and its visitor stays away, then sockets, chats, messages, upstream calls and grace periods are counted', async () => {
    const h = await start({
      web: {
        metricsPort: 0,
        appSettings: { CustomerDisconnectTimeoutSeconds: 60, ServiceGroupIDsToReject: '2' },
      },
    });
    const url = metricsUrlOf(h);
    expect(new URL(url).hostname).toBe('127.0.0.1');
    const { agent, page, events, chatId } = await agentHandledChat(h);

    expect(await ask(page, 'message:send', { clientMessageId: 'm1', text: 'Hello' })).toEqual({
      ok: true,
    });
    await agent.call('SendMessage', { ChatID: chatId, Message: 'Hi Ann' });
    await until(
      () => events.some((event) => event.type === 'message' && event.from === 'agent'),
      'the agent’s message reaches the page',
    );
    const talking = await scrape(url);
    expect(valueOf(talking, 'customerchat_sockets_connected')).toBe(1);
    expect(valueOf(talking, 'customerchat_live_chats')).toBe(1);
    const relayed = (direction: string) =>
      valueOf(talking, 'customerchat_messages_relayed_total', { direction });
    expect(relayed('to_agent')).toBe(1);
    expect(relayed('to_visitor')).toBe(1);
    const upstream = (method: string) =>
      valueOf(talking, 'customerchat_upstream_request_duration_seconds_count', {
        method,
        outcome: 'ok',
      });
    expect(upstream('RequestChat')).toBe(1);
    expect(upstream('SendMessage')).toBe(1);
    expect(upstream('GetEventsBatch')).toBeGreaterThan(0);

    const other = await h.visitor();
    expect(await ask(other, 'chat:request', { serviceGroupId: 2 })).toMatchObject({
      ok: false,
      error: { code: 'RequestRejected' },
    });
    const refused = await scrape(url);
    expect(valueOf(refused, 'customerchat_chats_refused_total', { reason: 'rejected_group' })).toBe(
      1,
    );
    expect(valueOf(refused, 'customerchat_sockets_connected')).toBe(2);

    page.disconnect();
    other.disconnect();
    await until(
      () => h.customerChat.relay.visitorsAway === 1,
      'the visitor’s grace period to begin',
    );
    const away = await scrape(url);
    expect(valueOf(away, 'customerchat_grace_periods_running')).toBe(1);
    // The relay's notice to the agent (customer left) is not the visitor's message.
    await agent.waitFor((event) => event.EventType === 'MessageReceived', 'the notice');
    expect(valueOf(away, 'customerchat_messages_relayed_total', { direction: 'to_agent' })).toBe(1);

    h.time.advance(60_000);
    await agent.waitForEnd();
    const expired = await scrape(url);
    expect(valueOf(expired, 'customerchat_grace_periods_expired_total')).toBe(1);
    expect(valueOf(expired, 'customerchat_grace_periods_running')).toBe(0);
    expect(valueOf(expired, 'customerchat_live_chats')).toBe(0);
    expect(valueOf(expired, 'customerchat_sockets_connected')).toBe(0);
  });

  test('When requests are refused for capacity and for rate, then each reason is counted', async () => {
    const capped = await start({ web: { metricsPort: 0, maxChats: 1 } });
    await agentHandledChat(capped);
    const second = await capped.visitor();
    expect(await ask(second, 'chat:request', { serviceGroupId: 1 })).toMatchObject({
      error: { code: 'AtCapacity' },
    });
    const samples = await scrape(metricsUrlOf(capped));
    expect(valueOf(samples, 'customerchat_chats_refused_total', { reason: 'capacity' })).toBe(1);
    await capped.stop();

    const limited = await start({
      web: { metricsPort: 0, rateLimits: { requestChatPerMinute: 1 } },
    });
    await agentHandledChat(limited);
    const again = await limited.visitor();
    expect(await ask(again, 'chat:request', { serviceGroupId: 1 })).toMatchObject({
      error: { code: 'RateLimited' },
    });
    const limitedSamples = await scrape(metricsUrlOf(limited));
    expect(valueOf(limitedSamples, 'customerchat_chats_refused_total', { reason: 'rate' })).toBe(1);
  });

  test('When the Chat Service cannot be reached, then the failed upstream requests are counted as unavailable', async () => {
    const h = await start({ web: { metricsPort: 0 } });
    await h.proxy.cut();
    const page = await h.visitor();
    expect(await ask(page, 'chat:request', { serviceGroupId: 1 })).toMatchObject({
      error: { code: 'ServiceUnavailable' },
    });
    const samples = await scrape(metricsUrlOf(h));
    expect(
      valueOf(samples, 'customerchat_upstream_errors_total', {
        method: 'RequestChat',
        kind: 'unavailable',
      }),
    ).toBe(1);
    expect(
      valueOf(samples, 'customerchat_upstream_request_duration_seconds_count', {
        method: 'RequestChat',
        outcome: 'unavailable',
      }),
    ).toBe(1);
  });

  test('When CustomerChat and its Chat Service run in one process, then each listener shows only its own metrics', async () => {
    const h = await start({ web: { metricsPort: 0 }, chatService: { MetricsPort: 0 } });
    const own = await scrape(metricsUrlOf(h));
    expect(own.some((sample) => sample.name.startsWith('customerchat_'))).toBe(true);
    expect(own.some((sample) => sample.name.startsWith('chatservice_'))).toBe(false);
    const serviceUrl = h.chatService.server.metricsUrl ?? '';
    const service = await scrape(serviceUrl);
    expect(service.some((sample) => sample.name.startsWith('chatservice_'))).toBe(true);
    expect(service.some((sample) => sample.name.startsWith('customerchat_'))).toBe(false);
    expect(serviceUrl).not.toBe(metricsUrlOf(h));
  });

  test('When metricsPort is not set, then no metrics listener is started', async () => {
    const h = await start();
    expect(h.customerChat.metricsUrl).toBeUndefined();
  });
});
