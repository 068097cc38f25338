import type { AgentEvent, AgentState, LoginResponse } from '../../server/protocol/agent-api';
import type { RequestChatResponse } from '../../server/protocol/customer-api';
import { ChatEventType, ChatState, TerminationCause } from '../../server/protocol/enums';
import { until, type ChatServiceHarness } from '../support/chat-service-harness';
import {
  agentEvents,
  customerEvents,
  expectFault,
  requestChat,
  useChatService,
} from '../support/agent-api-test-kit';

const { start } = useChatService();

function agentRuntime(h: ChatServiceHarness, agentId: string) {
  const agent = h.server.center.agents.get(agentId);
  if (agent === undefined) throw new Error(`no agent ${agentId}`);
  return agent;
}

/** A Sales chat offered to and accepted by alice, with both event streams drained. */
async function aliceHandlingSalesChat(h: ChatServiceHarness) {
  const alice = await h.login('alice', { ready: true });
  const chatId = await requestChat(h, { ServiceGroupID: 1, CustomerName: 'Ann' });
  expect((await h.agent(alice, 'AcceptChat', { ChatID: chatId })).status).toBe(200);
  await customerEvents(h, chatId);
  await agentEvents(h, alice);
  return { alice, chatId };
}

const login = (h: ChatServiceHarness, AgentID: string, Password: string) =>
  h.agent<LoginResponse>(null, 'Login', { AgentID, Password });

describe('Agent log-in and tokens', () => {
  test('when an agent logs in with the right password, then it gets a token and its profile', async () => {
    const h = await start();
    const result = await login(h, 'alice', 'alice-pw');
    expect(result.status).toBe(200);
    expect(result.body.Token).toMatch(/^\S{32,}$/);
    expect(result.body.ExpiresAfterSeconds).toBe(300);
    expect(result.body.Agent).toEqual({
      AgentID: 'alice',
      Name: 'Alice Andersson',
      ChatName: 'Alice',
      FirstName: 'Alice',
      LastName: 'Andersson',
      ServiceGroupIDs: [1, 2],
    });
    expect(JSON.stringify(result.body)).not.toContain('scrypt');
    const state = await h.agent<AgentState>(result.body.Token, 'GetState');
    expect(state).toEqual({
      status: 200,
      body: { Ready: false, ActiveChatIDs: [], OfferedChatIDs: [] },
    });
    const bob = await login(h, 'bob', 'bob-pw');
    expect(bob.body.Agent.ChatName).toBe('Bob Berg');
  });

  test('when the password is wrong or the agent unknown, then both get the same 401 Unauthorized fault', async () => {
    const h = await start();
    const wrongPassword = await login(h, 'alice', 'bob-pw');
    const unknownAgent = await login(h, 'mallory', 'alice-pw');
    expectFault(wrongPassword, 401, 'Unauthorized');
    expectFault(unknownAgent, 401, 'Unauthorized');
    expect(unknownAgent.body).toEqual(wrongPassword.body);
    expect(agentRuntime(h, 'alice').loggedIn).toBe(false);
  });

  test('when an agent logs out, then its token stops working', async () => {
    const h = await start();
    const token = await h.login('alice');
    expect((await h.agent(token, 'Logout')).status).toBe(200);
    expectFault(await h.agent(token, 'GetState'), 401, 'Unauthorized');
    expect(agentRuntime(h, 'alice').loggedIn).toBe(false);
  });

  test('when an agent logs in a second time, then the first token stops working and its held poll returns', async () => {
    const h = await start();
    const first = await h.login('alice');
    const heldPoll = h.agent<{ Events: AgentEvent[] }>(first, 'GetEvents', { Timeout: 30_000 });
    await until(() => agentRuntime(h, 'alice').events.readers === 1, 'the first poll is held');
    const second = await h.login('alice');
    expect(await heldPoll).toEqual({ status: 200, body: { Events: [] } });
    expectFault(await h.agent(first, 'GetState'), 401, 'Unauthorized');
    expect((await h.agent(second, 'GetState')).status).toBe(200);
  });

  test('when the token is missing or garbage, then the call gets 401 with a Fault body', async () => {
    const h = await start();
    await h.login('alice');
    expectFault(await h.agent(null, 'GetState'), 401, 'Unauthorized');
    expectFault(await h.agent('not-a-token', 'GetState'), 401, 'Unauthorized');
    expectFault(await h.agent('', 'SetReady', { Ready: true }), 401, 'Unauthorized');
  });

  test('when a token goes unused past AgentSessionTimeoutSeconds, then it expires, the agent is logged out and its group closes', async () => {
    const h = await start();
    const token = await h.login('alice');
    const chatId = await requestChat(h, { ServiceGroupID: 1 });
    h.time.advance(299_000);
    expect(agentRuntime(h, 'alice').loggedIn).toBe(true);
    h.time.advance(2_000);
    expect(agentRuntime(h, 'alice').loggedIn).toBe(false);
    expectFault(await h.agent(token, 'GetState'), 401, 'Unauthorized');
    const events = await customerEvents(h, chatId);
    expect(events.at(-1)).toMatchObject({
      EventType: ChatEventType.ChatState,
      Data: { State: ChatState.Terminated, TerminationCause: TerminationCause.GroupClosed },
    });
    const queue = await h.customer('GetQueueInfo', { ServiceGroupID: 1 });
    expect(queue.body).toMatchObject({ Open: false });
    const refused = await h.customer<RequestChatResponse>('RequestChat', { ServiceGroupID: 1 });
    expect(refused.body).toMatchObject({ ChatID: null, Message: 'Sales is closed' });
  });

  test('when an agent keeps calling, then its token stays valid past the timeout', async () => {
    const h = await start();
    const token = await h.login('alice');
    for (let step = 0; step < 4; step += 1) {
      h.time.advance(200_000);
      expect((await h.agent(token, 'GetState')).status).toBe(200);
    }
    expect(agentRuntime(h, 'alice').loggedIn).toBe(true);
  });

  test('when wrong passwords for one agent come from one address, then that address waits longer after each while other agents get in', async () => {
    const h = await start();
    for (let attempt = 0; attempt < 3; attempt += 1)
      expectFault(await login(h, 'alice', 'wrong'), 401, 'Unauthorized');
    expectFault(await login(h, 'alice', 'alice-pw'), 429, 'RateLimited');
    expect((await login(h, 'bob', 'bob-pw')).status).toBe(200);
    h.time.advance(1000);
    expectFault(await login(h, 'alice', 'wrong'), 401, 'Unauthorized');
    h.time.advance(1000);
    expectFault(await login(h, 'alice', 'alice-pw'), 429, 'RateLimited');
    h.time.advance(1000);
    expect((await login(h, 'alice', 'alice-pw')).status).toBe(200);
  });
});

