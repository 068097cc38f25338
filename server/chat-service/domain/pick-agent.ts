import type { AgentRuntime } from './agent-runtime';
import type { Chat } from './chat';

/**
 * Which agent a waiting chat is offered to. A chat transferred to one agent goes to that agent
 * alone while it is present. Otherwise: the group's agents that can take a chat, skipping those
 * that let an offer of this chat lapse until everyone has had a turn (then `startNewRound` is
 * true); fewest chats first, then the longest idle.
 */
export function pickAgent(
  chat: Chat,
  groupAgents: readonly AgentRuntime[],
  allAgents: ReadonlyMap<string, AgentRuntime>,
  rules: { canTake: (agent: AgentRuntime) => boolean; isPresent: (agent: AgentRuntime) => boolean },
): { agent: AgentRuntime; startNewRound: boolean } | undefined {
  const { canTake, isPresent } = rules;
  if (chat.reservedFor !== null) {
    const reserved = allAgents.get(chat.reservedFor.toLowerCase());
    return reserved !== undefined && isPresent(reserved)
      ? { agent: reserved, startNewRound: false }
      : undefined;
  }
  const available = groupAgents.filter(canTake);
  let candidates = available.filter((agent) => !chat.hasPassedOver(agent.id));
  const startNewRound = candidates.length === 0 && available.length > 0;
  if (startNewRound) candidates = available;
  const agent = candidates.sort((a, b) => a.load - b.load || a.idleSince - b.idleSince)[0];
  return agent === undefined ? undefined : { agent, startNewRound };
}
