import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { LoggedEvent } from '../../server/customer-chat/session/visitor-events';

interface Reply {
  ok: boolean;
  error?: { code: string; message: string };
  [field: string]: unknown;
}

/**
 * A visitor's page as the toolbox behaves, on socket.io-client through the load balancer from an
 * address of its own: socket.io reconnects by itself; on every connect the page resumes after the
 * last seq it shows; events are taken in seq order (a gap asks again); a message is sent with its
 * own clientMessageId and sent again with the same id until CustomerChat takes it.
 */
export class ClusterVisitor {
  readonly socket: Socket;
  /** The conversation as the page shows it, in seq order, each event once. */
  readonly shown: LoggedEvent[] = [];
  /** When each resume succeeded (ms since the epoch). */
  readonly resumes: number[] = [];
  token: string | undefined;
  private readonly outbox = new Map<string, string>();
  private flushing = false;
  private resumed = false;

  constructor(
    url: string,
    /** The page's own loopback address: nginx sends each address to one instance. */
    readonly address: string,
    /** 'polling': the fallback a proxy or CSP that refuses WebSocket leaves (from 127.0.0.1). */
    transport: 'websocket' | 'polling' = 'websocket',
  ) {
    this.socket = io(url, {
      path: '/CustomerChat/socket.io',
      transports: [transport],
      forceNew: true,
      localAddress: address,
      reconnectionDelay: 250,
      reconnectionDelayMax: 1000,
    } as Parameters<typeof io>[1]);
    this.socket.on('chat:event', (event: LoggedEvent) => this.take(event));
    this.socket.on('connect', () => void this.resume());
    this.socket.on('disconnect', () => (this.resumed = false));
  }

  connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('connect', () => resolve()));
  }

  async requestChat(serviceGroupId: number): Promise<void> {
    await this.connected();
    const reply = (await this.socket
      .timeout(10_000)
      .emitWithAck('chat:request', { serviceGroupId, customerName: 'Ann' })) as Reply;
    if (!reply.ok || typeof reply['token'] !== 'string')
      throw new Error(`chat:request: ${JSON.stringify(reply)}`);
    this.token = reply['token'];
    this.resumed = true;
  }

  /** Opens the chat in this page too (a second tab of the visitor). */
  async join(token: string): Promise<void> {
    this.token = token;
    await this.connected();
    await this.resume();
  }

  send(text: string): void {
    this.outbox.set(`m-${randomBytes(6).toString('hex')}`, text);
    void this.flush();
  }

  get pending(): number {
    return this.outbox.size;
  }

  texts(from: 'agent' | 'visitor'): string[] {
    return this.shown.flatMap((event) =>
      event.type === 'message' && event.from === from ? [event.text] : [],
    );
  }

  close(): void {
    this.socket.disconnect();
  }

  private take(event: LoggedEvent): void {
    const last = this.shown.at(-1)?.seq ?? 0;
    if (event.seq <= last) return;
    if (event.seq > last + 1) return void this.resume();
    this.shown.push(event);
  }

  private async resume(): Promise<void> {
    if (this.token === undefined || !this.socket.connected) return;
    const afterSeq = this.shown.at(-1)?.seq ?? 0;
    let reply: Reply;
    try {
      reply = (await this.socket
        .timeout(3000)
        .emitWithAck('chat:resume', { token: this.token, afterSeq })) as Reply;
    } catch {
      return;
    }
    if (!reply.ok) return;
    for (const event of reply['events'] as LoggedEvent[]) this.take(event);
    this.resumed = true;
    this.resumes.push(Date.now());
    void this.flush();
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (const [id, text] of this.outbox) {
        if (!this.resumed || !this.socket.connected) return;
        const reply = (await this.socket
          .timeout(3000)
          .emitWithAck('message:send', { clientMessageId: id, text })
          .catch(() => ({ ok: false }))) as Reply;
        if (!reply.ok) return this.retrySoon();
        this.outbox.delete(id);
      }
    } finally {
      this.flushing = false;
    }
  }

  /** A refused send (the chat unavailable for a moment) is tried again shortly, as a page would. */
  private retrySoon(): void {
    setTimeout(() => void this.flush(), 300).unref();
  }
}
