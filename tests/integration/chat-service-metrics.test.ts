import type { AgentEvent } from '../../server/protocol/agent-api';
import { agentEvents, requestChat, useChatService } from '../support/agent-api-test-kit';
import { startChatService, type ChatServiceHarness } from '../support/chat-service-harness';
import { scrape, valueOf } from '../support/scrape-metrics';

const { start } = useChatService();

function metricsUrlOf(h: ChatServiceHarness): string {
  const url = h.server.metricsUrl;
  if (url === undefined) throw new Error('no metrics listener');
  return url;
}

const offeredChat = (events: AgentEvent[]) => {
  const offer = events.find((event) => event.EventType === 'ChatOffered');
  if (offer === undefined) throw new Error('no offer');
  return offer.Data.ChatID;
};

describe('Chat Service metrics', () => {
  test('When a chat is queued, offered, let lapse, accepted, talked in and ended, then the metrics follow each step', async () => {
    const h = await start({ MetricsPort: 0 });
    const url = metricsUrlOf(h);
    expect(new URL(url).hostname).toBe('127.0.0.1');
    expect(new URL(h.url).port).not.toBe(new URL(url).port);
    const sales = { service_group_id: '1', service_group: 'Sales' };

    const before = await scrape(url);
    expect(valueOf(before, 'chatservice_agents_logged_in', sales)).toBe(0);
    expect(valueOf(before, 'chatservice_chats', { ...sales, state: 'queued' })).toBe(0);
    // The process's default metrics are there too.
    expect(valueOf(before, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);

    const alice = await h.login('alice', { ready: true });
    const chatId = await requestChat(h, { ServiceGroupID: 1, CustomerName: 'Ann' });
    h.time.advance(5_000);
    const queued = await scrape(url);
    expect(valueOf(queued, 'chatservice_agents_logged_in', sales)).toBe(1);
    expect(valueOf(queued, 'chatservice_agents_ready', sales)).toBe(1);
    expect(valueOf(queued, 'chatservice_chats', { ...sales, state: 'queued' })).toBe(1);
    expect(valueOf(queued, 'chatservice_queue_length', sales)).toBe(1);
    expect(valueOf(queued, 'chatservice_queue_longest_wait_seconds', sales)).toBe(5);
    expect(valueOf(queued, 'chatservice_offers_total', { service_group_id: '1' })).toBe(1);

    // Sales gives 20 s to accept: the offer lapses and the chat is offered again.
    h.time.advance(20_000);
    const lapsed = await scrape(url);
    expect(valueOf(lapsed, 'chatservice_offers_lapsed_total', { service_group_id: '1' })).toBe(1);
    expect(valueOf(lapsed, 'chatservice_offers_total', { service_group_id: '1' })).toBe(2);

    expect(offeredChat(await agentEvents(h, alice))).toBe(chatId);
    expect((await h.agent(alice, 'AcceptChat', { ChatID: chatId })).status).toBe(200);
    await h.customer('SendMessage', { ChatID: chatId, Message: 'Do you ship to Norway?' });
    // Without the relay key a System notice is refused: it counts as Forbidden, not as a message.
    await h.customer('SendMessage', { ChatID: chatId, Message: 'Left', System: true });
    await h.agent(alice, 'SendMessage', { ChatID: chatId, Message: 'Yes.' });
    await h.agent(alice, 'SendMessage', { ChatID: chatId, Message: 'Within 3 days.' });
    const talking = await scrape(url);
    expect(valueOf(talking, 'chatservice_chats', { ...sales, state: 'queued' })).toBe(0);
    expect(valueOf(talking, 'chatservice_chats', { ...sales, state: 'handling' })).toBe(1);
    expect(valueOf(talking, 'chatservice_queue_length', sales)).toBe(0);
    expect(valueOf(talking, 'chatservice_queue_longest_wait_seconds', sales)).toBe(0);
    const messages = (direction: string) =>
      valueOf(talking, 'chatservice_messages_total', { direction });
    expect(messages('customer_to_agent')).toBe(1);
    expect(messages('agent_to_customer')).toBe(2);

    expect((await h.agent(alice, 'LeaveChat', { ChatID: chatId })).status).toBe(200);
    expect((await h.customer('GetChatInfo', { ChatID: 'no-such-chat' })).status).toBe(404);
    const ended = await scrape(url);
    expect(valueOf(ended, 'chatservice_chats', { ...sales, state: 'handling' })).toBe(0);
    expect(valueOf(ended, 'chatservice_archive_write_duration_seconds_count')).toBe(1);
    const requests = (api: string, method: string, outcome: string) =>
      valueOf(ended, 'chatservice_request_duration_seconds_count', { api, method, outcome });
    expect(requests('customer', 'RequestChat', 'ok')).toBe(1);
    expect(requests('customer', 'SendMessage', 'ok')).toBe(1);
    expect(requests('customer', 'SendMessage', 'Forbidden')).toBe(1);
    expect(requests('agent', 'SendMessage', 'ok')).toBe(2);
    expect(requests('customer', 'GetChatInfo', 'UnknownChat')).toBe(1);
  });

  test('When MetricsPort is not set, then no metrics listener is started', async () => {
    const h = await start();
    expect(h.server.metricsUrl).toBeUndefined();
  });

  test('When two Chat Services run in one process, then each one’s metrics show only its own state', async () => {
    const one = await start({ MetricsPort: 0 });
    const two = await startChatService({ MetricsPort: 0 });
    try {
      await one.login('alice');
      const first = await scrape(metricsUrlOf(one));
      const second = await scrape(metricsUrlOf(two));
      const sales = { service_group_id: '1' };
      expect(valueOf(first, 'chatservice_agents_logged_in', sales)).toBe(1);
      expect(valueOf(second, 'chatservice_agents_logged_in', sales)).toBe(0);
    } finally {
      await two.stop();
    }
  });

  test('When something other than GET /metrics is asked of the listener, then it answers 404', async () => {
    const h = await start({ MetricsPort: 0 });
    const response = await fetch(metricsUrlOf(h).replace('/metrics', '/other'));
    expect(response.status).toBe(404);
    expect((await fetch(metricsUrlOf(h), { method: 'POST' })).status).toBe(404);
  });
});
