import { decodeLogRow, encodeLogRow, type LogRecord, withoutDroppedEvents } from './change-log';

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

  test('when a batch of every kind of record is written as a row, then reading the row gives the same records back', () => {
    const records: LogRecord[] = [
      ['chat', 'c1', JSON.stringify({ id: 'c1', state: 'Queued', name: 'Zoë "Z" <b>' })],
      ['entry', 'c1', 0, JSON.stringify({ message: 'line one\nline two, \u2028 and 😀' }), 'm-1'],
      ['entry', 'c1', 1, JSON.stringify({ message: null }), null],
      ['attachment', 'c1', 1, Buffer.from('bytes').toString('base64')],
      ['event', 'chat:c1', 3, JSON.stringify({ EventType: 'AgentJoined', Seq: 3 })],
      ['dropEvents', 'agent:a', 2],
      ['dropEvents', 'agent:a', null],
      ['dropChat', 'c1'],
      ['agent', 'a', JSON.stringify({ id: 'a', ready: true })],
      ['session', 'hash', 'a', 1_700_000_000_000],
      ['dropSession', 'hash'],
      ['meta', 'key', 'null'],
    ];
    const row = encodeLogRow(records);
    expect(row).not.toContain('\n');
    expect(decodeLogRow(row)).toEqual(records);
    expect(encodeLogRow([])).toBe('[]');
  });
});
