import type { Change } from './change-buffer';
import type { EventStream } from './live-state-store';
import type { WriteStatement } from './live-state-file';

/**
 * A change as a table row wants it: snapshots taken and encoded as JSON once. The JSON fields (the
 * last of chat, agent and meta, the fourth of entry and event) are kept as text so that folding the
 * record into its table encodes nothing again.
 */
export type LogRecord =
  | ['chat', id: string, snapshotJson: string]
  | ['entry', chatId: string, position: number, entryJson: string, clientMessageId: string | null]
  | ['attachment', chatId: string, position: number, dataBase64: string]
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

/** The records of a change: one, and a second for an entry's attachment data. */
export function toLogRecords(change: Change): LogRecord[] {
  switch (change.kind) {
    case 'chat':
      return [['chat', change.chat.id, JSON.stringify(change.chat.snapshot())]];
    case 'entry': {
      const { at, from, name, message, attachment, agentOnly, attachmentData } = change.entry;
      const entry: LogRecord = [
        'entry',
        change.chatId,
        change.position,
        JSON.stringify({ at, from, name, message, attachment, agentOnly }),
        change.clientMessageId,
      ];
      return attachmentData === null
        ? [entry]
        : [
            entry,
            ['attachment', change.chatId, change.position, attachmentData.toString('base64')],
          ];
    }
    case 'event':
      return [['event', change.stream, change.event.seq, JSON.stringify(change.event.event)]];
    case 'dropEvents':
      return [
        ['dropEvents', change.stream, Number.isFinite(change.upToSeq) ? change.upToSeq : null],
      ];
    case 'dropChat':
      return [['dropChat', change.chatId]];
    case 'agent':
      return [['agent', change.agent.id, JSON.stringify(change.agent.snapshot())]];
    case 'session':
      return [
        ['session', change.session.tokenHash, change.session.agentId, change.session.lastSeenAt],
      ];
    case 'dropSession':
      return [['dropSession', change.tokenHash]];
    case 'meta':
      return [['meta', change.key, JSON.stringify(change.value) ?? 'null']];
    default:
      return change satisfies never;
  }
}

/** A statement of the live state's file (live-state-file.ts, writeSql) and its parameters. */
export type FoldOp = [
  statement: WriteStatement,
  ...parameters: (string | number | Buffer | null)[],
];

/** What folding a record into the tables runs, in order. */
export function toFoldOps(record: LogRecord): FoldOp[] {
  switch (record[0]) {
    case 'chat':
      return [['putChat', record[1], record[2]]];
    case 'entry':
      return [['putEntry', record[1], record[2], record[3], record[4]]];
    case 'attachment':
      return [['putAttachment', record[1], record[2], Buffer.from(record[3], 'base64')]];
    case 'event':
      return [['putEvent', record[1], record[2], record[3]]];
    case 'dropEvents':
      return record[2] === null
        ? [
            ['dropAllEvents', record[1]],
            ['dropReadSeq', record[1]],
          ]
        : [
            ['dropEvents', record[1], record[2]],
            ['putReadSeq', record[1], record[2]],
          ];
    case 'dropChat':
      return [
        ...chatTables.map((statement): FoldOp => [statement, record[1]]),
        ['dropAllEvents', `chat:${record[1]}`],
        ['dropReadSeq', `chat:${record[1]}`],
      ];
    case 'agent':
      return [['putAgent', record[1], record[2]]];
    case 'session':
      return [['putSession', record[1], record[2], record[3]]];
    case 'dropSession':
      return [['dropSession', record[1]]];
    case 'meta':
      return [['putMeta', record[1], record[2]]];
    default:
      return record satisfies never;
  }
}

const chatTables = ['dropChatRow', 'dropTranscript', 'dropAttachments', 'dropMessageIds'] as const;

/**
 * One batch as one log row: a JSON array of the records, their JSON fields spliced in as is. Built
 * as one string, appended to field by field: no array and no joined string per record.
 */
export function encodeLogRow(records: readonly LogRecord[]): string {
  let row = '[';
  for (let index = 0; index < records.length; index += 1) {
    const record = records[index] as LogRecord;
    const at = jsonField[record[0]];
    row += index === 0 ? '[' : ',[';
    for (let field = 0; field < record.length; field += 1) {
      if (field > 0) row += ',';
      row += field === at ? (record[field] as string) : JSON.stringify(record[field]);
    }
    row += ']';
  }
  return `${row}]`;
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
 * The records without what a later record of the same list makes moot: events it drops (pushed
 * and read between two folds, such an event never needs a row) and drops it covers (a reader
 * acknowledges after every poll: only the last drop of a stream moves its read Seq).
 */
export function withoutDroppedEvents(records: readonly LogRecord[]): LogRecord[] {
  const droppedUpTo = new Map<EventStream, number>();
  const kept: LogRecord[] = [];
  for (let index = records.length - 1; index >= 0; index -= 1) {
    const record = records[index] as LogRecord;
    if (record[0] === 'dropEvents') {
      const upTo = record[2] ?? Infinity;
      const later = droppedUpTo.get(record[1]);
      if (later !== undefined && later >= upTo) continue;
      droppedUpTo.set(record[1], upTo);
    } else if (record[0] === 'event' && record[2] <= (droppedUpTo.get(record[1]) ?? -Infinity)) {
      continue;
    }
    kept.push(record);
  }
  return kept.reverse();
}
