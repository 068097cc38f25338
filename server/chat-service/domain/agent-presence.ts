import { ChatEventType } from '../../protocol/enums';
import { ServiceFault } from '../../protocol/faults';
import type { AgentEvent, AgentState, LoginResponse } from '../../protocol/agent-api';
import { AgentSessions } from '../auth/agent-sessions';
import type { LoginGuard } from '../auth/login-guard';
import type { AgentRuntime } from './agent-runtime';
import type { ContactCenter } from './contact-center';

/**
 * Agents coming and going: log-in and tokens, ready or not, their event stream. An agent that logs
 * out (or whose token lapses) hands its chats back to their queues.
 */
export class AgentPresence {
  readonly sessions: AgentSessions;

  constructor(
    private readonly center: ContactCenter,
    private readonly guard: LoginGuard,
  ) {
    this.sessions = new AgentSessions(
      center.time,
      center.config.AgentSessionTimeoutSeconds * 1000,
      (agentId) => this.endSession(this.agentById(agentId)),
    );
  }

  /** `address`: the caller's, for the guard's throttling (per address and ID together). */
  async login(agentId: string, password: string, address: string): Promise<LoginResponse> {
    const agent = this.center.agents.get(agentId.toLowerCase());
    const storedHash = agent?.config.PasswordHash;
    await this.guard.verify({ address, agentId, password, storedHash });
    if (agent === undefined) throw new ServiceFault('Unauthorized', 'Wrong agent ID or password.');
    const token = this.sessions.issue(agent.id);
    agent.startSession(this.center.time.now());
    this.center.logger.info({ agentId: agent.id }, 'agent logged in');
    this.center.agentChanged(agent);
    return {
      Token: token,
      ExpiresAfterSeconds: this.center.config.AgentSessionTimeoutSeconds,
      Agent: agent.profile(),
    };
  }

  authenticate(token: string | undefined): AgentRuntime {
    return this.agentById(this.sessions.authenticate(token));
  }

  logout(agent: AgentRuntime): void {
    this.sessions.revokeAgent(agent.id);
    this.endSession(agent);
  }

  setReady(agent: AgentRuntime, ready: boolean): void {
    agent.ready = ready;
    if (ready) agent.idleSince = this.center.time.now();
    else for (const chatId of [...agent.offeredChats]) this.withdraw(chatId, 'NotReady');
    this.center.agentChanged(agent);
  }

  state(agent: AgentRuntime): AgentState {
    return {
      Ready: agent.ready,
      ActiveChatIDs: [...agent.activeChats],
      OfferedChatIDs: [...agent.offeredChats],
    };
  }

  async getEvents(
    agent: AgentRuntime,
    timeoutMs: number,
    afterSeq: number | null | undefined,
    stillWanted: () => boolean,
  ): Promise<AgentEvent[]> {
    const events = agent.events;
    if (afterSeq != null) events.acknowledge(afterSeq);
    await events.wait(Math.min(timeoutMs, this.center.config.MaxEventsTimeoutMs));
    if (!stillWanted()) return [];
    return afterSeq != null ? events.pending() : events.take();
  }

  stop(): void {
    this.sessions.stop();
  }

  private endSession(agent: AgentRuntime): void {
    if (!agent.loggedIn) return;
    for (const chatId of [...agent.offeredChats]) this.withdraw(chatId, 'LoggedOut');
    // Out first, so that the chats it hands back are not offered to it again.
    agent.endSession();
    for (const chatId of [...agent.activeChats]) {
      const chat = this.center.chat(chatId);
      chat.customerEvents.push({
        EventType: ChatEventType.AgentLeft,
        Data: { ChatID: chat.id, Name: agent.chatName },
      });
      this.center.release(chat);
      this.center.requeue(chat, this.center.groupOf(chat));
    }
    this.center.logger.info({ agentId: agent.id }, 'agent logged out');
    this.center.agentChanged(agent);
  }

  private withdraw(chatId: string, reason: 'NotReady' | 'LoggedOut'): void {
    const chat = this.center.chats.get(chatId);
    if (chat === undefined) return;
    if (chat.offer !== null) chat.passedOver.add(chat.offer.agentId);
    if (chat.reservedFor !== null) chat.reservedFor = null;
    this.center.clearOffer(chat, reason);
  }

  private agentById(agentId: string): AgentRuntime {
    const agent = this.center.agents.get(agentId.toLowerCase());
    if (agent === undefined) throw new ServiceFault('Unauthorized', 'Unknown agent.');
    return agent;
  }
}
