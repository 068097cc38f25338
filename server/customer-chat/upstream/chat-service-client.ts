import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'undici';
import type { z } from 'zod';
import type {
  GetEventsBatchRequest,
  GetQueueInfoRequest,
  LeaveMessageRequest,
  RateChatRequest,
  LeaveReason,
  RequestChatRequest,
} from '../../protocol/customer-api';
import {
  LeaveMessageResponseSchema,
  RateChatResponseSchema,
  type LeaveMessageResponse,
  type RateChatResponse,
} from '../../protocol/customer-responses';
import { ServiceFault } from '../../protocol/faults';
import { relayKeyHeader } from '../../protocol/relay-key';
import {
  EmptyResponseSchema,
  GetChatConfigurationResponseSchema,
  GetChatInfoResponseSchema,
  GetEventsBatchResponseSchema,
  GetEventsResponseSchema,
  GetQueueInfoResponseSchema,
  GetVersionResponseSchema,
  RequestChatResponseSchema,
  type DecodedChatConfiguration,
  type DecodedChatInfo,
  type DecodedGetEventsBatchResponse,
  type DecodedGetEventsResponse,
  type DecodedQueueInfo,
  type DecodedRequestChatResponse,
} from './wire-decoding';
import type { AttachmentSource } from './attachment-body';
import { runAttempts, type Attempt, type RetryPlan } from './attempt-loop';
import { httpAttempt, UpstreamUnavailableError } from './http-attempt';

export { UpstreamUnavailableError };

export interface ChatServiceClientOptions {
  /** Where the Chat Service answers, e.g. `http://127.0.0.1:12616` (a path prefix is kept). */
  baseUrl: string;
  requestTimeoutMs?: number;
  /** Further attempts after a connection failure or a 5xx, for requests safe to repeat. */
  retries?: number;
  retryBaseDelayMs?: number;
  /**
   * How long a message send with a ClientMessageID is tried again while the Chat Service is away
   * or slow, before the visitor is told it failed (repeats are safe: the service delivers it once).
   * 0: only the few retries of other requests. @default 30000
   */
  sendWindowMs?: number;
  /** Longest wait for the answer to one try of such a send. @default 5000 */
  sendAttemptTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds on a steady clock, for the send window. @default performance.now */
  now?: () => number;
  /** Sent as X-Relay-Key, so the Chat Service believes this relay's notices to agents. */
  relayKey?: string;
  /** Told of every attempt that got an answer or failed (not those the caller gave up). */
  observer?: UpstreamObserver;
}

export type UpstreamOutcome = 'ok' | 'fault' | 'unavailable';

export interface UpstreamObserver {
  attempted(method: string, request: object, seconds: number, outcome: UpstreamOutcome): void;
}

export interface SendMessageInput {
  ChatID: string;
  Message: string;
  /** Bytes, or an upload staged on disk (streamed from there as it is sent). */
  Attachment?: AttachmentSource | null;
  ClientMessageID?: string;
  System?: boolean;
}

/** How many undici pools the connections are spread over (see the constructor). */
const poolCount = 16;

/** Longest pause between two tries of a request. */
const maxRetryDelayMs = 2_000;

const once: RetryPlan = { kind: 'once' };

/** How long a held GetEvents may outlast its Timeout before the answer counts as lost. */
const longPollGraceMs = 10_000;

interface CallPolicy {
  attachment?: AttachmentSource;
  retry: RetryPlan;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * CustomerChat's one way to the Chat Service's customer REST API: JSON over keep-alive pools,
 * answers decoded into one shape whatever server sent them, faults raised as ServiceFault and
 * every other failure as UpstreamUnavailableError.
 */
export class ChatServiceClient {
  private readonly pools: Pool[];
  private nextPool = 0;
  private readonly pathPrefix: string;
  private readonly requestTimeoutMs: number;
  private readonly retries: RetryPlan;
  private readonly sendWindow: RetryPlan;
  private readonly retryBaseDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly headers: Record<string, string>;
  private readonly observer: UpstreamObserver | undefined;

  constructor(options: ChatServiceClientOptions) {
    const url = new URL(options.baseUrl);
    this.pathPrefix = url.pathname.replace(/\/+$/, '');
    // Every live chat (or batch of chats) holds a long-poll, so connections are not capped, and no
    // request may queue behind a held one on the same connection. A pool looks through all its
    // connections for a free one on every request, which with thousands held was a fifth of
    // CustomerChat's CPU: spread over several pools, each request looks through a few hundred.
    this.pools = Array.from(
      { length: poolCount },
      () => new Pool(url.origin, { connections: null, pipelining: 1 }),
    );
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.retries = { kind: 'few', retries: options.retries ?? 3 };
    const sendWindowMs = options.sendWindowMs ?? 30_000;
    this.sendWindow =
      sendWindowMs > 0
        ? {
            kind: 'window',
            windowMs: sendWindowMs,
            attemptTimeoutMs: options.sendAttemptTimeoutMs ?? 5_000,
          }
        : this.retries;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 200;
    this.sleep = options.sleep ?? ((ms) => delay(ms));
    this.now = options.now ?? (() => performance.now());
    this.headers = {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(options.relayKey ? { [relayKeyHeader]: options.relayKey } : {}),
    };
    this.observer = options.observer;
  }

  /** Never repeated: a repeat that follows a lost answer would open a second chat. */
  requestChat(request: RequestChatRequest): Promise<DecodedRequestChatResponse> {
    return this.call('RequestChat', request, RequestChatResponseSchema, { retry: once });
  }

