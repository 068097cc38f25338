import type { TimerHandle, Time } from '../../shared/clock';
import type { AgentRuntime } from './agent-runtime';
import type { Chat } from './chat';

/** The deadlines of the offers made; the offers themselves are the chats' and agents' state. */
export class OfferBook {
  private readonly deadlines = new Map<string, TimerHandle>();

  constructor(
    private readonly time: Time,
    /** The agent let the offer run out. */
    private readonly onLapsed: (chat: Chat, agent: AgentRuntime) => void,
  ) {}

  arm(chat: Chat, agent: AgentRuntime, timeoutMs: number): void {
    this.cancel(chat.id);
    this.deadlines.set(
      chat.id,
      this.time.setTimeout(() => {
        this.deadlines.delete(chat.id);
        this.onLapsed(chat, agent);
      }, timeoutMs),
    );
  }

  cancel(chatId: string): void {
    const handle = this.deadlines.get(chatId);
    if (handle === undefined) return;
    this.time.clearTimeout(handle);
    this.deadlines.delete(chatId);
  }

  stop(): void {
    for (const handle of this.deadlines.values()) this.time.clearTimeout(handle);
    this.deadlines.clear();
  }
}
