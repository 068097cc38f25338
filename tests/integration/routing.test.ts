import type { AgentState } from '../../server/protocol/agent-api';
import { ChatEventType, ChatState } from '../../server/protocol/enums';
import { until, type ChatServiceHarness } from '../support/chat-service-harness';
import {
  agentEvents,
  customerEvents,
  expectFault,
  requestChat,
  useChatService,
} from '../support/agent-api-test-kit';

const { start, forget } = useChatService();

/** The ChatIDs of the ChatOffered events among an agent's pending events. */
async function offers(h: ChatServiceHarness, token: string): Promise<string[]> {
  return (await agentEvents(h, token)).flatMap((event) =>
    event.EventType === 'ChatOffered' ? [event.Data.ChatID] : [],
  );
}

async function state(h: ChatServiceHarness, token: string): Promise<AgentState> {
  const result = await h.agent<AgentState>(token, 'GetState');
  expect(result.status).toBe(200);
  return result.body;
}

/**
 * Alice, then bob a second later, both ready in Support, and one Support chat requested: alice,
 * idle longer, is offered it.
 */
async function supportChatWithTwoAgents(h: ChatServiceHarness) {
  const alice = await h.login('alice', { ready: true });
  h.time.advance(1_000);
  const bob = await h.login('bob', { ready: true });
  const chatId = await requestChat(h, { ServiceGroupID: 2 });
  return { alice, bob, chatId };
}

async function accept(h: ChatServiceHarness, token: string, chatId: string): Promise<void> {
  expect((await h.agent(token, 'AcceptChat', { ChatID: chatId })).status).toBe(200);
}

describe('Routing of waiting chats', () => {
  test('when two ready agents have no chats, then the longest idle one gets the offer', async () => {
    const h = await start();
    const bob = await h.login('bob', { ready: true });
    h.time.advance(1_000);
    const alice = await h.login('alice', { ready: true });
    const first = await requestChat(h, { ServiceGroupID: 2 });
    expect(await offers(h, bob)).toEqual([first]);
    expect(await offers(h, alice)).toEqual([]);
    const second = await requestChat(h, { ServiceGroupID: 2 });
    expect(await offers(h, alice)).toEqual([second]);
    expect(await offers(h, bob)).toEqual([]);
  });

  test('when the longest idle agent already has a chat, then the agent with fewer chats gets the offer', async () => {
    const h = await start();
    const { alice, bob, chatId: first } = await supportChatWithTwoAgents(h);
    await accept(h, alice, first);
    const second = await requestChat(h, { ServiceGroupID: 2 });
    expect(await offers(h, bob)).toEqual([second]);
    expect((await state(h, alice)).OfferedChatIDs).toEqual([]);
  });

  test('when an agent ends a chat, then its idle time starts again and the other agent is next', async () => {
    const h = await start();
    const { alice, bob, chatId: first } = await supportChatWithTwoAgents(h);
    await accept(h, alice, first);
    h.time.advance(1_000);
    await h.agent(alice, 'LeaveChat', { ChatID: first });
    await agentEvents(h, alice);
    const second = await requestChat(h, { ServiceGroupID: 2 });
    expect(await offers(h, bob)).toEqual([second]);
    expect(await offers(h, alice)).toEqual([]);
  });

  test('when an agent is not ready, then it gets no offers until it turns ready', async () => {
    const h = await start();
    const alice = await h.login('alice');
    const chatId = await requestChat(h, { ServiceGroupID: 1 });
    expect(await offers(h, alice)).toEqual([]);
    await h.agent(alice, 'SetReady', { Ready: true });
    expect(await offers(h, alice)).toEqual([chatId]);
  });

  test('when an agent holds MaxConcurrentChats chats and offers, then further chats wait for a free slot', async () => {
    const h = await start();
    const alice = await h.login('alice', { ready: true });
    const chats = [
      await requestChat(h, { ServiceGroupID: 1 }),
      await requestChat(h, { ServiceGroupID: 1 }),
      await requestChat(h, { ServiceGroupID: 1 }),
    ];
    expect(await offers(h, alice)).toEqual(chats.slice(0, 2));
    await accept(h, alice, chats[0] ?? '');
    await accept(h, alice, chats[1] ?? '');
    expect(await state(h, alice)).toEqual({
      Ready: true,
      ActiveChatIDs: chats.slice(0, 2),
      OfferedChatIDs: [],
    });
    expect(await offers(h, alice)).toEqual([]);
    expect((await h.customer('GetChatInfo', { ChatID: chats[2] })).body).toEqual({
      State: ChatState.Queued,
      QueuePosition: 1,
    });
    await h.agent(alice, 'LeaveChat', { ChatID: chats[0] });
    expect(await offers(h, alice)).toEqual([chats[2]]);
  });

  test('when the agent accepts an offer, then it joins and the customer gets AgentJoined and Handling', async () => {
    const h = await start();
    const alice = await h.login('alice', { ready: true });
    const chatId = await requestChat(h, { ServiceGroupID: 1 });
    await customerEvents(h, chatId);
    await agentEvents(h, alice);
    await accept(h, alice, chatId);
    expect(await customerEvents(h, chatId)).toEqual([
      expect.objectContaining({
        EventType: ChatEventType.AgentJoined,
        Data: { ChatID: chatId, Name: 'Alice' },
      }),
      expect.objectContaining({
        EventType: ChatEventType.ChatState,
        Data: expect.objectContaining({ ChatID: chatId, State: ChatState.Handling }),
      }),
    ]);
    expect(await agentEvents(h, alice)).toEqual([
      expect.objectContaining({ EventType: 'ChatAssigned', Data: { ChatID: chatId } }),
    ]);
    expect(await state(h, alice)).toEqual({
      Ready: true,
      ActiveChatIDs: [chatId],
      OfferedChatIDs: [],
    });
  });

  test('when an agent accepts a chat offered to another agent, then it gets NotOffered', async () => {
    const h = await start();
    const { alice, bob, chatId } = await supportChatWithTwoAgents(h);
    expect(await offers(h, alice)).toEqual([chatId]);
    expectFault(await h.agent(bob, 'AcceptChat', { ChatID: chatId }), 409, 'NotOffered');
    await accept(h, alice, chatId);
  });

  test('when an offer is not accepted within OfferTimeoutSeconds, then it is withdrawn and offered to the next agent', async () => {
    const h = await start();
    const { alice, bob, chatId } = await supportChatWithTwoAgents(h);
    expect(await offers(h, alice)).toEqual([chatId]);
    h.time.advance(29_999);
    expect((await state(h, alice)).OfferedChatIDs).toEqual([chatId]);
    h.time.advance(1);
    expect(await agentEvents(h, alice)).toEqual([
      expect.objectContaining({
        EventType: 'ChatOfferWithdrawn',
        Data: { ChatID: chatId, Reason: 'Timeout' },
      }),
    ]);
    expect(await offers(h, bob)).toEqual([chatId]);
    expectFault(await h.agent(alice, 'AcceptChat', { ChatID: chatId }), 409, 'NotOffered');
    await accept(h, bob, chatId);
  });

  test('when the only agent lets an offer lapse, then the chat is offered to it again', async () => {
    const h = await start();
    const alice = await h.login('alice', { ready: true });
    const chatId = await requestChat(h, { ServiceGroupID: 1 });
    h.time.advance(20_000);
    const events = await agentEvents(h, alice);
    expect(events.map((event) => [event.EventType, event.Data.ChatID])).toEqual([
      ['ChatOffered', chatId],
      ['ChatOfferWithdrawn', chatId],
      ['ChatOffered', chatId],
    ]);
    await accept(h, alice, chatId);
  });

  test('when an agent turns not ready, then its pending offers are withdrawn and go to another agent', async () => {
    const h = await start();
    const { alice, bob, chatId } = await supportChatWithTwoAgents(h);
    expect(await offers(h, alice)).toEqual([chatId]);
    await h.agent(alice, 'SetReady', { Ready: false });
    expect(await agentEvents(h, alice)).toEqual([
      expect.objectContaining({
        EventType: 'ChatOfferWithdrawn',
        Data: expect.objectContaining({ ChatID: chatId }),
      }),
    ]);
    expect((await state(h, alice)).OfferedChatIDs).toEqual([]);
    expect(await offers(h, bob)).toEqual([chatId]);
  });
});

