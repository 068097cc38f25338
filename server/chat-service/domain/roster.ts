import type { Time } from '../../shared/clock';
import type { ChatServiceConfig } from '../../config/chat-service-config';
import { ServiceFault } from '../../protocol/faults';
import { AgentRuntime, type AgentEventsFactory } from './agent-runtime';
import type { Chat } from './chat';
import { GroupRuntime } from './group-runtime';
import { isOpenAt } from './opening-hours';
import { estimateWaitSeconds } from './wait-time';

/**
 * The service's state (chats, groups, agents) and the questions asked of it: lookups that fail
 * with the right fault, presence, opening state and wait estimates. Changes are the ContactCenter's.
 */
export class Roster {
  protected readonly liveChats = new Map<string, Chat>();
  readonly groups = new Map<number, GroupRuntime>();
  readonly agents = new Map<string, AgentRuntime>();

  constructor(
    readonly config: ChatServiceConfig,
    readonly time: Time,
    newAgentEvents: AgentEventsFactory,
  ) {
    for (const group of config.ServiceGroups) {
      this.groups.set(group.ServiceGroupID, new GroupRuntime(group, config.WaitTimeSampleSize));
    }
    for (const agent of config.Agents) {
      this.agents.set(
        agent.AgentID.toLowerCase(),
        new AgentRuntime(agent, newAgentEvents, time.now()),
      );
    }
  }

  /** The chats the service holds: live ones, and ended ones for a while (their last events). */
  get chats(): ReadonlyMap<string, Chat> {
    return this.liveChats;
  }

  chat(chatId: string): Chat {
    const chat = this.liveChats.get(chatId);
    if (chat === undefined) throw new ServiceFault('UnknownChat', 'No chat has that ChatID.');
    return chat;
  }

  group(groupId: number): GroupRuntime {
    const group = this.groups.get(groupId);
    if (group === undefined)
      throw new ServiceFault('UnknownServiceGroup', `No service group has the ID ${groupId}.`);
    return group;
  }

  groupOf(chat: Chat): GroupRuntime {
    return this.group(chat.groupId);
  }

  agentOf(chat: Chat): AgentRuntime | undefined {
    return chat.agentId === null ? undefined : this.agents.get(chat.agentId.toLowerCase());
  }

  /** By ID when one other than 0 is given, else by name (the specification's "ID 0 and a name"). */
  findGroup(
    groupId: number | null | undefined,
    groupName: string | null | undefined,
  ): GroupRuntime {
    if (groupId != null && groupId !== 0) return this.group(groupId);
    if (groupName != null && groupName.trim() !== '') {
      const wanted = groupName.trim().toLowerCase();
      for (const group of this.groups.values()) {
        if (group.config.Name.toLowerCase() === wanted) return group;
      }
      throw new ServiceFault('UnknownServiceGroup', `No service group is named "${groupName}".`);
    }
    throw new ServiceFault('BadRequest', 'Give ServiceGroupID or ServiceGroupName.');
  }

  agentsOf(group: GroupRuntime): AgentRuntime[] {
    return [...this.agents.values()].filter((agent) => agent.belongsTo(group.id));
  }

  /** Logged in with a console that is polling: the agent can be offered chats. */
  isPresent(agent: AgentRuntime): boolean {
    return agent.isPresent(this.time.now(), this.config.AgentPresenceTimeoutSeconds * 1000);
  }

  canTakeChat(agent: AgentRuntime): boolean {
    return agent.canTakeChat(this.time.now(), this.config.AgentPresenceTimeoutSeconds * 1000);
  }

  isOpen(group: GroupRuntime): boolean {
    if (!isOpenAt(group.config.OpeningHours, this.time.now())) return false;
    return (
      !group.config.ClosedWhenNoAgentsLoggedIn ||
      this.agentsOf(group).some((agent) => this.isPresent(agent))
    );
  }

  /** Estimated wait for the customer at a 1-based position in the group's queue. */
  estimateWait(group: GroupRuntime, position: number): number {
    return this.waitEstimates(group)(position);
  }

  /**
   * Estimates for any position from one count of the group's slots: a whole queue is estimated
   * in one pass over the agents, not one pass per waiting chat (hundreds of agents and a queue of
   * a hundred made each chat request and accept cost the service tens of thousands of checks).
   */
  waitEstimates(group: GroupRuntime): (position: number) => number {
    let totalSlots = 0;
    let freeSlots = 0;
    const now = this.time.now();
    const presenceMs = this.config.AgentPresenceTimeoutSeconds * 1000;
    for (const agent of this.agents.values()) {
      if (!agent.belongsTo(group.id) || !agent.ready || !agent.isPresent(now, presenceMs)) continue;
      totalSlots += agent.config.MaxConcurrentChats;
      freeSlots += Math.max(0, agent.config.MaxConcurrentChats - agent.activeChats.size);
    }
    const averageHandlingSeconds = group.handlingTimes.average();
    return (position) =>
      estimateWaitSeconds({ position, totalSlots, freeSlots, averageHandlingSeconds });
  }
}
