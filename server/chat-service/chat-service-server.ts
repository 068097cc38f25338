import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { systemTime, type Time } from '../shared/clock';
import { silentLogger, type Logger } from '../shared/logger';
import type { ChatServiceConfig } from '../config/chat-service-config';
import { InMemoryChatArchive, type ChatArchive } from './archive/chat-archive';
import { AgentDesk, type TranscriptSender } from './domain/agent-desk';
import { AgentPresence } from './domain/agent-presence';
import { ContactCenter } from './domain/contact-center';
import { CustomerDesk } from './domain/customer-desk';
import { createChatServiceApp } from './http/chat-service-app';
import { emlOutboxSender } from './mail/eml-outbox';

export interface ChatServiceServerOptions {
  config: ChatServiceConfig;
  /** Folder that relative paths of the config (outbox, templates) are read from. */
  configDir?: string;
  time?: Time;
  logger?: Logger;
  archive?: ChatArchive;
  sendTranscript?: TranscriptSender;
  /** Overrides the config's Port (0: any free port, for tests). */
  port?: number;
  host?: string;
  trustProxy?: boolean;
}

export const chatServiceVersion = '0.1.0';

/** The reference Chat Service: its domain and its HTTP server, started and stopped as one. */
export class ChatServiceServer {
  readonly center: ContactCenter;
  readonly customerDesk: CustomerDesk;
  readonly agentDesk: AgentDesk;
  readonly agentPresence: AgentPresence;
  private readonly server: Server;
  private readonly logger: Logger;

  constructor(private readonly options: ChatServiceServerOptions) {
    const { config } = options;
    this.logger = options.logger ?? silentLogger;
    this.center = new ContactCenter({
      config,
      time: options.time ?? systemTime(),
      archive: options.archive ?? new InMemoryChatArchive(),
      logger: this.logger,
    });
    const outbox = resolve(options.configDir ?? '.', config.OutboxFolder);
    const senderFor = (groupId: number) =>
      this.center.group(groupId).config.Transcript.SenderAddress ?? '';
    this.customerDesk = new CustomerDesk(this.center);
    this.agentPresence = new AgentPresence(this.center);
    this.agentDesk = new AgentDesk(
      this.center,
      options.sendTranscript ?? emlOutboxSender(outbox, senderFor),
    );
    const app = createChatServiceApp({
      customerDesk: this.customerDesk,
      agentDesk: this.agentDesk,
      agentPresence: this.agentPresence,
      logger: this.logger,
      version: chatServiceVersion,
      // A byte array in JSON ("255,") takes up to 4 characters a byte; base64 takes 4 per 3.
      bodyLimitBytes: config.MaxAttachmentSize * 1024 * 4 + 64 * 1024,
      corsAllowedOrigins: config.CorsAllowedOrigins,
      trustProxy: options.trustProxy ?? false,
    });
    this.server = createServer(app);
  }

  async start(): Promise<{ host: string; port: number }> {
    const host = this.options.host ?? this.options.config.Host;
    const port = this.options.port ?? this.options.config.Port;
    await new Promise<void>((resolveListen, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolveListen();
      });
    });
    const address = this.server.address() as AddressInfo;
    this.logger.info({ host: address.address, port: address.port }, 'chat service listening');
    return { host: address.address, port: address.port };
  }

  get url(): string {
    const address = this.server.address() as AddressInfo | null;
    if (address === null) throw new Error('The Chat Service is not listening.');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
  }

  /** Ends every held request, timer and connection. */
  async stop(): Promise<void> {
    this.agentPresence.stop();
    this.center.stop();
    this.center.archive.close();
    await new Promise<void>((resolveClose) => {
      this.server.close(() => resolveClose());
      this.server.closeAllConnections();
    });
  }
}
