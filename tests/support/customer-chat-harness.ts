import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { parseConfig } from '../../server/config/load-config-file';
import { WebConfigSchema } from '../../server/config/web-config';
import { CustomerChatServer } from '../../server/customer-chat/customer-chat-server';
import { loadToolboxConfigFile } from '../../server/customer-chat/http/toolbox-script';
import { loadResourceCatalog } from '../../server/resources/resource-catalog';
import { ManualTime } from '../../server/shared/manual-time';
import { silentLogger, type Logger } from '../../server/shared/logger';
import { redisEngine } from '../../server/customer-chat/store/session-engine';
import type { LoggedEvent } from '../../server/customer-chat/session/visitor-events';
import { startChatService, testRelayKey, type ChatServiceHarness } from './chat-service-harness';
import { TcpProxy } from './tcp-proxy';

const root = join(__dirname, '..', '..');

export type VisitorSocket = Socket;

export interface CustomerChatHarness {
  chatService: ChatServiceHarness;
  customerChat: CustomerChatServer;
  /** CustomerChat's clock: grace periods, notices and the pumps' back-off run on it. */
  time: ManualTime;
  url: string;
  /** Between CustomerChat and the Chat Service: cut() and restore() play an outage. */
  proxy: TcpProxy;
  /** A visitor's page: a connected socket (rejects when the handshake is refused). */
  visitor(options?: { origin?: string }): Promise<VisitorSocket>;
  stop(): Promise<void>;
}

export interface CustomerChatHarnessOptions {
  /**
   * web.config.json content merged over the defaults (appSettings, rateLimits …).
   */
  web?: Record<string, unknown>;
  /** chatservice.config.json overrides for the Chat Service behind it. */
  chatService?: Record<string, unknown>;
  /** The built toolbox script (browser tests); without it, a script that does nothing. */
  toolboxBundle?: string;
  /** An admin's toolbox.config.js to serve with the toolbox. */
  toolboxConfigFile?: string;
  /**
   * Something to put between the TCP proxy and the Chat Service (an HTTP proxy that hides a
   * method): started with the Chat Service's URL, it answers at the URL it gives back.
   */
  /** CustomerChat's logger (default: silent), for tests of what it logs. */
  logger?: Logger;
  /** Runs CustomerChat on the Redis engine at this URL (keys under a prefix of its own). */
  redisUrl?: string;
  inFrontOfChatService?: (
    chatServiceUrl: string,
  ) => Promise<{ url: string; stop(): Promise<void> }>;
}

/**
 * The real Chat Service and the real CustomerChat, both on free loopback ports, CustomerChat
 * reaching the Chat Service through a TCP proxy, each with its own ManualTime.
 */
export async function startCustomerChat(
  options: CustomerChatHarnessOptions = {},
): Promise<CustomerChatHarness> {
  const chatService = await startChatService({
    // CustomerChat speaks for every visitor from one address, as in production.
    RateLimits: { ExemptAddresses: ['127.0.0.1', '::ffff:127.0.0.1', '::1'] },
    ...options.chatService,
  });
  const front = await options.inFrontOfChatService?.(chatService.url);
  const proxy = new TcpProxy(Number(new URL(front?.url ?? chatService.url).port));
  await proxy.start();
  const time = new ManualTime();
  const config = parseConfig(
    'test web.config.json',
    { port: 0, host: '127.0.0.1', ...options.web },
    WebConfigSchema,
  );
  const engine =
    options.redisUrl === undefined
      ? undefined
      : await redisEngine({
          url: options.redisUrl,
          logger: silentLogger,
          keyPrefix: `harness-${randomBytes(4).toString('hex')}:`,
        });
  const customerChat = new CustomerChatServer({
    engine,
    config,
    upstreamUrl: proxy.url,
    resources: loadResourceCatalog(join(root, 'resources')),
    toolboxBundle: options.toolboxBundle ?? 'void 0;',
    toolboxDefaults:
      options.toolboxConfigFile === undefined
        ? {}
        : loadToolboxConfigFile(options.toolboxConfigFile),
    toolboxTypes: readFileSync(join(root, 'client', 'toolbox', 'chat-toolbox.d.ts'), 'utf8'),
    viewsDir: join(root, 'views'),
    publicDir: join(root, 'public'),
    samplePageScript: '',
    time,
    relayKey: testRelayKey,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  await customerChat.start();
  const url = customerChat.url;
  const sockets: VisitorSocket[] = [];
  return {
    chatService,
    customerChat,
    time,
    url,
    proxy,
    visitor(visitorOptions = {}) {
      const socket = io(url, {
        path: '/CustomerChat/socket.io',
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        extraHeaders: visitorOptions.origin === undefined ? {} : { origin: visitorOptions.origin },
      });
      sockets.push(socket);
      return new Promise((resolve, reject) => {
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', (error) => reject(error));
      });
    },
    async stop() {
      for (const socket of sockets) socket.disconnect();
      await customerChat.stop();
      await proxy.stop();
      await front?.stop();
      await chatService.stop();
    },
  };
}

/** Collects a page's conversation events as they arrive. */
/**
 * Timers CustomerChat's clock holds while it runs with nothing due: the next round of its cluster
 * duties (heartbeat, deadline sweep, leases).
 */
export const dutyTimers = 1;

/**
 * Lets what a clock advance set off finish: with the memory engine every step of a transition is
 * a resolved promise, so all of them have run before the next turn of the event loop.
 */
export function settled(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function recordEvents(socket: VisitorSocket): LoggedEvent[] {
  const events: LoggedEvent[] = [];
  socket.on('chat:event', (event: LoggedEvent) => events.push(event));
  return events;
}
