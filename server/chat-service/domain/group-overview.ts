import type { GroupOverview } from '../../protocol/agent-api';
import type { GroupRatings } from '../archive/chat-archive';
import type { Roster } from './roster';

/**
 * The state of service groups as an agent's console shows it: queue length, longest wait, the
 * estimate a new customer would get, staffing, and the archive's ratings. A pure function of the
 * roster, the ratings and the time;
 * groups are listed in the order asked for, unknown IDs skipped.
 */
export function groupOverview(
  roster: Roster,
  groupIds: readonly number[],
  ratings: ReadonlyMap<number, GroupRatings>,
  now: number,
): GroupOverview[] {
  const overview: GroupOverview[] = [];
  for (const groupId of groupIds) {
    const group = roster.groups.get(groupId);
    if (group === undefined) continue;
    const agents = roster.agentsOf(group);
    const open = roster.isOpen(group);
    const rated = ratings.get(group.id);
    const oldestRequest = Math.min(...group.queue.map((chat) => chat.requestedAt));
    overview.push({
      ServiceGroupID: group.id,
      Name: group.config.Name,
      Open: open,
      ChatsWaiting: group.queue.length,
      LongestWaitSeconds:
        group.queue.length === 0 ? 0 : Math.max(0, Math.floor((now - oldestRequest) / 1000)),
      EstimatedWaitSeconds: open ? roster.estimateWait(group, group.queue.length + 1) : -1,
      AgentsReady: agents.filter((agent) => agent.loggedIn && agent.ready).length,
      AgentsLoggedIn: agents.filter((agent) => agent.loggedIn).length,
      Ratings: rated?.count ?? 0,
      // Two decimals are all a wallboard shows.
      AverageRating: rated === undefined ? null : Math.round(rated.average * 100) / 100,
    });
  }
  return overview;
}
