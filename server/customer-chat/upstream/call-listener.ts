import type { Logger } from '../../shared/logger';

/** A failing listener must not stop the chat's other events: its error is logged, not thrown. */
export function callListener(logger: Logger, chatId: string, callback: () => void): void {
  try {
    callback();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logger.error({ chatId, reason }, 'event listener failed');
  }
}
