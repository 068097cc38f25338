import { io, type Socket } from 'socket.io-client';
import type {
  ChatClosed,
  ChatConfiguration,
  ChatStarted,
  QueueInfo,
} from '../../server/customer-chat/gateway/socket-contract';
import type { LoggedEvent, Reply } from '../../server/customer-chat/session/visitor-events';

/** The toolbox's side of the socket contract (server/customer-chat/gateway/socket-contract.ts). */
export interface ToolboxServerEvents {
  'chat:event': (event: LoggedEvent) => void;
  'agent:typing': (payload: { name: string }) => void;
  'service:status': (payload: { available: boolean }) => void;
}

export interface ChatRequest {
  tenantId: number;
  serviceGroupId?: number;
  serviceGroupName?: string;
  customerName?: string;
  customerId?: string;
  customerIdHash?: string;
  email?: string;
  phone?: string;
  sessionId?: string;
  privateData?: string;
  initialMessage?: string;
  initialMessageToAgent?: string;
  timeZoneOffset: number;
}

export interface OfflineMessage {
  tenantId: number;
  serviceGroupId?: number;
  serviceGroupName?: string;
  name: string;
  email: string;
  message: string;
}

type Ack<T extends object = object> = (reply: Reply<T>) => void;
export interface ToolboxClientEvents {
  'chat:request': (payload: ChatRequest, ack: Ack<ChatStarted | ChatClosed>) => void;
  'chat:resume': (
    payload: { token: string; afterSeq: number },
    ack: Ack<{ events: LoggedEvent[]; ended: boolean }>,
  ) => void;
  'chat:leave': (ack: Ack) => void;
  'message:send': (
    payload: { clientMessageId: string; text: string; hideLocal: boolean },
    ack: Ack,
  ) => void;
  'queue:info': (
    payload: { tenantId: number; serviceGroupId?: number; serviceGroupName?: string },
    ack: Ack<QueueInfo>,
  ) => void;
  'chat:configuration': (ack: Ack<ChatConfiguration>) => void;
  'message:leave': (payload: OfflineMessage, ack: Ack) => void;
  typing: () => void;
}

export type ToolboxSocket = Socket<ToolboxServerEvents, ToolboxClientEvents>;
export type { QueueInfo };

const answerTimeoutMs = 15_000;
const noAnswer = {
  ok: false,
  error: { code: 'Internal', message: 'No answer from CustomerChat.' },
} as const;

/**
 * The toolbox's connection to CustomerChat: one method per request, each answering with a Reply
 * (a lost connection or no answer in time is an Internal error reply, never a rejection).
 * WebSocket first, long-polling when a proxy or the page's CSP refuses it (a connect-src of
 * https://chat.example.com alone does not allow wss://chat.example.com); socket.io reconnects by
 * itself and `onConnect` runs on every connect, so a chat is resumed after each.
 */
export class ChatConnection {
  readonly socket: ToolboxSocket;

  /** `pollingOnly`: WebSocket failed on an earlier page of the visit; do not try it again. */
  constructor(origin: string, pollingOnly: boolean) {
    this.socket = io(origin, {
      path: '/CustomerChat/socket.io',
      transports: pollingOnly ? ['polling'] : ['websocket', 'polling'],
      tryAllTransports: true,
      autoConnect: false,
    });
  }

  /** Connects; what was asked before is sent once connected. */
  connect(): void {
    this.socket.connect();
  }

  /** Connected by long-polling although WebSocket came first: the page's CSP or a proxy refused it. */
  get onPolling(): boolean {
    return this.socket.io.engine?.transport?.name === 'polling';
  }

  onConnect(handler: () => void): void {
    this.socket.on('connect', handler);
  }

  on<E extends keyof ToolboxServerEvents>(event: E, handler: ToolboxServerEvents[E]): void {
    // socket.io's typed `on` cannot relate the generic name to its handler type.
    (this.socket.on as (event: E, handler: ToolboxServerEvents[E]) => void)(event, handler);
  }

  request(payload: ChatRequest) {
    return this.ask<ChatStarted | ChatClosed>((ack) =>
      this.timed().emit('chat:request', payload, ack),
    );
  }

  resume(token: string, afterSeq: number) {
    return this.ask<{ events: LoggedEvent[]; ended: boolean }>((ack) =>
      this.timed().emit('chat:resume', { token, afterSeq }, ack),
    );
  }

  send(clientMessageId: string, text: string, hideLocal: boolean) {
    return this.ask((ack) =>
      this.timed().emit('message:send', { clientMessageId, text, hideLocal }, ack),
    );
  }

  leave() {
    return this.ask((ack) => this.timed().emit('chat:leave', ack));
  }

  queueInfo(payload: { tenantId: number; serviceGroupId?: number; serviceGroupName?: string }) {
    return this.ask<QueueInfo>((ack) => this.timed().emit('queue:info', payload, ack));
  }

  leaveMessage(payload: OfflineMessage) {
    return this.ask((ack) => this.timed().emit('message:leave', payload, ack));
  }

  configuration() {
    return this.ask<ChatConfiguration>((ack) => this.timed().emit('chat:configuration', ack));
  }

  typing(): void {
    this.socket.emit('typing');
  }

  private timed() {
    return this.socket.timeout(answerTimeoutMs);
  }

  private ask<T extends object>(
    send: (ack: (error: Error | null, reply: Reply<T>) => void) => void,
  ): Promise<Reply<T>> {
    return new Promise((resolve) => send((error, reply) => resolve(error ? noAnswer : reply)));
  }
}
