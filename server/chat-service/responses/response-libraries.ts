import { resolve } from 'node:path';
import type { Timers } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { ResponseNode, ServiceGroupConfig } from '../../config/chat-service-config';
import { ResponseLibrary } from './response-library';
import type { WatchFile } from './watch-file';

/** The response trees of the groups that have a responses file. */
export interface ResponseTrees {
  /** The group's tree from its file; undefined when the group has no ResponsesFile. */
  treeOf(groupId: number): readonly ResponseNode[] | undefined;
}

export interface ResponseLibrariesOptions {
  groups: readonly ServiceGroupConfig[];
  /** Folder that ResponsesFile paths are read from: the config file's. */
  configDir: string;
  timers: Timers;
  logger: Logger;
  watchFile?: WatchFile;
  debounceMs?: number;
}

/**
 * A ResponseLibrary per group with a ResponsesFile, all read when constructed (the first invalid
 * file throws), watched from watch() until stop().
 */
export class ResponseLibraries implements ResponseTrees {
  private readonly libraries = new Map<number, ResponseLibrary>();

  constructor(options: ResponseLibrariesOptions) {
    const { groups, configDir, ...libraryOptions } = options;
    for (const group of groups) {
      // Blank means none, as with a group's transcript Template.
      if (group.ResponsesFile == null || group.ResponsesFile === '') continue;
      const file = resolve(configDir, group.ResponsesFile);
      this.libraries.set(group.ServiceGroupID, new ResponseLibrary({ ...libraryOptions, file }));
    }
  }

  treeOf(groupId: number): readonly ResponseNode[] | undefined {
    return this.libraries.get(groupId)?.tree;
  }

  watch(): void {
    for (const library of this.libraries.values()) library.watch();
  }

  stop(): void {
    for (const library of this.libraries.values()) library.stop();
  }
}
