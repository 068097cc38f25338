/**
 * What CustomerChat holds at one moment, as its metrics show it: read at every scrape through
 * this interface only; relay-stats.ts implements it over the relay and the socket gateway.
 */
export interface CustomerChatStats {
  socketsConnected(): number;
  liveChats(): number;
  /** Chats whose visitor has no page open: their grace period is running. */
  gracePeriodsRunning(): number;
}
