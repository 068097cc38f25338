import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The memory engine's files, on disk rather than in the heap: a chat's files are kept for its
 * post-chat window (the transcript page links them), and thirty uploads held in memory per ended
 * chat is what grows a busy instance. One folder per chat, removed with the chat; the whole shelf
 * is a temporary folder removed on close.
 */
export class FileShelf {
  /** Made with the first file, so that a store never given one leaves no folder behind. */
  private root: string | undefined;

  /** Bytes, or a copy of a file on disk (an upload staged there), which never passes the heap. */
  async put(token: string, id: string, data: Buffer | { copyOf: string }): Promise<void> {
    const folder = this.folderOf(token);
    await mkdir(folder, { recursive: true });
    if (Buffer.isBuffer(data)) await writeFile(join(folder, id), data);
    else await copyFile(data.copyOf, join(folder, id));
  }

  async get(token: string, id: string): Promise<Buffer | undefined> {
    try {
      return await readFile(join(this.folderOf(token), id));
    } catch {
      return undefined;
    }
  }

  /** Removes a chat's files; the chat is gone, so nothing waits for it. */
  drop(token: string): void {
    rm(this.folderOf(token), { recursive: true, force: true }).catch(() => undefined);
  }

  close(): void {
    if (this.root !== undefined) rmSync(this.root, { recursive: true, force: true });
    this.root = undefined;
  }

  /** Tokens come from visitors' requests: hashed, they cannot name a path outside the shelf. */
  private folderOf(token: string): string {
    this.root ??= mkdtempSync(join(tmpdir(), `customerchat-files-${process.pid}-`));
    return join(this.root, createHash('sha256').update(token).digest('hex'));
  }
}
