import fc from 'fast-check';
import {
  startCustomerChat,
  type CustomerChatHarness,
  type VisitorSocket,
} from '../support/customer-chat-harness';
import { ask, type AnyReply } from '../support/customer-chat-test-kit';

/**
 * Issue 13: generated arguments for every socket event a page may emit, 10,000 each, on one
 * real socket.io connection. Every answer is a reply (never a stack trace), the connection and
 * CustomerChat go on, and a batch of refused events leaves the chat as it was.
 */

const runs = 10_000;
const batch = 100;
const stackTrace = /\n\s+at |node:internal|\.ts:\d+|Error:/;

let h: CustomerChatHarness;
let page: VisitorSocket;
let observer: VisitorSocket;
let token: string;

beforeAll(async () => {
  h = await startCustomerChat();
  await h.chatService.login('alice', { ready: true });
  page = await h.visitor();
  observer = await h.visitor();
  const reply = await ask(page, 'chat:request', { serviceGroupId: 1, customerName: 'Fuzz' });
  expect(reply.ok).toBe(true);
  token = String(reply['token']);
  // The chat's first event (queued) comes from the Chat Service on its own; the state counts from it.
  for (let turn = 0; turn < 500 && !(await stateNow()).includes('"queued"'); turn += 1)
    await new Promise((resolve) => setImmediate(resolve));
});

afterAll(async () => {
  await h.stop();
});

const values = () =>
  fc.oneof(
    fc.constant(-1),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.string({ maxLength: 40 }),
    fc.anything({ maxDepth: 2 }),
  );

const fields: Record<string, string[]> = {
  'chat:request': ['tenantId', 'serviceGroupId', 'serviceGroupName', 'customerName', 'email'],
  'chat:resume': ['token', 'afterSeq'],
  'message:send': ['clientMessageId', 'text', 'hideLocal'],
  'queue:info': ['tenantId', 'serviceGroupId', 'serviceGroupName'],
  'chat:leave': [],
  'chat:configuration': [],
  typing: [],
};

function payloads(names: string[]): fc.Arbitrary<unknown[]> {
  const near = fc.record(Object.fromEntries(names.map((name) => [name, values()])), {
    requiredKeys: [],
  });
  return fc.oneof(
    near.map((payload) => [payload]),
    fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 3 }),
    fc.constant<unknown[]>([]),
  );
}

/** What a refused event must not change: the chat as any page of it sees it. */
async function stateNow(): Promise<string> {
  const reply = await ask(observer, 'chat:resume', { token, afterSeq: 0 });
  return JSON.stringify([reply, h.customerChat.relay.liveChats]);
}

async function checkEvent(event: string): Promise<void> {
  const cases = fc.sample(payloads(fields[event] ?? []), { numRuns: runs, seed: 13 });
  let before = await stateNow();
  for (let start = 0; start < cases.length; start += batch) {
    const replies = await Promise.all(
      cases.slice(start, start + batch).map(async (args): Promise<AnyReply | 'none'> => {
        // An event given its arguments without a callback last has nobody to answer.
        const answered =
          event === 'chat:leave' || event === 'chat:configuration'
            ? 0
            : event === 'typing'
              ? -1
              : 1;
        if (args.length !== answered) {
          page.emit(event, ...args);
          return 'none';
        }
        return (await page.timeout(5000).emitWithAck(event, ...args)) as AnyReply;
      }),
    );
    for (const [index, reply] of replies.entries()) {
      if (reply === 'none') continue;
      const text = JSON.stringify(reply);
      const shaped = typeof reply === 'object' && reply !== null && typeof reply.ok === 'boolean';
      if (!shaped || stackTrace.test(text) || reply.error?.code === 'Internal')
        throw new Error(`${event} ${JSON.stringify(cases[start + index])} → ${text}`);
    }
    expect(page.connected).toBe(true);
    const after = await stateNow();
    const refused = replies.every((reply) => reply === 'none' || !reply.ok);
    if (refused && after !== before && event !== 'typing')
      throw new Error(`${event}: refused events changed the chat\n${before}\n${after}`);
    before = after;
  }
  expect((await fetch(`${h.url}/CustomerChat/health`)).status).toBe(200);
}

describe('Generated arguments for every socket event (issue 13)', () => {
  test.each(Object.keys(fields))(
    'when %s gets 10,000 generated argument lists, then every reply is a clean one and nothing refused changes the chat',
    async (event) => {
      await checkEvent(event);
    },
    120_000,
  );
});
