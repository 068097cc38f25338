import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import type { Logger } from '../../shared/logger';
import type { ChatRelay, PageBroadcaster } from '../relay/chat-relay';
import type { RelayedChat } from '../relay/relayed-chat';
import { errorReply } from '../relay/relay-errors';
import type { Reply } from '../session/visitor-events';
import { isOriginAllowed } from './origin-policy';
import {
  ChatRequestPayload,
  LeaveMessagePayload,
  QueueInfoPayload,
  ResumePayload,
  SendMessagePayload,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from './socket-contract';

export const socketPath = '/CustomerChat/socket.io';

export interface SocketGatewayOptions {
  httpServer: HttpServer;
  relay: () => ChatRelay;
  allowedHosts: readonly string[];
  maxMessageBytes: number;
  trustProxy: boolean;
  logger: Logger;
}

type VisitorSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/**
 * socket.io for visitors' pages: refuses other sites' pages at the handshake, checks every payload
 * against its schema, and ties each socket to at most one chat (a room named by its token, so every
 * page of the visitor sees the chat live).
 */
export class SocketGateway {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents>;

  constructor(private readonly options: SocketGatewayOptions) {
    this.io = new Server<ClientToServerEvents, ServerToClientEvents>(options.httpServer, {
      path: socketPath,
      serveClient: false,
      maxHttpBufferSize: options.maxMessageBytes,
      // Cross-site WebSocket hijacking: a page of a site not allowed never gets a socket.
      allowRequest: (req, callback) => callback(null, this.originAllowed(req)),
      cors: {
        origin: (origin, callback) =>
          callback(null, isOriginAllowed(origin, undefined, options.allowedHosts)),
      },
    });
    this.io.on('connection', (socket) => this.serve(socket));
  }

  get broadcaster(): PageBroadcaster {
    return {
      event: (token, event) => this.io.to(token).emit('chat:event', event),
      typing: (token, name) => this.io.to(token).emit('agent:typing', { name }),
      availability: (token, available) => this.io.to(token).emit('service:status', { available }),
    };
  }

  close(): Promise<void> {
    return this.io.close().then(
      () => undefined,
      () => undefined,
    );
  }

  private originAllowed(req: IncomingMessage): boolean {
    return isOriginAllowed(req.headers.origin, req.headers.host, this.options.allowedHosts);
  }

  private serve(socket: VisitorSocket): void {
    const { logger } = this.options;
    let chat: RelayedChat | undefined;
    const attach = (next: RelayedChat) => {
      if (chat === next) return;
      detach();
      chat = next;
      void socket.join(next.token);
      next.session.pageConnected();
    };
    const detach = () => {
      if (chat === undefined) return;
      void socket.leave(chat.token);
      chat.session.pageDisconnected();
      chat = undefined;
    };

    let requesting = false;
    handle(socket, logger, 'chat:request', ChatRequestPayload, async (payload) => {
      if (requesting || (chat !== undefined && !chat.session.isEnded)) {
        return errorReply('BadRequest', 'A chat is already running on this page.');
      }
      requesting = true;
      const reply = await this.options
        .relay()
        .requestChat(payload, this.addressOf(socket))
        .finally(() => {
          requesting = false;
        });
      const started =
        reply.ok && 'token' in reply ? this.options.relay().find(reply.token) : undefined;
      if (started === undefined) return reply;
      if (!socket.connected) {
        // The page went while the chat was being set up: it is away from its first moment on.
        started.session.pageConnected();
        started.session.pageDisconnected();
        return reply;
      }
      attach(started);
      // What was recorded before this page joined (the visitor's first question, the queue).
      for (const event of started.session.eventsAfter(0)) socket.emit('chat:event', event);
      return reply;
    });
    handle(socket, logger, 'chat:resume', ResumePayload, (payload) => {
      const found = this.options.relay().find(payload.token);
      if (found === undefined) return errorReply('UnknownSession', 'That chat is over or unknown.');
      attach(found);
      return {
        ok: true,
        events: found.session.eventsAfter(payload.afterSeq),
        ended: found.session.isEnded,
      };
    });
    handle(socket, logger, 'message:send', SendMessagePayload, (payload) => {
      if (chat === undefined) return errorReply('UnknownSession', 'Start or resume a chat first.');
      return this.options
        .relay()
        .sendMessage(chat, payload.clientMessageId, payload.text, payload.hideLocal);
    });
    handle(socket, logger, 'queue:info', QueueInfoPayload, (payload) =>
      this.options
        .relay()
        .groups.queueInfo(payload.tenantId, payload.serviceGroupId, payload.serviceGroupName),
    );
    handle(socket, logger, 'message:leave', LeaveMessagePayload, (payload) =>
      this.options.relay().leaveMessage(payload, this.addressOf(socket)),
    );
    socket.on('chat:leave', (ack) => {
      if (typeof ack !== 'function') return;
      if (chat === undefined)
        return ack(errorReply('UnknownSession', 'Start or resume a chat first.'));
      this.options
        .relay()
        .leave(chat)
        .then(ack, () => ack(errorReply('Internal', 'Something went wrong.')));
    });
    socket.on('chat:configuration', (ack) => {
      if (typeof ack !== 'function') return;
      this.options
        .relay()
        .groups.configuration()
        .then(ack, () => ack(errorReply('Internal', 'Something went wrong.')));
    });
    socket.on('typing', () => {
      if (chat !== undefined) this.options.relay().typing(chat);
    });
    socket.on('disconnect', detach);
  }

  private addressOf(socket: VisitorSocket): string {
    if (this.options.trustProxy) {
      const forwarded = socket.handshake.headers['x-forwarded-for'];
      const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
      if (first) return first;
    }
    return socket.handshake.address;
  }
}

type PayloadEvent =
  'chat:request' | 'chat:resume' | 'message:send' | 'queue:info' | 'message:leave';

/** Validates a payload, runs the handler and answers through the ack; never lets an error escape. */
function handle<S extends z.ZodType>(
  socket: VisitorSocket,
  logger: Logger,
  event: PayloadEvent,
  schema: S,
  handler: (payload: z.output<S>) => Reply<object> | Promise<Reply<object>>,
): void {
  // The four events share this shape; socket.io's typed `on` cannot be narrowed per name here.
  const on = socket.on.bind(socket) as (
    name: string,
    listener: (payload: unknown, ack: unknown) => void,
  ) => void;
  on(event, (payload, ack) => {
    if (typeof ack !== 'function') return;
    const reply = ack as (reply: Reply<object>) => void;
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      reply(
        errorReply(
          'BadRequest',
          `${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}`,
        ),
      );
      return;
    }
    Promise.resolve()
      .then(() => handler(parsed.data))
      .then(reply, (error: unknown) => {
        logger.error({ event, err: error }, 'socket handler failed');
        reply(errorReply('Internal', 'Something went wrong; try again.'));
      });
  });
}
