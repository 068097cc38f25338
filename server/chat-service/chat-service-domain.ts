import type { Time } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { ChatServiceConfig } from '../config/chat-service-config';
import type { ChatArchive } from './archive/chat-archive';
import type { LiveStateStore } from './live-state/live-state-store';
import { AgentDesk, type TranscriptSender } from './domain/agent-desk';
import { AgentPresence } from './domain/agent-presence';
import { ContactCenter } from './domain/contact-center';
import { CustomerDesk } from './domain/customer-desk';
import type { ResponseTrees } from './responses/response-libraries';
import { LoginGuard, type HashUpgrade } from './auth/login-guard';
import type { HashParams } from './auth/password-hash';
import type { OfferObserver } from './metrics/offer-observer';

/** Where an upgraded password hash is kept in the live state, after the agent's ID. */
const upgradeKey = 'passwordUpgrade:';

function restoredUpgrades(meta: ReadonlyMap<string, unknown>): Map<string, HashUpgrade> {
  const upgrades = new Map<string, HashUpgrade>();
  for (const [key, value] of meta) {
    if (!key.startsWith(upgradeKey) || typeof value !== 'object' || value === null) continue;
    const { from, to } = value as Partial<HashUpgrade>;
    if (typeof from === 'string' && typeof to === 'string')
      upgrades.set(key.slice(upgradeKey.length), { from, to });
  }
  return upgrades;
}

export interface ChatServiceDomainOptions {
  config: ChatServiceConfig;
  time: Time;
  logger: Logger;
  archive: ChatArchive;
  liveState: LiveStateStore;
  sendTranscript: TranscriptSender;
  responseTrees: ResponseTrees;
  /** Parameters of new hashes. @default owaspArgon2id */
  passwordHashing?: HashParams;
  /** Told of offers made and lapsed (the metrics). */
  offerObserver?: OfferObserver;
}

export interface ChatServiceDomain {
  center: ContactCenter;
  customerDesk: CustomerDesk;
  agentDesk: AgentDesk;
  agentPresence: AgentPresence;
}

/**
 * The service's domain with what the live state holds restored: the chats, queues and log-ins of
 * before a restart or crash, their timers re-armed from the stored times, waiting chats offered again.
 */
export function createChatServiceDomain(options: ChatServiceDomainOptions): ChatServiceDomain {
  const image = options.liveState.load();
  const center = new ContactCenter(options);
  const customerDesk = new CustomerDesk(center);
  const loginGuard = new LoginGuard({
    clock: options.time,
    logger: options.logger,
    hashing: options.passwordHashing,
    exemptAddresses: options.config.RateLimits.ExemptAddresses,
    upgrades: restoredUpgrades(image.meta),
    onUpgrade: (agentId, upgrade) => options.liveState.putMeta(`${upgradeKey}${agentId}`, upgrade),
  });
  const agentPresence = new AgentPresence(center, options.liveState, loginGuard);
  center.restore(image);
  agentPresence.restore(image.sessions);
  const agentDesk = new AgentDesk(center, options.sendTranscript, options.responseTrees);
  return { center, customerDesk, agentDesk, agentPresence };
}
