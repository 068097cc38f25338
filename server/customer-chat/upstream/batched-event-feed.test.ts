import { ServiceFault } from '../../protocol/faults';
import { silentLogger, type Logger } from '../../shared/logger';
import { ManualTime } from '../../shared/manual-time';
import { BatchedEventFeed, type BatchedEventFeedOptions } from './batched-event-feed';
import { UpstreamUnavailableError } from './chat-service-client';
import type { ChatEventListener } from './event-feed';
import { agentMessage, chatEnded, FakeEventSource } from './fake-event-source';
import type { DecodedChatEvent } from './wire-decoding';

/**
 * The batched event feed against a fake Chat Service whose every long-poll the test answers, on a
 * ManualTime: batching, the guarantees per chat, faults, outages, reissues and the fall-back to
 * one GetEvents per chat.
 */

const coalesceMs = 5;
const holdMs = 25_000;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What one chat's listener heard: message texts (with Seq), and its notices in order. */
interface ChatLog {
  texts: string[];
  notices: string[];
}

function textOf(event: DecodedChatEvent): string {
  return event.EventType === 0 ? `${event.Data.Message}#${event.Seq}` : `state#${event.Seq}`;
}

function setUp(options: Partial<BatchedEventFeedOptions> = {}) {
  const time = new ManualTime();
  const source = new FakeEventSource();
  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (_data, message) => warnings.push(message) };
  const feed = new BatchedEventFeed({
    source,
    batchSize: 3,
    timers: time,
    logger,
    holdMs,
    retryBaseDelayMs: 100,
    maxRetryDelayMs: 1_000,
    coalesceMs,
    ...options,
  });
  cleanups.push(() => feed.close());
  const settle = async () => {
    for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
  };
  const follow = (chatId: string, afterSeq = 0, listener: Partial<ChatEventListener> = {}) => {
    const log: ChatLog = { texts: [], notices: [] };
    const followed = feed.follow(chatId, afterSeq, {
      onEvents: (events) => log.texts.push(...events.map(textOf)),
      onEnded: () => log.notices.push('ended'),
      onAvailability: (available) => log.notices.push(available ? 'available' : 'unavailable'),
      ...listener,
    });
    return { log, followed };
  };
  /** Moves the clock (the coalescing window by default) and lets the feed react. */
  const tick = async (ms = coalesceMs) => {
    time.advance(ms);
    await settle();
  };
  return { time, source, feed, follow, tick, settle, warnings };
}

const listed = (chats: { ChatID: string; AfterSeq: number }[]) =>
  chats.map((chat) => `${chat.ChatID}@${chat.AfterSeq}`);

