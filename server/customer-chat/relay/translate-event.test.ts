import { GetEventsResponseSchema } from '../upstream/wire-decoding';
import { translateEvent } from './translate-event';

/** What the visitor's page is told of an agent going and of the end, from the service's wire. */

const decoded = (events: unknown[]) =>
  GetEventsResponseSchema.parse({ Events: events }).Events.map((event) => {
    const translated = translateEvent(event);
    return translated.kind === 'conversation' ? translated.event : translated;
  });

const terminated = (extra: Record<string, unknown>) => ({
  EventType: 4,
  Data: {
    ChatID: 'c',
    State: 2,
    QueuePosition: 0,
    EstimatedWaitTime: 0,
    TerminationCause: 0,
    ...extra,
  },
});

describe('translating endings and departures', () => {
  test("when the service says who ended the chat, then the page is told the visitor's words for it", () => {
    expect(
      decoded([
        terminated({ EndedBy: 'Customer' }),
        terminated({ EndedBy: 'CustomerIdle' }),
        terminated({ EndedBy: 'IdleTimeout' }),
        terminated({ EndedBy: 'CustomerGone' }),
        terminated({ EndedBy: 'Agent' }),
        terminated({ EndedBy: 'GroupClosed', TerminationCause: 1 }),
        terminated({ EndedBy: 'Service' }),
      ]).map((event) => 'by' in event && event.by),
    ).toEqual(['visitor', 'idle', 'idle', 'gone', 'agent', 'groupClosed', 'service']);
  });

  test('when a plain service says nothing, or a newer one a reason unknown here, then the end has no reason and the event is not lost', () => {
    expect(decoded([terminated({}), terminated({ EndedBy: 'Meteor' })])).toEqual([
      { type: 'ended', cause: 'general' },
      { type: 'ended', cause: 'general' },
    ]);
  });

  test('when the agent goes on a transfer or a hand-on, then the page is told which; a plain departure has no reason', () => {
    const left = (extra: Record<string, unknown>) => ({
      EventType: 2,
      Data: { ChatID: 'c', Name: 'Alice', ...extra },
    });
    expect(
      decoded([
        left({ Reason: 'Transferred' }),
        left({ Reason: 'HandedOn' }),
        left({}),
        left({ Reason: 'Abducted' }),
      ]),
    ).toEqual([
      { type: 'agentLeft', name: 'Alice', reason: 'transferred' },
      { type: 'agentLeft', name: 'Alice', reason: 'handedOn' },
      { type: 'agentLeft', name: 'Alice' },
      { type: 'agentLeft', name: 'Alice' },
    ]);
  });
});
