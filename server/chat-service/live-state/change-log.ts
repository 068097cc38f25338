import type { Change } from './change-buffer';
import type { EventStream } from './live-state-store';

/**
 * A change as a table row wants it: snapshots taken and encoded as JSON once, attachment data
 * apart. The JSON fields (the last of chat, agent and meta, the fourth of entry and event) are
 * kept as text so that folding the record into its table encodes nothing again.
 */
export type LogRecord =
  | ['chat', id: string, snapshotJson: string]
  | ['entry', chatId: string, position: number, entryJson: string, clientMessageId: string | null]
  | ['event', stream: EventStream, seq: number, eventJson: string]
  /** upToSeq null: every event of the stream (a new log-in starts it again at Seq 1). */
  | ['dropEvents', stream: EventStream, upToSeq: number | null]
  | ['dropChat', chatId: string]
  | ['agent', id: string, snapshotJson: string]
  | ['session', tokenHash: string, agentId: string, lastSeenAt: number]
  | ['dropSession', tokenHash: string]
  | ['meta', key: string, valueJson: string];

/** Where each kind keeps its JSON field, written into the log row as JSON, not as a string. */
const jsonField: Partial<Record<LogRecord[0], number>> = {
  chat: 2,
  entry: 3,
  event: 3,
  agent: 2,
  meta: 2,
};

/** The record of a change, and its attachment's data, which the log does not hold. */
export function toLogRecord(change: Change): { record: LogRecord; attachmentData: Buffer | null } {
  switch (change.kind) {
    case 'chat':
      return {
        record: ['chat', change.chat.id, JSON.stringify(change.chat.snapshot())],
        attachmentData: null,
      };
    case 'entry': {
      const { attachmentData, ...entry } = change.entry;
      return {
        record: [
          'entry',
          change.chatId,
          change.position,
          JSON.stringify(entry),
          change.clientMessageId,
        ],
        attachmentData,
      };
    }
    case 'event':
      return {
        record: ['event', change.stream, change.event.seq, JSON.stringify(change.event.event)],
        attachmentData: null,
      };
    case 'dropEvents':
      return {
        record: [
          'dropEvents',
          change.stream,
          Number.isFinite(change.upToSeq) ? change.upToSeq : null,
        ],
        attachmentData: null,
      };
    case 'dropChat':
      return { record: ['dropChat', change.chatId], attachmentData: null };
    case 'agent':
      return {
        record: ['agent', change.agent.id, JSON.stringify(change.agent.snapshot())],
        attachmentData: null,
      };
    case 'session':
      return {
        record: [
          'session',
          change.session.tokenHash,
          change.session.agentId,
          change.session.lastSeenAt,
        ],
        attachmentData: null,
      };
    case 'dropSession':
      return { record: ['dropSession', change.tokenHash], attachmentData: null };
    case 'meta':
      return {
        record: ['meta', change.key, JSON.stringify(change.value) ?? 'null'],
        attachmentData: null,
      };
    default:
      return change satisfies never;
  }
}

/** One batch as one log row: a JSON array of the records, their JSON fields spliced in as is. */
export function encodeLogRow(records: readonly LogRecord[]): string {
  return `[${records
    .map((record) => {
      const at = jsonField[record[0]];
      return `[${record.map((field, index) => (index === at ? field : JSON.stringify(field))).join(',')}]`;
    })
    .join(',')}]`;
}

/** The records of a log row, as encodeLogRow wrote them. */
export function decodeLogRow(row: string): LogRecord[] {
  // Our own rows, written by encodeLogRow in this same file's version of the schema.
  const records = JSON.parse(row) as unknown[][];
  return records.map((fields) => {
    const at = jsonField[fields[0] as LogRecord[0]];
    if (at !== undefined) fields[at] = JSON.stringify(fields[at]);
    return fields as LogRecord;
  });
}

/**
 * The records without the events a later record of the same list drops: pushed and read between
 * two folds, such an event never needs a row. The drops themselves stay (they move the read Seq).
 */
export function withoutDroppedEvents(records: readonly LogRecord[]): LogRecord[] {
  const droppedUpTo = new Map<EventStream, number>();
  const kept: LogRecord[] = [];
  for (let index = records.length - 1; index >= 0; index -= 1) {
    const record = records[index] as LogRecord;
    if (record[0] === 'dropEvents') {
      const upTo = record[2] ?? Infinity;
      droppedUpTo.set(record[1], Math.max(droppedUpTo.get(record[1]) ?? -Infinity, upTo));
    } else if (record[0] === 'event' && record[2] <= (droppedUpTo.get(record[1]) ?? -Infinity)) {
      continue;
    }
    kept.push(record);
  }
  return kept.reverse();
}