describe('Agent ready state and events', () => {
  test('when an agent sets ready and not ready, then GetState follows', async () => {
    const h = await start();
    const token = await h.login('alice');
    expect((await h.agent(token, 'SetReady', { Ready: true })).status).toBe(200);
    expect((await h.agent<AgentState>(token, 'GetState')).body.Ready).toBe(true);
    await h.agent(token, 'SetReady', { Ready: false });
    expect((await h.agent<AgentState>(token, 'GetState')).body.Ready).toBe(false);
    expectFault(await h.agent(token, 'SetReady', { Ready: 'yes' }), 400, 'BadRequest');
  });

  test('when a chat is offered while GetEvents is held, then the poll returns ChatOffered', async () => {
    const h = await start();
    const token = await h.login('alice', { ready: true });
    let settled = false;
    const poll = h.agent<{ Events: AgentEvent[] }>(token, 'GetEvents', { Timeout: 30_000 });
    void poll.then(() => (settled = true));
    await until(() => agentRuntime(h, 'alice').events.readers === 1, 'the poll is held');
    expect(settled).toBe(false);
    const chatId = await requestChat(h, { ServiceGroupID: 1, CustomerName: 'Ann' });
    const result = await poll;
    expect(result.status).toBe(200);
    expect(result.body.Events).toEqual([
      {
        EventType: 'ChatOffered',
        Seq: 1,
        Data: expect.objectContaining({
          ChatID: chatId,
          ServiceGroupID: 1,
          ServiceGroupName: 'Sales',
          CustomerName: 'Ann',
          Transferred: false,
          ExpiresAt: new Date(h.time.now() + 20_000).toISOString(),
        }),
      },
    ]);
  });

  test('when nothing happens, then a held GetEvents answers empty at its timeout', async () => {
    const h = await start();
    const token = await h.login('alice', { ready: true });
    const poll = h.agent<{ Events: AgentEvent[] }>(token, 'GetEvents', { Timeout: 5_000 });
    await until(() => agentRuntime(h, 'alice').events.readers === 1, 'the poll is held');
    h.time.advance(5_000);
    expect(await poll).toEqual({ status: 200, body: { Events: [] } });
  });

  test('when GetEvents carries AfterSeq, then later events are re-sent until acknowledged', async () => {
    const h = await start();
    const token = await h.login('alice', { ready: true });
    await requestChat(h, { ServiceGroupID: 1 });
    await requestChat(h, { ServiceGroupID: 1 });
    const seqs = async (afterSeq: number) =>
      (
        await h.agent<{ Events: AgentEvent[] }>(token, 'GetEvents', {
          Timeout: 0,
          AfterSeq: afterSeq,
        })
      ).body.Events.map((event) => event.Seq);
    expect(await seqs(0)).toEqual([1, 2]);
    expect(await seqs(0)).toEqual([1, 2]);
    expect(await seqs(1)).toEqual([2]);
    expect(await seqs(2)).toEqual([]);
    expect(await agentEvents(h, token)).toEqual([]);
  });
});

