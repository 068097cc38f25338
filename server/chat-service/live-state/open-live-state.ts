import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Logger } from '../../shared/logger';
import type { LiveStateStore } from './live-state-store';
import { MemoryLiveState } from './memory-live-state';
import { SqliteLiveState } from './sqlite-live-state';

/** LiveStateFile, or its default beside ArchiveFile: `data/archive.sqlite` → `data/archive.live.sqlite`. */
export function liveStateFileOf(
  liveStateFile: string | null | undefined,
  archiveFile: string,
): string {
  if (liveStateFile != null) return liveStateFile;
  if (archiveFile === ':memory:') return ':memory:';
  const extension = extname(archiveFile);
  return join(
    dirname(archiveFile),
    `${basename(archiveFile, extension)}.live${extension || '.sqlite'}`,
  );
}

/** The live state the config names, read relative to the config's folder. */
export function openLiveState(file: string, configDir: string, logger: Logger): LiveStateStore {
  const onError = (error: Error) => logger.error({ err: error }, 'live state not committed');
  return file === ':memory:'
    ? new MemoryLiveState(onError)
    : new SqliteLiveState(resolve(configDir, file), onError);
}
