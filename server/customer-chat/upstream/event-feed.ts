import type { DecodedChatEvent } from './wire-decoding';

/** What a followed chat is told. Nothing fires once its FollowedChat is stopped. */
export interface ChatEventListener {
  /** Each batch once, in order, with no event seen before. */
  onEvents(events: DecodedChatEvent[]): void;
  /** The chat has ended (or the service no longer knows it); it is no longer followed. */
  onEnded(): void;
  /** False once when the service stops answering, true once when it answers again. */
  onAvailability(available: boolean): void;
}

/** A chat being followed; stop() ends that and resolves once nothing of it is in flight. */
export interface FollowedChat {
  /** The highest Seq handed on: a later follow of the same chat starts after it. */
  readonly afterSeq: number;
  stop(): Promise<void>;
}

/** How the relay hears of its chats' events from the Chat Service. */
export interface EventFeed {
  /** Starts handing on the chat's events after afterSeq. */
  follow(chatId: string, afterSeq: number, listener: ChatEventListener): FollowedChat;
  /** How many chats share one long-poll to the Chat Service now. */
  readonly chatsPerPoll: number;
  /** Stops following every chat; resolves once no request or timer of the feed is left. */
  close(): Promise<void>;
}

/** How long each long-poll is held, and the back-off after the service fails to answer. */
export interface PollTiming {
  holdMs?: number;
  retryBaseDelayMs?: number;
  maxRetryDelayMs?: number;
}
