import { readFileSync } from 'node:fs';
import { round } from './stats';

/**
 * What a V8 heap snapshot holds, by kind of object (constructor name for objects, "(closure)",
 * "(string)", "(array)" …): count and self size. Two of them, taken at different numbers of chats,
 * give what each chat adds, object by object.
 */
interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export type HeapCensus = Map<string, { count: number; bytes: number }>;

export function heapCensus(file: string): HeapCensus {
  const data = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = data.snapshot.meta.node_fields;
  const types = data.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const census: HeapCensus = new Map();
  for (let index = 0; index < data.nodes.length; index += width) {
    const type = types[data.nodes[index + typeAt] ?? 0] ?? '?';
    const name = data.strings[data.nodes[index + nameAt] ?? 0] ?? '?';
    const key =
      type === 'object' || type === 'native'
        ? name
        : type === 'closure'
          ? '(closure)'
          : `(${type})`;
    const entry = census.get(key) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += data.nodes[index + sizeAt] ?? 0;
    census.set(key, entry);
  }
  return census;
}

export interface PerChatEntry {
  kind: string;
  /** Objects of this kind added per chat. */
  countPerChat: number;
  bytesPerChat: number;
}

/** What grew between two censuses, per chat added, largest first. */
export function perChatGrowth(
  before: HeapCensus,
  after: HeapCensus,
  chatsAdded: number,
  top = 20,
): { totalBytesPerChat: number; entries: PerChatEntry[] } {
  const entries: PerChatEntry[] = [];
  let total = 0;
  for (const [kind, now] of after) {
    const then = before.get(kind) ?? { count: 0, bytes: 0 };
    const bytes = (now.bytes - then.bytes) / chatsAdded;
    total += bytes;
    entries.push({
      kind,
      countPerChat: round((now.count - then.count) / chatsAdded),
      bytesPerChat: round(bytes, 0),
    });
  }
  entries.sort((a, b) => b.bytesPerChat - a.bytesPerChat);
  return { totalBytesPerChat: round(total, 0), entries: entries.slice(0, top) };
}
