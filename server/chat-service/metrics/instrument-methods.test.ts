import { ServiceFault } from '../../protocol/faults';
import { method } from '../http/method-router';
import { instrumentMethods, type MethodMetrics } from './instrument-methods';

/** The durations and outcomes reported, in order. */
function recorder(): MethodMetrics & { done: Array<[string, string]>; sent: string[] } {
  const done: Array<[string, string]> = [];
  const sent: string[] = [];
  return {
    done,
    sent,
    requestDone: (_api, name, _seconds, outcome) => done.push([name, outcome]),
    messageSent: (direction) => sent.push(direction),
  };
}

const context = { stillWanted: () => true, onGone: () => () => undefined };

describe('instrumentMethods', () => {
  test('When a method has answered, then it is timed only once the live state has committed', async () => {
    const metrics = recorder();
    let commit: () => void = () => undefined;
    const committed = () => new Promise<void>((resolve) => (commit = resolve));
    const table = instrumentMethods(
      'customer',
      { SendMessage: method({ schema: null, handle: () => 'sent' }) },
      metrics,
      committed,
    );
    const answer = table['SendMessage']?.handle({}, null, context) as Promise<unknown>;
    await new Promise((resolve) => setImmediate(resolve));
    expect(metrics.done).toEqual([]);
    commit();
    await expect(answer).resolves.toBe('sent');
    expect(metrics.done).toEqual([['SendMessage', 'ok']]);
    expect(metrics.sent).toEqual(['customer_to_agent']);
  });

  test('When the commit fails, then the call fails and is timed as Internal, no message counted', async () => {
    const metrics = recorder();
    const table = instrumentMethods(
      'agent',
      { SendMessage: method({ schema: null, handle: () => 'sent' }) },
      metrics,
      () => Promise.reject(new Error('disk full')),
    );
    await expect(table['SendMessage']?.handle({}, null, context)).rejects.toThrow('disk full');
    expect(metrics.done).toEqual([['SendMessage', 'Internal']]);
    expect(metrics.sent).toEqual([]);
  });

  test('When a method refuses, then it is timed with its fault code', async () => {
    const metrics = recorder();
    const table = instrumentMethods(
      'customer',
      {
        GetChatInfo: method({
          schema: null,
          handle: () => {
            throw new ServiceFault('UnknownChat', 'no such chat');
          },
        }),
      },
      metrics,
      () => Promise.resolve(),
    );
    await expect(table['GetChatInfo']?.handle({}, null, context)).rejects.toThrow('no such chat');
    expect(metrics.done).toEqual([['GetChatInfo', 'UnknownChat']]);
  });
});
