import { randomBytes } from 'node:crypto';
import type { TimerHandle, Time } from '../../shared/clock';
import { ServiceFault } from '../../protocol/faults';

interface Session {
  agentId: string;
  lastSeenAt: number;
  timer: TimerHandle;
}

/**
 * Bearer tokens of logged-in agents. A token ends after `idleTimeoutMs` without a request; the
 * console's long-poll keeps it alive, so a closed console logs its agent out on its own.
 */
export class AgentSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly time: Time,
    private readonly idleTimeoutMs: number,
    private readonly onExpired: (agentId: string) => void,
  ) {}

  /** A new token for the agent; any earlier token of the same agent stops working. */
  issue(agentId: string): string {
    this.revokeAgent(agentId);
    const token = randomBytes(32).toString('base64url');
    const session: Session = { agentId, lastSeenAt: this.time.now(), timer: { id: -1 } };
    this.sessions.set(token, session);
    this.armExpiry(token, session);
    return token;
  }

  /** The agent the token belongs to; the use counts as activity. */
  authenticate(token: string | undefined): string {
    const session = token === undefined ? undefined : this.sessions.get(token);
    if (session === undefined)
      throw new ServiceFault(
        'Unauthorized',
        'Log in first: the token is missing, wrong or expired.',
      );
    session.lastSeenAt = this.time.now();
    return session.agentId;
  }

  revoke(token: string): void {
    const session = this.sessions.get(token);
    if (session === undefined) return;
    this.time.clearTimeout(session.timer);
    this.sessions.delete(token);
  }

  revokeAgent(agentId: string): void {
    for (const [token, session] of this.sessions) {
      if (session.agentId === agentId) this.revoke(token);
    }
  }

  stop(): void {
    for (const session of this.sessions.values()) this.time.clearTimeout(session.timer);
    this.sessions.clear();
  }

  private armExpiry(token: string, session: Session): void {
    const due = session.lastSeenAt + this.idleTimeoutMs - this.time.now();
    session.timer = this.time.setTimeout(() => {
      if (this.time.now() - session.lastSeenAt < this.idleTimeoutMs) {
        this.armExpiry(token, session);
        return;
      }
      this.sessions.delete(token);
      this.onExpired(session.agentId);
    }, due);
  }
}
