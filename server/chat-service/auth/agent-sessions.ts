import { createHash, randomBytes } from 'node:crypto';
import type { TimerHandle, Time } from '../../shared/clock';
import { ServiceFault } from '../../protocol/faults';
import type { LiveStateWriter, SessionRecord } from '../live-state/live-state-store';

interface Session {
  agentId: string;
  lastSeenAt: number;
  /** When lastSeenAt was last written to the live state. */
  storedSeenAt: number;
  timer: TimerHandle;
  /** The token itself once it was shown (in memory only), so that it can be forgotten with it. */
  token: string | null;
}

/**
 * Written at most this often per log-in: after a restart a token may lapse up to this much early,
 * which is cheaper than a write for every request an agent makes.
 */
const lastSeenWriteIntervalMs = 5_000;

const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Bearer tokens of logged-in agents, kept by their SHA-256 so the live state never holds a token.
 * A token ends after `idleTimeoutMs` without a request; the console's long-poll keeps it alive, so
 * a closed console logs its agent out on its own.
 */
export class AgentSessions {
  private readonly sessions = new Map<string, Session>();
  /**
   * The hash of each token of a live session, so that a request does not hash its token again
   * (every message an agent sends or reads). Only tokens that matched a session are kept.
   */
  private readonly hashOfToken = new Map<string, string>();

  constructor(
    private readonly time: Time,
    private readonly idleTimeoutMs: number,
    private readonly liveState: LiveStateWriter,
    private readonly onExpired: (agentId: string) => void,
  ) {}

  /** The log-ins as committed before a restart; those that lapsed meanwhile end now. */
  restore(records: readonly SessionRecord[]): string[] {
    const lapsed: string[] = [];
    for (const record of records) {
      if (this.time.now() - record.lastSeenAt >= this.idleTimeoutMs) {
        this.liveState.dropSession(record.tokenHash);
        lapsed.push(record.agentId);
        continue;
      }
      this.add(record.tokenHash, record.agentId, record.lastSeenAt);
    }
    return lapsed;
  }

  /** A new token for the agent; any earlier token of the same agent stops working. */
  issue(agentId: string): string {
    this.revokeAgent(agentId);
    const token = randomBytes(32).toString('base64url');
    const tokenHash = hashOf(token);
    const now = this.time.now();
    this.remember(this.add(tokenHash, agentId, now), token, tokenHash);
    this.liveState.putSession({ tokenHash, agentId, lastSeenAt: now });
    return token;
  }

  /** The agent the token belongs to; the use counts as activity. */
  authenticate(token: string | undefined): string {
    const tokenHash =
      token === undefined ? undefined : (this.hashOfToken.get(token) ?? hashOf(token));
    const session = tokenHash === undefined ? undefined : this.sessions.get(tokenHash);
    if (token === undefined || tokenHash === undefined || session === undefined)
      throw new ServiceFault(
        'Unauthorized',
        'Log in first: the token is missing, wrong or expired.',
      );
    if (session.token === null) this.remember(session, token, tokenHash);
    const now = this.time.now();
    session.lastSeenAt = now;
    if (now - session.storedSeenAt >= lastSeenWriteIntervalMs) {
      session.storedSeenAt = now;
      this.liveState.putSession({ tokenHash, agentId: session.agentId, lastSeenAt: now });
    }
    return session.agentId;
  }

  revokeAgent(agentId: string): void {
    for (const [tokenHash, session] of this.sessions) {
      if (session.agentId !== agentId) continue;
      this.time.clearTimeout(session.timer);
      this.forget(tokenHash, session);
      this.liveState.dropSession(tokenHash);
    }
  }

  stop(): void {
    for (const session of this.sessions.values()) this.time.clearTimeout(session.timer);
    this.sessions.clear();
    this.hashOfToken.clear();
  }

  private remember(session: Session, token: string, tokenHash: string): void {
    session.token = token;
    this.hashOfToken.set(token, tokenHash);
  }

  private forget(tokenHash: string, session: Session): void {
    this.sessions.delete(tokenHash);
    if (session.token !== null) this.hashOfToken.delete(session.token);
  }

  private add(tokenHash: string, agentId: string, lastSeenAt: number): Session {
    const session: Session = {
      agentId,
      lastSeenAt,
      storedSeenAt: lastSeenAt,
      timer: { id: -1 },
      token: null,
    };
    this.sessions.set(tokenHash, session);
    this.armExpiry(tokenHash, session);
    return session;
  }

  private armExpiry(tokenHash: string, session: Session): void {
    const due = session.lastSeenAt + this.idleTimeoutMs - this.time.now();
    session.timer = this.time.setTimeout(() => {
      if (this.time.now() - session.lastSeenAt < this.idleTimeoutMs) {
        this.armExpiry(tokenHash, session);
        return;
      }
      this.forget(tokenHash, session);
      this.liveState.dropSession(tokenHash);
      this.onExpired(session.agentId);
    }, due);
  }
}
