import { agentHandledChat, askWithin, useCustomerChat } from '../support/customer-chat-test-kit';

/**
 * The visitor's message allowance (rateLimits.messagesPerMinute, 60 by default) pays for messages
 * that got through, not for the page's resends of one that an outage refused, nor for resends of
 * one already accepted.
 */

const { start } = useCustomerChat();
const ask = askWithin(15_000);

describe('CustomerChat message allowance', () => {
  test('when the page resends through a 10 s upstream cut, then its next 30 messages are all accepted', async () => {
    // No send window: each send is refused within its quick retries, so the page resends.
    const h = await start({ web: { upstreamSendRetrySeconds: 0 } });
    const { page, agent } = await agentHandledChat(h, 'alice', { ask });

    await h.proxy.cut();
    // A page retrying six messages every second for ten seconds: 60 sends, each refused once the
    // client's own retries give up (those take real time, so the sends run side by side).
    const refused = [];
    for (let second = 0; second < 10; second += 1) {
      for (let message = 0; message < 6; message += 1) {
        refused.push(
          ask(page, 'message:send', {
            clientMessageId: `cut-${message}`,
            text: `During the cut ${message}`,
          }),
        );
      }
      // Answered after the six before it have taken their share of the allowance.
      expect(await ask(page, 'message:send', {})).toMatchObject({ error: { code: 'BadRequest' } });
      h.time.advance(1_000);
    }
    for (const reply of await Promise.all(refused))
      expect(reply).toMatchObject({ ok: false, error: { code: 'ServiceUnavailable' } });
    await h.proxy.restore();

    const replies = [];
    for (let message = 0; message < 30; message += 1) {
      replies.push(
        await ask(page, 'message:send', {
          clientMessageId: `after-${message}`,
          text: `After ${message}`,
        }),
      );
    }
    expect(replies.filter((reply) => !reply.ok)).toEqual([]);
    await agent.waitFor(
      (event) => event.EventType === 'MessageReceived' && event.Data.Message === 'After 29',
      'the last message after the cut',
    );
    expect(agent.customerTexts()).toHaveLength(30);
  });

  test('when the page resends a message already accepted, then the resends use none of the allowance', async () => {
    const h = await start({ web: { rateLimits: { messagesPerMinute: 5 } } });
    const { page } = await agentHandledChat(h, 'alice', { ask });
    expect(await ask(page, 'message:send', { clientMessageId: 'once', text: 'Hello' })).toEqual({
      ok: true,
    });
    for (let resend = 0; resend < 20; resend += 1) {
      expect(await ask(page, 'message:send', { clientMessageId: 'once', text: 'Hello' })).toEqual({
        ok: true,
      });
    }
    const fresh = [];
    for (let message = 0; message < 4; message += 1) {
      fresh.push(await ask(page, 'message:send', { clientMessageId: `n${message}`, text: 'More' }));
    }
    expect(fresh.every((reply) => reply.ok)).toBe(true);
    // The allowance still holds: the sixth message in the minute is refused.
    expect(
      await ask(page, 'message:send', { clientMessageId: 'n5', text: 'Too many' }),
    ).toMatchObject({ ok: false, error: { code: 'RateLimited' } });
  });
});
