/**
 * What the Chat Service's state looks like at one moment, as its metrics show it. Read at every
 * scrape through this interface only, so the metrics never reach into the domain's objects; one
 * adapter (roster-stats.ts) implements it over the service's state.
 */
export interface ChatServiceStats {
  groups(): GroupStats[];
}

export interface GroupStats {
  serviceGroupId: number;
  name: string;
  /** Live chats of the group in state Queued. */
  queued: number;
  /** Live chats of the group in state Handling. */
  handling: number;
  /** Chats in the group's queue, offered ones included. */
  queueLength: number;
  /** Seconds the longest-waiting chat of the queue has waited; 0 with none. */
  longestWaitSeconds: number;
  agentsLoggedIn: number;
  agentsReady: number;
}
