import { ServiceFault } from '../../protocol/faults';
import { systemTime } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import {
  ChatServiceClient,
  type ChatServiceClientOptions,
  type UpstreamObserver,
} from './chat-service-client';
import { UpstreamWatch } from './upstream-watch';

export interface WatchedClientOptions extends Pick<
  ChatServiceClientOptions,
  'baseUrl' | 'relayKey' | 'sendWindowMs'
> {
  /** Also told of every attempt (the metrics). */
  observer: UpstreamObserver | undefined;
  /** Told once when the Chat Service stops answering, once when it answers again. */
  onAvailability: (available: boolean) => void;
  logger: Logger;
}

/**
 * CustomerChat's client to the Chat Service and the watch that knows within seconds whether it
 * answers, fed by the client's every attempt and its own GetVersion probes. The watch runs on real
 * time whatever clock the chats run on: a stall is noticed in real seconds.
 */
export function watchedClient(options: WatchedClientOptions): {
  client: ChatServiceClient;
  watch: UpstreamWatch;
} {
  const watch = new UpstreamWatch({
    // A fault is an answer too: the service is there.
    probe: (timeoutMs) =>
      client.getVersion(timeoutMs).catch((error: unknown) => {
        if (!(error instanceof ServiceFault)) throw error;
      }),
    timers: systemTime(),
    onChange: options.onAvailability,
    logger: options.logger,
  });
  const client = new ChatServiceClient({
    baseUrl: options.baseUrl,
    ...(options.relayKey === undefined ? {} : { relayKey: options.relayKey }),
    ...(options.sendWindowMs === undefined ? {} : { sendWindowMs: options.sendWindowMs }),
    observer: {
      attempted: (method, request, seconds, outcome) => {
        options.observer?.attempted(method, request, seconds, outcome);
        watch.observed(outcome);
      },
    },
  });
  return { client, watch };
}
