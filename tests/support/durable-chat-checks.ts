import type { AgentEvent } from '../../server/protocol/agent-api';
import { ChatEventType, ChatState } from '../../server/protocol/enums';
import type { ChatServiceProcess } from './chat-service-process';
import {
  messagesToCustomer,
  transcriptMessages,
  type DurableChatScenario,
  type Snapshot,
} from './durable-chat-scenario';
import { ok } from './event-stream';

/**
 * The checks of tests/integration/chat-service-crash.test.ts, named after the chat or agent they
 * are about so that a failure says which one.
 */

/** The scenario as built, before any restart: what the later checks compare against. */
export function expectScenarioBuilt(scenario: DurableChatScenario, before: Snapshot): void {
  const { chat } = scenario;
  expect(['Q1', 'Q2', 'Q3'].map((label) => before.info[label])).toEqual([
    { State: ChatState.Queued, QueuePosition: 1 },
    { State: ChatState.Queued, QueuePosition: 2 },
    { State: ChatState.Queued, QueuePosition: 3 },
  ]);
  expect(before.states).toEqual({
    alice: {
      Ready: true,
      ActiveChatIDs: [chat('A').chatId, chat('B').chatId].sort(),
      OfferedChatIDs: [],
    },
    bob: { Ready: true, ActiveChatIDs: [chat('T').chatId], OfferedChatIDs: [] },
    carol: { Ready: false, ActiveChatIDs: [], OfferedChatIDs: [] },
  });
  for (const tracked of scenario.chats) {
    const details = before.details[tracked.label];
    expect({ chat: tracked.label, transcript: details && transcriptMessages(details) }).toEqual({
      chat: tracked.label,
      transcript: tracked.sent,
    });
  }
}

/**
 * After a restart: each customer's GetEvents continues from its AfterSeq (events read but not
 * acknowledged come again unchanged, nothing is missing or doubled), the agents' too; GetChatInfo,
 * GetChat (transcripts, requested and answered times, queue positions) and GetState answer as before;
 * attachments can still be fetched; no chat ended.
 */
export async function expectScenarioSurvived(
  service: ChatServiceProcess,
  scenario: DurableChatScenario,
  before: Snapshot,
): Promise<void> {
  for (const chat of scenario.chats) {
    await scenario.readCustomer(chat, false, 'after the restart');
    const all = chat.customer.all;
    expect({ chat: chat.label, messages: messagesToCustomer(all) }).toEqual({
      chat: chat.label,
      messages: chat.sent.filter((sent) => sent.from === 'Agent').map((sent) => sent.message),
    });
    const ended = all.filter(
      (event) =>
        event.EventType === ChatEventType.ChatState && event.Data.State === ChatState.Terminated,
    );
    expect({ chat: chat.label, ended }).toEqual({ chat: chat.label, ended: [] });
  }
  const after = await scenario.snapshot('after the restart');
  expect(after).toEqual(before);
  for (const chat of scenario.chats) {
    for (const line of after.details[chat.label]?.Transcript ?? []) {
      if (line.Attachment === null) continue;
      const fetched = ok(
        await service.agent<{ FileName: string; Data: string }>(
          scenario.tokens[chat.viewer],
          'GetAttachment',
          { ChatID: chat.chatId, AttachmentID: line.Attachment.AttachmentID },
        ),
        `GetAttachment ${line.Attachment.FileName} of ${chat.label} after the restart`,
      );
      expect(fetched).toEqual({
        FileName: line.Message,
        Data: scenario.attachments.get(line.Message)?.toString('base64'),
        // The scenario's files are text: none is an image.
        ImageType: null,
      });
    }
  }
  for (const id of ['alice', 'bob', 'carol'] as const) {
    await scenario.readAgent(id, false, 'after the restart');
    expect({ agent: id, doubled: doubledMessages(scenario.agentStreams[id].all) }).toEqual({
      agent: id,
      doubled: [],
    });
  }
}

/** After the checks: the restored service goes on working, and Support's queue keeps its order. */
export async function expectScenarioContinues(
  service: ChatServiceProcess,
  scenario: DurableChatScenario,
): Promise<void> {
  const a = scenario.chat('A');
  await scenario.say(a, 'Customer', 'A: still there after the restart?');
  const toAlice = await scenario.readAgent('alice', true, 'after a new message');
  expect(toAlice).toEqual([
    expect.objectContaining({
      EventType: 'MessageReceived',
      Data: expect.objectContaining({
        ChatID: a.chatId,
        Message: 'A: still there after the restart?',
      }),
    }),
  ]);
  await scenario.say(a, 'Agent', 'A: yes, still here');
  expect(messagesToCustomer(await scenario.readCustomer(a, true, 'after a new message'))).toEqual([
    'A: yes, still here',
  ]);
  ok(await service.agent(scenario.tokens.carol, 'SetReady', { Ready: true }), 'carol SetReady');
  const offers = (await scenario.readAgent('carol', true, 'after SetReady'))
    .filter((event) => event.EventType === 'ChatOffered')
    .map((event) => event.Data.ChatID);
  expect(offers[0]).toBe(scenario.chat('Q1').chatId);
  expect(offers).toEqual(
    ['Q1', 'Q2', 'Q3'].map((label) => scenario.chat(label).chatId).slice(0, offers.length),
  );
}

/** Customer messages an agent's GetEvents delivered more than once. */
function doubledMessages(events: readonly AgentEvent[]): string[] {
  const seen = new Set<string>();
  const doubled: string[] = [];
  for (const event of events) {
    if (event.EventType !== 'MessageReceived') continue;
    const key = `${event.Data.ChatID} ${event.Data.Message}`;
    if (seen.has(key)) doubled.push(key);
    seen.add(key);
  }
  return doubled;
}
