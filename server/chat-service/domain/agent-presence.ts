import { ServiceFault } from '../../protocol/faults';
import type { AgentEvent, AgentState, LoginResponse } from '../../protocol/agent-api';
import { AgentSessions } from '../auth/agent-sessions';
import type { LoginGuard } from '../auth/login-guard';
import type { AgentRuntime } from './agent-runtime';
import type { ContactCenter } from './contact-center';
import type { LiveStateWriter, SessionRecord } from '../live-state/live-state-store';

/**
 * Agents coming and going: log-in and tokens, ready or not, their event stream. An agent that logs
 * out (or whose token lapses) hands its chats back to their queues.
 */
export class AgentPresence {
  readonly sessions: AgentSessions;

  constructor(
    private readonly center: ContactCenter,
    liveState: LiveStateWriter,
    private readonly guard: LoginGuard,
  ) {
    this.sessions = new AgentSessions(
      center.time,
      center.config.AgentSessionTimeoutSeconds * 1000,
      liveState,
      (agentId) => this.endSession(this.agentById(agentId)),
    );
  }

  /** Log-ins committed before a restart work again; an agent whose log-in lapsed meanwhile is out. */
  restore(sessions: readonly SessionRecord[]): void {
    for (const agentId of this.sessions.restore(sessions)) this.endSession(this.agentById(agentId));
    for (const agent of this.center.agents.values()) {
      if (agent.loggedIn && !sessions.some((session) => session.agentId === agent.id))
        this.endSession(agent);
    }
  }

  /** `address`: the caller's, for the guard's throttling (per address and ID together). */
  async login(agentId: string, password: string, address: string): Promise<LoginResponse> {
    const agent = this.center.agents.get(agentId.toLowerCase());
    const storedHash = agent?.config.PasswordHash;
    await this.guard.verify({ address, agentId, password, storedHash });
    if (agent === undefined) throw new ServiceFault('Unauthorized', 'Wrong agent ID or password.');
    const token = this.sessions.issue(agent.id);
    this.center.startAgentSession(agent);
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
    agent.setReady(ready, this.center.time.now());
    if (!ready) for (const chatId of [...agent.offeredChats]) this.withdraw(chatId, 'NotReady');
    this.center.agentChanged(agent);
  }

  state(agent: AgentRuntime): AgentState {
    return {
      Ready: agent.ready,
      ActiveChatIDs: [...agent.activeChats],
      OfferedChatIDs: [...agent.offeredChats],
    };
  }

  /**
   * The console's long-poll, which is also how the service knows the agent is there: from the
   * poll's start until its caller has gone (`onGone`), and for AgentPresenceTimeoutSeconds after.
   */
  async getEvents(
    agent: AgentRuntime,
    timeoutMs: number,
    afterSeq: number | null | undefined,
    context: { stillWanted: () => boolean; onGone: (listener: () => void) => () => void },
  ): Promise<AgentEvent[]> {
    const { time } = this.center;
    const wasPresent = this.center.isPresent(agent);
    agent.pollStarted(time.now());
    if (!wasPresent) this.center.agentChanged(agent);
    let polling = true;
    const pollEnded = () => {
      if (!polling) return;
      polling = false;
      agent.pollEnded(time.now());
    };
    const stopListening = context.onGone(pollEnded);
    try {
      const events = agent.events;
      if (afterSeq != null) events.acknowledge(afterSeq);
      await events.wait(Math.min(timeoutMs, this.center.config.MaxEventsTimeoutMs));
      if (!context.stillWanted()) return [];
      return afterSeq != null ? events.pending() : events.take();
    } finally {
      stopListening();
      pollEnded();
    }
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
      this.center.handBack(chat, agent, this.center.groupOf(chat), 'HandedOn');
    }
    this.center.logger.info({ agentId: agent.id }, 'agent logged out');
    this.center.agentChanged(agent);
  }

  private withdraw(chatId: string, reason: 'NotReady' | 'LoggedOut'): void {
    const chat = this.center.chats.get(chatId);
    if (chat !== undefined) this.center.withdrawOffer(chat, reason, true);
  }

  private agentById(agentId: string): AgentRuntime {
    const agent = this.center.agents.get(agentId.toLowerCase());
    if (agent === undefined) throw new ServiceFault('Unauthorized', 'Unknown agent.');
    return agent;
  }
}
