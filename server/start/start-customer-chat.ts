import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadConfigFile } from '../config/load-config-file';
import { WebConfigSchema, type WebConfig } from '../config/web-config';
import { webEnvironment, withEnvironment } from '../config/environment-settings';
import { loadResourceCatalog } from '../resources/resource-catalog';
import { CustomerChatServer } from '../customer-chat/customer-chat-server';
import { memoryEngine, redisEngine } from '../customer-chat/store/session-engine';
import { loadToolboxConfigFile } from '../customer-chat/http/toolbox-script';
import type { Logger } from '../shared/logger';

/** The project's root (where views/, public/ and the built toolbox are), from source or from dist. */
export const projectRoot = findProjectRoot(__dirname);

function findProjectRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return process.cwd();
}

/** web.config.json (or CUSTOMERCHAT_CONFIG), with the settings the environment gives. */
export function loadWebConfig(environment: NodeJS.ProcessEnv = process.env): {
  config: WebConfig;
  folder: string;
} {
  const file = resolve(environment['CUSTOMERCHAT_CONFIG'] ?? 'web.config.json');
  const config = loadConfigFile(file, WebConfigSchema, (json) =>
    withEnvironment(json, webEnvironment, environment),
  );
  return { config, folder: dirname(file) };
}

/** Starts CustomerChat in front of the Chat Service at upstreamUrl. */
export async function startCustomerChat(
  web: { config: WebConfig; folder: string },
  upstreamUrl: string,
  logger: Logger,
  options: { relayKey?: string } = {},
): Promise<CustomerChatServer> {
  const relayKey =
    options.relayKey ?? (process.env['CUSTOMERCHAT_RELAY_KEY'] || web.config.relayKey);
  if (relayKey === '')
    logger.warn(
      { setting: 'relayKey' },
      'no relay key: the Chat Service will refuse the notices to agents (customer left, back); set the same key as its RelayKey',
    );
  const resources = loadResourceCatalog(resolve(web.folder, web.config.resourcesFolder));
  const publicDir = join(projectRoot, 'public');
  const engine =
    web.config.redisUrl === undefined
      ? memoryEngine()
      : await redisEngine({ url: web.config.redisUrl, logger });
  const server = new CustomerChatServer({
    engine,
    config: web.config,
    upstreamUrl,
    resources,
    toolboxBundle: readFileSync(join(projectRoot, 'dist', 'client', 'toolbox.js'), 'utf8'),
    // Beside web.config.json, so each deployment keeps its own; read at start-up, no rebuild.
    toolboxDefaults: loadToolboxConfigFile(resolve(web.folder, 'toolbox.config.js')),
    toolboxTypes: readFileSync(join(projectRoot, 'client', 'toolbox', 'chat-toolbox.d.ts'), 'utf8'),
    viewsDir: join(projectRoot, 'views'),
    publicDir,
    samplePageScript: readFileSync(join(publicDir, 'sample-page.js'), 'utf8'),
    logger,
    relayKey,
  });
  await server.start();
  return server;
}
