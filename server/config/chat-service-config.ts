import { z } from 'zod';
import { extensionList } from './list-setting';

/**
 * chatservice.config.json: the Chat Service's parameters (the specification's registry values),
 * its tenants, service groups and agents. Each key has its default; see README for the reference.
 */

const fromField = z.enum(['phone', 'email', 'id']);

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected HH:MM');
const openingPeriod = z
  .object({ From: timeOfDay, To: timeOfDay })
  .refine((period) => period.From < period.To, 'From must be before To');

const weekday = z.enum(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);

export const OpeningHoursSchema = z.object({
  /** IANA time zone the hours are read in. */
  TimeZone: z
    .string()
    .refine(isKnownTimeZone, 'unknown time zone (use an IANA name such as Europe/Stockholm)'),
  /** Open periods per weekday; a day that is absent is closed all day. */
  Days: z.partialRecord(weekday, z.array(openingPeriod)),
});
export type OpeningHours = z.infer<typeof OpeningHoursSchema>;

export interface ResponseNode {
  Name: string;
  Text?: string | undefined;
  Children?: ResponseNode[] | undefined;
}
const ResponseNodeSchema: z.ZodType<ResponseNode> = z.lazy(() =>
  z.object({
    Name: z.string().min(1),
    Text: z.string().optional(),
    Children: z.array(ResponseNodeSchema).optional(),
  }),
);

const TranscriptSettingsSchema = z.object({
  /** Sender address; with none, agents of the group get no transcript option. */
  SenderAddress: z.email().nullish(),
  Subject: z.string().default(''),
  /** Path of a .txt, .htm or .html template, relative to the config file. */
  Template: z.string().default(''),
  OpenOnClose: z.boolean().default(false),
});

const ServiceGroupSchema = z.object({
  ServiceGroupID: z.number().int().positive(),
  Name: z.string().min(1),
  TenantID: z.number().int().default(-1),
  Email: z.email().nullish(),
  /** Sent with RequestChat's answer while the customer waits. */
  QueueMessage: z.string().default(''),
  /** Answered instead of a chat while the group is closed. */
  ClosedMessage: z.string().default(''),
  /** Seconds an agent has to accept an offered chat before it goes to the next agent. */
  OfferTimeoutSeconds: z.number().int().min(1).default(30),
  /** Closed while none of the group's agents is logged in. */
  ClosedWhenNoAgentsLoggedIn: z.boolean().default(true),
  /** Weekly opening hours; absent: open at all hours. */
  OpeningHours: OpeningHoursSchema.nullish(),
  Transcript: TranscriptSettingsSchema.prefault({}),
  /** Canned responses written in the config itself. */
  Responses: z.array(ResponseNodeSchema).default([]),
  /** A responses file (docs/responses-format.md), relative to the config file; wins over Responses. */
  ResponsesFile: z.string().nullish(),
});
export type ServiceGroupConfig = z.infer<typeof ServiceGroupSchema>;

export const AgentSchema = z.object({
  AgentID: z.string().min(1).max(64),
  Name: z.string().min(1),
  FirstName: z.string().default(''),
  LastName: z.string().default(''),
  /** Name shown to customers; the agent's Name when blank. */
  ChatName: z.string().default(''),
  /** argon2id hash made by `npm run hash-password` (or an older scrypt one, upgraded at log-in). */
  PasswordHash: z
    .string()
    .regex(
      /^(\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+|scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+)$/,
      {
        message:
          'expected a hash made by `npm run hash-password` ($argon2id$v=19$m=…,t=…,p=…$salt$hash)',
      },
    ),
  ServiceGroupIDs: z.array(z.number().int().positive()).min(1),
  MaxConcurrentChats: z.number().int().min(1).max(50).default(3),
  Email: z.email().nullish(),
  /** BCP 47 locale for dates and times shown to this agent (transcripts too). */
  Locale: z.string().default('en-US'),
});
export type AgentConfig = z.infer<typeof AgentSchema>;

const RateLimitsSchema = z.object({
  /** RequestChat calls a minute from one client address. */
  RequestChatPerMinute: z.number().int().min(1).default(30),
  /** Customer messages a minute in one chat. */
  MessagesPerMinute: z.number().int().min(1).default(120),
  /** Requests in progress at once from one address; past it, RateLimited. */
  ConcurrentRequestsPerAddress: z.number().int().min(1).default(32),
  /** Addresses not limited per address, such as a CustomerChat relay that speaks for many visitors. */
  ExemptAddresses: z.array(z.string()).default([]),
});

