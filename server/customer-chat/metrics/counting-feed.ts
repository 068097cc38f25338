import { ChatEventType } from '../../protocol/enums';
import type { EventFeed } from '../upstream/event-feed';

/** The feed, counting each message an agent wrote as it is handed on towards the visitor. */
export function countingFeed(feed: EventFeed, messageToVisitor: () => void): EventFeed {
  return {
    follow: (chatId, afterSeq, listener) =>
      feed.follow(chatId, afterSeq, {
        onEvents: (events) => {
          for (const event of events) {
            if (event.EventType === ChatEventType.MessageReceived && !event.Data.System)
              messageToVisitor();
          }
          listener.onEvents(events);
        },
        onEnded: () => listener.onEnded(),
        onAvailability: (available) => listener.onAvailability(available),
      }),
    get chatsPerPoll() {
      return feed.chatsPerPoll;
    },
    close: () => feed.close(),
  };
}
