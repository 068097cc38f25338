import { resolve } from 'node:path';
import { InMemoryChatArchive, type ChatArchive } from './chat-archive';
import { SqliteChatArchive } from './sqlite-chat-archive';

/**
 * The archive the config's ArchiveFile names, read relative to the config's folder; `':memory:'`
 * keeps ended chats for the life of the process only.
 */
export function openChatArchive(archiveFile: string, configDir: string): ChatArchive {
  return archiveFile === ':memory:'
    ? new InMemoryChatArchive()
    : new SqliteChatArchive(resolve(configDir, archiveFile));
}
