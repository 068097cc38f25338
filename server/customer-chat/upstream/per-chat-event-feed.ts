import type { Timers } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { ChatEventListener, EventFeed, FollowedChat, PollTiming } from './event-feed';
import { EventPump, type EventSource } from './event-pump';

export interface PerChatEventFeedOptions extends PollTiming {
  source: EventSource;
  timers: Timers;
  logger?: Logger;
}

/** Each chat with its own GetEvents long-poll (an EventPump): what every Chat Service offers. */
export class PerChatEventFeed implements EventFeed {
  private readonly pumps = new Set<EventPump>();

  constructor(private readonly options: PerChatEventFeedOptions) {}

  readonly chatsPerPoll = 1;

  follow(chatId: string, afterSeq: number, listener: ChatEventListener): FollowedChat {
    const { source, ...rest } = this.options;
    const pump = new EventPump({
      ...rest,
      client: source,
      chatId,
      afterSeq,
      onEvents: (events) => listener.onEvents(events),
      onEnded: () => listener.onEnded(),
      onAvailability: (available) => listener.onAvailability(available),
    });
    this.pumps.add(pump);
    pump.start();
    return {
      get afterSeq() {
        return pump.afterSeq;
      },
      stop: () => {
        this.pumps.delete(pump);
        return pump.stop();
      },
    };
  }

  async close(): Promise<void> {
    const pumps = [...this.pumps];
    this.pumps.clear();
    await Promise.all(pumps.map((pump) => pump.stop()));
  }
}
