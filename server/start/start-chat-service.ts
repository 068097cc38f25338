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
export async function startChatService(logger: Logger): Promise<ChatServiceServer> {
  const { config, configFile } = loadChatServiceConfig();
  const demoAgents = agentsWithDemoPasswords(config.Agents);
  if (demoAgents.length > 0 && !isLoopbackHost(config.Host)) {
    logger.warn(
      { host: config.Host, agents: demoAgents },
      'demo passwords are in use on an address other than loopback: change them with `npm run hash-password`',
    );
  }
  const chatService = new ChatServiceServer({ config, configDir: dirname(configFile), logger });
  await chatService.start();
  return chatService;
}
