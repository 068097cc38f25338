import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { Logger } from '../../shared/logger';
import type { ChatRelay } from '../relay/chat-relay';
import { errorReply, replyForError } from '../relay/relay-errors';
import type { Reply } from '../session/visitor-events';
import { ServiceStatus, type ServiceDependency } from './service-status';
import { visitorAddress } from './sockets-per-address';
import {
  ChatRequestPayload,
  LeaveMessagePayload,
  RatePayload,
  LeavePayload,
  QueueInfoPayload,
  ResumePayload,
  SendMessagePayload,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from './socket-contract';
import type { VisitorServer } from './visitor-server';

export interface SocketGatewayOptions {
  io: VisitorServer;
  relay: ChatRelay;
  trustProxy: boolean;
  logger: Logger;
}

type VisitorSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/**
 * The visitor's events, one table: each payload checked against its schema, each socket tied to at
 * most one chat (a room named by its token, so every page of the visitor sees the chat live, on
 * whichever instance it is connected), and each page told whether chats can be served now.
 */
export class SocketGateway {
  private draining = false;
  private readonly status: ServiceStatus;

  constructor(private readonly options: SocketGatewayOptions) {
    this.status = new ServiceStatus((available) =>
      options.io.local.emit('service:status', { available }),
    );
    options.io.on('connection', (socket) => this.serve(socket));
  }

  /** Sockets connected to this instance now. */
  get localSockets(): number {
    return this.options.io.sockets.sockets.size;
  }

  /**
   * What this instance sees of a dependency; its pages (not the other instances') are told
   * whether chats can be served now, and a page that connects meanwhile is told at once.
   */
  localAvailability(dependency: ServiceDependency, available: boolean): void {
    this.status.set(dependency, available);
  }

  /**
   * Closes every page's connection without a word to the relay (it has handed the pages over):
   * socket.io's client takes a closed transport for a network drop and reconnects, through the
   * load balancer, to another instance.
   */
  drain(): void {
    this.draining = true;
    for (const socket of this.options.io.sockets.sockets.values()) socket.conn.close();
  }

  close(): Promise<void> {
    return this.options.io.close().then(
      () => undefined,
      () => undefined,
    );
  }

  private serve(socket: VisitorSocket): void {
    const { logger, relay } = this.options;
    const pageId = socket.id;
    if (!this.status.available) socket.emit('service:status', { available: false });
    let token: string | undefined;
    // The page's joins and leaves reach the store in the order they happened.
    let steps: Promise<unknown> = Promise.resolve();
    const inOrder = <T>(step: () => Promise<T>): Promise<T> => {
      const next = steps.then(step);
      steps = next.catch(() => undefined);
      return next;
    };
    const detach = async () => {
      if (token === undefined) return;
      const left = token;
      token = undefined;
      void socket.leave(left);
      if (!this.draining) await relay.pageLeft(left, pageId);
    };

    let requesting = false;
    handle(socket, logger, 'chat:request', ChatRequestPayload, async (payload) => {
      if (requesting || (token !== undefined && (await relay.isLive(token)))) {
        return errorReply('BadRequest', 'A chat is already running on this page.');
      }
      requesting = true;
      const reply = await inOrder(detach)
        .then(() => relay.requestChat(payload, this.addressOf(socket), pageId))
        .finally(() => {
          requesting = false;
        });
      if (!reply.ok || !('token' in reply)) return reply;
      const started = reply.token;
      return inOrder(async () => {
        if (!socket.connected) {
          // The page went while the chat was being set up: it is away from its first moment on.
          await relay.pageLeft(started, pageId);
          return reply;
        }
        token = started;
        await socket.join(started);
        // What was recorded before this page joined (the visitor's first question, the queue).
        const shown = await relay.pageJoined(started, pageId, 0);
        for (const event of shown?.events ?? []) socket.emit('chat:event', event);
        return reply;
      });
    });
    handle(socket, logger, 'chat:resume', ResumePayload, (payload) =>
      inOrder(async () => {
        if (token !== payload.token) await detach();
        token = payload.token;
        // In the room before reading, so nothing recorded in between is missed.
        await socket.join(payload.token);
        const shown = await relay
          .pageJoined(payload.token, pageId, payload.afterSeq)
          .catch((error: unknown) => {
            token = undefined;
            void socket.leave(payload.token);
            throw error;
          });
        if (shown === undefined) {
          token = undefined;
          void socket.leave(payload.token);
          return errorReply('UnknownSession', 'That chat is over or unknown.');
        }
        return { ok: true, ...shown };
      }),
    );
    handle(socket, logger, 'message:send', SendMessagePayload, (payload) => {
      if (token === undefined) return errorReply('UnknownSession', 'Start or resume a chat first.');
      return relay.sends.sendMessage(
        token,
        payload.clientMessageId,
        payload.text,
        payload.hideLocal,
      );
    });
    handle(socket, logger, 'queue:info', QueueInfoPayload, (payload) =>
      relay.groups.queueInfo(payload.tenantId, payload.serviceGroupId, payload.serviceGroupName),
    );
    handle(socket, logger, 'message:leave', LeaveMessagePayload, (payload) =>
      relay.leaveMessage(payload, this.addressOf(socket)),
    );
    handle(socket, logger, 'chat:rate', RatePayload, (payload) => relay.rateChat(payload));
    socket.on('chat:leave', (payloadOrAck, maybeAck) => {
      // An older toolbox sends the ack alone: it closes the chat.
      const [payload, ack] =
        typeof payloadOrAck === 'function' ? [{}, payloadOrAck] : [payloadOrAck, maybeAck];
      if (typeof ack !== 'function') return;
      const reply = ack as (reply: Reply) => void;
      const parsed = LeavePayload.safeParse(payload);
      if (!parsed.success) return reply(errorReply('BadRequest', 'reason: closed or idle'));
      if (token === undefined)
        return reply(errorReply('UnknownSession', 'Start or resume a chat first.'));
      relay.sends
        .leave(token, parsed.data.reason)
        .then(reply, () => reply(errorReply('Internal', 'Something went wrong.')));
    });
    socket.on('chat:configuration', (ack) => {
      if (typeof ack !== 'function') return;
      relay.groups
        .configuration()
        .then(ack, () => ack(errorReply('Internal', 'Something went wrong.')));
    });
    socket.on('typing', () => {
      if (token === undefined) return;
      relay.sends.typing(token).catch((error: unknown) => {
        logger.debug({ err: String(error) }, 'typing not relayed');
      });
    });
    socket.on('disconnect', () => {
      inOrder(detach).catch((error: unknown) => {
        logger.warn({ err: String(error) }, 'page left, but the store could not be told');
      });
    });
  }

  private addressOf(socket: VisitorSocket): string {
    return visitorAddress(socket.request, this.options.trustProxy);
  }
}

type PayloadEvent =
  'chat:request' | 'chat:resume' | 'message:send' | 'queue:info' | 'message:leave' | 'chat:rate';

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
      // The one place a failed handler becomes an answer (the session store away: unavailable).
      .then(reply, (error: unknown) => reply(replyForError(error, logger, { event })));
  });
}
