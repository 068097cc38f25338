import { until } from '../support/chat-service-harness';
import { type CustomerChatHarness } from '../support/customer-chat-harness';
import { ask, useCustomerChat } from '../support/customer-chat-test-kit';

/**
 * Pages that do things at awkward moments: leave while their chat request is still on its way to
 * the Chat Service, or ask twice at once. CustomerChat's answer must still be one chat, ended when
 * nobody is there.
 */

const { start } = useCustomerChat({ restoreMocks: true });

/** Holds CustomerChat's RequestChat calls until the test lets them go on. */
function holdRequests(h: CustomerChatHarness) {
  const client = h.customerChat.client;
  const original = client.requestChat.bind(client);
  const held: (() => void)[] = [];
  const answered: Promise<unknown>[] = [];
  jest.spyOn(client, 'requestChat').mockImplementation((request) => {
    const answer = new Promise<void>((release) => held.push(release)).then(() => original(request));
    answered.push(answer.catch(() => undefined));
    return answer;
  });
  return {
    held,
    async releaseAll() {
      for (const release of held.splice(0)) release();
      await Promise.all(answered);
    },
  };
}

/** Sockets CustomerChat holds open right now (its gateway's own count). */
const serverSockets = (h: CustomerChatHarness) => h.customerChat['gateway'].localSockets;

describe('CustomerChat with pages at awkward moments', () => {
  test('when the page closes while its chat request is on its way, then the chat still ends upstream after the grace period', async () => {
    const h = await start();
    await h.chatService.login('alice');
    const requests = holdRequests(h);
    const page = await h.visitor();
    page.emit('chat:request', { serviceGroupId: 1, customerName: 'Ann' }, () => undefined);
    await until(() => requests.held.length === 1, 'the request is on its way');
    page.disconnect();
    await until(() => serverSockets(h) === 0, 'CustomerChat sees the page go');
    await requests.releaseAll();
    const [chatId = ''] = [...h.chatService.server.center.chats.keys()];
    const endedUpstream = () =>
      h.chatService.server.center.chats.get(chatId)?.isTerminated === true;
    const anyAway = async () => {
      for (const token of h.customerChat.relay['leases'].tokens())
        if ((await h.customerChat.relay.inspect(token))?.isAway === true) return true;
      return false;
    };
    await until(
      async () => (await anyAway()) || endedUpstream(),
      'the answer is handled and the chat counts as away',
    );

    // Nobody is on it: the grace period runs, and ends it.
    h.time.advance(60_000);
    await until(endedUpstream, 'the chat nobody is on ends upstream');
  });

  test('when a page sends chat:request twice at once, then only one chat is made', async () => {
    const h = await start();
    await h.chatService.login('alice');
    const requests = holdRequests(h);
    const page = await h.visitor();
    const first = ask(page, 'chat:request', { serviceGroupId: 1 });
    const second = ask(page, 'chat:request', { serviceGroupId: 1 });
    let secondAnswered = false;
    void second.then(() => (secondAnswered = true));
    await until(
      () => requests.held.length === 2 || (requests.held.length === 1 && secondAnswered),
      'both requests are answered or on their way',
    );
    await requests.releaseAll();
    const replies = await Promise.all([first, second]);
    expect(replies.filter((reply) => reply.ok)).toHaveLength(1);
    expect(replies.find((reply) => !reply.ok)).toMatchObject({ error: { code: 'BadRequest' } });
    expect(h.chatService.server.center.chats.size).toBe(1);
  });
});
