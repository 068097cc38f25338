import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TimerHandle, Timers } from '../../shared/clock';
import { clientKey } from '../../shared/client-key';
import type { Logger } from '../../shared/logger';

export interface UploadQuotas {
  /** Uploads of one chat streaming at once. @default 2 */
  perChat: number;
  /** Uploads from one address (an IPv6 /64) streaming at once. @default 4 */
  perAddress: number;
  /** Bytes one chat may upload in all. @default 16 MiB */
  bytesPerChat: number;
}

export interface UploadDeskOptions {
  quotas: UploadQuotas;
  /** Whether a chat token may still upload or download (its chat is live or in its post-chat time). */
  isKnown: (token: string) => Promise<boolean>;
  timers: Timers;
  logger: Logger;
  /** Where the temporary folders go. @default the system's temp folder */
  tempRoot?: string;
}

/** One upload in progress: a temp file in its chat's folder, counted against the chat's bytes. */
export interface UploadSlot {
  readonly path: string;
  /** Counts bytes as they arrive; false when the chat would pass its total. */
  take(bytes: number): boolean;
  /** Frees the slot; bytes of an upload that was not kept no longer count. */
  finish(kept: boolean): Promise<void>;
}

export type UploadRefusal = 'chatBusy' | 'addressBusy' | 'chatFull';

interface ChatUploads {
  active: number;
  bytes: number;
  folder: string;
}

const sweepIntervalMs = 60_000;

/**
 * Who may upload now, and where the bytes go while they arrive: a temp folder per chat, a file
 * per upload, so an upload never sits in memory. A file is removed once relayed (or refused), its
 * chat's folder and counts once the chat is forgotten (the sweep); close() removes everything.
 */
export class UploadDesk {
  private readonly root: string;
  private readonly chats = new Map<string, ChatUploads>();
  private readonly addresses = new Map<string, number>();
  private sweep: TimerHandle | undefined;

  constructor(private readonly options: UploadDeskOptions) {
    this.root = mkdtempSync(join(options.tempRoot ?? tmpdir(), 'customerchat-uploads-'));
  }

  async open(token: string, address: string): Promise<UploadSlot | UploadRefusal> {
    const { quotas } = this.options;
    const key = clientKey(address);
    const chat = this.chats.get(token) ?? {
      active: 0,
      bytes: 0,
      folder: join(this.root, randomBytes(12).toString('hex')),
    };
    if (chat.active >= quotas.perChat) return 'chatBusy';
    if ((this.addresses.get(key) ?? 0) >= quotas.perAddress) return 'addressBusy';
    if (chat.bytes >= quotas.bytesPerChat) return 'chatFull';
    chat.active += 1;
    this.chats.set(token, chat);
    if (this.sweep === undefined) this.armSweep();
    this.addresses.set(key, (this.addresses.get(key) ?? 0) + 1);
    const path = join(chat.folder, randomBytes(12).toString('hex'));
    let counted = 0;
    let finished = false;
    const slot: UploadSlot = {
      path,
      take: (bytes) => {
        if (chat.bytes + bytes > quotas.bytesPerChat) return false;
        chat.bytes += bytes;
        counted += bytes;
        return true;
      },
      finish: async (kept) => {
        if (finished) return;
        finished = true;
        if (!kept) chat.bytes -= counted;
        chat.active -= 1;
        const left = (this.addresses.get(key) ?? 1) - 1;
        if (left === 0) this.addresses.delete(key);
        else this.addresses.set(key, left);
        await rm(path, { force: true });
      },
    };
    try {
      await mkdir(chat.folder, { recursive: true });
    } catch (error) {
      await slot.finish(false);
      throw error;
    }
    return slot;
  }

  /** Stops the sweep and removes every temp file. */
  close(): void {
    if (this.sweep !== undefined) this.options.timers.clearTimeout(this.sweep);
    this.sweep = undefined;
    this.chats.clear();
    this.addresses.clear();
    rmSync(this.root, { recursive: true, force: true });
  }

  /** Runs while any chat has uploaded, so an idle desk leaves no timer. */
  private armSweep(): void {
    this.sweep = this.options.timers.setTimeout(() => {
      this.sweep = undefined;
      void this.sweepOnce();
    }, sweepIntervalMs);
  }

  private async sweepOnce(): Promise<void> {
    for (const [token, chat] of [...this.chats]) {
      if (chat.active > 0) continue;
      // A store that cannot answer keeps the files: they go at a later sweep.
      const known = await this.options.isKnown(token).catch(() => true);
      if (known || chat.active > 0 || this.chats.get(token) !== chat) continue;
      this.chats.delete(token);
      await this.removeFolder(chat);
    }
    if (this.chats.size > 0 && this.sweep === undefined) this.armSweep();
  }

  private async removeFolder(chat: ChatUploads): Promise<void> {
    try {
      await rm(chat.folder, { recursive: true, force: true });
    } catch (error) {
      this.options.logger.warn({ err: error }, 'an upload folder could not be removed');
    }
  }
}
