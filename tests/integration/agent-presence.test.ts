import type { GetQueueInfoResponse } from '../../server/protocol/customer-api';
import { ChatEventType, ChatState } from '../../server/protocol/enums';
import type { ChatServiceHarness } from '../support/chat-service-harness';
import {
  agentEvents,
  customerEvents,
  requestChat,
  useChatService,
} from '../support/agent-api-test-kit';

const { start } = useChatService();
const presence = { AgentPresenceTimeoutSeconds: 30, AgentAbsenceRequeueSeconds: 120 };

async function queueInfo(h: ChatServiceHarness, groupId: number): Promise<GetQueueInfoResponse> {
  const result = await h.customer<GetQueueInfoResponse>('GetQueueInfo', {
    ServiceGroupID: groupId,
  });
  expect(result.status).toBe(200);
  return result.body;
}

/** Moves the clock in steps of a few seconds, with the console polling at each step. */
async function keepPolling(h: ChatServiceHarness, token: string, seconds: number): Promise<void> {
  for (let elapsed = 0; elapsed < seconds; elapsed += 5) {
    await agentEvents(h, token);
    h.time.advance(5_000);
  }
}

describe('Agent presence', () => {
  test('when a console stops polling, then after AgentPresenceTimeoutSeconds the agent gets no offers and the group reads closed', async () => {
    const h = await start(presence);
    await h.login('bob', { ready: true });
    expect((await queueInfo(h, 2)).Open).toBe(true);
    h.time.advance(36_000);
    expect(await queueInfo(h, 2)).toEqual({
      Open: false,
      EstimatedWaitTime: -1,
      ServiceGroupID: 2,
      ClosedMessage: 'Support is closed',
    });
    const closed = await h.customer('RequestChat', { ServiceGroupID: 2 });
    expect(closed.body).toMatchObject({ ChatID: null });
  });

  test('when a console keeps polling, then the agent stays present and is offered chats', async () => {
    const h = await start(presence);
    const bob = await h.login('bob', { ready: true });
    await keepPolling(h, bob, 60);
    expect((await queueInfo(h, 2)).Open).toBe(true);
    const chatId = await requestChat(h, { ServiceGroupID: 2 });
    const offered = (await agentEvents(h, bob)).filter(
      (event) => event.EventType === 'ChatOffered',
    );
    expect(offered).toEqual([
      expect.objectContaining({ Data: expect.objectContaining({ ChatID: chatId }) }),
    ]);
  });

  test('when an agent away from its console is offered a chat, then the offer goes to a present agent', async () => {
    const h = await start(presence);
    const alice = await h.login('alice', { ready: true });
    h.time.advance(1_000);
    const bob = await h.login('bob', { ready: true });
    // Alice's console goes quiet; bob's polls on.
    await keepPolling(h, bob, 40);
    const chatId = await requestChat(h, { ServiceGroupID: 2 });
    const offersTo = async (token: string) =>
      (await agentEvents(h, token)).filter((event) => event.EventType === 'ChatOffered').length;
    expect(await offersTo(bob)).toBe(1);
    expect(await offersTo(alice)).toBe(0);
    expect(chatId).toEqual(expect.any(String));
  });

  test('when an agent holding a chat stays away past AgentAbsenceRequeueSeconds, then the chat goes back to the head of the queue', async () => {
    const h = await start(presence);
    const bob = await h.login('bob', { ready: true });
    const held = await requestChat(h, { ServiceGroupID: 2 });
    expect((await h.agent(bob, 'AcceptChat', { ChatID: held })).status).toBe(200);
    await customerEvents(h, held);
    const alice = await h.login('alice', { ready: false });
    // A chat requested later waits; alice is present but not ready, so the group stays open.
    const later = await requestChat(h, { ServiceGroupID: 2 });
    await keepPolling(h, alice, 60);
    expect((await h.customer('GetChatInfo', { ChatID: held })).body).toMatchObject({
      State: ChatState.Handling,
    });
    await keepPolling(h, alice, 70);
    expect((await h.customer('GetChatInfo', { ChatID: held })).body).toEqual({
      State: ChatState.Queued,
      QueuePosition: 1,
    });
    expect((await h.customer('GetChatInfo', { ChatID: later })).body).toMatchObject({
      QueuePosition: 2,
    });
    const told = await customerEvents(h, held);
    expect(told.map((event) => event.EventType)).toContain(ChatEventType.AgentLeft);
    expect(await agentEvents(h, bob)).toEqual(
      expect.arrayContaining([expect.objectContaining({ EventType: 'ChatUnassigned' })]),
    );
  });

  test('when a console comes back before AgentAbsenceRequeueSeconds, then its chats carry on with it', async () => {
    const h = await start(presence);
    const bob = await h.login('bob', { ready: true });
    const held = await requestChat(h, { ServiceGroupID: 2 });
    expect((await h.agent(bob, 'AcceptChat', { ChatID: held })).status).toBe(200);
    h.time.advance(90_000);
    await keepPolling(h, bob, 60);
    expect((await h.customer('GetChatInfo', { ChatID: held })).body).toMatchObject({
      State: ChatState.Handling,
    });
    expect(
      (await h.agent(bob, 'SendMessage', { ChatID: held, Message: 'still here' })).status,
    ).toBe(200);
  });
});
