import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endedChatRetentionMs } from '../../server/customer-chat/relay/session-keeper';
import { until } from '../support/chat-service-harness';
import { settled, type CustomerChatHarness } from '../support/customer-chat-harness';
import { agentHandledChat, ask, useCustomerChat } from '../support/customer-chat-test-kit';

/**
 * The memory engine keeps a chat's files for its post-chat window on disk, not in the heap, and
 * removes them with the window.
 */

const { start } = useCustomerChat();
/** The files of this process's shelves (named by its pid, so other test processes' are not counted). */
const shelfPrefix = `customerchat-files-${process.pid}-`;
const shelves = () => readdirSync(tmpdir()).filter((name) => name.startsWith(shelfPrefix));
/** Shelves of servers that earlier tests of this worker started are not this test's. */
const earlierShelves = new Set(shelves());

function shelfFiles(): number[] {
  return shelves()
    .filter((name) => !earlierShelves.has(name))
    .flatMap((name) => filesUnder(join(tmpdir(), name)));
}

/** Every file under a folder, with its size. */
function filesUnder(folder: string): number[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .flatMap((entry) => {
      // A file the sweep removes while it is listed is gone.
      const stats = statSync(join(entry.parentPath, entry.name), { throwIfNoEntry: false });
      return stats === undefined ? [] : [stats.size];
    });
}

async function upload(h: CustomerChatHarness, token: string, name: string, data: Buffer) {
  const form = new FormData();
  form.append('file', new Blob([data]), name);
  const response = await fetch(`${h.url}/CustomerChat/Chat/Attachment`, {
    method: 'POST',
    headers: { 'X-Chat-Token': token },
    body: form,
  });
  expect(response.status).toBe(200);
  return String(((await response.json()) as { id: string }).id);
}

const download = (h: CustomerChatHarness, id: string, token: string) =>
  fetch(`${h.url}/CustomerChat/Chat/Attachment/${id}?token=${encodeURIComponent(token)}`);

describe('CustomerChat files of ended chats', () => {
  test('when a chat with 30 files ends, then its files are on disk for the post-chat window and gone after it', async () => {
    const h = await start();
    const { page, token, events } = await agentHandledChat(h);
    const sizes: number[] = [];
    const ids: string[] = [];
    for (let file = 0; file < 30; file += 1) {
      const data = Buffer.from(randomBytes(150_000).toString('base64'));
      sizes.push(data.length);
      ids.push(await upload(h, token, `note-${file}.txt`, data));
    }
    expect(await ask(page, 'chat:leave')).toEqual({ ok: true });
    await until(() => events.some((event) => event.type === 'ended'), 'the chat ends');

    // The shelf holds each file's bytes; the page still gets them back.
    expect(shelfFiles().sort()).toEqual([...sizes].sort());
    const last = await download(h, ids[29] ?? '', token);
    expect(last.status).toBe(200);
    expect((await last.arrayBuffer()).byteLength).toBe(sizes[29]);

    h.time.advance(endedChatRetentionMs);
    await until(async () => {
      // The cluster duties' round, due every few seconds, sweeps the chats past their window.
      h.time.advance(5_000);
      await settled();
      return shelfFiles().length === 0;
    }, 'the files go with the window');
    expect((await download(h, ids[0] ?? '', token)).status).toBe(404);
  });
});
