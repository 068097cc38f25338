import fc from 'fast-check';
import { Pool } from 'undici';
import type { z } from 'zod';
import { agentMethods } from '../../server/chat-service/http/agent-methods';
import { customerMethods } from '../../server/chat-service/http/customer-methods';
import type { MethodTable } from '../../server/chat-service/http/method-router';
import { startChatService, type ChatServiceHarness } from '../support/chat-service-harness';
import { requestChat } from '../support/agent-api-test-kit';

/**
 * Issue 13: generated payloads for every REST method of the Chat Service, 10,000 each, over real
 * HTTP on kept-alive connections. None may get a 5xx or a stack trace, and a batch of refused
 * requests must leave the service's state as it was.
 */

const runs = 10_000;
const batch = 50;
const stackTrace = /\n\s+at |node:internal|\.ts:\d+|Error:/;

let h: ChatServiceHarness;
let pool: Pool;
let token: string;
let chatId: string;

beforeAll(async () => {
  h = await startChatService();
  pool = new Pool(h.url, { connections: 16 });
  token = await h.login('alice', { ready: true });
  chatId = await requestChat(h, { ServiceGroupID: 1, CustomerName: 'Fuzz' });
  expect((await h.agent(token, 'AcceptChat', { ChatID: chatId })).status).toBe(200);
});

afterAll(async () => {
  await pool.close();
  await h.stop();
});

/** Field names of a method's request, so generated requests are near misses as well as junk. */
function fieldsOf(table: MethodTable<unknown>, method: string): string[] {
  const schema = table[method]?.schema as z.ZodObject | null | undefined;
  return schema === null || schema === undefined ? [] : Object.keys(schema.shape);
}

const values = () =>
  fc.oneof(
    fc.constant(chatId),
    fc.constant('alice'),
    fc.integer({ min: -3, max: 3 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.string({ maxLength: 40 }),
    fc.array(fc.integer({ min: -1, max: 256 }), { maxLength: 8 }),
    fc.anything({ maxDepth: 2 }),
  );

function bodies(fields: string[]): fc.Arbitrary<string> {
  const near =
    fields.length === 0
      ? fc.dictionary(fc.string({ maxLength: 8 }), values(), { maxKeys: 3 })
      : fc.record(Object.fromEntries(fields.map((field) => [field, values()])), {
          requiredKeys: [],
        });
  return fc.oneof(
    near.map((request) => JSON.stringify({ request })),
    near.map((request) => JSON.stringify(request)),
    fc.anything({ maxDepth: 3 }).map((anything) => JSON.stringify(anything) ?? 'null'),
    fc.string({ maxLength: 60 }),
  );
}

interface Answer {
  status: number;
  text: string;
}

async function post(path: string, body: string, bearer: string | undefined): Promise<Answer> {
  try {
    const response = await pool.request({
      method: 'POST',
      path,
      headers: {
        'content-type': 'application/json',
        ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
      },
      body,
      // A valid long-poll is held; it is let go, not waited for.
      signal: AbortSignal.timeout(150),
    });
    return { status: response.statusCode, text: await response.body.text() };
  } catch {
    return { status: 0, text: '' };
  }
}

/** What a refused request must not change: the chat as the agent sees it, and the agent. */
async function stateNow(): Promise<string> {
  const [chat, agentState] = await Promise.all([
    h.agent(token, 'GetChat', { ChatID: chatId }),
    h.agent(token, 'GetState'),
  ]);
  return JSON.stringify([chat, agentState]);
}

async function checkMethod(path: string, fields: string[], withToken: boolean): Promise<void> {
  const cases = fc.sample(
    fc.record({
      body: bodies(fields),
      bearer: withToken
        ? fc.oneof(fc.constant(token), fc.string({ maxLength: 50 }), fc.constant(undefined))
        : fc.constant(undefined),
    }),
    { numRuns: runs, seed: 13 },
  );
  expect(cases).toHaveLength(runs);
  let before = await stateNow();
  for (let start = 0; start < cases.length; start += batch) {
    const answers = await Promise.all(
      cases.slice(start, start + batch).map(({ body, bearer }) => post(path, body, bearer)),
    );
    for (const [index, answer] of answers.entries()) {
      if (answer.status >= 500 || stackTrace.test(answer.text))
        throw new Error(
          `${path} ${JSON.stringify(cases[start + index])} → ${answer.status} ${answer.text}`,
        );
    }
    const after = await stateNow();
    const refused = answers.every((answer) => answer.status >= 400 && answer.status < 500);
    if (refused && after !== before)
      throw new Error(`${path}: refused requests changed the state\n${before}\n${after}`);
    before = after;
  }
}

const customerTable = () =>
  customerMethods(
    h.server.customerDesk,
    h.server.offlineDesk,
    h.server.ratingDesk,
    '',
  ) as MethodTable<unknown>;
const agentTable = () =>
  agentMethods(h.server.agentPresence, h.server.agentDesk) as MethodTable<unknown>;

describe('Generated payloads for every REST method (issue 13)', () => {
  const customer = [
    'RequestChat',
    'LeaveMessage',
    'RateChat',
    'LeaveChat',
    'SendMessage',
    'SendTyping',
    'GetEvents',
    'GetEventsBatch',
    'GetChatInfo',
    'GetQueueInfo',
    'GetChatConfiguration',
    'GetVersion',
  ];
  test.each(customer)(
    'when /ChatService/%s gets 10,000 generated bodies, then no 5xx, no stack trace, no change from a refusal',
    async (method) => {
      await checkMethod(`/ChatService/${method}`, fieldsOf(customerTable(), method), false);
    },
    120_000,
  );

  const agent = [
    'Login',
    'SetReady',
    'GetState',
    'GetEvents',
    'AcceptChat',
    'SendMessage',
    'SendTyping',
    'TransferChat',
    'GetChat',
    'GetAttachment',
    'GetResponses',
    'SendTranscript',
    'GetTranscriptSettings',
    'SearchArchive',
    'GetOverview',
    'LeaveChat',
    'Logout',
  ];
  test('when the method lists are compared with the tables, then every method is covered', () => {
    expect([...customer].sort()).toEqual(Object.keys(customerTable()).sort());
    expect([...agent].sort()).toEqual(Object.keys(agentTable()).sort());
  });
  test.each(agent)(
    'when /AgentService/%s gets 10,000 generated bodies, then no 5xx, no stack trace, no change from a refusal',
    async (method) => {
      await checkMethod(`/AgentService/${method}`, fieldsOf(agentTable(), method), true);
    },
    120_000,
  );
});
