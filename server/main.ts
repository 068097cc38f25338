import { randomBytes } from 'node:crypto';
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
  const shutdownBegun: Array<() => void> = [];
  let upstreamUrl = web.config.upstreamUrl;
  // In one process the two share a relay key: the configured one, or one made for this run.
  let relayKey: string | undefined;
  if (upstreamUrl === undefined) {
    relayKey =
      process.env['CUSTOMERCHAT_RELAY_KEY'] ||
      web.config.relayKey ||
      randomBytes(32).toString('base64url');
    const chatService = await startChatService(logger, { relayKey });
    stoppers.push(() => chatService.stop());
    shutdownBegun.push(() => chatService.beginShutdown());
    upstreamUrl = chatService.url;
  }
  const customerChat = await startCustomerChat(web, upstreamUrl, logger, { relayKey });
  stoppers.unshift(() => customerChat.stop());
  shutdownBegun.push(() => customerChat.beginShutdown());
  logger.info(
    {
      samplePage: `${customerChat.url}/CustomerChat/Chat`,
      metrics: customerChat.metricsUrl ?? 'off',
    },
    'ready',
  );
  const shutdown = () => {
    // Both readiness checks fail at once, before either server starts to stop; then CustomerChat
    // drains: its chats are handed over and the pages reconnect elsewhere.
    for (const begin of shutdownBegun) begin();
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
