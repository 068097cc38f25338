import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'undici';
import { z } from 'zod';
import { encodeAttachment } from '../../protocol/attachment-encoding';
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
import { isFaultCode, ServiceFault } from '../../protocol/faults';
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

/** The Chat Service could not be reached, did not answer in time, or answered nonsense. */
export class UpstreamUnavailableError extends Error {
  override readonly name = 'UpstreamUnavailableError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
  }
}

export interface ChatServiceClientOptions {
  /** Where the Chat Service answers, e.g. `http://127.0.0.1:12616` (a path prefix is kept). */
  baseUrl: string;
  requestTimeoutMs?: number;
  /** Further attempts after a connection failure or a 5xx, for requests safe to repeat. */
  retries?: number;
  retryBaseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
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
  Attachment?: Uint8Array | null;
  ClientMessageID?: string;
  System?: boolean;
}

/** How many undici pools the connections are spread over (see the constructor). */
const poolCount = 16;

/** How long a held GetEvents may outlast its Timeout before the answer counts as lost. */
const longPollGraceMs = 10_000;

/** Failures before any answer that a repeat of the request may well get past. */
const connectionFailureCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const FaultBodySchema = z.object({
  Fault: z.object({ Code: z.string(), Message: z.string().nullish() }),
});

interface CallPolicy {
  /**
   * A base64 attachment spliced into the request's JSON as its Attachment: base64 needs no
   * escaping, and JSON.stringify of a 7 MB string holds the event loop for tens of milliseconds.
   */
  attachment?: string;
  retry: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
}

type Attempt<T> = { ok: true; value: T } | { ok: false; error: Error; retryable: boolean };

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
  private readonly retries: number;
  private readonly retryBaseDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
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
    this.retries = options.retries ?? 3;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 200;
    this.sleep = options.sleep ?? ((ms) => delay(ms));
    this.headers = {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(options.relayKey ? { [relayKeyHeader]: options.relayKey } : {}),
    };
    this.observer = options.observer;
  }

  /** Never repeated: a repeat that follows a lost answer would open a second chat. */
  requestChat(request: RequestChatRequest): Promise<DecodedRequestChatResponse> {
    return this.call('RequestChat', request, RequestChatResponseSchema, { retry: false });
  }

  /** `reason` (an extension) tells the agent why: a service without it ignores the field. */
  leaveChat(chatId: string, reason: LeaveReason = 'Closed'): Promise<void> {
    return this.call('LeaveChat', { ChatID: chatId, Reason: reason }, EmptyResponseSchema);
  }

  /** The LeaveMessage extension; not repeated, as a repeat would store the message twice. */
  leaveMessage(request: LeaveMessageRequest): Promise<LeaveMessageResponse> {
    return this.call('LeaveMessage', request, LeaveMessageResponseSchema, { retry: false });
  }

  /** The RateChat extension; not repeated: a repeat after a lost answer would be AlreadyRated. */
  rateChat(request: RateChatRequest): Promise<RateChatResponse> {
    return this.call('RateChat', request, RateChatResponseSchema, { retry: false });
  }

  /** Safe to repeat when ClientMessageID is given: the service then delivers it once. */
  sendMessage(input: SendMessageInput): Promise<void> {
    const { Attachment, ...rest } = input;
    if (Attachment == null) return this.call('SendMessage', rest, EmptyResponseSchema);
    return this.call('SendMessage', rest, EmptyResponseSchema, {
      retry: true,
      attachment: encodeAttachment(Attachment),
    });
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
      retry: false,
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
      retry: false,
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
      retry: false,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
  }

  /** Ends held long-polls too: waiting for them would delay a shutdown by a whole hold. */
  async close(): Promise<void> {
    await Promise.all(this.pools.map((pool) => pool.destroy()));
  }

  private async call<T>(
    method: string,
    request: object,
    schema: z.ZodType<T>,
    policy: CallPolicy = { retry: true },
  ): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      const started = performance.now();
      const outcome = await this.attempt(method, request, schema, policy);
      this.observer?.attempted(
        method,
        request,
        (performance.now() - started) / 1000,
        kindOf(outcome),
      );
      if (outcome.ok) return outcome.value;
      if (!policy.retry || !outcome.retryable || attempt >= this.retries) throw outcome.error;
      // Jitter keeps the relays of many visitors from returning to a recovering service at once.
      const jitter = Math.random() * this.retryBaseDelayMs;
      await this.sleep(this.retryBaseDelayMs * 2 ** attempt + jitter);
    }
  }

  private async attempt<T>(
    method: string,
    request: object,
    schema: z.ZodType<T>,
    policy: CallPolicy,
  ): Promise<Attempt<T>> {
    const timeoutMs = policy.timeoutMs ?? this.requestTimeoutMs;
    let status: number;
    let body: string;
    try {
      const response = await this.poolFor(request).request({
        method: 'POST',
        path: `${this.pathPrefix}/ChatService/${method}`,
        headers: this.headers,
        body: requestBody(request, policy.attachment),
        signal: policy.signal ?? null,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      status = response.statusCode;
      body = await response.body.text();
    } catch (error) {
      // The caller gave up on purpose: that says nothing about the upstream.
      if (policy.signal?.aborted === true) throw error;
      return unavailable(`${method} failed: ${describe(error)}`, error, isConnectionFailure(error));
    }
    const json = parseJson(body);
    if (status >= 200 && status < 300) {
      const decoded = schema.safeParse(json);
      if (decoded.success) return { ok: true, value: decoded.data };
      return unavailable(`${method} answered an unreadable body`, decoded.error, false);
    }
    const serverFailed = status >= 500;
    const fault = FaultBodySchema.safeParse(json);
    if (fault.success && isFaultCode(fault.data.Fault.Code)) {
      const { Code, Message } = fault.data.Fault;
      return { ok: false, error: new ServiceFault(Code, Message ?? ''), retryable: serverFailed };
    }
    // A server without the method (a WCF host's "Endpoint not found" page) says so without a
    // fault: that is an answer, and batches fall back on it rather than wait for a recovery.
    if (status === 404 || status === 405) {
      const fault = new ServiceFault('UnknownMethod', `${method} is not served (HTTP ${status}).`);
      return { ok: false, error: fault, retryable: false };
    }
    return unavailable(`${method} answered HTTP ${status}`, body.slice(0, 200), serverFailed);
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

function unavailable(message: string, cause: unknown, retryable: boolean): Attempt<never> {
  return { ok: false, error: new UpstreamUnavailableError(message, { cause }), retryable };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

function isConnectionFailure(error: unknown): boolean {
  const code = errorCode(error);
  return typeof code === 'string' && connectionFailureCodes.has(code);
}

function describe(error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `${code} ${message}` : message;
}

function requestBody(request: object, attachment: string | undefined): string {
  const json = JSON.stringify({ request });
  if (attachment === undefined) return json;
  // `{"request":{…}}` becomes `{"request":{…,"Attachment":"…"}}`.
  const fields = json.slice(0, -2);
  const separator = fields.endsWith('{') ? '' : ',';
  return `${fields}${separator}"Attachment":"${attachment}"}}`;
}
