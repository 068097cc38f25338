import type { AgentEvent } from '../../server/protocol/agent-api';
import {
  ApiFault,
  type AgentApiClient,
  type ResponseItem,
} from '../../client/agent/agent-api-client';
import { ConsoleStore, type ChatLine } from '../../client/agent/console-store';
import { fill } from '../../client/agent/console-text';
import { EventLoop } from '../../client/agent/event-loop';
import { duration } from '../../client/agent/format';
import { filterResponses } from '../../client/agent/response-filter';
import { TypingThrottle } from '../../client/agent/typing-throttle';

/**
 * The console's logic that needs no browser: the event loop's AfterSeq bookkeeping, the store's
 * de-duplication and unread counts, the responses search, the typing throttle.
 */

type GetEvents = AgentApiClient['call'];

/** A fake agent API answering GetEvents from a script of answers, recording each request. */
function scriptedApi(answers: Array<AgentEvent[] | ApiFault>) {
  const requests: Array<{ AfterSeq: number }> = [];
  let release: () => void = () => undefined;
  const call = ((_method: string, request: { AfterSeq: number }, signal?: AbortSignal) => {
    requests.push({ AfterSeq: request.AfterSeq });
    const answer = answers.shift();
    if (answer instanceof ApiFault) return Promise.reject(answer);
    if (answer !== undefined) return Promise.resolve({ Events: answer });
    // Out of answers: hold like a long-poll until stopped.
    return new Promise((_resolve, reject) => {
      release = () => reject(new Error('aborted'));
      signal?.addEventListener('abort', () => release());
    });
  }) as unknown as GetEvents;
  return { api: { call }, requests };
}

const typing = (seq: number): AgentEvent => ({
  EventType: 'CustomerTyping',
  Data: { ChatID: 'c1' },
  Seq: seq,
});

async function settle(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1000 && !condition(); turn += 1) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('EventLoop', () => {
  it('when answers repeat events, then each is handed on once and the next request acknowledges the highest Seq', async () => {
    const { api, requests } = scriptedApi([[typing(1), typing(2)], [typing(2), typing(3)], []]);
    const seen: number[] = [];
    const loop = new EventLoop({
      api,
      afterSeq: 0,
      onEvents: (events) => seen.push(...events.map((event) => event.Seq)),
      onAvailability: () => undefined,
    });
    loop.start();
    await settle(() => requests.length === 4);
    loop.stop();
    expect(seen).toEqual([1, 2, 3]);
    expect(requests.map((request) => request.AfterSeq)).toEqual([0, 2, 3, 3]);
    expect(loop.afterSeq).toBe(3);
  });

  it('when the service stops answering and comes back, then availability is reported once each way', async () => {
    const down = new ApiFault('Unreachable', 'offline', 0);
    const { api, requests } = scriptedApi([down, down, [typing(5)]]);
    const availability: boolean[] = [];
    const loop = new EventLoop({
      api,
      afterSeq: 4,
      retryBaseDelayMs: 0,
      onEvents: () => undefined,
      onAvailability: (available) => availability.push(available),
    });
    loop.start();
    await settle(() => requests.length === 4);
    loop.stop();
    expect(availability).toEqual([false, true]);
    expect(requests.map((request) => request.AfterSeq)).toEqual([4, 4, 4, 5]);
  });

  it('when the token is refused, then the loop stops asking', async () => {
    const { api, requests } = scriptedApi([new ApiFault('Unauthorized', 'no', 401), []]);
    const loop = new EventLoop({ api, onEvents: () => undefined, onAvailability: () => undefined });
    loop.start();
    await settle(() => false);
    expect(requests).toHaveLength(1);
  });
});

describe('ConsoleStore', () => {
  const line = (text: string, at = '2026-01-05T09:00:00.000Z'): ChatLine => ({
    from: 'Customer',
    name: 'Ann',
    text,
    at,
    attachment: null,
  });

  it('when the same line arrives twice (a reload), then it is shown once and counted once', () => {
    const store = new ConsoleStore();
    store.addChat('c1');
    store.addChat('c2');
    store.activate('c2');
    expect(store.addLine('c1', line('Hello'), true)).toBe(true);
    expect(store.addLine('c1', line('Hello'), true)).toBe(false);
    expect(store.addLine('c1', line('Hello', '2026-01-05T09:00:01.000Z'), true)).toBe(true);
    expect(store.chats.get('c1')?.lines).toHaveLength(2);
    expect(store.totalUnread).toBe(2);
    store.activate('c1');
    expect(store.totalUnread).toBe(0);
  });

  it('when the active chat is removed, then the last other chat becomes active', () => {
    const store = new ConsoleStore();
    const changes: string[] = [];
    store.subscribe((change) => changes.push(change.type));
    store.addChat('c1');
    store.addChat('c2');
    store.activate('c2');
    store.removeChat('c2');
    expect(store.activeChatId).toBe('c1');
    expect(changes).toEqual(['chats', 'chats', 'active', 'chats', 'active']);
  });
});

describe('responses search', () => {
  const tree: ResponseItem[] = [
    {
      Name: 'Greetings',
      Children: [
        { Name: 'Hello', Text: 'Hello! How can I help?' },
        { Name: 'Goodbye', Text: 'Have a nice day!' },
      ],
    },
    { Name: 'Shipping', Children: [{ Name: 'Norway', Text: 'We ship to Norway in 3 days.' }] },
    { Name: 'Opening hours', Text: 'We are open 8 to 17.' },
  ];

  it('when nothing is typed, then the whole tree shows', () => {
    expect(filterResponses(tree, '  ')).toEqual(tree);
  });

  it('when words are typed, then responses whose name or text holds them all show, inside their folders', () => {
    expect(filterResponses(tree, 'nice DAY')).toEqual([
      { Name: 'Greetings', Children: [{ Name: 'Goodbye', Text: 'Have a nice day!' }] },
    ]);
    expect(filterResponses(tree, 'ship')).toEqual([tree[1]]);
    expect(filterResponses(tree, 'greet')).toEqual([tree[0]]);
    expect(filterResponses(tree, 'open')).toEqual([tree[2]]);
    expect(filterResponses(tree, 'invoice')).toEqual([]);
  });
});

describe('typing throttle', () => {
  it('when the agent types on, then the customer is told at most once per interval, and again after a send', () => {
    let now = 0;
    let sent = 0;
    const throttle = new TypingThrottle(
      () => (sent += 1),
      3_000,
      () => now,
    );
    throttle.typed();
    now = 2_999;
    throttle.typed();
    expect(sent).toBe(1);
    now = 3_000;
    throttle.typed();
    expect(sent).toBe(2);
    throttle.reset();
    throttle.typed();
    expect(sent).toBe(3);
  });
});

describe('texts and formats', () => {
  it('when a text has placeholders, then they are filled in order, and durations read as clocks', () => {
    expect(fill('{0} is typing… {1}', 'Ann', 2)).toBe('Ann is typing… 2');
    expect(fill('{0} and {3}', 'a')).toBe('a and {3}');
    expect(duration(42)).toBe('0:42');
    expect(duration(3723)).toBe('1:02:03');
    expect(duration(-5)).toBe('0:00');
  });
});
