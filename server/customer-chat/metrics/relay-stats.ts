import type { ChatRelay } from '../relay/chat-relay';
import type { SocketGateway } from '../gateway/socket-gateway';
import type { CustomerChatStats } from './customer-chat-stats';

/** CustomerChatStats over the relay and the gateway: the one place the metrics read their state. */
export function relayStats(
  relay: () => ChatRelay,
  gateway: () => SocketGateway,
): CustomerChatStats {
  return {
    socketsConnected: () => gateway().localSockets,
    liveChats: () => relay().liveChats,
    gracePeriodsRunning: () => relay().visitorsAway,
  };
}
