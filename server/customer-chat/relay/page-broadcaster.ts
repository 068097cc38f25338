import type { LoggedEvent } from '../session/visitor-events';

/**
 * Where the relay sends what a visitor's pages must see, on whichever instance they are connected
 * (the socket gateway implements it over socket.io's rooms and its adapter).
 */
export interface PageBroadcaster {
  event(token: string, event: LoggedEvent): void;
  typing(token: string, name: string): void;
}
