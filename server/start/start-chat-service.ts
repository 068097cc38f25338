import { dirname, resolve } from 'node:path';
import { loadConfigFile } from '../config/load-config-file';
import { ChatServiceConfigSchema, type ChatServiceConfig } from '../config/chat-service-config';
import { chatServiceEnvironment, withEnvironment } from '../config/environment-settings';
import { ChatServiceServer } from '../chat-service/chat-service-server';
import { agentsWithDemoPasswords, isLoopbackHost } from '../chat-service/auth/demo-passwords';
import type { Logger } from '../shared/logger';

/** chatservice.config.json (or CHATSERVICE_CONFIG), with the settings the environment gives. */
export function loadChatServiceConfig(environment: NodeJS.ProcessEnv = process.env): {
  config: ChatServiceConfig;
  configFile: string;
} {
  const configFile = resolve(environment['CHATSERVICE_CONFIG'] ?? 'chatservice.config.json');
  const config = loadConfigFile(configFile, ChatServiceConfigSchema, (json) =>
    withEnvironment(json, chatServiceEnvironment, environment),
  );
  return { config, configFile };
}

/** Loads chatservice.config.json (or CHATSERVICE_CONFIG) and starts the Chat Service. */
export async function startChatService(
  logger: Logger,
  options: { relayKey?: string } = {},
): Promise<ChatServiceServer> {
  const { config, configFile } = loadChatServiceConfig();
  // Only a service reachable from elsewhere is at risk, and each check costs a hash's time.
  const demoAgents = isLoopbackHost(config.Host)
    ? []
    : await agentsWithDemoPasswords(config.Agents);
  if (demoAgents.length > 0) {
    logger.warn(
      { host: config.Host, agents: demoAgents },
      'demo passwords are in use on an address other than loopback: change them with `npm run hash-password`',
    );
  }
  const chatService = new ChatServiceServer({
    config,
    configDir: dirname(configFile),
    logger,
    relayKey: options.relayKey ?? relayKeyOf(config.RelayKey),
  });
  await chatService.start();
  return chatService;
}

/** CHATSERVICE_RELAY_KEY over the config's RelayKey. */
export function relayKeyOf(configured: string): string {
  return process.env['CHATSERVICE_RELAY_KEY'] || configured;
}
