import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request } from 'express';
import { systemTime, type Time } from '../shared/clock';
import { silentLogger, type Logger } from '../shared/logger';
import type { WebConfig } from '../config/web-config';
import type { ResourceCatalog } from '../resources/resource-catalog';
import { format } from '../resources/resource-format';
import { chooseCulture } from '../resources/culture-negotiation';
import { SocketGateway } from './gateway/socket-gateway';
import {
  countSocketsPerAddress,
  createVisitorServer,
  roomBroadcaster,
} from './gateway/visitor-server';
import { OriginRefusalLog } from './gateway/origin-refusal-log';
import { SocketsPerAddress } from './gateway/sockets-per-address';
import { ChatRelay, type ClusterTiming } from './relay/chat-relay';
import { createCustomerChatApp } from './http/customer-chat-app';
import { ToolboxScripts, toolboxStrings } from './http/toolbox-script';
import type { ToolboxConfig } from './gateway/toolbox-boot';
import type { ChatServiceClient } from './upstream/chat-service-client';
import type { UpstreamWatch } from './upstream/upstream-watch';
import { ServiceAttachmentLimits } from './upstream/service-attachment-limits';
import { watchedClient } from './upstream/watched-client';
import { chatCapacity, readOpenFileLimit } from './relay/chat-capacity';
import { BatchedEventFeed } from './upstream/batched-event-feed';
import type { EventFeed } from './upstream/event-feed';
import { PerChatEventFeed } from './upstream/per-chat-event-feed';
import { UploadDesk } from './http/upload-desk';
import { siteLimits } from './http/upload-limits';
import { MetricsServer } from '../shared/metrics-server';
import { CustomerChatMetrics } from './metrics/customer-chat-metrics';
import { countingFeed } from './metrics/counting-feed';
import { relayStats } from './metrics/relay-stats';
import { checkReadiness, type ReadinessDependency, type ReadinessReport } from './readiness';
import { memoryEngine, type SessionEngine } from './store/session-engine';

export interface CustomerChatServerOptions {
  config: WebConfig;
  /** The Chat Service to relay to (web.config.json's upstreamUrl, or the embedded one). */
  upstreamUrl: string;
  resources: ResourceCatalog;
  toolboxBundle: string;
  /** The admin's Mitel.ChatToolbox.Config defaults (toolbox.config.js); none: the built-in ones. */
  toolboxDefaults?: Partial<ToolboxConfig>;
  /** client/toolbox/chat-toolbox.d.ts, served at /CustomerChat/Chat/Toolbox.d.ts; none: 404. */
  toolboxTypes?: string;
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
  /** Proves CustomerChat's notices to the Chat Service; overrides the config's relayKey. */
  relayKey?: string;
}

