import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { parseConfig } from '../../server/config/load-config-file';
import { WebConfigSchema } from '../../server/config/web-config';
import { CustomerChatServer } from '../../server/customer-chat/customer-chat-server';
import { loadResourceCatalog } from '../../server/resources/resource-catalog';
import { launchBrowser } from './browser';
import { ChatServiceProcess } from './chat-service-process';
import { HostSite, buildToolbox } from './toolbox-host';

const root = join(__dirname, '..', '..');
const relayKey = 'dmz-relay-key-0123456789';

export interface DmzToolboxBed {
  /** The Chat Service in its own OS process (pause() and resume() stall it). */
  service: ChatServiceProcess;
  customerChat: CustomerChatServer;
  site: HostSite;
  browser: Browser;
  /** A fresh browser profile: one visitor. */
  visitor(): Promise<{ context: BrowserContext; page: Page }>;
  stop(): Promise<void>;
}

/**
 * The DMZ deployment: the Chat Service as a separate process, CustomerChat alone in front of it on
 * real time (its retries and its watch of the upstream run as in production), the real toolbox on
 * a host site of another origin, and Chromium.
 */
export async function startDmzToolboxBed(): Promise<DmzToolboxBed> {
  const service = new ChatServiceProcess({ overrides: { RelayKey: relayKey } });
  await service.start();
  const config = parseConfig(
    'test web.config.json',
    {
      port: 0,
      host: '127.0.0.1',
      rateLimits: { requestChatPerMinute: 1000 },
      appSettings: { CrossDomainAllowIpAddress: 'localhost' },
    },
    WebConfigSchema,
  );
  const customerChat = new CustomerChatServer({
    config,
    upstreamUrl: service.url,
    resources: loadResourceCatalog(join(root, 'resources')),
    toolboxBundle: buildToolbox(),
    toolboxTypes: readFileSync(join(root, 'client', 'toolbox', 'chat-toolbox.d.ts'), 'utf8'),
    viewsDir: join(root, 'views'),
    publicDir: join(root, 'public'),
    samplePageScript: '',
    relayKey,
  });
  await customerChat.start();
  const site = new HostSite(customerChat.url);
  await site.start();
  const browser = await launchBrowser();
  const contexts: BrowserContext[] = [];
  return {
    service,
    customerChat,
    site,
    browser,
    async visitor() {
      const context = await browser.newContext({ locale: 'en-GB' });
      contexts.push(context);
      return { context, page: await context.newPage() };
    },
    async stop() {
      for (const context of contexts) await context.close();
      await browser.close();
      await site.stop();
      // A stalled service would hold CustomerChat's shutdown.
      service.resume();
      await customerChat.stop();
      await service.stop();
    },
  };
}
