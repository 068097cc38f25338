import type { AgentRuntime } from './agent-runtime';
import type { Chat } from './chat';

/**
 * Which agent a waiting chat is offered to. A chat transferred to one agent goes to that agent
 * alone while logged in. Otherwise: the group's ready agents with a free slot, skipping those that
 * let an offer of this chat lapse until everyone has had a turn; fewest chats first, then the
 * longest idle.
 */
export function pickAgent(
  chat: Chat,
  groupAgents: readonly AgentRuntime[],
  allAgents: ReadonlyMap<string, AgentRuntime>,
): AgentRuntime | undefined {
  if (chat.reservedFor !== null) {
    const reserved = allAgents.get(chat.reservedFor.toLowerCase());
    return reserved?.loggedIn ? reserved : undefined;
  }
  const available = groupAgents.filter((agent) => agent.hasFreeSlot);
  let candidates = available.filter((agent) => !chat.passedOver.has(agent.id));
  if (candidates.length === 0 && available.length > 0) {
    chat.passedOver.clear();
    candidates = available;
  }
  return candidates.sort((a, b) => a.load - b.load || a.idleSince - b.idleSince)[0];
}
