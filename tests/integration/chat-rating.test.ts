import { startChatService, type ChatServiceHarness } from '../support/chat-service-harness';
import type { AgentEvent, ChatDetails, GroupOverview } from '../../server/protocol/agent-api';
import type { RequestChatResponse } from '../../server/protocol/customer-api';

/**
 * The RateChat extension over real HTTP: a chat is rated once, after it ended and within its
 * post-chat window; the rating is kept with the archived chat, reaches its agent as ChatRated,
 * shows in GetChat and SearchArchive, and is averaged per group in GetOverview.
 */

let h: ChatServiceHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

type Fault = { Fault: { Code: string; Message: string } };

async function endedChat(service: ChatServiceHarness, token: string, groupId = 1) {
  const { body } = await service.customer<RequestChatResponse>('RequestChat', {
    ServiceGroupID: groupId,
    CustomerName: 'Cleo',
    CustomerID: 'cleo-1',
  });
  const chatId = body.ChatID ?? '';
  expect((await service.agent(token, 'AcceptChat', { ChatID: chatId })).status).toBe(200);
  expect((await service.customer('LeaveChat', { ChatID: chatId })).status).toBe(200);
  return chatId;
}

const overviewOf = async (service: ChatServiceHarness, token: string) =>
  (await service.agent<{ Groups: GroupOverview[] }>(token, 'GetOverview')).body.Groups.map(
    ({ ServiceGroupID, Ratings, AverageRating }) => ({ ServiceGroupID, Ratings, AverageRating }),
  );

test('When a customer rates an ended chat, then the archive keeps it, the agent hears of it, and GetChat, SearchArchive and GetOverview show it', async () => {
  h = await startChatService();
  const token = await h.login('alice', { ready: true });
  const chatId = await endedChat(h, token);
  expect(await overviewOf(h, token)).toEqual([
    { ServiceGroupID: 1, Ratings: 0, AverageRating: null },
    { ServiceGroupID: 2, Ratings: 0, AverageRating: null },
  ]);

  h.time.advance(60_000);
  const rated = await h.customer('RateChat', {
    ChatID: chatId,
    Rating: 4,
    Comment: '  Quick, <b>kind</b>  ',
  });
  expect(rated).toEqual({ status: 200, body: { RatedAt: new Date(h.time.now()).toISOString() } });
  const rating = { Rating: 4, Comment: 'Quick, <b>kind</b>', RatedAt: rated.body['RatedAt'] };
  expect(h.server.center.archive.get(chatId)?.Rating).toEqual(rating);

  const events = (await h.agent<{ Events: AgentEvent[] }>(token, 'GetEvents', { Timeout: 0 })).body
    .Events;
  expect(events.filter((event) => event.EventType === 'ChatRated')).toMatchObject([
    { Data: { ChatID: chatId, Rating: rating } },
  ]);
  const details = await h.agent<ChatDetails>(token, 'GetChat', { ChatID: chatId });
  expect(details.body.Rating).toEqual(rating);
  const found = await h.agent<{ Chats: ChatDetails[] }>(token, 'SearchArchive', {
    CustomerID: 'cleo-1',
  });
  expect(found.body.Chats.map((chat) => chat.Rating)).toEqual([rating]);

  await h.customer('RateChat', { ChatID: await endedChat(h, token), Rating: 1 });
  await h.customer('RateChat', { ChatID: await endedChat(h, token, 2), Rating: 5 });
  await endedChat(h, token);
  expect(await overviewOf(h, token)).toEqual([
    { ServiceGroupID: 1, Ratings: 2, AverageRating: 2.5 },
    { ServiceGroupID: 2, Ratings: 1, AverageRating: 5 },
  ]);
});

test('When a rating comes twice, out of range, for a live chat or an unknown one, then it is refused with a clear fault and the first rating stays', async () => {
  h = await startChatService();
  const token = await h.login('alice', { ready: true });
  const chatId = await endedChat(h, token);
  expect((await h.customer('RateChat', { ChatID: chatId, Rating: 5 })).status).toBe(200);

  const refusal = async (request: Record<string, unknown>) => {
    const { status, body } = await h!.customer<Fault>('RateChat', request);
    return { status, code: body.Fault.Code, message: body.Fault.Message };
  };
  expect(await refusal({ ChatID: chatId, Rating: 2 })).toEqual({
    status: 409,
    code: 'AlreadyRated',
    message: 'This chat has been rated already.',
  });
  for (const Rating of [0, 6, 3.5, '4', null])
    expect(await refusal({ ChatID: chatId, Rating })).toMatchObject({
      status: 400,
      code: 'BadRequest',
    });
  expect(await refusal({ ChatID: chatId, Rating: 3, Comment: 'x'.repeat(2001) })).toMatchObject({
    code: 'BadRequest',
  });
  expect(await refusal({ ChatID: 'no-such-chat', Rating: 3 })).toMatchObject({
    status: 404,
    code: 'UnknownChat',
  });
  const live = await h.customer<RequestChatResponse>('RequestChat', { ServiceGroupID: 1 });
  expect(await refusal({ ChatID: live.body.ChatID, Rating: 3 })).toEqual({
    status: 400,
    code: 'BadRequest',
    message: 'A chat is rated once it has ended.',
  });
  expect(h.server.center.archive.get(chatId)?.Rating?.Rating).toBe(5);
});

test('When the post-chat window has passed, then the rating is refused as too late; just before, it is taken', async () => {
  h = await startChatService();
  const token = await h.login('alice', { ready: true });
  const early = await endedChat(h, token);
  const late = await endedChat(h, token);
  h.time.advance(10 * 60_000 - 1);
  expect((await h.customer('RateChat', { ChatID: early, Rating: 3 })).status).toBe(200);
  h.time.advance(2);
  const { status, body } = await h.customer<Fault>('RateChat', { ChatID: late, Rating: 3 });
  expect({ status, code: body.Fault.Code }).toEqual({ status: 410, code: 'RatingWindowClosed' });
  expect(h.server.center.archive.get(late)?.Rating).toBeNull();
});
