import { hashPassword } from '../../server/chat-service/auth/password-hash';
import type { LoggedEvent } from '../../server/customer-chat/session/visitor-events';
import { testPasswordHashing } from '../support/chat-service-harness';
import {
  recordEvents,
  type CustomerChatHarness,
  type VisitorSocket,
} from '../support/customer-chat-harness';
import { AgentFeed, ask, useCustomerChat } from '../support/customer-chat-test-kit';
import { hideMethod, type MethodHidingProxy } from '../support/method-hiding-proxy';

/**
 * CustomerChat following its chats' events in batches (upstreamEventBatchSize > 1) against the
 * real Chat Service over HTTP: every page gets its agent's messages exactly once, one chat's end
 * leaves the others alone, an outage is told to every page, and a Chat Service without
 * GetEventsBatch is followed chat by chat. A batch gathers joining chats on CustomerChat's
 * ManualTime, which these tests move a few milliseconds a turn.
 */

const { start } = useCustomerChat({ restoreMocks: true });

/** alice takes up to 50 Sales chats at once; bob Support chats. */
const agents = [
  {
    AgentID: 'alice',
    Name: 'Alice Andersson',
    ChatName: 'Alice',
    PasswordHash: hashPassword('alice-pw', testPasswordHashing),
    ServiceGroupIDs: [1],
    MaxConcurrentChats: 50,
  },
  {
    AgentID: 'bob',
    Name: 'Bob Berg',
    PasswordHash: hashPassword('bob-pw', testPasswordHashing),
    ServiceGroupIDs: [2],
    MaxConcurrentChats: 50,
  },
];

async function startBatched(
  batchSize: number,
  front?: (url: string) => Promise<MethodHidingProxy>,
) {
  return start({
    // Every page here comes from one address.
    web: { upstreamEventBatchSize: batchSize, rateLimits: { requestChatPerMinute: 100 } },
    chatService: { Agents: agents },
    ...(front === undefined ? {} : { inFrontOfChatService: front }),
  });
}

/** Moves CustomerChat's clock a few milliseconds a turn until the state is reached. */
async function advanceUntil(
  h: CustomerChatHarness,
  condition: () => boolean,
  what: string,
  stepMs = 5,
): Promise<void> {
  for (let turn = 0; turn < 3000; turn += 1) {
    if (condition()) return;
    h.time.advance(stepMs);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`Timed out waiting until ${what}`);
}

interface Visitor {
  page: VisitorSocket;
  events: LoggedEvent[];
  statuses: boolean[];
  chatId: string;
}

const agentTexts = (events: LoggedEvent[]) =>
  events.flatMap((event) =>
    event.type === 'message' && event.from === 'agent' ? [event.text] : [],
  );

/** A page that has requested a chat of the group (1 Sales, 2 Support), not yet accepted. */
async function visitor(h: CustomerChatHarness, serviceGroupId = 1): Promise<Visitor> {
  const page = await h.visitor();
  const events = recordEvents(page);
  const statuses: boolean[] = [];
  page.on('service:status', (status: { available: boolean }) => statuses.push(status.available));
  const reply = await ask(page, 'chat:request', { serviceGroupId, customerName: 'Ann' });
  expect(reply).toMatchObject({ ok: true });
  const chatId = (await h.customerChat.relay.inspect(String(reply['token'])))?.chatId;
  if (chatId === undefined) throw new Error('the relay does not know the chat');
  return { page, events, statuses, chatId };
}

/** The agent accepts each chat as it is offered; returns once every page has seen it join. */
async function acceptAll(h: CustomerChatHarness, agent: AgentFeed, visitors: Visitor[]) {
  for (const { chatId } of visitors) {
    await agent.waitFor(
      (event) => event.EventType === 'ChatOffered' && event.Data.ChatID === chatId,
      `the offer of ${chatId}`,
    );
    expect((await agent.call('AcceptChat', { ChatID: chatId })).status).toBe(200);
  }
  await advanceUntil(
    h,
    () => visitors.every(({ events }) => events.some((event) => event.type === 'agentJoined')),
    'every page sees its agent join',
  );
}

async function handledChats(h: CustomerChatHarness, count: number, agentId: 'alice' | 'bob') {
  const agent = new AgentFeed(h, await h.chatService.login(agentId, { ready: true }));
  const visitors: Visitor[] = [];
  for (let index = 0; index < count; index += 1)
    visitors.push(await visitor(h, agentId === 'alice' ? 1 : 2));
  await acceptAll(h, agent, visitors);
  return { agent, visitors };
}

async function sendToEach(agent: AgentFeed, visitors: Visitor[], text: (index: number) => string) {
  for (const [index, { chatId }] of visitors.entries()) {
    const sent = await agent.call('SendMessage', { ChatID: chatId, Message: text(index) });
    expect(sent.status).toBe(200);
  }
}

