import { io, type Socket } from 'socket.io-client';
import { benchGroupId } from './bench-configs';
import { sleep } from './stats';

interface LoggedEventWire {
  type: string;
  from?: string;
  text?: string;
  seq: number;
}

/**
 * A visitor as the toolbox behaves when its instance goes: it reconnects (to the next instance,
 * as the load balancer would send it), resumes after the last seq shown, and sends again with the
 * same clientMessageId what was not acknowledged.
 */
export class FailoverVisitor {
  socket: Socket;
  token = '';
  lastSeq = 0;
  handled = false;
  resumedAt: number | undefined;
  onAgentMessage: ((text: string) => void) | undefined;
  private urlIndex: number;

  constructor(
    private readonly urls: string[],
    start: number,
  ) {
    this.urlIndex = start;
    this.socket = this.open();
  }

  async request(name: string): Promise<void> {
    if (!this.socket.connected)
      await new Promise<void>((resolve) => this.socket.once('connect', () => resolve()));
    const reply = (await this.socket
      .timeout(15_000)
      .emitWithAck('chat:request', { serviceGroupId: benchGroupId, customerName: name })) as {
      ok: boolean;
      token?: string;
    };
    if (!reply.ok || reply.token === undefined) throw new Error('chat:request refused');
    this.token = reply.token;
  }

  /** Sends until CustomerChat takes it (the same id each time). */
  async send(text: string, id: string, until: number): Promise<boolean> {
    while (Date.now() < until) {
      const reply = (await this.socket
        .timeout(3000)
        .emitWithAck('message:send', { clientMessageId: id, text })
        .catch(() => ({ ok: false }))) as { ok: boolean };
      if (reply.ok) return true;
      await sleep(100);
    }
    return false;
  }

  close(): void {
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }

  private open(): Socket {
    const socket = io(this.urls[this.urlIndex % this.urls.length] ?? '', {
      path: '/CustomerChat/socket.io',
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    socket.on('chat:event', (event: LoggedEventWire) => this.take(event));
    socket.on('connect', () => void this.resume(socket));
    socket.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') return;
      // The instance is gone: the load balancer would send the page to the next one.
      this.urlIndex += 1;
      setTimeout(() => (this.socket = this.open()), 250 + Math.random() * 500);
    });
    socket.on('connect_error', () => {
      this.urlIndex += 1;
      setTimeout(() => (this.socket = this.open()), 250);
    });
    return socket;
  }

  private take(event: LoggedEventWire): void {
    if (event.seq <= this.lastSeq) return;
    if (event.seq > this.lastSeq + 1) return void this.resume(this.socket);
    this.lastSeq = event.seq;
    if (event.type === 'agentJoined') this.handled = true;
    if (event.type === 'message' && event.from === 'agent') this.onAgentMessage?.(event.text ?? '');
  }

  private async resume(socket: Socket): Promise<void> {
    if (this.token === '') return;
    const reply = (await socket
      .timeout(5000)
      .emitWithAck('chat:resume', { token: this.token, afterSeq: this.lastSeq })
      .catch(() => ({ ok: false }))) as { ok: boolean; events?: LoggedEventWire[] };
    if (!reply.ok) return;
    for (const event of reply.events ?? []) this.take(event);
    this.resumedAt = Date.now();
  }
}
