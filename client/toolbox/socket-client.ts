import { io, type Socket } from 'socket.io-client';
import type { LoggedEvent, Reply } from '../../server/customer-chat/session/visitor-events';

export interface ToolboxServerEvents {
  'chat:event': (event: LoggedEvent) => void;
  'agent:typing': (payload: { name: string }) => void;
  'service:status': (payload: { available: boolean }) => void;
}

// The client side of the contract: payloads are built by this code, answers come back as Reply.
type Ack<T extends object = object> = (reply: Reply<T>) => void;
export interface ToolboxClientEvents {
  'chat:request': (
    payload: object,
    ack: Ack<{ token?: string; closed?: true; message: string | null }>,
  ) => void;
  'chat:resume': (
    payload: { token: string; afterSeq: number },
    ack: Ack<{ events: LoggedEvent[]; ended: boolean }>,
  ) => void;
  'chat:leave': (ack: Ack) => void;
  'message:send': (
    payload: { clientMessageId: string; text: string; hideLocal?: boolean },
    ack: Ack,
  ) => void;
  typing: () => void;
}

export type ToolboxSocket = Socket<ToolboxServerEvents, ToolboxClientEvents>;

export function connect(origin: string): ToolboxSocket {
  return io(origin, { path: '/CustomerChat/socket.io', transports: ['websocket', 'polling'] });
}
