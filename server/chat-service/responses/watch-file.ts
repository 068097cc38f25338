import { watch } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface FileWatcher {
  close(): void;
}

/**
 * Calls `onChange` whenever the file may have changed (written, replaced or removed), possibly
 * several times for one save; `onError` when it can no longer be watched.
 */
export type WatchFile = (
  file: string,
  onChange: () => void,
  onError: (error: Error) => void,
) => FileWatcher;

/** The real watcher, on fs.watch. */
export const watchFile: WatchFile = (file, onChange, onError) => {
  // The folder rather than the file: editors that save by renaming a new file over the old one
  // would leave a watch on the file itself following the replaced original.
  const name = basename(file);
  const watcher = watch(dirname(file), (_event, changed) => {
    if (changed === null || changed === name) onChange();
  });
  watcher.on('error', onError);
  return { close: () => watcher.close() };
};
