import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request } from 'express';
import { systemTime, type Time } from '../shared/clock';
import { silentLogger, type Logger } from '../shared/logger';
import type { AttachmentLimits } from '../shared/attachment-policy';
import type { WebConfig } from '../config/web-config';
import type { ResourceCatalog } from '../resources/resource-catalog';
import { format } from '../resources/resource-format';
import { chooseCulture } from '../resources/culture-negotiation';
import { SocketGateway, createVisitorServer, roomBroadcaster } from './gateway/socket-gateway';
import { ChatRelay, type ClusterTiming } from './relay/chat-relay';
import { createCustomerChatApp } from './http/customer-chat-app';
import { ToolboxScripts } from './http/toolbox-script';
import { agentOnlyTexts, type ToolboxConfig } from './gateway/toolbox-boot';
import { ChatServiceClient } from './upstream/chat-service-client';
import { chatCapacity, readOpenFileLimit } from './relay/chat-capacity';
import { BatchedEventFeed } from './upstream/batched-event-feed';
import type { EventFeed } from './upstream/event-feed';
import { PerChatEventFeed } from './upstream/per-chat-event-feed';
import { memoryEngine, type SessionEngine } from './store/session-engine';

export interface CustomerChatServerOptions {
  config: WebConfig;
  /** The Chat Service to relay to (web.config.json's upstreamUrl, or the embedded one). */
  upstreamUrl: string;
  resources: ResourceCatalog;
  toolboxBundle: string;
  /** The admin's Mitel.ChatToolbox.Config defaults (toolbox.config.js); none: the built-in ones. */
  toolboxDefaults?: Partial<ToolboxConfig>;
  viewsDir: string;
  publicDir: string;
  samplePageScript: string;
  /** Where the chats live: @default the memory engine (one instance). Closed by stop(). */
  engine?: SessionEngine;
  /** Overrides the cluster's timing (tests). */
  cluster?: Partial<ClusterTiming>;
  time?: Time;
  logger?: Logger;
  /** Overrides the config's port (0: any free port, for tests). */
  port?: number;
  host?: string;
}

/** How long the Chat Service's limits are reused before they are asked again. */
const limitsCacheMs = 60_000;

const defaultCluster: ClusterTiming = { tickMs: 1000, leaseMs: 4000, handoverMs: 5000 };

/**
 * CustomerChat: the express app, the socket gateway and the relay on one HTTP server; one of any
 * number of instances when its engine is Redis.
 */
export class CustomerChatServer {
  readonly relay: ChatRelay;
  readonly client: ChatServiceClient;
  readonly engine: SessionEngine;
  /** This instance among those sharing the engine. */
  readonly instanceId = randomBytes(6).toString('hex');
  private readonly feed: EventFeed;
  private readonly server: Server;
  private readonly gateway: SocketGateway;
  private readonly logger: Logger;
  private cachedLimits: { at: number; limits: AttachmentLimits } | undefined;
  private draining = false;
  private listening = false;

