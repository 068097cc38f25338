import { Agent, request } from 'node:http';
import { until } from '../support/chat-service-harness';
import { agentHandledChat, useCustomerChat } from '../support/customer-chat-test-kit';

/**
 * SIGTERM on the memory engine: no other instance could take the chats over, so a restart must
 * not leave them silently dead. The visitor and the agent are both told the chat ended; health
 * answers 503 from the first moment of the drain; no new socket is taken.
 */

const { start } = useCustomerChat({ restoreMocks: true });

/** A GET on a connection of its own, kept open before the drain starts. */
function healthOn(url: string, agentKeptOpen: Agent) {
  return new Promise<number>((resolve, reject) => {
    request(`${url}/CustomerChat/health`, { agent: agentKeptOpen }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

describe('CustomerChat draining on the memory engine', () => {
  test('when it drains with a live chat, then the visitor sees the end, the agent sees the customer leave, and health says 503', async () => {
    const h = await start();
    const { agent, events, chatId } = await agentHandledChat(h);
    const kept = new Agent({ keepAlive: true, maxSockets: 1 });
    expect(await healthOn(h.url, kept)).toBe(200);

    // LeaveChat held on its way: the drain is caught in the middle.
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const leave = h.customerChat.client.leaveChat.bind(h.customerChat.client);
    jest.spyOn(h.customerChat.client, 'leaveChat').mockImplementation(async (id) => {
      await held;
      return leave(id);
    });
    const drained = h.customerChat.drain();
    expect(await healthOn(h.url, kept)).toBe(503);
    release();
    await drained;

    await until(() => events.some((event) => event.type === 'ended'), 'the page shows the end');
    const ended = await agent.waitForEnd();
    expect(ended.Data).toMatchObject({ ChatID: chatId, EndedBy: 'Customer' });
    await expect(h.visitor()).rejects.toThrow();
    kept.destroy();
  });
});
