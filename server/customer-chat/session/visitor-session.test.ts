import type { ConversationEvent } from './visitor-events';
import {
  deadlineReached,
  eventRecorded,
  initialSession,
  mayChangeSession,
  pagesChanged,
  type SessionEffect,
  type SessionState,
  type SessionTiming,
} from './visitor-session';

/** Notices at once, as the tests of the grace period itself want them. */
const timing: SessionTiming = {
  graceMs: 60_000,
  warningMs: 20_000,
  handoverMs: 5_000,
  leftNoticeDelayMs: 0,
};
/** The shipped delay: CustomerLeft only after 5 s away. */
const delayed: SessionTiming = { ...timing, leftNoticeDelayMs: 5_000 };
const start = Date.UTC(2026, 0, 5, 9);

const agentMessage = (text: string): ConversationEvent => ({
  type: 'message',
  from: 'agent',
  name: 'Alice',
  text,
  at: 0,
});

/** A session the agent has joined, with its one page connected. */
const withAgent = (): SessionState =>
  eventRecorded(initialSession, { type: 'agentJoined', name: 'Alice' }, start, timing).state;

const notices = (effects: SessionEffect[]) =>
  effects.flatMap((effect) =>
    effect.type === 'notifyAgent' ? [[effect.notice, effect.secondsLeft]] : [],
  );

describe('a visitor session', () => {
  test('when the last page leaves during a conversation, then the agent is told and the warning and the end are set for 40 s and 60 s', () => {
    const left = pagesChanged(withAgent(), 0, start, timing);
    expect(left.state).toMatchObject({ phase: 'away', since: start, agentTold: true });
    expect(notices(left.effects)).toEqual([['CustomerLeft', 60]]);
    expect(left.effects).toEqual(
      expect.arrayContaining([
        { type: 'setDeadline', kind: 'grace', at: start + 60_000 },
        { type: 'setDeadline', kind: 'warning', at: start + 40_000 },
      ]),
    );
    const warned = deadlineReached(left.state, 'warning', start + 40_000, timing);
    expect(notices(warned.effects)).toEqual([['CustomerLeftClosing', 20]]);
    const ended = deadlineReached(warned.state, 'grace', start + 60_000, timing);
    expect(ended.state).toEqual({ phase: 'ended' });
    expect(ended.effects).toContainEqual({ type: 'endChat' });
  });

  test('when one of two pages closes, then nothing starts', () => {
    expect(pagesChanged(withAgent(), 1, start, timing).effects).toEqual([]);
  });

  test('when the agent writes while the visitor is away, then the agent hears it once and the return says messages were waiting', () => {
    let state = pagesChanged(withAgent(), 0, start, timing).state;
    const first = eventRecorded(state, agentMessage('one'), start + 10_000, timing);
    expect(notices(first.effects)).toEqual([['CustomerLeftAutoSend', 50]]);
    const second = eventRecorded(first.state, agentMessage('two'), start + 11_000, timing);
    expect(second.effects).toEqual([]);
    state = second.state;
    const back = pagesChanged(state, 1, start + 12_000, timing);
    expect(back.state).toEqual({ phase: 'present', agentPresent: true });
    expect(notices(back.effects)).toEqual([['CustomerBackReceivedMessage', 0]]);
    expect(back.effects).toContainEqual({ type: 'clearDeadlines' });
  });

  test('when the visitor comes back with nothing new, then the agent hears CustomerBack', () => {
    const away = pagesChanged(withAgent(), 0, start, timing).state;
    expect(notices(pagesChanged(away, 1, start + 1000, timing).effects)).toEqual([
      ['CustomerBack', 0],
    ]);
  });

  test('when no agent has joined yet, then the grace period runs without notices', () => {
    const left = pagesChanged(initialSession, 0, start, timing);
    expect(notices(left.effects)).toEqual([]);
    expect(notices(deadlineReached(left.state, 'warning', start + 40_000, timing).effects)).toEqual(
      [],
    );
    expect(deadlineReached(left.state, 'grace', start + 60_000, timing).effects).toContainEqual({
      type: 'endChat',
    });
  });

  test('when the warning is 0, then no warning deadline is set', () => {
    const left = pagesChanged(withAgent(), 0, start, { ...timing, warningMs: 0 });
    expect(left.effects.filter((effect) => effect.type === 'setDeadline')).toEqual([
      { type: 'setDeadline', kind: 'grace', at: start + 60_000 },
    ]);
  });

  test('when the chat has ended, then leaving starts no grace period and deadlines do nothing', () => {
    const ended = eventRecorded(withAgent(), { type: 'ended', cause: 'general' }, start, timing);
    expect(pagesChanged(ended.state, 0, start, timing)).toEqual({
      state: { phase: 'ended' },
      effects: [],
    });
    expect(deadlineReached(ended.state, 'grace', start + 60_000, timing).effects).toEqual([]);
  });

  test('when the page went with its instance, then the agent hears only if no page is back within the handover time', () => {
    const lost = pagesChanged(withAgent(), 0, start, timing, true);
    expect(notices(lost.effects)).toEqual([]);
    expect(lost.effects).toContainEqual({
      type: 'setDeadline',
      kind: 'tellAgent',
      at: start + 5_000,
    });
    // Back through another instance in time: not a word to the agent.
    expect(notices(pagesChanged(lost.state, 1, start + 2_000, timing).effects)).toEqual([]);
    // Not back: the agent hears it then, with the seconds that are left.
    const told = deadlineReached(lost.state, 'tellAgent', start + 5_000, timing);
    expect(notices(told.effects)).toEqual([['CustomerLeft', 55]]);
    expect(notices(pagesChanged(told.state, 1, start + 6_000, timing).effects)).toEqual([
      ['CustomerBack', 0],
    ]);
  });
});