  constructor(private readonly options: CustomerChatServerOptions) {
    const { config, resources } = options;
    const time = options.time ?? systemTime();
    this.logger = options.logger ?? silentLogger;
    this.client = new ChatServiceClient({ baseUrl: options.upstreamUrl });
    const batchSize = config.upstreamEventBatchSize;
    const feedOptions = { source: this.client, timers: time, logger: this.logger };
    this.feed =
      batchSize > 1
        ? new BatchedEventFeed({ ...feedOptions, batchSize, coalesceTimers: systemTime() })
        : new PerChatEventFeed(feedOptions);
    this.engine = options.engine ?? memoryEngine();
    const allowedHosts = config.appSettings.CrossDomainAllowIpAddress;
    const io = createVisitorServer({
      allowedHosts,
      maxMessageBytes: config.maxSocketMessageBytes,
      accepting: () => !this.draining,
    });
    this.engine.attach(io);
    const agentNotices = resources.strings(config.agentNoticeCulture);
    const openFileLimit = readOpenFileLimit();
    this.relay = new ChatRelay({
      client: this.client,
      store: this.engine.store,
      feed: this.feed,
      time,
      settings: config.appSettings,
      rateLimits: config.rateLimits,
      maxChats: () =>
        config.maxChats ??
        (openFileLimit === undefined
          ? Infinity
          : chatCapacity(openFileLimit, this.feed.chatsPerPoll)),
      noticeText: (notice, secondsLeft) => format(agentNotices[notice], secondsLeft),
      pages: roomBroadcaster(io),
      instanceId: this.instanceId,
      cluster: { ...defaultCluster, ...options.cluster },
      logger: this.logger,
    });
    this.gateway = new SocketGateway({
      io,
      relay: this.relay,
      trustProxy: config.trustProxy,
      logger: this.logger,
    });
    this.engine.onAvailability((available) => this.gateway.localAvailability(available));
    const cultureOf = (req: Request, language?: string) =>
      chooseCulture(
        // The neutral texts are English: an English browser gets them, not its second language.
        { language, acceptLanguage: req.get('accept-language') ?? null, neutralLanguage: 'en' },
        resources.cultures(),
      );
    const app = createCustomerChatApp({
      relay: this.relay,
      toolbox: new ToolboxScripts({
        bundle: options.toolboxBundle,
        defaults: options.toolboxDefaults ?? {},
        stringsFor: (culture) => ({
          culture,
          rightToLeft: resources.isRightToLeft(culture),
          // The agents' notices would only weigh down every page.
          strings: Object.fromEntries(
            Object.entries(resources.strings(culture)).filter(
              ([name]) => !agentOnlyTexts.includes(name),
            ),
          ),
        }),
      }),
      cultureOf,
      limits: () => this.attachmentLimits(time),
      health: async () => {
        if (this.draining)
          return { status: 'draining', upstream: 'up', liveChats: this.relay.liveChats };
        const up = await this.client.getVersion().then(
          () => true,
          () => false,
        );
        return {
          status: up ? 'ok' : 'degraded',
          upstream: up ? 'up' : 'down',
          liveChats: this.relay.liveChats,
        };
      },
      allowedHosts,
      trustProxy: config.trustProxy,
      viewsDir: options.viewsDir,
      publicDir: options.publicDir,
      samplePageScript: options.samplePageScript,
      logger: this.logger,
    });
    this.server = createServer(app);
    io.attach(this.server);
  }

  async start(): Promise<{ host: string; port: number }> {
    const host = this.options.host ?? this.options.config.host;
    const port = this.options.port ?? this.options.config.port;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        // Once listening, an error (EMFILE when accepting past the open-file limit) refuses that
        // one connection; it must not take down every chat on the server.
        this.server.on('error', (error) => this.logger.error({ err: error }, 'server error'));
        resolve();
      });
    });
    this.listening = true;
    await this.relay.start();
    const address = this.server.address() as AddressInfo;
    this.logger.info(
      {
        host: address.address,
        port: address.port,
        upstream: this.options.upstreamUrl,
        engine: this.engine.name,
        instance: this.instanceId,
      },
      'customer chat listening',
    );
    return { host: address.address, port: address.port };
  }

  get url(): string {
    const address = this.server.address() as AddressInfo | null;
    if (address === null) throw new Error('CustomerChat is not listening.');
    const host =
      address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
    return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  }

  /**
   * SIGTERM: health answers 503 and no new socket is taken from the first moment; the chats are
   * handed over (Redis: leases and pages go to the other instances; memory: no one could take
   * them, so the visitor and the agent are told they ended); then the listener closes and the
   * pages are disconnected, so that they reconnect elsewhere. stop() follows.
   */
  async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    this.logger.info({ engine: this.engine.name, chats: this.relay.liveChats }, 'draining');
    if (this.engine.name === 'redis') await this.relay.handOver();
    else await this.relay.endAll();
    // Refused from now on, a reconnecting page goes to another instance (nginx: next upstream).
    this.closeListener();
    this.server.closeIdleConnections();
    this.gateway.drain();
  }

  async stop(): Promise<void> {
    await this.relay.stop();
    await this.feed.close();
    await this.gateway.close();
    await new Promise<void>((resolve) => {
      if (!this.closeListener(resolve)) resolve();
      this.server.closeAllConnections();
    });
    await this.client.close();
    await this.engine.close();
  }

  /** Stops taking connections; false when it had already stopped. */
  private closeListener(closed?: () => void): boolean {
    if (!this.listening) return false;
    this.listening = false;
    this.server.close(() => closed?.());
    return true;
  }

  private async attachmentLimits(time: Time): Promise<AttachmentLimits> {
    const now = time.now();
    if (this.cachedLimits !== undefined && now - this.cachedLimits.at < limitsCacheMs)
      return this.cachedLimits.limits;
    const config = await this.client.getChatConfiguration();
    const limits = {
      maxBytes: config.MaxAttachmentSize,
      allowedTypes: config.AllowedAttachmentTypes,
      restrictedTypes: config.RestrictedAttachmentTypes,
    };
    this.cachedLimits = { at: now, limits };
    return limits;
  }
}
