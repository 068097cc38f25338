import { closeSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * The change log as plain files beside the live state's database: `live.sqlite-changes.<n>`, one
 * line a committed batch (change-log.ts's encodeLogRow). Appending a line is one write(2) and no
 * transaction, so a commit costs a system call; once written, the line is in the OS's cache, so
 * `kill -9` loses none of it (an OS crash may lose the last few, as SQLite's synchronous=NORMAL).
 * Each fold starts a new file (generation) and folds the one before as a whole; a file is removed
 * once the database records its generation as folded.
 */
export class ChangeLogFiles {
  private readonly folder: string;
  private readonly prefix: string;
  private fd: number | null = null;
  private current: number;
  /**
   * The generations with a file: read from the folder once, then kept as files are made and
   * removed (the database's lock keeps every other process away), so that removing the folded
   * ones after each fold lists no folder.
   */
  private readonly onDisk: Set<number>;

  constructor(databaseFile: string) {
    this.folder = dirname(databaseFile);
    this.prefix = `${basename(databaseFile)}-changes.`;
    this.onDisk = new Set(
      readdirSync(this.folder)
        .filter((name) => name.startsWith(this.prefix))
        .map((name) => Number(name.slice(this.prefix.length)))
        .filter((generation) => Number.isSafeInteger(generation) && generation > 0),
    );
    this.current = Math.max(0, ...this.onDisk) + 1;
  }

  /**
   * Numbers the next file after this generation too: one the database records as folded, whose
   * file is gone, must never be numbered again (its rows would be taken as folded).
   */
  numberAfter(generation: number): void {
    this.current = Math.max(this.current, generation + 1);
  }

  /** The generations on disk, oldest first. */
  generations(): number[] {
    return [...this.onDisk].sort((a, b) => a - b);
  }

  /**
   * The rows of one generation. A last line without its newline was being written when the
   * process died: its batch was never answered, so it is left out.
   */
  read(generation: number): string[] {
    const lines = readFileSync(this.path(generation), 'utf8').split('\n');
    lines.pop();
    return lines;
  }

  /** Appends one row, all of it or (throwing) none that a later row follows. */
  append(row: string): void {
    const line = `${row}\n`;
    if (this.fd === null) {
      this.fd = openSync(this.path(this.current), 'a');
      this.onDisk.add(this.current);
    }
    try {
      // The string is encoded straight into the write; only a short write (rare, on a full disk
      // or a signal) needs the bytes, to write the rest of them.
      let written = writeSync(this.fd, line);
      if (written < Buffer.byteLength(line)) {
        const bytes = Buffer.from(line);
        while (written < bytes.length)
          written += writeSync(this.fd, bytes, written, bytes.length - written);
      }
    } catch (error) {
      // What was written of the row stays the file's torn last line; later rows go to a new one.
      this.rotate();
      throw error;
    }
  }

  /** Closes the current generation and returns it; later rows go to the next one. */
  rotate(): number {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.current += 1;
    return this.current - 1;
  }

  /** Removes the files of these generations and every older one. */
  remove(upTo: number): void {
    for (const generation of this.onDisk)
      if (generation <= upTo) {
        rmSync(this.path(generation), { force: true });
        this.onDisk.delete(generation);
      }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private path(generation: number): string {
    return join(this.folder, `${this.prefix}${generation}`);
  }
}
