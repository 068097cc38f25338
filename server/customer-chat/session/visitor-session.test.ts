import { ManualTime } from '../../shared/manual-time';
import { VisitorSession, type PresenceNotice } from './visitor-session';

function session(graceSeconds = 60, warningSeconds = 20) {
  const time = new ManualTime();
  const notices: Array<{ notice: PresenceNotice; secondsLeft: number; at: number }> = [];
  let expired = 0;
  const visitor = new VisitorSession({
    token: 't',
    chatId: 'c',
    time,
    graceMs: graceSeconds * 1000,
    warningMs: warningSeconds * 1000,
    notifyAgent: (notice, secondsLeft) => notices.push({ notice, secondsLeft, at: time.now() }),
    onGraceExpired: () => (expired += 1),
  });
  return { time, notices, visitor, expiredCount: () => expired, start: time.now() };
}

const agentMessage = (text: string) => ({
  type: 'message' as const,
  from: 'agent' as const,
  name: 'Alice',
  text,
  at: 0,
});

describe('VisitorSession', () => {
  it('when events are appended, then they are numbered 1, 2, 3 and read back after any seq', () => {
    const { visitor } = session();
    visitor.append({ type: 'queued', position: 1, estimatedWaitSeconds: 0 });
    visitor.append({ type: 'agentJoined', name: 'Alice' });
    visitor.append(agentMessage('hi'));
    expect(visitor.eventsAfter(0).map((event) => event.seq)).toEqual([1, 2, 3]);
    expect(visitor.eventsAfter(2).map((event) => event.type)).toEqual(['message']);
    expect(visitor.eventsAfter(3)).toEqual([]);
  });

  it('when a visitor message with a seen client id is appended again, then it is dropped', () => {
    const { visitor } = session();
    const message = {
      type: 'message' as const,
      from: 'visitor' as const,
      name: 'V',
      text: 'x',
      at: 0,
      clientMessageId: 'm1',
    };
    expect(visitor.append(message)?.seq).toBe(1);
    expect(visitor.append(message)).toBeUndefined();
    expect(visitor.lastSeq).toBe(1);
  });

  it('when the last page leaves during a conversation, then the agent is told, warned 20 s before the end, and the chat ends at 60 s', () => {
    const { time, notices, visitor, expiredCount, start } = session();
    visitor.pageConnected();
    visitor.append({ type: 'agentJoined', name: 'Alice' });
    visitor.pageDisconnected();
    expect(notices).toEqual([{ notice: 'CustomerLeft', secondsLeft: 60, at: start }]);
    time.advance(39_999);
    expect(notices).toHaveLength(1);
    time.advance(1);
    expect(notices[1]).toEqual({
      notice: 'CustomerLeftClosing',
      secondsLeft: 20,
      at: start + 40_000,
    });
    time.advance(19_999);
    expect(expiredCount()).toBe(0);
    time.advance(1);
    expect(expiredCount()).toBe(1);
    expect(time.pendingCount).toBe(0);
  });

  it('when one of two pages closes, then nothing starts', () => {
    const { time, notices, visitor, expiredCount } = session();
    visitor.pageConnected();
    visitor.pageConnected();
    visitor.append({ type: 'agentJoined', name: 'Alice' });
    visitor.pageDisconnected();
    time.advance(120_000);
    expect(notices).toEqual([]);
    expect(expiredCount()).toBe(0);
    expect(visitor.pages).toBe(1);
  });

  it('when the agent writes while the visitor is away, then the agent hears it once and the return says messages were waiting', () => {
    const { time, notices, visitor, expiredCount } = session();
    visitor.pageConnected();
    visitor.append({ type: 'agentJoined', name: 'Alice' });
    visitor.pageDisconnected();
    time.advance(10_000);
    visitor.append(agentMessage('one'));
    visitor.append(agentMessage('two'));
    visitor.pageConnected();
    expect(notices.map((notice) => notice.notice)).toEqual([
      'CustomerLeft',
      'CustomerLeftAutoSend',
      'CustomerBackReceivedMessage',
    ]);
    expect(notices[1]?.secondsLeft).toBe(50);
    time.advance(120_000);
    expect(expiredCount()).toBe(0);
  });

  it('when the visitor comes back with nothing new, then the agent hears CustomerBack', () => {
    const { notices, visitor } = session();
    visitor.pageConnected();
    visitor.append({ type: 'agentJoined', name: 'Alice' });
    visitor.pageDisconnected();
    visitor.pageConnected();
    expect(notices.map((notice) => notice.notice)).toEqual(['CustomerLeft', 'CustomerBack']);
  });

  it('when no agent has joined yet, then the grace period runs without notices', () => {
    const { time, notices, visitor, expiredCount } = session();
    visitor.pageConnected();
    visitor.pageDisconnected();
    time.advance(60_000);
    expect(notices).toEqual([]);
    expect(expiredCount()).toBe(1);
  });

  it('when the warning is 0, then the agent gets no closing warning', () => {
    const { time, notices, visitor, expiredCount } = session(10, 0);
    visitor.pageConnected();
    visitor.append({ type: 'agentJoined', name: 'Alice' });
    visitor.pageDisconnected();
    time.advance(10_000);
    expect(notices.map((notice) => notice.notice)).toEqual(['CustomerLeft']);
    expect(expiredCount()).toBe(1);
  });

  it('when the chat has ended, then leaving starts no grace period', () => {
    const { time, visitor, expiredCount } = session();
    visitor.pageConnected();
    visitor.append({ type: 'ended', cause: 'general' });
    visitor.pageDisconnected();
    time.advance(120_000);
    expect(expiredCount()).toBe(0);
    expect(time.pendingCount).toBe(0);
  });

  it('when disposed while away, then no timer is left', () => {
    const { time, visitor } = session();
    visitor.pageConnected();
    visitor.pageDisconnected();
    visitor.dispose();
    expect(time.pendingCount).toBe(0);
  });
});
