import type { Time } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { OfferWithdrawnReason } from '../../protocol/agent-api';
import type { LiveStateWriter } from '../live-state/live-state-store';
import type { OfferObserver } from '../metrics/offer-observer';
import type { AgentRuntime } from './agent-runtime';
import type { Chat } from './chat';
import type { GroupRuntime } from './group-runtime';
import { OfferBook } from './offer-book';
import { pickAgent } from './pick-agent';
import type { Roster } from './roster';

export interface OfferDeskOptions {
  roster: Roster;
  time: Time;
  liveState: LiveStateWriter;
  logger: Logger;
  /** Told of offers made and lapsed (the metrics). */
  observer: OfferObserver | undefined;
  /** An offer ran out: the group's queue has a chat to offer again. */
  onLapsed: (group: GroupRuntime) => void;
}

/**
 * Offers of waiting chats to agents: made, lapsed and withdrawn. The offer itself is the chat's and
 * the agent's state; this desk keeps their deadlines (OfferBook) and tells the agent.
 */
export class OfferDesk {
  private readonly book: OfferBook;

  constructor(private readonly options: OfferDeskOptions) {
    this.book = new OfferBook(options.time, (chat, agent) => this.lapsed(chat, agent));
  }

  /** Offers every waiting chat that has no offer to the agent the rules pick, if any. */
  offerWaitingChats(group: GroupRuntime): void {
    const { roster } = this.options;
    for (const chat of group.queue) {
      if (chat.offer !== null) continue;
      const picked = pickAgent(chat, roster.agentsOf(group), roster.agents, {
        canTake: (agent) => roster.canTakeChat(agent),
        isPresent: (agent) => roster.isPresent(agent),
      });
      if (picked === undefined) continue;
      if (picked.startNewRound) chat.forgetPassedOver();
      this.make(chat, picked.agent, group);
      this.options.observer?.offerMade(group.id);
    }
  }

  /**
   * Takes back the chat's pending offer. With a reason the agent is told it is gone; with
   * `passOver` the agent is skipped for this chat until the others had their turn.
   */
  withdraw(chat: Chat, reason?: OfferWithdrawnReason, passOver = false): void {
    const agentId = chat.withdrawOffer(passOver);
    if (agentId === null) return;
    this.book.cancel(chat.id);
    this.options.liveState.putChat(chat);
    const agent = this.options.roster.agents.get(agentId.toLowerCase());
    if (agent === undefined) return;
    agent.offerEnded(chat.id);
    if (reason !== undefined) {
      agent.events.push({
        EventType: 'ChatOfferWithdrawn',
        Data: { ChatID: chat.id, Reason: reason },
      });
    }
  }

  stop(): void {
    this.book.stop();
  }

  private make(chat: Chat, agent: AgentRuntime, group: GroupRuntime): void {
    const timeoutMs = group.config.OfferTimeoutSeconds * 1000;
    const expiresAt = this.options.time.now() + timeoutMs;
    chat.offerTo(agent.id, expiresAt);
    this.options.liveState.putChat(chat);
    agent.offerMade(chat.id);
    this.book.arm(chat, agent, timeoutMs);
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

  private lapsed(chat: Chat, agent: AgentRuntime): void {
    chat.lapseOffer(agent.id);
    this.options.liveState.putChat(chat);
    agent.offerEnded(chat.id);
    agent.events.push({
      EventType: 'ChatOfferWithdrawn',
      Data: { ChatID: chat.id, Reason: 'Timeout' },
    });
    this.options.logger.info({ chatId: chat.id, agentId: agent.id }, 'offer lapsed');
    this.options.observer?.offerLapsed(chat.groupId);
    this.options.onLapsed(this.options.roster.groupOf(chat));
  }
}
