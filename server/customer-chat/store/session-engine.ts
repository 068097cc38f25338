import { createShardedAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import type { Server } from 'socket.io';
import { ConfigError } from '../../config/load-config-file';
import type { Logger } from '../../shared/logger';
import { MemorySessionStore } from './memory-session-store';
import { RedisSessionStore } from './redis-session-store';
import type { SessionStore } from './session-store';
import { guardedStore } from './store-unavailable';

/**
 * Where the chats live and how instances reach each other's pages: the memory engine (one
 * instance) or the Redis engine (any number), chosen by web.config.json's redisUrl.
 */
export interface SessionEngine {
  readonly name: 'memory' | 'redis';
  readonly store: SessionStore;
  /** Lets socket.io rooms span every instance (nothing to do for one instance). */
  attach(io: Server): void;
  /** Hears once when the store goes away (false) and once when it is back (true). */
  onAvailability(listener: (available: boolean) => void): void;
  /** Answers when the engine's server does (readiness); none for the memory engine. */
  probe?(): Promise<unknown>;
  close(): Promise<void>;
}

export function memoryEngine(): SessionEngine {
  const store = new MemorySessionStore();
  return {
    name: 'memory',
    store,
    attach: () => undefined,
    onAvailability: () => undefined,
    close: () => store.close(),
  };
}

export interface RedisEngineOptions {
  url: string;
  logger: Logger;
  /** @default 'customerchat:' */
  keyPrefix?: string;
  /** @default 3000: how long start-up waits for Redis. */
  connectTimeoutMs?: number;
}

/** redisUrl without its password, for logs and errors. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * Connects to Redis, or fails with a ConfigError naming redisUrl. Commands fail at once while
 * Redis is away (no offline queue: a visitor is told "unavailable for now" rather than left
 * waiting); the connection comes back by itself.
 */
export async function redisEngine(options: RedisEngineOptions): Promise<SessionEngine> {
  const { url, logger } = options;
  const shown = redactedUrl(url);
  const commands = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: options.connectTimeoutMs ?? 3000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  commands.on('error', (error: Error) => logger.debug({ err: error.message }, 'redis error'));
  try {
    await commands.connect();
    await commands.ping();
  } catch (error) {
    commands.disconnect();
    throw new ConfigError(
      `redisUrl ${shown}: Redis cannot be reached (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const listeners: Array<(available: boolean) => void> = [];
  let available = true;
  commands.on('close', () => {
    if (!available) return;
    available = false;
    logger.warn({ redis: shown }, 'Redis connection lost: chats are unavailable until it is back');
    for (const listener of listeners) listener(false);
  });
  commands.on('ready', () => {
    if (available) return;
    available = true;
    logger.info({ redis: shown }, 'Redis connection back');
    for (const listener of listeners) listener(true);
  });
  // The adapter's clients queue while Redis is away, so no broadcast throws; the sessions are
  // read back from the store on reconnect anyway. A subscribed connection cannot answer the ready
  // check's INFO when it reconnects: it goes without.
  const adapterClient = {
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    lazyConnect: false,
  };
  const pub = commands.duplicate(adapterClient);
  const sub = commands.duplicate({ ...adapterClient, enableReadyCheck: false });
  for (const client of [pub, sub])
    client.on('error', (error: Error) =>
      logger.debug({ err: error.message }, 'redis adapter error'),
    );
  const store = guardedStore(new RedisSessionStore(commands, options.keyPrefix));
  return {
    name: 'redis',
    store,
    // The sharded adapter (Redis 7 SPUBLISH/SSUBSCRIBE) with one channel per namespace: every
    // instance hears every chat's events and hands them to its own pages in that chat's room.
    // Per-room channels ('dynamic') cost Redis less, but a room's channel is subscribed only after
    // a page joins, so an event sent just after a page resumed on a new instance could be missed
    // (the failover bench lost one in 15,000 that way). bench/adapter-choice.mjs measured it
    // against the streams adapter: same latency, half the Redis CPU.
    attach: (io) => {
      io.adapter(
        createShardedAdapter(pub, sub, {
          channelPrefix: `${options.keyPrefix ?? 'customerchat:'}io`,
          subscriptionMode: 'static',
        }),
      );
    },
    onAvailability: (listener) => listeners.push(listener),
    probe: () => commands.ping(),
    close: async () => {
      await Promise.all(
        [commands, pub, sub].map((client) => client.quit().catch(() => client.disconnect())),
      );
    },
  };
}
