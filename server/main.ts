import { dirname, resolve } from 'node:path';
import { ConfigError, loadConfigFile } from './config/load-config-file';
import { ChatServiceConfigSchema } from './config/chat-service-config';
import { ChatServiceServer } from './chat-service/chat-service-server';
import { agentsWithDemoPasswords, isLoopbackHost } from './chat-service/auth/demo-passwords';
import { createLogger } from './shared/logger';

/** `npm start`: reads the config, starts the Chat Service, and stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const logger = createLogger('chat-service');
  const configFile = resolve(process.env['CHATSERVICE_CONFIG'] ?? 'chatservice.config.json');
  const config = loadConfigFile(configFile, ChatServiceConfigSchema);
  const demoAgents = agentsWithDemoPasswords(config.Agents);
  if (demoAgents.length > 0 && !isLoopbackHost(config.Host)) {
    logger.warn(
      { host: config.Host, agents: demoAgents },
      'demo passwords are in use on an address other than loopback: change them with `npm run hash-password`',
    );
  }
  const chatService = new ChatServiceServer({ config, configDir: dirname(configFile), logger });
  const { host, port } = await chatService.start();
  logger.info({ url: `http://${host}:${port}/ChatService` }, 'ready');
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
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
  process.exit(1);
});
