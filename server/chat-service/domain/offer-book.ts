import type { Time } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { OfferWithdrawnReason } from '../../protocol/agent-api';
import type { AgentRuntime } from './agent-runtime';
import type { Chat } from './chat';
import type { GroupRuntime } from './group-runtime';

export interface OfferBookOptions {
  time: Time;
  logger: Logger;
  agents: ReadonlyMap<string, AgentRuntime>;
  /** Called when an agent let an offer lapse; the chat is free to be offered again. */
  onLapsed: (chat: Chat, agent: AgentRuntime) => void;
}

/** Offers of waiting chats to agents, each with its deadline. */
export class OfferBook {
  constructor(private readonly options: OfferBookOptions) {}

  offer(chat: Chat, agent: AgentRuntime, group: GroupRuntime): void {
    const { time } = this.options;
    const timeoutMs = group.config.OfferTimeoutSeconds * 1000;
    const expiresAt = time.now() + timeoutMs;
    const timer = time.setTimeout(() => {
      this.withdraw(chat, 'Timeout');
      this.options.onLapsed(chat, agent);
    }, timeoutMs);
    chat.offer = { agentId: agent.id, expiresAt, cancel: () => time.clearTimeout(timer) };
    agent.offeredChats.add(chat.id);
    agent.events.push({
      EventType: 'ChatOffered',
      Data: {
        ChatID: chat.id,
        ServiceGroupID: group.id,
        ServiceGroupName: group.config.Name,
        CustomerName: chat.customer.name,
        InitialMessage: chat.customer.initialMessage,
        ExpiresAt: new Date(expiresAt).toISOString(),
        Transferred: chat.agentIds.length > 0,
      },
    });
    this.options.logger.info({ chatId: chat.id, agentId: agent.id }, 'chat offered');
  }

  /** Ends the chat's pending offer, if any; with a reason, the agent is told it is gone. */
  withdraw(chat: Chat, reason?: OfferWithdrawnReason): void {
    const offer = chat.offer;
    if (offer === null) return;
    offer.cancel();
    chat.offer = null;
    const agent = this.options.agents.get(offer.agentId.toLowerCase());
    agent?.offeredChats.delete(chat.id);
    if (reason !== undefined) {
      agent?.events.push({
        EventType: 'ChatOfferWithdrawn',
        Data: { ChatID: chat.id, Reason: reason },
      });
    }
  }
}