export const ChatServiceConfigSchema = z
  .object({
    /** Interface to listen on. */
    Host: z.string().default('0.0.0.0'),
    Port: z.number().int().min(0).max(65535).default(12616),
    /** Port of the Prometheus metrics listener (GET /metrics); null or absent: no metrics. */
    MetricsPort: z.number().int().min(0).max(65535).nullable().default(null),
    /** Interface of the metrics listener: loopback, so only the machine itself may scrape. */
    MetricsHost: z.string().default('127.0.0.1'),
    /** Seconds a customer may stay idle before the chat ends. */
    CustomerTimeout: z.number().int().min(1).default(900),
    /** Characters in one message. */
    MaxMessageLength: z.number().int().min(1).default(1024),
    /** KB in one attachment; 0 disables attachments. */
    MaxAttachmentSize: z.number().int().min(0).default(5120),
    /** Extensions allowed; empty allows every type not restricted. */
    AllowedAttachmentTypes: extensionList.default([]),
    /** Extensions refused; only read while AllowedAttachmentTypes is empty. */
    RestrictedAttachmentTypes: extensionList.default(['exe', 'bat', 'cmd', 'com', 'vbs']),
    /**
     * The agent console's details panel shows a chat's PrivateData. Off: PrivateData is for the
     * agent integration interface (GetChat), not for the agent's display.
     */
    ShowPrivateDataInConsole: z.boolean().default(false),
    /** Which customer detail is the archive's From field, first present wins. */
    FromPriority: z
      .union([
        z.string().transform((text) => text.split(',').map((item) => item.trim())),
        z.array(z.string()),
      ])
      .pipe(z.array(fromField).min(1))
      .default(['email', 'phone', 'id']),
    /**
     * The key CustomerChat shows (header X-Relay-Key) to send notices to agents (SendMessage with
     * System: true); the same as web.config.json's relayKey. Empty: nobody may send notices,
     * except the CustomerChat that npm start runs with it (it makes a key for both). Env
     * CHATSERVICE_RELAY_KEY wins.
     */
    RelayKey: z.string().default(''),
    /** Browser origins allowed to call /ChatService directly (CORS); none by default. */
    CorsAllowedOrigins: z.array(z.url()).default([]),
    /** Seconds without any request after which an agent's log-in ends. */
    AgentSessionTimeoutSeconds: z.number().int().min(10).default(300),
    /**
     * Seconds an agent's console may go without polling GetEvents before the agent counts as away:
     * offered no chats, and not counted for Open or the wait estimate.
     */
    AgentPresenceTimeoutSeconds: z.number().int().min(5).default(30),
    /**
     * Seconds an agent may stay away before the chats it holds are put back, first in their
     * queues, and their customers told; a console back before then carries on.
     */
    AgentAbsenceRequeueSeconds: z.number().int().min(10).default(120),
    /** Handled chats whose durations feed the wait-time estimate. */
    WaitTimeSampleSize: z.number().int().min(1).default(20),
    /** Longest GetEvents hold in milliseconds, whatever Timeout asks for. */
    MaxEventsTimeoutMs: z.number().int().min(1000).default(60000),
    RateLimits: RateLimitsSchema.prefault({}),
    /**
     * KB of request bodies held in memory by all requests together; a body that would go past it
     * is refused with ServiceBusy (503), which callers retry.
     */
    RequestBodiesInFlightKB: z.number().int().min(1024).default(24_576),
    Tenants: z
      .array(z.object({ TenantID: z.number().int(), Name: z.string().min(1) }))
      .default([{ TenantID: -1, Name: 'Default' }]),
    ServiceGroups: z.array(ServiceGroupSchema).min(1),
    Agents: z.array(AgentSchema).default([]),
    /** Folder for transcript e-mails written as .eml when no SMTP server is configured. */
    OutboxFolder: z.string().default('outbox'),
    /** SMTP server for transcript e-mails; none: they go to OutboxFolder. */
    Smtp: z
      .object({
        Host: z.string().min(1),
        Port: z.number().int().min(1).max(65535).default(587),
        /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
        Secure: z.boolean().default(false),
        User: z.string().nullish(),
        Password: z.string().nullish(),
      })
      .nullish(),
    /** SQLite file of the archive of ended chats, relative to the config file; ":memory:" keeps none. */
    ArchiveFile: z.string().default('data/archive.sqlite'),
    /**
     * SQLite file of the live chats, queues, event streams and log-ins, relative to the config file;
     * ":memory:" keeps them for the life of the process only.
     * @default beside ArchiveFile, its name with ".live" before the extension (":memory:" with it)
     */
    LiveStateFile: z.string().nullish(),
  })
  .superRefine((config, ctx) => {
    const tenantIds = new Set(config.Tenants.map((tenant) => tenant.TenantID));
    const groupIds = new Set<number>();
    const groupNames = new Set<string>();
    config.ServiceGroups.forEach((group, index) => {
      if (groupIds.has(group.ServiceGroupID)) {
        ctx.addIssue({
          code: 'custom',
          path: ['ServiceGroups', index, 'ServiceGroupID'],
          message: `duplicate ServiceGroupID ${group.ServiceGroupID}`,
        });
      }
      if (groupNames.has(group.Name.toLowerCase())) {
        ctx.addIssue({
          code: 'custom',
          path: ['ServiceGroups', index, 'Name'],
          message: `duplicate service group name "${group.Name}"`,
        });
      }
      if (!tenantIds.has(group.TenantID)) {
        ctx.addIssue({
          code: 'custom',
          path: ['ServiceGroups', index, 'TenantID'],
          message: `tenant ${group.TenantID} is not in Tenants`,
        });
      }
      groupIds.add(group.ServiceGroupID);
      groupNames.add(group.Name.toLowerCase());
    });
    const agentIds = new Set<string>();
    config.Agents.forEach((agent, index) => {
      if (agentIds.has(agent.AgentID.toLowerCase())) {
        ctx.addIssue({
          code: 'custom',
          path: ['Agents', index, 'AgentID'],
          message: `duplicate AgentID "${agent.AgentID}"`,
        });
      }
      agentIds.add(agent.AgentID.toLowerCase());
      agent.ServiceGroupIDs.forEach((groupId, groupIndex) => {
        if (!groupIds.has(groupId)) {
          ctx.addIssue({
            code: 'custom',
            path: ['Agents', index, 'ServiceGroupIDs', groupIndex],
            message: `service group ${groupId} is not in ServiceGroups`,
          });
        }
      });
    });
  });

export type ChatServiceConfig = z.output<typeof ChatServiceConfigSchema>;

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
