import { io, type Socket } from 'socket.io-client';
import type {
  ChatClosed,
  ChatConfiguration,
  ChatStarted,
  QueueInfo,
} from '../../server/customer-chat/gateway/socket-contract';
import { originRefusal } from '../../server/customer-chat/gateway/handshake-refusal';
import type {
  ErrorReply,
  LoggedEvent,
  Reply,
} from '../../server/customer-chat/session/visitor-events';

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
  'chat:leave': (payload: { reason: 'closed' | 'idle' }, ack: Ack) => void;
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
  'chat:rate': (payload: { token: string; rating: number; comment?: string }, ack: Ack) => void;
  typing: () => void;
}

export type ToolboxSocket = Socket<ToolboxServerEvents, ToolboxClientEvents>;
export type { QueueInfo };

const answerTimeoutMs = 15_000;
/** How much longer than CustomerChat's own send window a send waits for its answer. */
const sendAnswerMarginMs = 15_000;
const noAnswer = {
  ok: false,
  error: { code: 'Internal', message: 'No answer from CustomerChat.' },
} as const;

/** The connection was lost, or no answer came in time: CustomerChat may or may not have it. */
export function unanswered(reply: Reply<object>): boolean {
  return reply === noAnswer;
}

/** What every request answers once CustomerChat has refused this page's origin. */
const refused: ErrorReply = {
  ok: false,
  error: { code: 'ServiceUnavailable', message: originRefusal },
};

/**
 * The toolbox's connection to CustomerChat: one method per request, each answering with a Reply
 * (a lost connection or no answer in time is an Internal error reply, never a rejection).
 * WebSocket first, long-polling when a proxy or the page's CSP refuses it (a connect-src of
 * https://chat.example.com alone does not allow wss://chat.example.com); socket.io reconnects by
 * itself and `onConnect` runs on every connect, so a chat is resumed after each.
 */
export class ChatConnection {
  readonly socket: ToolboxSocket;
  /** The chat last requested or resumed: the post-chat page rates it, after the page forgot it. */
  private lastChatToken: string | undefined;
  private originRefused = false;
  private readonly refusalHandlers: (() => void)[] = [];
  /** The requests not answered yet, answered at once when the origin is refused. */
  private readonly unanswered = new Set<(reply: ErrorReply) => void>();

  private readonly sendAnswerTimeoutMs: number;

  /**
   * `pollingOnly`: WebSocket failed on an earlier page of the visit; do not try it again.
   * `sendWindowSeconds`: how long CustomerChat keeps trying a message before it answers.
   */
  constructor(origin: string, pollingOnly: boolean, sendWindowSeconds: number) {
    this.sendAnswerTimeoutMs = sendWindowSeconds * 1000 + sendAnswerMarginMs;
    this.socket = io(origin, {
      path: '/CustomerChat/socket.io',
      transports: pollingOnly ? ['polling'] : ['websocket', 'polling'],
      tryAllTransports: true,
      autoConnect: false,
    });
    this.socket.on('connect_error', (error) => {
      if (isOriginRefusal(error)) this.refuse();
    });
  }

  /**
   * CustomerChat refused this page's origin (not in CrossDomainAllowIpAddress): no retry can
   * succeed, so the handler runs once, before every request waiting is answered with the refusal.
   */
  onOriginRefused(handler: () => void): void {
    this.refusalHandlers.push(handler);
  }

  /** Connects; what was asked before is sent once connected. */
  connect(): void {
    this.socket.connect();
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** Connected by long-polling although WebSocket came first: the page's CSP or a proxy refused it. */
  get onPolling(): boolean {
    return this.socket.io.engine?.transport?.name === 'polling';
  }

  onConnect(handler: () => void): void {
    this.socket.on('connect', handler);
  }

  onDisconnect(handler: () => void): void {
    this.socket.on('disconnect', handler);
  }

  on<E extends keyof ToolboxServerEvents>(event: E, handler: ToolboxServerEvents[E]): void {
    // socket.io's typed `on` cannot relate the generic name to its handler type.
    (this.socket.on as (event: E, handler: ToolboxServerEvents[E]) => void)(event, handler);
  }

  async request(payload: ChatRequest) {
    const reply = await this.ask<ChatStarted | ChatClosed>((ack) =>
      this.timed().emit('chat:request', payload, ack),
    );
    if (reply.ok && 'token' in reply) this.lastChatToken = reply.token;
    return reply;
  }

  resume(token: string, afterSeq: number) {
    this.lastChatToken = token;
    return this.ask<{ events: LoggedEvent[]; ended: boolean }>((ack) =>
      this.timed().emit('chat:resume', { token, afterSeq }, ack),
    );
  }

  send(clientMessageId: string, text: string, hideLocal: boolean) {
    return this.ask((ack) =>
      this.socket
        .timeout(this.sendAnswerTimeoutMs)
        .emit('message:send', { clientMessageId, text, hideLocal }, ack),
    );
  }

  /** `idle`: the idle timeout ends it, not the visitor (the agent is told which). */
  leave(reason: 'closed' | 'idle' = 'closed') {
    return this.ask((ack) => this.timed().emit('chat:leave', { reason }, ack));
  }

  queueInfo(payload: { tenantId: number; serviceGroupId?: number; serviceGroupName?: string }) {
    return this.ask<QueueInfo>((ack) => this.timed().emit('queue:info', payload, ack));
  }

  leaveMessage(payload: OfflineMessage) {
    return this.ask((ack) => this.timed().emit('message:leave', payload, ack));
  }

  /** Rates the chat last requested or resumed (the post-chat page). */
  rate(rating: number, comment: string) {
    const token = this.lastChatToken;
    if (token === undefined) return Promise.resolve(noAnswer);
    const payload = { token, rating, ...(comment === '' ? {} : { comment }) };
    return this.ask((ack) => this.timed().emit('chat:rate', payload, ack));
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
    if (this.originRefused) return Promise.resolve(refused);
    return new Promise((resolve) => {
      const answer = (reply: Reply<T>) => {
        this.unanswered.delete(answer);
        resolve(reply);
      };
      this.unanswered.add(answer);
      send((error, reply) => answer(error ? noAnswer : reply));
    });
  }

  private refuse(): void {
    if (this.originRefused) return;
    this.originRefused = true;
    this.socket.disconnect();
    // For the site's owner, once: the visitor is told in the card. (Typed by hand: this file is
    // also compiled with the server's tests, which have no DOM.)
    const page = (globalThis as { location?: { origin: string; hostname: string } }).location;
    console.error(
      `CustomerChat does not serve chats to pages of ${page?.origin ?? 'this site'}: add "${page?.hostname ?? 'its host name'}" to appSettings.CrossDomainAllowIpAddress in CustomerChat's web.config.json to embed the chat toolbox on this site.`,
    );
    for (const handler of this.refusalHandlers) handler();
    for (const answer of [...this.unanswered]) answer(refused);
  }
}

/**
 * The handshake's answer is readable (CustomerChat lets a refused origin read its refusal) and
 * names the origin: anything else, a network error included, is a failure worth retrying.
 */
function isOriginRefusal(error: Error): boolean {
  const { description, context } = error as Error & { description?: unknown; context?: unknown };
  if (description !== 403 || typeof context !== 'object' || context === null) return false;
  if (!('responseText' in context) || typeof context.responseText !== 'string') return false;
  try {
    const body: unknown = JSON.parse(context.responseText);
    return typeof body === 'object' && body !== null && 'message' in body
      ? body.message === originRefusal
      : false;
  } catch {
    return false;
  }
}
