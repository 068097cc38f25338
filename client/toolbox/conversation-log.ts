import type { LoggedEvent } from '../../server/customer-chat/session/visitor-events';

export type Arrival = 'new' | 'seen' | 'gap';

/**
 * The conversation as the page has it. Events are numbered 1, 2, 3 … per chat, so one seen twice
 * (a resume overlapping a live event) is dropped, and a gap means some were missed and must be
 * asked for again.
 */
export class ConversationLog {
  private readonly held: LoggedEvent[] = [];

  get lastSeq(): number {
    return this.held.length;
  }

  get events(): readonly LoggedEvent[] {
    return this.held;
  }

  get agentJoined(): boolean {
    return this.held.some((event) => event.type === 'agentJoined');
  }

  get ended(): boolean {
    return this.held.some((event) => event.type === 'ended');
  }

  accept(event: LoggedEvent): Arrival {
    if (event.seq <= this.held.length) return 'seen';
    if (event.seq > this.held.length + 1) return 'gap';
    this.held.push(event);
    return 'new';
  }

  clear(): void {
    this.held.length = 0;
  }
}
