import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { ServiceFault } from '../../protocol/faults';
import type { Logger } from '../../shared/logger';
import { sendFault, toFault, writeJson } from './fault-response';
import { readJsonBody } from './request-body';
import type { RequestLimits } from './request-limits';

/** What a method may know of the HTTP request that called it. */
export interface CallerRequest {
  /** The caller's address (X-Forwarded-For's first entry when the service trusts its proxy). */
  address: string;
  header(name: string): string | undefined;
}

export interface CallContext {
  /** Whether the caller is still connected (a long-poll's caller may have gone). */
  stillWanted: () => boolean;
  /**
   * Calls the listener (one a call) when the caller goes away before its answer; returns what
   * stops that. A callback, not an AbortSignal: making one costs more than a short call.
   */
  onGone(listener: () => void): () => void;
}

export interface MethodSpec<S extends z.ZodType, C> {
  /** Schema of the request; methods without one take no request. */
  schema: S | null;
  /** Also answer GET (methods without a request, as the specification's GetVersion). */
  allowGet?: boolean;
  /** The body may hold an attachment: the attachment limit applies instead of the small one. */
  carriesAttachment?: boolean;
  /**
   * Runs on the parsed body before the schema and returns the body the schema sees: a large
   * message to an unknown chat is refused before its attachment is validated, and a byte array
   * becomes base64 in one pass rather than millions of checked numbers.
   */
  prepare?(body: unknown, caller: C): unknown;
  handle(request: z.output<S>, caller: C, context: CallContext): unknown;
}

// The table holds specs of many request types; each spec is checked where it is written.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MethodTable<C> = Record<string, MethodSpec<any, C>>;

export function method<S extends z.ZodType, C>(spec: MethodSpec<S, C>): MethodSpec<S, C> {
  return spec;
}

/** One service's methods under a path: `/ChatService/<Method>`. */
export interface MethodService<C> {
  /** The path before the method's name, e.g. `/ChatService` (matched without regard to case). */
  path: string;
  table: MethodTable<C>;
  identify: (req: CallerRequest) => C;
  /** Runs before the method (CORS); `next` is not called when it answered the request itself. */
  before?: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
}

interface Call {
  carriesAttachment: boolean;
  run(body: unknown, req: CallerRequest, context: CallContext): unknown;
}

/** A service with its caller type sealed in, so services of different callers mount together. */
export interface MountedService {
  prefix: string;
  before: MethodService<unknown>['before'];
  find(name: string, verb: string | undefined): Call | undefined;
}

export function mountService<C>(service: MethodService<C>): MountedService {
  const byName = new Map(
    Object.entries(service.table).map(([name, spec]) => [name.toLowerCase(), spec]),
  );
  return {
    prefix: `${service.path.toLowerCase()}/`,
    before: service.before,
    find: (name, verb) => {
      const spec = byName.get(name);
      if (spec === undefined || !(verb === 'POST' || (verb === 'GET' && spec.allowGet === true)))
        return undefined;
      return {
        carriesAttachment: spec.carriesAttachment === true,
        run: (body, req, context) => {
          const caller = service.identify(req);
          const unwrapped = unwrap(body);
          const prepared = spec.prepare === undefined ? unwrapped : spec.prepare(unwrapped, caller);
          const request = spec.schema === null ? undefined : parseRequest(spec.schema, prepared);
          return spec.handle(request, caller, context);
        },
      };
    },
  };
}

export interface MethodRouterOptions {
  /** Largest body of a method that carries an attachment, in bytes. */
  attachmentBodyLimitBytes: number;
  /** Largest body of every other method, in bytes. */
  bodyLimitBytes: number;
  /** Requests in progress per address, and body bytes held at once. */
  limits: RequestLimits;
  /**
   * Resolves once every change made so far is durable: no caller is answered before the changes
   * its call made are committed (a failed commit answers Internal).
   */
  commit: () => Promise<void>;
  trustProxy: boolean;
  logger: Logger;
}