  /** `reason` (an extension) tells the agent why: a service without it ignores the field. */
  leaveChat(chatId: string, reason: LeaveReason = 'Closed'): Promise<void> {
    return this.call('LeaveChat', { ChatID: chatId, Reason: reason }, EmptyResponseSchema);
  }

  /** The LeaveMessage extension; not repeated, as a repeat would store the message twice. */
  leaveMessage(request: LeaveMessageRequest): Promise<LeaveMessageResponse> {
    return this.call('LeaveMessage', request, LeaveMessageResponseSchema, { retry: once });
  }

  /** The RateChat extension; not repeated: a repeat after a lost answer would be AlreadyRated. */
  rateChat(request: RateChatRequest): Promise<RateChatResponse> {
    return this.call('RateChat', request, RateChatResponseSchema, { retry: once });
  }

  /**
   * Safe to repeat when ClientMessageID is given: the service then delivers it once, so such a
   * send is tried through the send window, a lost answer or a stalled service included.
   */
  sendMessage(input: SendMessageInput): Promise<void> {
    const { Attachment, ...rest } = input;
    const retry = input.ClientMessageID === undefined ? this.retries : this.sendWindow;
    if (Attachment == null) return this.call('SendMessage', rest, EmptyResponseSchema, { retry });
    return this.call('SendMessage', rest, EmptyResponseSchema, { retry, attachment: Attachment });
  }

  sendTyping(chatId: string): Promise<void> {
    return this.call('SendTyping', { ChatID: chatId }, EmptyResponseSchema);
  }

  /** One long-poll; not repeated here, because the event pump decides when to ask again. */
  getEvents(
    chatId: string,
    timeoutMs: number,
    afterSeq?: number,
    signal?: AbortSignal,
  ): Promise<DecodedGetEventsResponse> {
    const request = { ChatID: chatId, Timeout: timeoutMs, AfterSeq: afterSeq };
    return this.call('GetEvents', request, GetEventsResponseSchema, {
      retry: once,
      timeoutMs: timeoutMs + longPollGraceMs,
      ...(signal === undefined ? {} : { signal }),
    });
  }

  /**
   * One long-poll for many chats (the reference service's GetEventsBatch extension); a service
   * without it answers the fault UnknownMethod. Not repeated here, as getEvents.
   */
  getEventsBatch(
    chats: GetEventsBatchRequest['Chats'],
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<DecodedGetEventsBatchResponse> {
    const request = { Chats: chats, Timeout: timeoutMs };
    return this.call('GetEventsBatch', request, GetEventsBatchResponseSchema, {
      retry: once,
      timeoutMs: timeoutMs + longPollGraceMs,
      ...(signal === undefined ? {} : { signal }),
    });
  }

  getChatInfo(chatId: string): Promise<DecodedChatInfo> {
    return this.call('GetChatInfo', { ChatID: chatId }, GetChatInfoResponseSchema);
  }

  getQueueInfo(request: GetQueueInfoRequest): Promise<DecodedQueueInfo> {
    return this.call('GetQueueInfo', request, GetQueueInfoResponseSchema);
  }

  getChatConfiguration(): Promise<DecodedChatConfiguration> {
    return this.call('GetChatConfiguration', {}, GetChatConfigurationResponseSchema);
  }

  /** Not repeated: a health check wants to know whether the service answers now. */
  getVersion(timeoutMs?: number): Promise<string> {
    return this.call('GetVersion', {}, GetVersionResponseSchema, {
      retry: once,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
  }

  /** Ends held long-polls too: waiting for them would delay a shutdown by a whole hold. */
  async close(): Promise<void> {
    await Promise.all(this.pools.map((pool) => pool.destroy()));
  }

  private call<T>(
    method: string,
    request: object,
    schema: z.ZodType<T>,
    policy: CallPolicy = { retry: this.retries },
  ): Promise<T> {
    const attempt = async (timeoutMs: number | undefined) => {
      const started = performance.now();
      const timed = timeoutMs === undefined ? policy : { ...policy, timeoutMs };
      const outcome = await httpAttempt(this.poolFor(request), {
        method,
        path: `${this.pathPrefix}/ChatService/${method}`,
        headers: this.headers,
        request,
        schema,
        attachment: timed.attachment,
        signal: timed.signal,
        timeoutMs: timed.timeoutMs ?? this.requestTimeoutMs,
      });
      const seconds = (performance.now() - started) / 1000;
      this.observer?.attempted(method, request, seconds, kindOf(outcome));
      return outcome;
    };
    return runAttempts(attempt, policy.retry, {
      baseDelayMs: this.retryBaseDelayMs,
      maxDelayMs: maxRetryDelayMs,
      sleep: this.sleep,
      now: this.now,
    });
  }

  /** The calls about one chat (those with a ChatID) share a pool; the others take turns. */
  private poolFor(request: object): Pool {
    const chatId = 'ChatID' in request ? request.ChatID : undefined;
    if (typeof chatId === 'string') return this.pools[hashOf(chatId) % poolCount] as Pool;
    this.nextPool = (this.nextPool + 1) % poolCount;
    return this.pools[this.nextPool] as Pool;
  }
}

/** FNV-1a: cheap, and spreads the random ChatIDs evenly. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  }
  return hash >>> 0;
}

function kindOf(attempt: Attempt<unknown>): UpstreamOutcome {
  if (attempt.ok) return 'ok';
  return attempt.error instanceof ServiceFault ? 'fault' : 'unavailable';
}
