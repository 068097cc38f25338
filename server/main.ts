import { ConfigError } from './config/load-config-file';
import { ResourceFileError } from './resources/resource-file-error';
import { startChatService } from './start/start-chat-service';
import { loadWebConfig, startCustomerChat } from './start/start-customer-chat';
import { createLogger } from './shared/logger';

/**
 * `npm start`. Without upstreamUrl in web.config.json: the Chat Service and CustomerChat in one
 * process, CustomerChat reaching the Chat Service over HTTP like any upstream. With it: CustomerChat
 * alone, in front of that server (the DMZ deployment).
 */
async function main(): Promise<void> {
  const logger = createLogger('customerchat');
  const web = loadWebConfig();
  const stoppers: Array<() => Promise<void>> = [];
  let upstreamUrl = web.config.upstreamUrl;
  if (upstreamUrl === undefined) {
    const chatService = await startChatService(logger);
    stoppers.push(() => chatService.stop());
    upstreamUrl = chatService.url;
  }
  const customerChat = await startCustomerChat(web, upstreamUrl, logger);
  stoppers.unshift(() => customerChat.stop());
  logger.info({ samplePage: `${customerChat.url}/CustomerChat/Chat` }, 'ready');
  const shutdown = () => {
    // Drain first: health says 503, the chats are handed over, the pages reconnect elsewhere.
    [() => customerChat.drain(), ...stoppers]
      .reduce((done, stop) => done.then(stop), Promise.resolve())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof ResourceFileError;
  process.stderr.write(
    known ? `${(error as Error).message}\n` : `Start-up failed: ${String(error)}\n`,
  );
  process.exit(1);
});