/** Answers a request when it is one of the services' paths; false leaves it to the next handler. */
export type MethodRouter = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * Serves the method tables straight on node:http: every message of every chat passes here, and
 * express's router, body parser and response helpers were a quarter of the service's CPU under
 * load. A body is taken wrapped as `{"request": {...}}` (the specification's example) or bare,
 * validated with the method's schema, and the handler's result is sent as bare JSON.
 */
export function methodRouter(
  services: readonly MountedService[],
  options: MethodRouterOptions,
): MethodRouter {
  return (req, res) => {
    const path = pathOf(req.url);
    const lower = path.toLowerCase();
    const service = services.find(
      ({ prefix }) => lower.startsWith(prefix) || lower === prefix.slice(0, -1),
    );
    if (service === undefined) return false;
    const name = lower.slice(service.prefix.length).replace(/\/$/, '');
    const start = () => {
      const call = name.includes('/') ? undefined : service.find(name, req.method);
      if (call === undefined) {
        const shown = path.slice(service.prefix.length) || '(none)';
        fail(res, new ServiceFault('UnknownMethod', `There is no method ${shown} here.`), options);
        return;
      }
      void dispatch(req, res, call, options);
    };
    if (service.before === undefined) start();
    else service.before(req, res, start);
    return true;
  };
}

async function dispatch(
  req: IncomingMessage,
  res: ServerResponse,
  call: Call,
  options: MethodRouterOptions,
): Promise<void> {
  const caller = callerRequest(req, options.trustProxy);
  const admitted = options.limits.admit(caller.address);
  if (!admitted.ok) {
    // Read to the end, not kept, so the connection stays usable for the answer.
    req.resume();
    fail(res, admitted.fault, options);
    return;
  }
  const budget = options.limits.bodyBudget();
  let gone = false;
  let goneListener: (() => void) | null = null;
  res.on('close', () => {
    admitted.release();
    budget.releaseAll();
    gone = !res.writableFinished;
    if (gone) goneListener?.();
  });
  const context: CallContext = {
    stillWanted: () => !gone && !req.socket.destroyed,
    onGone: (listener) => {
      goneListener = listener;
      return () => {
        if (goneListener === listener) goneListener = null;
      };
    },
  };
  let answer: { status: 200; result: unknown } | { status: 'fault'; error: unknown };
  try {
    const body = await readJsonBody(req, {
      limitBytes: call.carriesAttachment
        ? options.attachmentBodyLimitBytes
        : options.bodyLimitBytes,
      carriesAttachment: call.carriesAttachment,
      budget,
    });
    const result = await call.run(body, caller, context);
    answer = { status: 200, result };
  } catch (error) {
    answer = { status: 'fault', error };
  }
  try {
    await options.commit();
  } catch (error) {
    answer = { status: 'fault', error };
  }
  if (gone) return;
  if (answer.status === 200) writeJson(res, 200, answer.result ?? {});
  else fail(res, toFault(answer.error, req.url ?? '', options.logger), options);
}

function fail(res: ServerResponse, fault: ServiceFault, options: MethodRouterOptions): void {
  if (res.headersSent) {
    options.logger.warn({ code: fault.code }, 'fault after the answer began');
    res.destroy();
    return;
  }
  sendFault(res, fault);
}

function pathOf(url: string | undefined): string {
  const text = url ?? '/';
  const query = text.indexOf('?');
  return query === -1 ? text : text.slice(0, query);
}

function callerRequest(req: IncomingMessage, trustProxy: boolean): CallerRequest {
  const forwarded = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return {
    address: first || (req.socket.remoteAddress ?? ''),
    header: (name) => {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

function unwrap(body: unknown): unknown {
  if (body === undefined || body === null) return {};
  if (typeof body === 'object' && !Array.isArray(body)) {
    const keys = Object.keys(body);
    const wrapped = (body as Record<string, unknown>)['request'];
    if (
      keys.length === 1 &&
      keys[0] === 'request' &&
      typeof wrapped === 'object' &&
      wrapped !== null
    )
      return wrapped;
  }
  return body;
}

function parseRequest<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? 'request' : issue.path.join('.');
  throw new ServiceFault('BadRequest', `${field}: ${issue?.message ?? 'invalid'}`);
}
