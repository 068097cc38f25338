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
   * Most live chats at once; past it a chat request is refused (the visitor is asked to try again)
   * rather than the server running out of open files. Absent: as many as the open-file limit fits.
   */
  maxChats: z.number().int().min(1).optional(),
  host: z.string().default('0.0.0.0'),
  port: z.number().int().min(0).max(65535).default(8080),
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
  /** Largest socket.io message in bytes (attachments go over HTTP, not the socket). */
  maxSocketMessageBytes: z
    .number()
    .int()
    .min(1024)
    .default(64 * 1024),
});

export type WebConfig = z.output<typeof WebConfigSchema>;
export type AppSettings = WebConfig['appSettings'];

/** Environment variables that override a key of web.config.json (for N instances of one file). */
export const webConfigEnvironment = {
  CUSTOMERCHAT_REDIS_URL: 'redisUrl',
  CUSTOMERCHAT_PORT: 'port',
} as const;

/** The keys the environment sets, as web.config.json would write them. */
export function webConfigOverrides(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  const overrides: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(webConfigEnvironment)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    overrides[key] = key === 'port' ? Number(value) : value;
  }
  return overrides;
}
