import { type LogRecord, withoutDroppedEvents } from './change-log';

const event = (stream: `agent:${string}`, seq: number): LogRecord => ['event', stream, seq, '{}'];
const drop = (stream: `agent:${string}`, upTo: number | null): LogRecord => [
  'dropEvents',
  stream,
  upTo,
];

describe('Folding the change log', () => {
  test('when a reader acknowledged after every poll, then only its last drop is kept, and the events it read are left out', () => {
    const records = [
      event('agent:a', 1),
      drop('agent:a', 1),
      event('agent:a', 2),
      event('agent:b', 1),
      drop('agent:a', 2),
      event('agent:a', 3),
    ];
    expect(withoutDroppedEvents(records)).toEqual([
      event('agent:b', 1),
      drop('agent:a', 2),
      event('agent:a', 3),
    ]);
  });

  test('when a stream starts again at Seq 1 (a new log-in), then the drop of it whole stays, before the new stream’s own', () => {
    const records = [
      event('agent:a', 5),
      drop('agent:a', 5),
      drop('agent:a', null),
      event('agent:a', 1),
      event('agent:a', 2),
      drop('agent:a', 1),
    ];
    expect(withoutDroppedEvents(records)).toEqual([
      drop('agent:a', null),
      event('agent:a', 2),
      drop('agent:a', 1),
    ]);
  });

  test('when a stream is dropped whole twice, then the earlier drop is covered by the later', () => {
    const records = [drop('agent:a', null), event('agent:a', 1), drop('agent:a', null)];
    expect(withoutDroppedEvents(records)).toEqual([drop('agent:a', null)]);
  });
});
