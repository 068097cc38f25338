import type { TimerHandle } from '../../shared/clock';
import type { ContactCenter } from './contact-center';

/**
 * Notices agents whose consoles stopped polling. Once away, their offers go to others and their
 * groups may close; away for AgentAbsenceRequeueSeconds, the chats they hold go back to the head
 * of their queues. An agent that polls again is back, with whatever it still holds.
 */
export class PresenceWatch {
  private readonly away = new Set<string>();
  private timer: TimerHandle | undefined;

  constructor(private readonly center: ContactCenter) {
    this.schedule();
  }

  stop(): void {
    if (this.timer !== undefined) this.center.time.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    const presenceMs = this.center.config.AgentPresenceTimeoutSeconds * 1000;
    this.timer = this.center.time.setTimeout(
      () => {
        this.check(presenceMs);
        this.schedule();
      },
      Math.min(5000, presenceMs / 3),
    );
  }

  private check(presenceMs: number): void {
    const { center } = this;
    const now = center.time.now();
    const absenceMs = center.config.AgentAbsenceRequeueSeconds * 1000;
    for (const agent of center.agents.values()) {
      const awaySince = agent.awaySince(now, presenceMs);
      const wasAway = this.away.has(agent.id);
      if (awaySince === null) {
        if (!wasAway) continue;
        this.away.delete(agent.id);
        center.logger.info({ agentId: agent.id }, 'agent back');
        center.agentChanged(agent);
        continue;
      }
      if (!wasAway) {
        this.away.add(agent.id);
        center.logger.info({ agentId: agent.id }, 'agent away');
        for (const chatId of [...agent.offeredChats]) {
          const chat = center.chats.get(chatId);
          if (chat !== undefined) center.withdrawOffer(chat, 'NotReady', true);
        }
        center.agentChanged(agent);
      }
      if (now - awaySince < absenceMs || agent.activeChats.size === 0) continue;
      for (const chatId of [...agent.activeChats]) {
        const chat = center.chats.get(chatId);
        if (chat === undefined) continue;
        center.handBack(chat, agent, center.groupOf(chat), 'HandedOn', {
          atFront: true,
          passOver: agent.id,
        });
      }
      center.logger.info({ agentId: agent.id }, 'chats of an absent agent handed back');
      center.agentChanged(agent);
    }
  }
}
