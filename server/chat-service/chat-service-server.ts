import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemTime, type Time } from '../shared/clock';
import { silentLogger, type Logger } from '../shared/logger';
import type { ChatServiceConfig } from '../config/chat-service-config';
import type { ChatArchive } from './archive/chat-archive';
import { openChatArchive } from './archive/open-chat-archive';
import type { AgentDesk, TranscriptSender } from './domain/agent-desk';
import type { AgentPresence } from './domain/agent-presence';
import type { ContactCenter } from './domain/contact-center';
import type { CustomerDesk } from './domain/customer-desk';
import { createChatServiceDomain } from './chat-service-domain';
import { relayKeyCheck } from './auth/relay-key';
import type { HashParams } from './auth/password-hash';
import { createChatServiceApp } from './http/chat-service-app';
import { RequestLimits } from './http/request-limits';
import { ResponseLibraries } from './responses/response-libraries';
import type { WatchFile } from './responses/watch-file';
import type { LiveStateStore } from './live-state/live-state-store';
import { liveStateFileOf, openLiveState } from './live-state/open-live-state';
import { TranscriptMailer } from './mail/transcript-mailer';
import { mailTransport } from './mail/mail-transports';
import { offlineMessageMailer } from './mail/offline-message-mailer';
import { OfflineDesk } from './domain/offline-desk';
import { RatingDesk } from './domain/rating-desk';
import { MetricsServer } from '../shared/metrics-server';
import { ChatServiceMetrics } from './metrics/chat-service-metrics';
import { instrumentMethods } from './metrics/instrument-methods';
import { rosterStats } from './metrics/roster-stats';
import { timedArchive } from './metrics/timed-archive';
import type { ChatServiceReadiness } from './http/health-routes';
import type { AgentConsoleFiles } from './http/agent-console-route';

/** How long an idle connection stays open (the Keep-Alive header tells clients). */
const keepAliveMs = 65_000;
export interface ChatServiceServerOptions {
  config: ChatServiceConfig;
  /** Folder that relative paths of the config (outbox, templates) are read from. */
  configDir?: string;
  time?: Time;
  logger?: Logger;
  /** @default the config's ArchiveFile (SQLite; ':memory:' keeps chats in memory only) */
  archive?: ChatArchive;
  /**
   * Live chats, queues, event streams and log-ins; what it holds is restored at construction.
   * @default the config's LiveStateFile (SQLite; ':memory:' for the life of the process)
   */
  liveState?: LiveStateStore;
  /** Watches responses files for changes; tests inject one to trigger reloads. */
  watchResponsesFile?: WatchFile;
  sendTranscript?: TranscriptSender;
  /** The agent console's files. @default defaultAgentConsoleFiles() */
  agentConsole?: AgentConsoleFiles;
  /** Overrides the config's Port (0: any free port, for tests). */
  port?: number;
  host?: string;
  trustProxy?: boolean;
  /** Parameters of upgraded hashes and of unknown IDs' checks. @default owaspArgon2id */
  passwordHashing?: HashParams;
  /** The key CustomerChat shows to send notices to agents; overrides the config's RelayKey. */
  relayKey?: string;
}

export const chatServiceVersion = '0.1.0';

/** The reference Chat Service: its domain and its HTTP server, started and stopped as one. */
export class ChatServiceServer {
  readonly center: ContactCenter;
  readonly customerDesk: CustomerDesk;
  readonly offlineDesk: OfflineDesk;
  readonly ratingDesk: RatingDesk;
  readonly agentDesk: AgentDesk;
  readonly agentPresence: AgentPresence;
  private readonly responses: ResponseLibraries;
  private readonly server: Server;
  private readonly logger: Logger;
  private readonly liveState: LiveStateStore;
  private stopping: Promise<void> | undefined;
  /** Only with a MetricsPort: without one, nothing is counted. */
  private readonly metrics: { registry: ChatServiceMetrics; server: MetricsServer } | undefined;
  private shuttingDown = false;