/** Longest wait for each dependency of a readiness check. */
const readinessTimeoutMs = 1000;

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
  private readonly upstreamWatch: UpstreamWatch;
  private readonly server: Server;
  private readonly gateway: SocketGateway;
  private readonly logger: Logger;
  private readonly uploads: UploadDesk;
  /** Only with a metricsPort: without one, nothing is counted. */
  private readonly metrics: { registry: CustomerChatMetrics; server: MetricsServer } | undefined;
  private shuttingDown = false;
  private draining = false;
  private listening = false;

  constructor(private readonly options: CustomerChatServerOptions) {
    const { config, resources } = options;
    const time = options.time ?? systemTime();
    this.logger = options.logger ?? silentLogger;
    const metrics =
      config.metricsPort === null
        ? undefined
        : new CustomerChatMetrics(
            relayStats(
              () => this.relay,
              () => this.gateway,
            ),
          );
    this.metrics =
      metrics === undefined
        ? undefined
        : { registry: metrics, server: new MetricsServer(metrics.registry, this.logger) };
    ({ client: this.client, watch: this.upstreamWatch } = watchedClient({
      baseUrl: options.upstreamUrl,
      relayKey: options.relayKey ?? config.relayKey,
      sendWindowMs: config.upstreamSendRetrySeconds * 1000,
      observer: metrics,
      onAvailability: (available) => this.gateway.localAvailability('upstream', available),
      logger: this.logger,
    }));
    const uploadSettings = config.uploads;
    this.uploads = new UploadDesk({
      quotas: {
        perChat: uploadSettings.maxConcurrentPerChat,
        perAddress: uploadSettings.maxConcurrentPerAddress,
        bytesPerChat: uploadSettings.maxBytesPerChat,
      },
      isKnown: (token) => this.relay.isLive(token),
      timers: time,
      logger: this.logger,
    });
    const batchSize = config.upstreamEventBatchSize;
    const feedOptions = { source: this.client, timers: time, logger: this.logger };
    const feed =
      batchSize > 1
        ? new BatchedEventFeed({ ...feedOptions, batchSize, coalesceTimers: systemTime() })
        : new PerChatEventFeed(feedOptions);
    this.feed = metrics === undefined ? feed : countingFeed(feed, metrics.messageToVisitor);
    this.engine = options.engine ?? memoryEngine();
    const allowedHosts = config.appSettings.CrossDomainAllowIpAddress;
    const sockets = new SocketsPerAddress(config.maxSocketsPerAddress);
    const refusals = new OriginRefusalLog({ clock: time, logger: this.logger });
    const io = createVisitorServer({
      allowedHosts,
      maxMessageBytes: config.maxSocketMessageBytes,
      sockets,
      trustProxy: config.trustProxy,
      accepting: () => !this.draining,
      onOriginRefused: (origin) => refusals.refused(origin),
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
      ...(metrics === undefined ? {} : { observer: metrics }),
    });
    this.gateway = new SocketGateway({
      io,
      relay: this.relay,
      trustProxy: config.trustProxy,
      logger: this.logger,
    });
    this.engine.onAvailability((available) => this.gateway.localAvailability('store', available));
    const cultureOf = (req: Request, language?: string) =>
      chooseCulture(
        // The neutral texts are English: an English browser gets them, not its second language.
        { language, acceptLanguage: req.get('accept-language') ?? null, neutralLanguage: 'en' },
        resources.cultures(),
      );
    const serviceLimits = new ServiceAttachmentLimits(this.client, time);
    const app = createCustomerChatApp({
      relay: this.relay,
      toolbox: new ToolboxScripts({
        bundle: options.toolboxBundle,
        defaults: options.toolboxDefaults ?? {},
        asksCustomerDetails: !config.appSettings.IgnoreCustomerDetails,
        sendWindowSeconds: config.upstreamSendRetrySeconds,
        types: options.toolboxTypes,
        stringsFor: (culture) => toolboxStrings(resources, culture),
      }),
      cultureOf,
      limits: () => serviceLimits.current(),
      siteLimits: siteLimits(options.toolboxDefaults ?? {}),
      uploads: this.uploads,
      readiness: () => this.readiness(),
      allowedHosts,
      trustProxy: config.trustProxy,
      viewsDir: options.viewsDir,
      publicDir: options.publicDir,
      samplePageScript: options.samplePageScript,
      logger: this.logger,
    });
    this.server = createServer(app);
    io.attach(this.server);
    countSocketsPerAddress(io, sockets, config.trustProxy);
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
    this.upstreamWatch.start();
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
    const { metricsHost, metricsPort } = this.options.config;
    if (this.metrics !== undefined && metricsPort !== null)
      await this.metrics.server.start(metricsHost, metricsPort);
    return { host: address.address, port: address.port };
  }

  /** Where Prometheus scrapes this server; undefined without a metricsPort. */
  get metricsUrl(): string | undefined {
    return this.metrics?.server.url;
  }

  /** Readiness turns 503 from here on; stop() calls it too, a composition root may call it first. */
  beginShutdown(): void {
    this.shuttingDown = true;
  }

  /** Whether new visitors should be sent here: the Chat Service answers, and Redis when used. */
  readiness(): Promise<ReadinessReport> {
    const probeEngine = this.engine.probe?.bind(this.engine);
    const dependencies: ReadinessDependency[] = [
      { name: 'upstream', probe: () => this.client.getVersion(readinessTimeoutMs) },
      ...(probeEngine === undefined ? [] : [{ name: 'redis' as const, probe: probeEngine }]),
    ];
    return checkReadiness({
      dependencies,
      timeoutMs: readinessTimeoutMs,
      shuttingDown: () => this.shuttingDown || this.draining,
      liveChats: () => this.relay.liveChats,
    });
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
    this.beginShutdown();
    await this.metrics?.server.stop();
    this.upstreamWatch.stop();
    await this.relay.stop();
    await this.feed.close();
    await this.gateway.close();
    await new Promise<void>((resolve) => {
      if (!this.closeListener(resolve)) resolve();
      this.server.closeAllConnections();
    });
    await this.client.close();
    this.uploads.close();
    await this.engine.close();
  }

  /** Stops taking connections; false when it had already stopped. */
  private closeListener(closed?: () => void): boolean {
    if (!this.listening) return false;
    this.listening = false;
    this.server.close(() => closed?.());
    return true;
  }
}
