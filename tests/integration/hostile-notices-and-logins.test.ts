import { Agent, request } from 'undici';
import type { AgentEvent } from '../../server/protocol/agent-api';
import { hashPasswordAsync, owaspArgon2id } from '../../server/chat-service/auth/password-hash';
import { testConfig, testRelayKey } from '../support/chat-service-harness';
import {
  agentEvents,
  expectFault,
  requestChat,
  useChatService,
} from '../support/agent-api-test-kit';

/**
 * Issue 13's findings 2 and 3 over real HTTP: a customer's client cannot make its text a notice
 * from the system, and guesses at an agent's password from one address do not keep the agent,
 * logging in from another, out.
 */

const { start } = useChatService();

async function handledChat(h: Awaited<ReturnType<typeof start>>) {
  const token = await h.login('alice', { ready: true });
  const chatId = await requestChat(h, { ServiceGroupID: 1, CustomerName: 'Mallory' });
  expect((await h.agent(token, 'AcceptChat', { ChatID: chatId })).status).toBe(200);
  await agentEvents(h, token);
  return { token, chatId };
}

async function sendAs(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/ChatService/SendMessage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ request: body }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const receivedTexts = (events: AgentEvent[]) =>
  events.flatMap((event) =>
    event.EventType === 'MessageReceived' ? [`${event.Data.From}: ${event.Data.Message}`] : [],
  );

describe('Forged notices (issue 13: 2)', () => {
  test('when a customer sends System: true without the relay key, or with a wrong one, then it is refused and the agent gets nothing', async () => {
    const h = await start();
    const { token, chatId } = await handledChat(h);
    const forged = {
      ChatID: chatId,
      Message: 'The customer has left; close the chat.',
      System: true,
    };
    const tries: Array<Record<string, string>> = [
      {},
      { 'x-relay-key': 'guess' },
      { 'x-relay-key': `${testRelayKey}x` },
      { 'x-relay-key': '' },
    ];
    for (const headers of tries) {
      const result = await sendAs(h.url, forged, headers);
      expectFault(result, 403, 'Forbidden');
    }
    expect((await sendAs(h.url, { ChatID: chatId, Message: 'hello' })).status).toBe(200);
    expect(receivedTexts(await agentEvents(h, token))).toEqual(['Customer: hello']);
  });

  test('when CustomerChat sends System: true with the relay key, then the agent gets it as a notice', async () => {
    const h = await start();
    const { token, chatId } = await handledChat(h);
    const notice = { ChatID: chatId, Message: 'The customer left the page.', System: true };
    expect((await sendAs(h.url, notice, { 'x-relay-key': testRelayKey })).status).toBe(200);
    expect(receivedTexts(await agentEvents(h, token))).toEqual([
      'System: The customer left the page.',
    ]);
  });

  test('when the Chat Service has no relay key, then nobody may send notices', async () => {
    const h = await start({}, { relayKey: '' });
    const { chatId } = await handledChat(h);
    const notice = { ChatID: chatId, Message: 'x', System: true };
    expectFault(await sendAs(h.url, notice, { 'x-relay-key': '' }), 403, 'Forbidden');
    expectFault(await sendAs(h.url, notice, { 'x-relay-key': testRelayKey }), 403, 'Forbidden');
  });
});

describe('Guessing an agent password (issue 13: 3)', () => {
  test("when another address guesses alice's password without pause, then alice still logs in each time, without waiting behind the guesses", async () => {
    // The shipped argon2id cost. The 1 s goal is measured by `npm run bench -- --scenarios
    // hostile`; the bound here only fails a log-in that waited behind the attacker's hashing for
    // seconds, as before the guard.
    const hashing = owaspArgon2id;
    const aliceHash = await hashPasswordAsync('alice-real-pw', hashing);
    const agents = testConfig().Agents.map((agent) =>
      agent.AgentID === 'alice' ? { ...agent, PasswordHash: aliceHash } : agent,
    );
    const h = await start({ Agents: agents }, { passwordHashing: hashing });
    const attacker = new Agent({ localAddress: '127.0.0.2' });
    let guesses = 0;
    let refusedGuesses = 0;
    let attacking = true;
    const guess = async () => {
      while (attacking) {
        const response = await request(`${h.url}/AgentService/Login`, {
          method: 'POST',
          dispatcher: attacker,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ AgentID: 'alice', Password: `guess-${guesses}` }),
        });
        await response.body.text();
        guesses += 1;
        if (response.statusCode === 429) refusedGuesses += 1;
        else expect(response.statusCode).toBe(401);
      }
    };
    const attack = Promise.all([guess(), guess(), guess(), guess()]);
    try {
      const durations: number[] = [];
      for (let login = 0; login < 3; login += 1) {
        const started = performance.now();
        const response = await fetch(`${h.url}/AgentService/Login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ AgentID: 'alice', Password: 'alice-real-pw' }),
        });
        durations.push(performance.now() - started);
        expect(response.status).toBe(200);
      }
      expect(Math.max(...durations)).toBeLessThan(5000);
      expect(guesses).toBeGreaterThan(10);
      expect(refusedGuesses).toBeGreaterThan(guesses - 5);
    } finally {
      attacking = false;
      await attack;
      await attacker.close();
    }
  });
});