describe('Agent messages, typing and leaving', () => {
  test("when the agent sends a message, then the customer gets MessageReceived with the agent's ChatName", async () => {
    const h = await start();
    const { alice, chatId } = await aliceHandlingSalesChat(h);
    const sent = await h.agent(alice, 'SendMessage', {
      ChatID: chatId,
      Message: 'How can I help?',
    });
    expect(sent.status).toBe(200);
    expect(await customerEvents(h, chatId)).toEqual([
      expect.objectContaining({
        EventType: ChatEventType.MessageReceived,
        Data: expect.objectContaining({
          ChatID: chatId,
          Name: 'Alice',
          Message: 'How can I help?',
          System: false,
          Attachment: null,
        }),
      }),
    ]);
  });

  test('when the customer writes and types, then the agent gets MessageReceived and CustomerTyping', async () => {
    const h = await start();
    const { alice, chatId } = await aliceHandlingSalesChat(h);
    await h.customer('SendTyping', { ChatID: chatId });
    await h.customer('SendMessage', { ChatID: chatId, Message: 'My order is late' });
    const events = await agentEvents(h, alice);
    expect(events.map((event) => event.EventType)).toEqual(['CustomerTyping', 'MessageReceived']);
    expect(events[1]?.Data).toMatchObject({
      ChatID: chatId,
      From: 'Customer',
      Name: 'Ann',
      Message: 'My order is late',
    });
  });

  test('when the agent sends attachments, then the size and type limits apply to it too', async () => {
    const h = await start({ MaxAttachmentSize: 1 });
    const { alice, chatId } = await aliceHandlingSalesChat(h);
    const send = (Message: string, content: Buffer) =>
      h.agent(alice, 'SendMessage', {
        ChatID: chatId,
        Message,
        Attachment: content.toString('base64'),
      });
    expectFault(await send('big.txt', Buffer.alloc(2048, 'a')), 413, 'AttachmentTooLarge');
    expectFault(await send('tool.exe', Buffer.from('MZ')), 415, 'AttachmentTypeNotAllowed');
    expectFault(
      await send('photo.png', Buffer.from('not a png')),
      415,
      'AttachmentContentMismatch',
    );
    expect(await customerEvents(h, chatId)).toEqual([]);
    expect((await send('notes.txt', Buffer.from('the notes'))).status).toBe(200);
    expect(await customerEvents(h, chatId)).toEqual([
      expect.objectContaining({
        EventType: ChatEventType.MessageReceived,
        Data: expect.objectContaining({
          Name: 'Alice',
          Message: 'notes.txt',
          Attachment: Buffer.from('the notes').toString('base64'),
        }),
      }),
    ]);
  });

  test('when the agent types, then the customer gets AgentTyping', async () => {
    const h = await start();
    const { alice, chatId } = await aliceHandlingSalesChat(h);
    expect((await h.agent(alice, 'SendTyping', { ChatID: chatId })).status).toBe(200);
    expect(await customerEvents(h, chatId)).toEqual([
      expect.objectContaining({
        EventType: ChatEventType.AgentTyping,
        Data: { ChatID: chatId, Name: 'Alice' },
      }),
    ]);
  });

  test('when the agent leaves the chat, then the customer gets AgentLeft then Terminated and the chat is archived', async () => {
    const h = await start();
    const { alice, chatId } = await aliceHandlingSalesChat(h);
    expect((await h.agent(alice, 'LeaveChat', { ChatID: chatId })).status).toBe(200);
    const events = await customerEvents(h, chatId);
    expect(events).toEqual([
      expect.objectContaining({
        EventType: ChatEventType.AgentLeft,
        Data: { ChatID: chatId, Name: 'Alice' },
      }),
      expect.objectContaining({
        EventType: ChatEventType.ChatState,
        Data: expect.objectContaining({ State: ChatState.Terminated }),
      }),
    ]);
    expect(h.server.center.archive.get(chatId)).toMatchObject({
      ChatID: chatId,
      EndedBy: 'Agent',
      State: ChatState.Terminated,
    });
    expect((await h.agent<AgentState>(alice, 'GetState')).body.ActiveChatIDs).toEqual([]);
    const late = await h.agent(alice, 'SendMessage', { ChatID: chatId, Message: 'Still there?' });
    expectFault(late, 409, 'ChatTerminated');
  });
});