describe('BatchedEventFeed', () => {
  it('when chats are followed, then after the coalescing window one held poll per batch of up to batchSize lists them with their AfterSeq', async () => {
    const { source, follow, tick, settle } = setUp();
    for (const [index, chatId] of ['a', 'b', 'c', 'd', 'e'].entries()) follow(chatId, index);
    await settle();
    expect(source.batchCalls).toEqual([]);
    await tick();
    expect(source.openBatchCalls().map((call) => listed(call.request))).toEqual([
      ['a@0', 'b@1', 'c@2'],
      ['d@3', 'e@4'],
    ]);
    expect(source.batchCalls.map((call) => call.timeoutMs)).toEqual([holdMs, holdMs]);
  });

  it('when a poll answers, then each chat gets its own events once and in order, and the next poll acknowledges each chat’s last Seq', async () => {
    const { source, follow, tick, settle } = setUp();
    const a = follow('a');
    const b = follow('b', 4);
    await tick();
    source.openBatchCall().answer({
      Chats: [
        { ChatID: 'a', Events: [agentMessage('a', 1, 'one'), agentMessage('a', 2, 'two')] },
        { ChatID: 'b', Events: [agentMessage('b', 4, 'seen'), agentMessage('b', 5, 'five')] },
      ],
    });
    await settle();
    expect(listed(source.openBatchCall().request)).toEqual(['a@2', 'b@5']);
    // The answer to that poll is lost on the way in part: the same events come again.
    source.openBatchCall().answer({
      Chats: [{ ChatID: 'a', Events: [agentMessage('a', 2, 'two'), agentMessage('a', 3, 'x')] }],
    });
    await settle();
    expect(a.log).toEqual({ texts: ['one#1', 'two#2', 'x#3'], notices: [] });
    expect(b.log).toEqual({ texts: ['five#5'], notices: [] });
    expect([a.followed.afterSeq, b.followed.afterSeq]).toEqual([3, 5]);
  });

  it('when chats join a batch whose poll is held, then the poll is reissued once per coalescing window with them all', async () => {
    const { source, follow, tick, settle } = setUp({ batchSize: 10 });
    follow('a');
    await tick();
    const first = source.openBatchCall();
    follow('b');
    await tick(2);
    follow('c');
    await settle();
    expect(first.state).toBe('open');
    await tick(3);
    expect(first.state).toBe('aborted');
    expect(source.batchCalls).toHaveLength(2);
    expect(listed(source.openBatchCall().request)).toEqual(['a@0', 'b@0', 'c@0']);
  });

  it('when a chat stops, then nothing more reaches it, the held poll is reissued without it, and the last to stop ends the poll', async () => {
    const { source, follow, tick, settle, time } = setUp();
    const a = follow('a');
    const b = follow('b');
    await tick();
    const held = source.openBatchCall();
    await a.followed.stop();
    held.answer({ Chats: [{ ChatID: 'a', Events: [agentMessage('a', 1, 'late')] }] });
    await settle();
    expect(a.log.texts).toEqual([]);
    expect(listed(source.openBatchCall().request)).toEqual(['b@0']);
    await b.followed.stop();
    expect(source.openBatchCalls()).toEqual([]);
    expect(time.pendingCount).toBe(0);
  });

  it('when a chat ends or is unknown, then it alone is told and leaves the batch, the others get their events from the same answer', async () => {
    const { source, follow, tick, settle } = setUp();
    const a = follow('a');
    const b = follow('b');
    const c = follow('c');
    await tick();
    source.openBatchCall().answer({
      Chats: [
        { ChatID: 'a', Events: [agentMessage('a', 1, 'bye'), chatEnded('a', 2)] },
        { ChatID: 'b', Fault: { Code: 'UnknownChat', Message: 'No chat has that ChatID.' } },
        { ChatID: 'c', Events: [agentMessage('c', 1, 'hi')] },
      ],
    });
    await settle();
    expect(a.log).toEqual({ texts: ['bye#1', 'state#2'], notices: ['ended'] });
    expect(b.log).toEqual({ texts: [], notices: ['ended'] });
    expect(c.log).toEqual({ texts: ['hi#1'], notices: [] });
    expect(listed(source.openBatchCall().request)).toEqual(['c@1']);
    source.openBatchCall().answer({
      Chats: [{ ChatID: 'c', Fault: { Code: 'ChatTerminated', Message: 'The chat has ended.' } }],
    });
    await settle();
    expect(c.log.notices).toEqual(['ended']);
    expect(source.openBatchCalls()).toEqual([]);
  });

  it('when the service refuses one chat with another fault, then it is logged and that chat sits out a pause while the others poll on', async () => {
    const { source, follow, tick, settle, warnings } = setUp();
    const a = follow('a');
    follow('b');
    await tick();
    source.openBatchCall().answer({
      Chats: [{ ChatID: 'a', Fault: { Code: 'RateLimited', Message: 'slow down' } }],
    });
    await settle();
    expect(warnings).toEqual(['GetEventsBatch refused a chat']);
    expect(listed(source.openBatchCall().request)).toEqual(['b@0']);
    // The pause is at most the base delay; its end joins the chat again like any join.
    await tick(100 + coalesceMs);
    expect(listed(source.openBatchCall().request)).toEqual(['a@0', 'b@0']);
    expect(a.log).toEqual({ texts: [], notices: [] });
  });

  it('when the service does not answer, then every chat of the batch is told once, polls go on after a back-off without holding, and every chat hears it is back', async () => {
    const { source, follow, tick, settle, time } = setUp();
    const a = follow('a');
    const b = follow('b');
    await tick();
    source.openBatchCall().fail(new UpstreamUnavailableError('ECONNREFUSED'));
    await settle();
    expect(source.openBatchCalls()).toEqual([]);
    expect(time.pendingCount).toBe(1);
    await tick(100);
    const retry = source.openBatchCall();
    expect(retry.timeoutMs).toBe(0);
    retry.fail(new UpstreamUnavailableError('ECONNREFUSED'));
    await settle();
    const c = follow('c');
    await tick(200);
    source.openBatchCall().fail(new UpstreamUnavailableError('ECONNREFUSED'));
    await settle();
    await tick(400);
    source.openBatchCall().answer({ Chats: [] });
    await settle();
    expect(source.openBatchCall().timeoutMs).toBe(holdMs);
    expect(a.log.notices).toEqual(['unavailable', 'available']);
    expect(b.log.notices).toEqual(['unavailable', 'available']);
    expect(c.log.notices).toEqual(['unavailable', 'available']);
  });

  it('when the whole request is refused with a fault, then that is logged and polls go on after a pause, nobody told the service is away', async () => {
    const { source, follow, tick, settle, warnings } = setUp();
    const a = follow('a');
    await tick();
    source.openBatchCall().fail(new ServiceFault('BadRequest', 'Chats: too big'));
    await settle();
    expect(warnings).toEqual(['GetEventsBatch refused']);
    expect(source.openBatchCalls()).toEqual([]);
    await tick(100);
    expect(listed(source.openBatchCall().request)).toEqual(['a@0']);
    expect(a.log.notices).toEqual([]);
  });

  it('when the service has no GetEventsBatch, then it is logged once and every chat, now and later, polls GetEvents on its own after its last Seq', async () => {
    const { source, follow, tick, settle, warnings } = setUp({ batchSize: 2 });
    const a = follow('a');
    const b = follow('b', 7);
    const c = follow('c');
    await tick();
    const [first, second] = source.openBatchCalls();
    first?.answer({ Chats: [{ ChatID: 'a', Events: [agentMessage('a', 1, 'one')] }] });
    await settle();
    const again = source.openBatchCalls().find((call) => call !== second);
    expect(listed(again?.request ?? [])).toEqual(['a@1', 'b@7']);
    again?.fail(new ServiceFault('UnknownMethod', 'There is no method GetEventsBatch here.'));
    await settle();
    expect(second?.state).toBe('aborted');
    const d = follow('d', 3);
    await settle();
    expect(source.openBatchCalls()).toEqual([]);
    const polls = () =>
      source.openEventsCalls().map((call) => `${call.request.chatId}@${call.request.afterSeq}`);
    expect(polls().sort()).toEqual(['a@1', 'b@7', 'c@0', 'd@3']);
    expect(warnings).toEqual([
      'the Chat Service has no GetEventsBatch: each chat polls GetEvents on its own',
    ]);
    const forB = source.openEventsCalls().find((call) => call.request.chatId === 'b');
    forB?.answer({ Events: [agentMessage('b', 7, 'seen'), agentMessage('b', 8, 'eight')] });
    await settle();
    expect(b.log.texts).toEqual(['eight#8']);
    expect(b.followed.afterSeq).toBe(8);
    expect(a.log.texts).toEqual(['one#1']);
    await Promise.all([a, b, c, d].map((chat) => chat.followed.stop()));
    expect(source.openEventsCalls()).toEqual([]);
    expect(c.log.notices).toEqual([]);
  });

  it('when a listener throws, then the chat still gets its later events', async () => {
    const { source, follow, tick, settle } = setUp();
    let calls = 0;
    follow('a', 0, {
      onEvents: () => {
        calls += 1;
        throw new Error('page gone');
      },
    });
    await tick();
    source
      .openBatchCall()
      .answer({ Chats: [{ ChatID: 'a', Events: [agentMessage('a', 1, 'x')] }] });
    await settle();
    source
      .openBatchCall()
      .answer({ Chats: [{ ChatID: 'a', Events: [agentMessage('a', 2, 'y')] }] });
    await settle();
    expect(calls).toBe(2);
  });

  it('when the feed closes, then no poll, back-off or pause timer is left and nothing fires', async () => {
    const { source, follow, tick, settle, feed, time } = setUp();
    const a = follow('a');
    follow('b');
    follow('c');
    follow('d');
    await tick();
    source.openBatchCalls()[0]?.answer({
      Chats: [{ ChatID: 'b', Fault: { Code: 'RateLimited', Message: 'slow down' } }],
    });
    source.openBatchCalls()[1]?.fail(new UpstreamUnavailableError('ECONNRESET'));
    await settle();
    follow('e');
    await feed.close();
    expect(source.openBatchCalls()).toEqual([]);
    expect(time.pendingCount).toBe(0);
    await tick(10_000);
    expect(source.openBatchCalls()).toEqual([]);
    expect(a.log).toEqual({ texts: [], notices: [] });
  });
});
