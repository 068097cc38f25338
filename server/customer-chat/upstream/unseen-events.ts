import { ChatEventType, ChatState } from '../../protocol/enums';
import type { DecodedChatEvent } from './wire-decoding';

export interface UnseenEvents {
  /** The events after the last Seq handed on, in the order they came. */
  fresh: DecodedChatEvent[];
  /** The highest Seq handed on once these are. */
  lastSeq: number;
  /** One of them says the chat has ended. */
  ends: boolean;
}

/**
 * Sorts out what an answer brings that was not handed on before: an answer lost on the way is
 * sent again, so repeats must be dropped. An event without Seq (from a service without the
 * extension) is always new.
 */
export function unseenEvents(events: DecodedChatEvent[], lastSeq: number): UnseenEvents {
  const fresh = events.filter((event) => event.Seq === undefined || event.Seq > lastSeq);
  let highest = lastSeq;
  for (const event of fresh) {
    if (event.Seq !== undefined) highest = Math.max(highest, event.Seq);
  }
  const ends = fresh.some(
    (event) =>
      event.EventType === ChatEventType.ChatState && event.Data.State === ChatState.Terminated,
  );
  return { fresh, lastSeq: highest, ends };
}
