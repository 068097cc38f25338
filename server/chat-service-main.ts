import { ConfigError } from './config/load-config-file';
import { startChatService } from './start/start-chat-service';
import { createLogger } from './shared/logger';

/** `npm run start:chat-service`: the Chat Service alone, for the internal side of a DMZ set-up. */
async function main(): Promise<void> {
  const logger = createLogger('chat-service');
  const chatService = await startChatService(logger);
  logger.info({ url: `${chatService.url}/ChatService` }, 'ready');
  const shutdown = () => {
    chatService.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof ConfigError ? `${error.message}\n` : `Start-up failed: ${String(error)}\n`,
  );
  process.exit(1);
});
