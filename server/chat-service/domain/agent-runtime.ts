import type { AgentConfig } from '../../config/chat-service-config';
import type { AgentEvent, AgentProfile } from '../../protocol/agent-api';
import type { AgentSnapshot } from '../live-state/live-state-store';
import type { EventQueue } from './event-queue';

/** Makes an agent's event stream: empty for a new log-in, or as committed. */
export type AgentEventsFactory = (
  agentId: string,
  restored?: { events: readonly AgentEvent[]; lastSeq: number },
) => EventQueue<AgentEvent>;

/**
 * An agent at run time and the only writer of its presence: logged in or not, ready or not, the
 * chats it holds or is offered, and when its console last polled.
 */
export class AgentRuntime {
  private loggedInValue = false;
  private readyValue = false;
  private readonly active = new Set<string>();
  private readonly offered = new Set<string>();
  /** Since when the agent has had nothing new: the longest idle is offered first among equals. */
  private idleSinceValue: number;
  private eventsValue: EventQueue<AgentEvent>;
  private lastPolledAt: number;
  private pollsHeld = 0;

  constructor(
    readonly config: AgentConfig,
    private readonly newEvents: AgentEventsFactory,
    now: number,
  ) {
    this.idleSinceValue = now;
    this.lastPolledAt = now;
    this.eventsValue = newEvents(config.AgentID);
  }

  /**
   * The agent as committed; its console is given until a presence timeout from now to poll. The
   * chats it holds come back with the chats (`chatTaken`): they say who has them.
   */
  restore(snapshot: AgentSnapshot, events: readonly AgentEvent[], now: number): void {
    this.loggedInValue = snapshot.loggedIn;
    this.readyValue = snapshot.ready;
    this.idleSinceValue = snapshot.idleSince;
    this.eventsValue = this.newEvents(this.id, { events, lastSeq: snapshot.lastSeq });
    this.lastPolledAt = now;
  }

  snapshot(): AgentSnapshot {
    return {
      id: this.id,
      loggedIn: this.loggedInValue,
      ready: this.readyValue,
      idleSince: this.idleSinceValue,
      lastSeq: this.eventsValue.lastSeq,
    };
  }

  get id(): string {
    return this.config.AgentID;
  }
  get loggedIn(): boolean {
    return this.loggedInValue;
  }
  get ready(): boolean {
    return this.readyValue;
  }
  get idleSince(): number {
    return this.idleSinceValue;
  }
  get events(): EventQueue<AgentEvent> {
    return this.eventsValue;
  }
  get activeChats(): ReadonlySet<string> {
    return this.active;
  }
  get offeredChats(): ReadonlySet<string> {
    return this.offered;
  }

  /** The name customers see. */
  get chatName(): string {
    return this.config.ChatName || this.config.Name;
  }

  get load(): number {
    return this.active.size + this.offered.size;
  }

  /**
   * Present: logged in, and its console is polling now or polled within `timeoutMs`. An agent
   * whose browser went away is offered nothing and counts for no estimate.
   */
  isPresent(now: number, timeoutMs: number): boolean {
    return this.loggedInValue && (this.pollsHeld > 0 || now - this.lastPolledAt < timeoutMs);
  }

  /** Since when the agent has been away; null while present or logged out. */
  awaySince(now: number, timeoutMs: number): number | null {
    if (!this.loggedInValue || this.isPresent(now, timeoutMs)) return null;
    return this.lastPolledAt;
  }

  canTakeChat(now: number, presenceTimeoutMs: number): boolean {
    return (
      this.readyValue &&
      this.isPresent(now, presenceTimeoutMs) &&
      this.load < this.config.MaxConcurrentChats
    );
  }

  belongsTo(groupId: number): boolean {
    return this.config.ServiceGroupIDs.includes(groupId);
  }

  /** A new log-in starts with a fresh event stream; the old one's readers are woken and dropped. */
  startSession(now: number): void {
    this.eventsValue.close();
    this.eventsValue = this.newEvents(this.id);
    this.loggedInValue = true;
    this.readyValue = false;
    this.idleSinceValue = now;
    this.lastPolledAt = now;
  }

  endSession(): void {
    this.loggedInValue = false;
    this.readyValue = false;
    this.eventsValue.close();
  }

  setReady(ready: boolean, now: number): void {
    this.readyValue = ready;
    if (ready) this.idleSinceValue = now;
  }

  pollStarted(now: number): void {
    this.pollsHeld += 1;
    this.lastPolledAt = now;
  }

  pollEnded(now: number): void {
    this.pollsHeld = Math.max(0, this.pollsHeld - 1);
    this.lastPolledAt = now;
  }

  offerMade(chatId: string): void {
    this.offered.add(chatId);
  }

  offerEnded(chatId: string): void {
    this.offered.delete(chatId);
  }

  chatTaken(chatId: string): void {
    this.active.add(chatId);
  }

  chatGone(chatId: string, now: number): void {
    this.active.delete(chatId);
    this.idleSinceValue = now;
  }

  profile(): AgentProfile {
    const { AgentID, Name, FirstName, LastName, ServiceGroupIDs } = this.config;
    return {
      AgentID,
      Name,
      ChatName: this.chatName,
      FirstName,
      LastName,
      ServiceGroupIDs: [...ServiceGroupIDs],
    };
  }
}
