import { ChatState } from '../../protocol/enums';
import type { Roster } from '../domain/roster';
import type { ChatServiceStats, GroupStats } from './chat-service-stats';

/** ChatServiceStats over the Roster: the one place the metrics read the domain's state. */
export function rosterStats(roster: Roster): ChatServiceStats {
  return {
    groups: () => {
      const now = roster.time.now();
      const byGroup = new Map<number, GroupStats>();
      for (const group of roster.groups.values()) {
        const agents = roster.agentsOf(group);
        const oldest = group.queue.reduce((min, chat) => Math.min(min, chat.requestedAt), now);
        byGroup.set(group.id, {
          serviceGroupId: group.id,
          name: group.config.Name,
          queued: 0,
          handling: 0,
          queueLength: group.queue.length,
          longestWaitSeconds: Math.max(0, Math.floor((now - oldest) / 1000)),
          agentsLoggedIn: agents.filter((agent) => agent.loggedIn).length,
          agentsReady: agents.filter((agent) => agent.loggedIn && agent.ready).length,
        });
      }
      for (const chat of roster.chats.values()) {
        const stats = byGroup.get(chat.groupId);
        if (stats === undefined) continue;
        if (chat.state === ChatState.Queued) stats.queued += 1;
        else if (chat.state === ChatState.Handling) stats.handling += 1;
      }
      return [...byGroup.values()];
    },
  };
}