describe('presence notices of a visitor who leaves only for a moment', () => {
  test('when the page navigates or reloads within the delay, then the agent hears neither CustomerLeft nor CustomerBack', () => {
    let state = withAgent();
    for (let step = 0; step < 3; step += 1) {
      const at = start + step * 2_000;
      const left = pagesChanged(state, 0, at, delayed);
      expect(notices(left.effects)).toEqual([]);
      expect(left.effects).toContainEqual({
        type: 'setDeadline',
        kind: 'tellAgent',
        at: at + 5_000,
      });
      const back = pagesChanged(left.state, 1, at + 800, delayed);
      expect(notices(back.effects)).toEqual([]);
      expect(back.effects).toContainEqual({ type: 'clearDeadlines' });
      state = back.state;
    }
    expect(state).toEqual({ phase: 'present', agentPresent: true });
  });

  test('when the visitor stays away past the delay, then the agent hears CustomerLeft once with the seconds left, and CustomerBack on return', () => {
    const left = pagesChanged(withAgent(), 0, start, delayed);
    const told = deadlineReached(left.state, 'tellAgent', start + 5_000, delayed);
    expect(notices(told.effects)).toEqual([['CustomerLeft', 55]]);
    expect(deadlineReached(told.state, 'tellAgent', start + 6_000, delayed).effects).toEqual([]);
    expect(notices(pagesChanged(told.state, 1, start + 9_000, delayed).effects)).toEqual([
      ['CustomerBack', 0],
    ]);
  });

  test('when the agent writes before the delay is over, then no CustomerLeftAutoSend goes out, since the agent was never told the visitor left', () => {
    const left = pagesChanged(withAgent(), 0, start, delayed);
    const wrote = eventRecorded(left.state, agentMessage('hi'), start + 1_000, delayed);
    expect(notices(wrote.effects)).toEqual([]);
    expect(notices(pagesChanged(wrote.state, 1, start + 2_000, delayed).effects)).toEqual([]);
  });

  test('when no agent is there as the delay ends, then nothing is told, and no CustomerBack follows', () => {
    const left = pagesChanged(initialSession, 0, start, delayed);
    const due = deadlineReached(left.state, 'tellAgent', start + 5_000, delayed);
    expect(due.effects).toEqual([]);
    const joined = eventRecorded(
      due.state,
      { type: 'agentJoined', name: 'Alice' },
      start + 6_000,
      delayed,
    );
    expect(notices(pagesChanged(joined.state, 1, start + 7_000, delayed).effects)).toEqual([]);
  });

  test('when the delay is not shorter than the grace period, then CustomerLeft is sent at once', () => {
    const left = pagesChanged(withAgent(), 0, start, { ...delayed, leftNoticeDelayMs: 60_000 });
    expect(notices(left.effects)).toEqual([['CustomerLeft', 60]]);
  });
});

describe('which events can change a session', () => {
  test("when the visitor's own message or a queue update is recorded, then the session cannot change, so its state need not be read", () => {
    const own: ConversationEvent = {
      type: 'message',
      from: 'visitor',
      name: 'V',
      text: 'x',
      at: 0,
    };
    const queued: ConversationEvent = { type: 'queued', position: 2, estimatedWaitSeconds: 30 };
    const away = pagesChanged(withAgent(), 0, start, timing).state;
    for (const event of [own, queued]) {
      expect(mayChangeSession(event)).toBe(false);
      for (const state of [initialSession, withAgent(), away])
        expect(eventRecorded(state, event, start, timing).state).toBe(state);
    }
    expect(mayChangeSession(agentMessage('hi'))).toBe(true);
    expect(mayChangeSession({ type: 'agentJoined', name: 'A' })).toBe(true);
    expect(mayChangeSession({ type: 'ended', cause: 'general' })).toBe(true);
  });
});
