import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import { ServiceFault } from '../../protocol/faults';

export interface CallContext {
  req: Request;
  /** Whether the caller is still connected (a long-poll's caller may have gone). */
  stillWanted: () => boolean;
}

export interface MethodSpec<S extends z.ZodType, C> {
  /** Schema of the request; methods without one take no request. */
  schema: S | null;
  /** Also answer GET (methods without a request, as the specification's GetVersion). */
  allowGet?: boolean;
  handle(request: z.output<S>, caller: C, context: CallContext): unknown;
}

// The table holds specs of many request types; each spec is checked where it is written.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MethodTable<C> = Record<string, MethodSpec<any, C>>;

export function method<S extends z.ZodType, C>(spec: MethodSpec<S, C>): MethodSpec<S, C> {
  return spec;
}

/**
 * Mounts `/<Method>` for every method of a table, matched without regard to case. A request body is
 * taken wrapped as `{"request": {...}}` (the specification's example) or bare, validated with the
 * method's schema, and the handler's result is sent as bare JSON.
 */
export function methodRouter<C>(table: MethodTable<C>, identify: (req: Request) => C): Router {
  const byName = new Map(Object.entries(table).map(([name, spec]) => [name.toLowerCase(), spec]));
  const router = Router();
  const dispatch = async (req: Request, res: Response) => {
    const spec = byName.get(String(req.params['method']).toLowerCase());
    if (spec === undefined || (req.method === 'GET' && spec.allowGet !== true)) {
      throw new ServiceFault(
        'UnknownMethod',
        `There is no method ${String(req.params['method'])} here.`,
      );
    }
    const caller = identify(req);
    const request = spec.schema === null ? undefined : parseRequest(spec.schema, unwrap(req.body));
    let gone = false;
    res.on('close', () => {
      gone = !res.writableFinished;
    });
    const result = await spec.handle(request, caller, {
      req,
      stillWanted: () => !gone && !req.socket.destroyed,
    });
    if (!gone) res.json(result ?? {});
  };
  router.post('/:method', dispatch);
  router.get('/:method', dispatch);
  return router;
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
