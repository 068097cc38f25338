import { readFileSync } from 'node:fs';

/** Open files kept free for everything but chats: log files, the archive, bursts of requests. */
const reservedFiles = 500;

/**
 * How many live chats fit under an open-file limit. Each chat holds its visitor's socket and a
 * share of an upstream long-poll (one per chat, or one per batch of chats); a visitor with the
 * chat open in two tabs holds another socket, which the tenth kept back allows for.
 */
export function chatCapacity(openFileLimit: number, chatsPerUpstreamPoll: number): number {
  const filesPerChat = 1 + 1 / Math.max(1, chatsPerUpstreamPoll);
  return Math.max(0, Math.floor(((openFileLimit - reservedFiles) * 0.9) / filesPerChat));
}

/**
 * The process's soft limit on open files (Linux), or undefined where it cannot be read: past it
 * the server cannot accept a socket, so chats are refused before it is reached.
 */
export function readOpenFileLimit(limitsFile = '/proc/self/limits'): number | undefined {
  let text: string;
  try {
    text = readFileSync(limitsFile, 'utf8');
  } catch {
    return undefined;
  }
  const soft = /^Max open files\s+(\d+|unlimited)\s/m.exec(text)?.[1];
  return soft === undefined || soft === 'unlimited' ? undefined : Number(soft);
}
