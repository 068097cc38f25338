import { performance } from 'node:perf_hooks';
import type { ChatArchive } from '../archive/chat-archive';
import type { ChatServiceMetrics } from './chat-service-metrics';

/** The archive, with the time of each write of an ended chat measured. */
export function timedArchive(archive: ChatArchive, metrics: ChatServiceMetrics): ChatArchive {
  return {
    save(chat) {
      const started = performance.now();
      try {
        archive.save(chat);
      } finally {
        metrics.archiveWritten((performance.now() - started) / 1000);
      }
    },
    get: (chatId) => archive.get(chatId),
    search: (query) => archive.search(query),
    rate: (chatId, rating) => archive.rate(chatId, rating),
    ratingsByGroup: (groups) => archive.ratingsByGroup(groups),
    saveOfflineMessage: (message) => archive.saveOfflineMessage(message),
    offlineMessages: (groups, limit) => archive.offlineMessages(groups, limit),
    checkWritable: () => archive.checkWritable(),
    close: () => archive.close(),
  };
}
