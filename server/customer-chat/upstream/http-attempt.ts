import type { Pool } from 'undici';
import { z } from 'zod';
import { isFaultCode, ServiceFault } from '../../protocol/faults';
import type { Attempt } from './attempt-loop';
import { requestBody, type AttachmentSource } from './attachment-body';

/** The Chat Service could not be reached, did not answer in time, or answered nonsense. */
export class UpstreamUnavailableError extends Error {
  override readonly name = 'UpstreamUnavailableError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
  }
}

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

export interface HttpAttemptInput<T> {
  /** The Chat Service's method, for messages. */
  method: string;
  path: string;
  headers: Record<string, string>;
  request: object;
  schema: z.ZodType<T>;
  /** Sent as the request's Attachment in base64 (see requestBody). */
  attachment: AttachmentSource | undefined;
  signal: AbortSignal | undefined;
  /** For the answer's headers, and again for its body. */
  timeoutMs: number;
}

/**
 * One POST to the Chat Service, its answer decoded: the value, a ServiceFault (retryable when the
 * server failed), or UpstreamUnavailableError (retryable when no answer began). Rejects only when
 * the caller aborted.
 */
export async function httpAttempt<T>(pool: Pool, input: HttpAttemptInput<T>): Promise<Attempt<T>> {
  const { method, timeoutMs, signal } = input;
  let status: number;
  let body: string;
  try {
    const { body: sent, contentLength } = requestBody(input.request, input.attachment);
    const response = await pool.request({
      method: 'POST',
      path: input.path,
      headers:
        contentLength === undefined
          ? input.headers
          : { ...input.headers, 'content-length': String(contentLength) },
      body: sent,
      signal: signal ?? null,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    status = response.statusCode;
    body = await response.body.text();
  } catch (error) {
    // The caller gave up on purpose: that says nothing about the upstream.
    if (signal?.aborted === true) throw error;
    return unavailable(`${method} failed: ${describe(error)}`, error, isConnectionFailure(error));
  }
  const json = parseJson(body);
  if (status >= 200 && status < 300) {
    const decoded = input.schema.safeParse(json);
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
