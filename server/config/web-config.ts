import { z } from 'zod';

/** web.config.json keeps .NET's habit of writing every appSetting as text: take both. */
const wholeSeconds = z.coerce.number().int().min(0);
const flag = z.union([
  z.boolean(),
  z.enum(['true', 'false', 'True', 'False']).transform((text) => text.toLowerCase() === 'true'),
]);
const commaList = z
  .union([z.string(), z.array(z.union([z.string(), z.number()]))])
  .transform((value) => (typeof value === 'string' ? value.split(',') : value.map(String)))
  .transform((items) => items.map((item) => item.trim()).filter((item) => item !== ''));

const AppSettingsSchema = z
  .object({
    /** Seconds a chat stays alive after the visitor's last page closed; back in time resumes it. */
    CustomerDisconnectTimeoutSeconds: wholeSeconds.default(60),
    /** The agent is warned this many seconds before that end. */
    AgentWarningCustomerDisconnectTimeoutSeconds: wholeSeconds.default(20),
    /**
     * Beyond the specification: the agent hears CustomerLeft only once the visitor has been gone
     * this long (and CustomerBack only after it), so page navigations and reloads tell it nothing.
     */
    CustomerLeftNoticeDelaySeconds: wholeSeconds.default(5),
    /** Drop name, e-mail and phone before RequestChat. */
    IgnoreCustomerDetails: flag.default(false),
    /** Service group IDs whose chat requests are refused here, never reaching the Chat Service. */
    ServiceGroupIDsToReject: commaList
      .pipe(z.array(z.string().regex(/^-?\d+$/, 'expected service group IDs (whole numbers)')))
      .transform((ids) => ids.map(Number))
      .default([]),
    /** Host names or IP addresses of other sites allowed to embed the toolbox (CORS and sockets). */
    CrossDomainAllowIpAddress: commaList
      .transform((hosts) => hosts.map((host) => host.toLowerCase()))
      .default([]),
    /**
     * Beyond the specification: a CustomerID counts as verified only with the page's hash of it
     * (hex HMAC-SHA256 under this secret, made by the website's server). "": nothing is verified.
     */
    IdentityVerificationSecret: z.string().default(''),
    /** A chat request whose CustomerID is not verified is refused. */
    RequireIdentityVerification: flag.default(false),
  })
  .refine(
    (settings) =>
      settings.AgentWarningCustomerDisconnectTimeoutSeconds <=
      settings.CustomerDisconnectTimeoutSeconds,
    {
      message:
        'AgentWarningCustomerDisconnectTimeoutSeconds must not exceed CustomerDisconnectTimeoutSeconds',
      path: ['AgentWarningCustomerDisconnectTimeoutSeconds'],
    },
  )
  .refine(
    (settings) =>
      !settings.RequireIdentityVerification || settings.IdentityVerificationSecret !== '',
    {
      message: 'RequireIdentityVerification needs an IdentityVerificationSecret',
      path: ['RequireIdentityVerification'],
    },
  );

export const WebConfigSchema = z.object({
  appSettings: AppSettingsSchema.prefault({}),
  /** The Chat Service to relay to. Absent: npm start runs the embedded one and relays to it. */
  upstreamUrl: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * Redis shared by every CustomerChat instance (redis:// or rediss://); environment
   * CUSTOMERCHAT_REDIS_URL overrides it. Absent: the memory engine, for a single instance.
   */
  redisUrl: z.url({ protocol: /^rediss?$/ }).optional(),
  /**
   * Chats whose events share one long-poll to the Chat Service (its GetEventsBatch extension);
   * 1 asks for each chat's events on its own, as every Chat Service understands.
   */
  upstreamEventBatchSize: z.number().int().min(1).max(500).default(32),
  /**
   * How long a visitor's message is tried again while the Chat Service is away or slow (under the
   * same ClientMessageID, so it is delivered once) before the visitor is told it failed; 0: a few
   * quick retries only.
   */
  upstreamSendRetrySeconds: z.number().int().min(0).max(300).default(30),
  /**
   * Most live chats at once; past it a chat request is refused (the visitor is asked to try again)
   * rather than the server running out of open files. Absent: as many as the open-file limit fits.
   */
  maxChats: z.number().int().min(1).optional(),
  host: z.string().default('0.0.0.0'),
  port: z.number().int().min(0).max(65535).default(8080),
  /** Port of the Prometheus metrics listener (GET /metrics); null or absent: no metrics. */
  metricsPort: z.number().int().min(0).max(65535).nullable().default(null),
  /** Interface of the metrics listener: loopback, so only the machine itself may scrape. */
  metricsHost: z.string().default('127.0.0.1'),
  /** Behind a reverse proxy: read the visitor's address from X-Forwarded-For. */
  trustProxy: z.boolean().default(false),
  /** Culture of the notices sent to agents (CustomerLeft and the others); '' is the neutral text. */
  agentNoticeCulture: z.string().default(''),
  /** Folder of Toolbox*.resx, relative to this file. */
  resourcesFolder: z.string().default('resources'),
  rateLimits: z
    .object({
      /** Chat requests a minute from one visitor address. */
      requestChatPerMinute: z.number().int().min(1).default(6),
      /** Messages a minute from one visitor. */
      messagesPerMinute: z.number().int().min(1).default(60),
    })
    .prefault({}),
  /** Visitors' uploads: how many stream at once, and how much one chat may send in all. */
  uploads: z
    .object({
      /** Uploads of one chat streaming at once. */
      maxConcurrentPerChat: z.number().int().min(1).default(2),
      /** Uploads from one address (IPv6: one /64) streaming at once. */
      maxConcurrentPerAddress: z.number().int().min(1).default(4),
      /** Bytes of files one chat may upload in all. */
      maxBytesPerChat: z
        .number()
        .int()
        .min(0)
        .default(16 * 1024 * 1024),
    })
    .prefault({}),
  /**
   * The key CustomerChat shows the Chat Service (header X-Relay-Key) so that its notices to agents
   * (System messages) are believed; the same as the Chat Service's RelayKey. Env
   * CUSTOMERCHAT_RELAY_KEY wins. Empty with the embedded Chat Service: npm start makes one.
   */
  relayKey: z.string().default(''),
  /** Largest socket.io message in bytes (attachments go over HTTP, not the socket). */
  maxSocketMessageBytes: z
    .number()
    .int()
    .min(1024)
    .default(64 * 1024),
  /**
   * Visitor sockets one address (IPv6: one /64) may hold open on an instance: far above what an
   * office behind one NAT opens (a page or two per visitor), far below what exhausts the instance.
   */
  maxSocketsPerAddress: z.number().int().min(1).default(500),
});

export type WebConfig = z.output<typeof WebConfigSchema>;
export type AppSettings = WebConfig['appSettings'];