describe('Logging out with active chats', () => {
  test('when an agent logs out holding a chat, then the chat goes back to the queue and to another agent', async () => {
    const h = await start();
    const { alice, bob, chatId } = await supportChatWithTwoAgents(h);
    await accept(h, alice, chatId);
    await customerEvents(h, chatId);
    expect((await h.agent(alice, 'Logout')).status).toBe(200);
    const events = await customerEvents(h, chatId);
    expect(events.slice(0, 2)).toEqual([
      expect.objectContaining({
        EventType: ChatEventType.AgentLeft,
        Data: { ChatID: chatId, Name: 'Alice', Reason: 'HandedOn' },
      }),
      expect.objectContaining({
        EventType: ChatEventType.ChatState,
        Data: expect.objectContaining({ State: ChatState.Queued, QueuePosition: 1 }),
      }),
    ]);
    const bobEvents = await agentEvents(h, bob);
    expect(bobEvents).toEqual([
      expect.objectContaining({
        EventType: 'ChatOffered',
        Data: expect.objectContaining({ ChatID: chatId, Transferred: true }),
      }),
    ]);
    await accept(h, bob, chatId);
    expect(await customerEvents(h, chatId)).toContainEqual(
      expect.objectContaining({
        EventType: ChatEventType.AgentJoined,
        Data: { ChatID: chatId, Name: 'Bob Berg' },
      }),
    );
  });
});

describe('Stopping the service', () => {
  test('when the service stops with queued chats, pending offers, held polls and agents logged in, then no timer is left', async () => {
    const h = await start();
    const alice = await h.login('alice', { ready: true });
    const bob = await h.login('bob');
    const chats = [
      await requestChat(h, { ServiceGroupID: 1 }),
      await requestChat(h, { ServiceGroupID: 1 }),
      await requestChat(h, { ServiceGroupID: 1 }),
      await requestChat(h, { ServiceGroupID: 2 }),
    ];
    await accept(h, alice, chats[0] ?? '');
    await h.agent(alice, 'LeaveChat', { ChatID: chats[0] });
    expect((await state(h, alice)).OfferedChatIDs).toHaveLength(2);
    await customerEvents(h, chats[3] ?? '');
    const polls = Promise.allSettled([
      h.agent(bob, 'GetEvents', { Timeout: 30_000 }),
      h.customer('GetEvents', { ChatID: chats[3], Timeout: 30_000 }),
    ]);
    const bobRuntime = h.server.center.agents.get('bob');
    const waiting = h.server.center.chats.get(chats[3] ?? '');
    await until(
      () => bobRuntime?.events.readers === 1 && waiting?.customerEvents.readers === 1,
      'both polls are held',
    );
    expect(h.time.pendingCount).toBeGreaterThan(0);
    forget();
    await h.stop();
    expect(h.time.pendingCount).toBe(0);
    await polls;
  });
});