  constructor(private readonly options: ChatServiceServerOptions) {
    const { config } = options;
    this.logger = options.logger ?? silentLogger;
    const time = options.time ?? systemTime();
    const configDir = options.configDir ?? '.';
    // Before anything starts: a broken transcript template stops start-up here, leaving no timer.
    const sendTranscript =
      options.sendTranscript ??
      new TranscriptMailer({ config, configDir, clock: time, logger: this.logger }).send;
    // Likewise an invalid responses file or an unreadable archive (opened as the center's option).
    this.responses = new ResponseLibraries({
      groups: config.ServiceGroups,
      configDir,
      timers: time,
      logger: this.logger,
      watchFile: options.watchResponsesFile,
    });
    // The live state first: a second Chat Service on the same files stops here, having changed nothing.
    this.liveState =
      options.liveState ??
      openLiveState(
        liveStateFileOf(config.LiveStateFile, config.ArchiveFile),
        configDir,
        this.logger,
      );
    const archive = options.archive ?? openChatArchive(config.ArchiveFile, configDir);
    // The center is made next, with the metrics; they read it from the first scrape on.
    const metrics =
      config.MetricsPort === null
        ? undefined
        : new ChatServiceMetrics({ groups: () => rosterStats(this.center).groups() });
    this.metrics =
      metrics === undefined
        ? undefined
        : { registry: metrics, server: new MetricsServer(metrics.registry, this.logger) };
    const domain = createChatServiceDomain({
      config,
      time,
      logger: this.logger,
      archive: metrics === undefined ? archive : timedArchive(archive, metrics),
      liveState: this.liveState,
      sendTranscript,
      responseTrees: this.responses,
      passwordHashing: options.passwordHashing,
      ...(metrics === undefined ? {} : { offerObserver: metrics }),
    });
    this.center = domain.center;
    this.customerDesk = domain.customerDesk;
    this.offlineDesk = new OfflineDesk({
      center: this.center,
      send: offlineMessageMailer(mailTransport(config, configDir, this.logger)),
      newMessageId: randomUUID,
    });
    this.ratingDesk = new RatingDesk(this.center);
    this.agentDesk = domain.agentDesk;
    this.agentPresence = domain.agentPresence;
    const commit = () => this.liveState.commit();
    const app = createChatServiceApp({
      customerDesk: this.customerDesk,
      offlineDesk: this.offlineDesk,
      ratingDesk: this.ratingDesk,
      agentDesk: this.agentDesk,
      agentPresence: this.agentPresence,
      consoleSettings: {
        showPrivateData: config.ShowPrivateDataInConsole,
        maxAttachmentBytes: config.MaxAttachmentSize * 1024,
        allowedAttachmentTypes: config.AllowedAttachmentTypes.map((type) => type.toLowerCase()),
        restrictedAttachmentTypes: config.RestrictedAttachmentTypes.map((type) =>
          type.toLowerCase(),
        ),
      },
      logger: this.logger,
      version: chatServiceVersion,
      // A byte array in JSON ("255,") takes up to 4 characters a byte; base64 takes 4 per 3.
      attachmentBodyLimitBytes: config.MaxAttachmentSize * 1024 * 4 + 64 * 1024,
      bodyLimitBytes: 256 * 1024,
      limits: new RequestLimits({
        perAddress: config.RateLimits.ConcurrentRequestsPerAddress,
        bodyBytesInFlight: config.RequestBodiesInFlightKB * 1024,
        exemptAddresses: config.RateLimits.ExemptAddresses,
      }),
      corsAllowedOrigins: config.CorsAllowedOrigins,
      trustProxy: options.trustProxy ?? false,
      commit,
      isRelayKey: relayKeyCheck(options.relayKey ?? config.RelayKey),
      ...(metrics === undefined
        ? {}
        : { instrumentMethods: (api, table) => instrumentMethods(api, table, metrics, commit) }),
      readiness: () => this.readiness(),
      ...(options.agentConsole === undefined ? {} : { agentConsole: options.agentConsole }),
    });
    this.server = createServer(app);
    // CustomerChat keeps its connections here open between requests. Node's 5 s leaves a client
    // that stalls for 2 s writing on a socket the server is closing (ECONNRESET, then a retry);
    // a minute, as load balancers keep theirs, makes that rare.
    this.server.keepAliveTimeout = keepAliveMs;
  }

  async start(): Promise<{ host: string; port: number }> {
    const host = this.options.host ?? this.options.config.Host;
    const port = this.options.port ?? this.options.config.Port;
    await new Promise<void>((resolveListen, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        // Once listening, an error (EMFILE when accepting past the open-file limit) refuses that
        // one connection; it must not take down every chat on the server.
        this.server.on('error', (error) => this.logger.error({ err: error }, 'server error'));
        resolveListen();
      });
    });
    this.responses.watch();
    const address = this.server.address() as AddressInfo;
    this.logger.info({ host: address.address, port: address.port }, 'chat service listening');
    const { MetricsHost, MetricsPort } = this.options.config;
    if (this.metrics !== undefined && MetricsPort !== null)
      await this.metrics.server.start(MetricsHost, MetricsPort);
    return { host: address.address, port: address.port };
  }

  /** Where Prometheus scrapes this server; undefined without a MetricsPort. */
  get metricsUrl(): string | undefined {
    return this.metrics?.server.url;
  }

  /** Readiness turns 503 from here on; stop() calls it too, a composition root may call it first. */
  beginShutdown(): void {
    this.shuttingDown = true;
  }

  readiness(): ChatServiceReadiness {
    if (this.shuttingDown) return { status: 'unavailable', shuttingDown: true };
    try {
      this.center.archive.checkWritable();
      return { status: 'ready', database: 'writable', shuttingDown: false };
    } catch (error) {
      this.logger.warn({ err: String(error) }, 'readiness: the database cannot be written');
      return { status: 'unavailable', database: 'unwritable', shuttingDown: false };
    }
  }

  get url(): string {
    const address = this.server.address() as AddressInfo | null;
    if (address === null) throw new Error('The Chat Service is not listening.');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
  }

  /**
   * Drains: takes no new connection, answers the held long-polls with what they have, commits,
   * then ends every timer, connection and file. Chats stay as they are, to be restored at the next
   * start. Calling it again waits for the same stop.
   */
  stop(): Promise<void> {
    this.stopping ??= this.drain();
    return this.stopping;
  }

  private async drain(): Promise<void> {
    this.beginShutdown();
    const closed = new Promise<void>((resolveClose) => this.server.close(() => resolveClose()));
    await this.metrics?.server.stop();
    this.responses.stop();
    this.agentPresence.stop();
    this.center.stop();
    await this.liveState.commit();
    // The answers of the woken long-polls are written once their commit resolved: a turn later.
    await new Promise<void>((resolveTurn) => setImmediate(resolveTurn));
    this.liveState.close();
    this.center.archive.close();
    this.server.closeIdleConnections();
    this.server.closeAllConnections();
    await closed;
  }
}