describe('CustomerChat with batched upstream events', () => {
  it('when 40 chats share batches of 8, then every page gets its own agent messages exactly once, also while chats join', async () => {
    const h = await startBatched(8);
    const batchPolls = jest.spyOn(h.customerChat.client, 'getEventsBatch');
    const chatPolls = jest.spyOn(h.customerChat.client, 'getEvents');
    const { agent, visitors } = await handledChats(h, 40, 'alice');

    await sendToEach(agent, visitors, (index) => `first ${index}`);
    await advanceUntil(
      h,
      () => visitors.every(({ events }) => agentTexts(events).length === 1),
      'every page gets the first message',
    );
    // New chats join batches while the second round is on its way.
    const late = await handledChats(h, 4, 'bob');
    await sendToEach(agent, visitors, (index) => `second ${index}`);
    await sendToEach(late.agent, late.visitors, (index) => `late ${index}`);
    await advanceUntil(
      h,
      () =>
        visitors.every(({ events }) => agentTexts(events).length === 2) &&
        late.visitors.every(({ events }) => agentTexts(events).length === 1),
      'every page gets the second message',
    );
    // A few more turns: nothing comes twice.
    for (let turn = 0; turn < 20; turn += 1) {
      h.time.advance(5);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    for (const [index, { events }] of visitors.entries()) {
      expect(agentTexts(events)).toEqual([`first ${index}`, `second ${index}`]);
      expect(events.map((event) => event.seq)).toEqual(events.map((_event, seq) => seq + 1));
    }
    for (const [index, { events }] of late.visitors.entries())
      expect(agentTexts(events)).toEqual([`late ${index}`]);
    expect(chatPolls).not.toHaveBeenCalled();
    const sizes = batchPolls.mock.calls.map(([chats]) => chats.length);
    expect(Math.max(...sizes)).toBe(8);
  });

  it('when one chat of a batch ends, then its page is told and the others go on undisturbed', async () => {
    const h = await startBatched(8);
    const { agent, visitors } = await handledChats(h, 5, 'alice');
    const [ending, leaving, ...staying] = visitors as [Visitor, Visitor, ...Visitor[]];
    expect((await agent.call('LeaveChat', { ChatID: ending.chatId })).status).toBe(200);
    expect(await ask(leaving.page, 'chat:leave')).toEqual({ ok: true });
    await advanceUntil(
      h,
      () => [ending, leaving].every(({ events }) => events.some((event) => event.type === 'ended')),
      'both pages see their chat end',
    );
    await sendToEach(agent, staying, (index) => `still here ${index}`);
    await advanceUntil(
      h,
      () => staying.every(({ events }) => agentTexts(events).length === 1),
      'the other pages get their messages',
    );
    for (const [index, { events }] of staying.entries()) {
      expect(agentTexts(events)).toEqual([`still here ${index}`]);
      expect(events.some((event) => event.type === 'ended')).toBe(false);
    }
    expect(ending.events.filter((event) => event.type === 'ended')).toHaveLength(1);
  });

  it('when the Chat Service goes away and comes back, then every page of the batch is told both ways once and the messages of the outage arrive once', async () => {
    const h = await startBatched(8);
    const { agent, visitors } = await handledChats(h, 3, 'alice');
    await h.proxy.cut();
    await advanceUntil(
      h,
      () => visitors.every(({ statuses }) => statuses.includes(false)),
      'every page is told the service is away',
      1_000,
    );
    await sendToEach(agent, visitors, (index) => `during ${index}`);
    await h.proxy.restore();
    await advanceUntil(
      h,
      () => visitors.every(({ events }) => agentTexts(events).length === 1),
      'the messages of the outage arrive',
      250,
    );
    for (const [index, { statuses, events }] of visitors.entries()) {
      expect(statuses).toEqual([false, true]);
      expect(agentTexts(events)).toEqual([`during ${index}`]);
    }
  });

  it.each(['fault', 'page'] as const)(
    'when the Chat Service has no GetEventsBatch (404 with a %s), then every chat, before and after, is followed on its own and nothing is lost or doubled',
    async (answer) => {
      let front: MethodHidingProxy | undefined;
      const h = await startBatched(8, async (url) => {
        front = await hideMethod(url, 'GetEventsBatch', answer);
        return front;
      });
      const chatPolls = jest.spyOn(h.customerChat.client, 'getEvents');
      const { agent, visitors } = await handledChats(h, 3, 'alice');
      const refused = front?.refused ?? 0;
      expect(refused).toBeGreaterThanOrEqual(1);
      await sendToEach(agent, visitors, (index) => `one ${index}`);
      const later = await handledChats(h, 2, 'bob');
      await sendToEach(agent, visitors, (index) => `two ${index}`);
      await sendToEach(later.agent, later.visitors, (index) => `later ${index}`);
      await advanceUntil(
        h,
        () =>
          visitors.every(({ events }) => agentTexts(events).length === 2) &&
          later.visitors.every(({ events }) => agentTexts(events).length === 1),
        'every page gets its messages',
      );
      for (const [index, { events }] of visitors.entries())
        expect(agentTexts(events)).toEqual([`one ${index}`, `two ${index}`]);
      for (const [index, { events }] of later.visitors.entries())
        expect(agentTexts(events)).toEqual([`later ${index}`]);
      expect(front?.refused).toBe(refused);
      const followed = new Set(chatPolls.mock.calls.map(([chatId]) => chatId));
      expect(followed).toEqual(
        new Set([...visitors, ...later.visitors].map(({ chatId }) => chatId)),
      );
    },
  );
});