describe('What the customer is told of an agent going and of the end', () => {
  test("when the agent ends the chat, then the customer's Terminated says EndedBy Agent", async () => {
    const h = await start();
    const { alice, chatId } = await aliceHandlingSalesChat(h);
    await h.agent(alice, 'LeaveChat', { ChatID: chatId });
    const events = await customerEvents(h, chatId);
    expect(events.at(-1)?.Data).toMatchObject({ State: ChatState.Terminated, EndedBy: 'Agent' });
    expect(events[0]?.Data).toEqual({ ChatID: chatId, Name: 'Alice' });
  });

  test('when the agent logs out with the chat, then the customer gets AgentLeft with Reason HandedOn; when no agent is left, Terminated says GroupClosed', async () => {
    const h = await start();
    const { alice, chatId } = await aliceHandlingSalesChat(h);
    expect((await h.agent(alice, 'Logout')).status).toBe(200);
    const events = await customerEvents(h, chatId);
    expect(events[0]).toMatchObject({
      EventType: ChatEventType.AgentLeft,
      Data: { ChatID: chatId, Name: 'Alice', Reason: 'HandedOn' },
    });
    // alice was Sales' only agent: the group closes, and the chat with it.
    expect(events.at(-1)?.Data).toMatchObject({
      State: ChatState.Terminated,
      TerminationCause: TerminationCause.GroupClosed,
      EndedBy: 'GroupClosed',
    });
  });

  test('when the customer leaves for the relay with a Reason, then Terminated carries what it became', async () => {
    const h = await start();
    // Someone logged in keeps Sales open.
    await h.login('alice');
    for (const [Reason, EndedBy] of [
      ['Closed', 'Customer'],
      ['Idle', 'CustomerIdle'],
      ['Gone', 'CustomerGone'],
      ['Service', 'Service'],
    ]) {
      const chatId = await requestChat(h, { ServiceGroupID: 1, CustomerName: 'Ann' });
      expect((await h.customer('LeaveChat', { ChatID: chatId, Reason })).status).toBe(200);
      expect((await customerEvents(h, chatId)).at(-1)?.Data).toMatchObject({ EndedBy });
    }
  });
});

describe("Another group's chats", () => {
  test('when bob (Support) acts on a Sales chat, then GetChat, SendMessage, SendTyping and LeaveChat are Forbidden', async () => {
    const h = await start();
    const { chatId } = await aliceHandlingSalesChat(h);
    const bob = await h.login('bob', { ready: true });
    expectFault(await h.agent(bob, 'GetChat', { ChatID: chatId }), 403, 'Forbidden');
    const message = { ChatID: chatId, Message: 'Hi from Support' };
    expectFault(await h.agent(bob, 'SendMessage', message), 403, 'Forbidden');
    expectFault(await h.agent(bob, 'SendTyping', { ChatID: chatId }), 403, 'Forbidden');
    expectFault(await h.agent(bob, 'LeaveChat', { ChatID: chatId }), 403, 'Forbidden');
    expect(await customerEvents(h, chatId)).toEqual([]);
  });

  test('when bob (Support) accepts a Sales chat offered to alice, then it is Forbidden', async () => {
    const h = await start();
    await h.login('alice', { ready: true });
    const bob = await h.login('bob', { ready: true });
    const chatId = await requestChat(h, { ServiceGroupID: 1 });
    expectFault(await h.agent(bob, 'AcceptChat', { ChatID: chatId }), 403, 'Forbidden');
    expect(h.server.center.chat(chatId).agentId).toBeNull();
  });

  test('when an agent asks for the responses of a group, then only its own groups answer', async () => {
    const h = await start();
    const alice = await h.login('alice');
    const bob = await h.login('bob');
    expect(await h.agent(alice, 'GetResponses', { ServiceGroupID: 1 })).toEqual({
      status: 200,
      body: {
        Responses: [{ Name: 'Greetings', Children: [{ Name: 'Hello', Text: 'Hello there!' }] }],
      },
    });
    expect((await h.agent(bob, 'GetResponses', { ServiceGroupID: 2 })).body).toEqual({
      Responses: [],
    });
    expectFault(await h.agent(bob, 'GetResponses', { ServiceGroupID: 1 }), 403, 'Forbidden');
    expectFault(
      await h.agent(alice, 'GetResponses', { ServiceGroupID: 99 }),
      404,
      'UnknownServiceGroup',
    );
  });
});
