import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { benchGroupId } from './bench-configs';
import { JsonClient } from './http';
import { sleep } from './stats';

interface PageEvent {
  type: string;
  from?: string;
  text?: string;
  seq: number;
}

interface AckReply {
  ok: boolean;
  token?: string;
  error?: { code: string; message: string };
}

/** A visitor's page as the bench plays it: one socket.io-client socket over WebSocket. */
export class SocketVisitor {
  handled = false;
  /** The chat's token once chat:request was answered (the upload route asks for it). */
  token: string | undefined;
  /** The socket closed while the bench still wanted it. */
  droppedUnexpectedly = false;
  onAgentMessage: ((text: string, at: number) => void) | undefined;
  private closing = false;
  private whenHandled: (() => void) | undefined;

  private constructor(readonly socket: Socket) {
    socket.on('chat:event', (event: PageEvent) => {
      if (event.type === 'agentJoined') {
        this.handled = true;
        this.whenHandled?.();
      } else if (event.type === 'message' && event.from === 'agent') {
        this.onAgentMessage?.(event.text ?? '', performance.now());
      }
    });
    socket.on('disconnect', () => {
      if (!this.closing) this.droppedUnexpectedly = true;
    });
  }

  /**
   * `localAddress`: the loopback address to connect from (127.0.0.2, …), for more connections to
   * one server than one address has ephemeral ports; engine.io hands it on to ws and net.
   */
  static connect(
    customerChatUrl: string,
    timeoutMs: number,
    localAddress?: string,
  ): Promise<SocketVisitor> {
    const options: Parameters<typeof io>[1] & { localAddress?: string } = {
      path: '/CustomerChat/socket.io',
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: timeoutMs,
      ...(localAddress === undefined ? {} : { localAddress }),
    };
    const socket = io(customerChatUrl, options);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(new SocketVisitor(socket)));
      socket.once('connect_error', (error) => {
        socket.close();
        reject(error);
      });
    });
  }

  /** chat:request, then waits until an agent has joined (AgentJoined on the page). */
  async requestChat(name: string, timeoutMs: number): Promise<void> {
    const reply = (await this.socket.timeout(timeoutMs).emitWithAck('chat:request', {
      serviceGroupId: benchGroupId,
      customerName: name,
    })) as AckReply;
    if (!reply.ok || reply.token === undefined)
      throw new Error(`chat:request refused: ${reply.error?.code ?? 'closed group'}`);
    this.token = reply.token;
    if (this.handled) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no agent joined in time')), timeoutMs);
      this.whenHandled = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async send(text: string, clientMessageId: string): Promise<void> {
    const reply = (await this.socket
      .timeout(15_000)
      .emitWithAck('message:send', { clientMessageId, text })) as AckReply;
    if (!reply.ok) throw new Error(`message:send refused: ${reply.error?.code ?? '?'}`);
  }

  close(): void {
    this.closing = true;
    this.socket.disconnect();
  }
}

interface ServiceEventWire {
  EventType: number;
  Seq?: number;
  Data: { Message?: string };
}

/**
 * The baseline's customer: the Chat Service's REST API spoken directly, the way CustomerChat's
 * relay speaks it for a visitor (RequestChat, one GetEvents long-poll with AfterSeq, SendMessage).
 */
export class RestCustomer {
  handled = false;
  onAgentMessage: ((text: string, at: number) => void) | undefined;
  chatId = '';
  private lastSeq = 0;
  private stopped = false;
  private held: AbortController | undefined;
  private loop: Promise<void> = Promise.resolve();
  pollFailures = 0;

  constructor(private readonly client: JsonClient) {}

  async requestChat(name: string, deadline: number): Promise<void> {
    const answer = await this.client.post('/ChatService/RequestChat', {
      request: { ServiceGroupID: benchGroupId, TenantID: -1, CustomerName: name },
    });
    const chatId = (answer.body as { ChatID?: string | null }).ChatID;
    if (answer.status !== 200 || typeof chatId !== 'string')
      throw new Error(`RequestChat: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
    this.chatId = chatId;
    this.loop = this.pump(deadline);
  }

  async send(text: string, clientMessageId: string): Promise<void> {
    const answer = await this.client.post(
      '/ChatService/SendMessage',
      { request: { ChatID: this.chatId, Message: text, ClientMessageID: clientMessageId } },
      { timeoutMs: 15_000 },
    );
    if (answer.status !== 200) throw new Error(`SendMessage: HTTP ${answer.status}`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.held?.abort();
    await this.loop;
  }

  private async pump(deadline: number): Promise<void> {
    while (!this.stopped && Date.now() < deadline) {
      const held = new AbortController();
      this.held = held;
      let events: ServiceEventWire[];
      try {
        const answer = await this.client.post(
          '/ChatService/GetEvents',
          { request: { ChatID: this.chatId, Timeout: 20_000, AfterSeq: this.lastSeq } },
          { signal: held.signal, timeoutMs: 40_000 },
        );
        if (answer.status !== 200) throw new Error(`GetEvents: HTTP ${answer.status}`);
        events = (answer.body as { Events: ServiceEventWire[] }).Events;
      } catch {
        if (this.stopped) break;
        this.pollFailures += 1;
        await sleep(200);
        continue;
      } finally {
        this.held = undefined;
      }
      const at = performance.now();
      for (const event of events) {
        if (event.Seq !== undefined) {
          if (event.Seq <= this.lastSeq) continue;
          this.lastSeq = event.Seq;
        }
        // ChatEventType: 0 MessageReceived, 1 AgentJoined.
        if (event.EventType === 1) this.handled = true;
        else if (event.EventType === 0) this.onAgentMessage?.(event.Data.Message ?? '', at);
      }
    }
  }
}
