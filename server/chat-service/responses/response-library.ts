import { readFileSync } from 'node:fs';
import type { TimerHandle, Timers } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { ResponseNode } from '../../config/chat-service-config';
import { parseResponses } from './parse-responses';
import { ResponsesFileError } from './responses-file-error';
import { watchFile, type FileWatcher, type WatchFile } from './watch-file';

export interface ResponseLibraryOptions {
  /** Absolute path of the responses file. */
  file: string;
  timers: Timers;
  logger: Logger;
  /** @default watchFile (fs.watch); tests inject one they trigger by hand. */
  watchFile?: WatchFile;
  /**
   * Quiet time after the last change event before the file is read again: one save is often
   * several events, and the first may come while the file is half written.
   * @default 300
   */
  debounceMs?: number;
}

/**
 * One responses file: read at start-up (an invalid file throws, stopping start-up), then read
 * again whenever it changes. A valid new version replaces the tree; an invalid one is logged and
 * the last good tree stays, so a slip while editing never empties the agents' responses.
 */
export class ResponseLibrary {
  private current: readonly ResponseNode[];
  private watcher: FileWatcher | undefined;
  private pendingReload: TimerHandle | undefined;

  constructor(private readonly options: ResponseLibraryOptions) {
    this.current = loadResponsesFile(options.file);
  }

  get tree(): readonly ResponseNode[] {
    return this.current;
  }

  /** Starts following changes to the file. */
  watch(): void {
    const { file, logger } = this.options;
    this.watcher = (this.options.watchFile ?? watchFile)(
      file,
      () => this.changed(),
      (error) =>
        logger.error(
          { file, error: error.message },
          'responses file can no longer be watched; changes are not picked up until a restart',
        ),
    );
  }

  /** Reads the file again now. */
  reload(): void {
    const { file, logger } = this.options;
    try {
      this.current = loadResponsesFile(file);
      logger.info({ file, items: this.current.length }, 'responses file reloaded');
    } catch (error) {
      if (!(error instanceof ResponsesFileError)) throw error;
      logger.error(
        { file, line: error.line, reason: error.reason },
        'responses file is invalid; keeping the last good responses',
      );
    }
  }

  /** Stops watching; a reload that was waiting for the debounce is dropped. */
  stop(): void {
    this.watcher?.close();
    this.watcher = undefined;
    if (this.pendingReload !== undefined) this.options.timers.clearTimeout(this.pendingReload);
    this.pendingReload = undefined;
  }

  private changed(): void {
    const { timers, debounceMs = 300 } = this.options;
    if (this.pendingReload !== undefined) timers.clearTimeout(this.pendingReload);
    this.pendingReload = timers.setTimeout(() => {
      this.pendingReload = undefined;
      this.reload();
    }, debounceMs);
  }
}

/** Reads and parses a responses file; every failure is a ResponsesFileError naming the file. */
export function loadResponsesFile(file: string): ResponseNode[] {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ResponsesFileError(file, null, `cannot be read (${(error as Error).message})`);
  }
  return parseResponses(source, file);
}
