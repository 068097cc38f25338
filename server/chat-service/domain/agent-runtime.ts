import type { Timers } from '../../shared/clock';
import type { AgentConfig } from '../../config/chat-service-config';
import type { AgentEvent, AgentProfile } from '../../protocol/agent-api';
import { EventQueue } from './event-queue';

/** An agent at run time: logged in or not, ready or not, and the chats it holds or is offered. */
export class AgentRuntime {
  loggedIn = false;
  ready = false;
  readonly activeChats = new Set<string>();
  readonly offeredChats = new Set<string>();
  /** Since when the agent has had nothing new: the longest idle is offered first among equals. */
  idleSince: number;
  events: EventQueue<AgentEvent>;

  constructor(
    readonly config: AgentConfig,
    private readonly timers: Timers,
    now: number,
  ) {
    this.idleSince = now;
    this.events = new EventQueue<AgentEvent>(timers);
  }

  get id(): string {
    return this.config.AgentID;
  }

  /** The name customers see. */
  get chatName(): string {
    return this.config.ChatName || this.config.Name;
  }

  get load(): number {
    return this.activeChats.size + this.offeredChats.size;
  }

  get hasFreeSlot(): boolean {
    return this.loggedIn && this.ready && this.load < this.config.MaxConcurrentChats;
  }

  belongsTo(groupId: number): boolean {
    return this.config.ServiceGroupIDs.includes(groupId);
  }

  /** A new log-in starts with a fresh event stream; the old one's readers are woken and dropped. */
  startSession(now: number): void {
    this.events.close();
    this.events = new EventQueue<AgentEvent>(this.timers);
    this.loggedIn = true;
    this.ready = false;
    this.idleSince = now;
  }

  endSession(): void {
    this.loggedIn = false;
    this.ready = false;
    this.events.close();
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
