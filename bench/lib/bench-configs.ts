import { hashPassword } from '../../server/chat-service/auth/password-hash';

/**
 * The configs the bench gives both servers: one service group, as many agents as the scenario
 * needs, limits high enough that only capacity limits the run, and every address on loopback.
 */

export const benchGroupId = 1;
export const benchPassword = 'bench-agent-password';
export const benchAgentId = (index: number) => `bench-agent-${index}`;

/** Shared by the two servers of a run, so CustomerChat's notices to agents are taken. */
const benchRelayKey = 'bench-relay-key';
/**
 * At the parameters of new hashes: a weaker one would be upgraded after each agent's first
 * log-in, spending the hash's time on the service's cores while it is measured.
 */
let cachedHash: string | undefined;
const passwordHash = () => (cachedHash ??= hashPassword(benchPassword));

const loopback = ['127.0.0.1', '::1', '::ffff:127.0.0.1'];
/** "Generous": no limit the bench can reach, in the schema's integer range. */
const unlimited = 1_000_000_000;

export function agentsFor(chats: number, chatsPerAgent: number): number {
  // A little spare, so the last chats of a ramp never wait for a slot.
  return Math.ceil((chats * 1.02) / chatsPerAgent) + 1;
}

export function chatServiceConfig(input: {
  port: number;
  agents: number;
  chatsPerAgent: number;
  outboxFolder: string;
  /** The SQLite file of the live state, so its commits are measured; ":memory:" by default. */
  liveStateFile?: string;
  /** null: no metrics kept. */
  metricsPort?: number | null;
}): Record<string, unknown> {
  return {
    Host: '127.0.0.1',
    Port: input.port,
    RelayKey: benchRelayKey,
    MetricsPort: input.metricsPort ?? null,
    // An idle chat of the capacity scenario must outlive the run.
    CustomerTimeout: 24 * 3600,
    AgentSessionTimeoutSeconds: 3600,
    RateLimits: {
      RequestChatPerMinute: unlimited,
      MessagesPerMinute: unlimited,
      ExemptAddresses: loopback,
    },
    ArchiveFile: ':memory:',
    LiveStateFile: input.liveStateFile ?? ':memory:',
    OutboxFolder: input.outboxFolder,
    ServiceGroups: [
      {
        ServiceGroupID: benchGroupId,
        Name: 'Bench',
        QueueMessage: 'Queued for the bench',
        OfferTimeoutSeconds: 60,
      },
    ],
    Agents: Array.from({ length: input.agents }, (_unused, index) => ({
      AgentID: benchAgentId(index),
      Name: `Bench Agent ${index}`,
      ChatName: `Agent ${index}`,
      PasswordHash: passwordHash(),
      ServiceGroupIDs: [benchGroupId],
      MaxConcurrentChats: input.chatsPerAgent,
    })),
  };
}

export function webConfig(input: {
  port: number;
  upstreamUrl: string;
  resourcesFolder: string;
  /** 0: CustomerChat's default. */
  eventBatchSize?: number;
  /** null: no metrics kept. */
  metricsPort?: number | null;
}): Record<string, unknown> {
  return {
    metricsPort: input.metricsPort ?? null,
    ...(input.eventBatchSize ? { upstreamEventBatchSize: input.eventBatchSize } : {}),
    appSettings: {
      // The toolbox scenario's host page is served from another port of 127.0.0.1.
      CrossDomainAllowIpAddress: '127.0.0.1, localhost',
    },
    upstreamUrl: input.upstreamUrl,
    relayKey: benchRelayKey,
    host: '127.0.0.1',
    port: input.port,
    resourcesFolder: input.resourcesFolder,
    rateLimits: { requestChatPerMinute: unlimited, messagesPerMinute: unlimited },
    // Every visitor of the bench comes from a few loopback addresses.
    maxSocketsPerAddress: unlimited,
  };
}
