import { performance } from 'node:perf_hooks';
import { ServiceFault } from '../../protocol/faults';
import type { MethodSpec, MethodTable } from '../http/method-router';
import type { ApiName, ChatServiceMetrics } from './chat-service-metrics';

/** What the instrumented methods report to. */
export type MethodMetrics = Pick<ChatServiceMetrics, 'requestDone' | 'messageSent'>;

/**
 * The same methods, each timed with its outcome (ok, or the fault it raised), and SendMessage
 * counted per direction once accepted. A change is answered only once the live state has
 * committed it, so the time runs until `committed` resolves: what a caller waits, not only the
 * handler. Requests refused by their schema never reach a handler and are not timed.
 */
export function instrumentMethods<C>(
  api: ApiName,
  table: MethodTable<C>,
  metrics: MethodMetrics,
  committed: () => Promise<void>,
): MethodTable<C> {
  return Object.fromEntries(
    Object.entries(table).map(([name, spec]) => [
      name,
      instrumented(api, name, spec, metrics, committed),
    ]),
  );
}

// The spec's request type is the table's own (see MethodTable).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySpec<C> = MethodSpec<any, C>;

function instrumented<C>(
  api: ApiName,
  name: string,
  spec: AnySpec<C>,
  metrics: MethodMetrics,
  committed: () => Promise<void>,
): AnySpec<C> {
  const countsMessages = name === 'SendMessage';
  return {
    ...spec,
    async handle(request: unknown, caller, context) {
      const started = performance.now();
      const done = (outcome: string) =>
        metrics.requestDone(api, name, (performance.now() - started) / 1000, outcome);
      try {
        const result: unknown = await spec.handle(request, caller, context);
        await committed();
        done('ok');
        if (countsMessages) countMessage(api, request, metrics);
        return result;
      } catch (error) {
        done(error instanceof ServiceFault ? error.code : 'Internal');
        throw error;
      }
    },
  };
}

function countMessage(api: ApiName, request: unknown, metrics: MethodMetrics): void {
  if (api === 'agent') {
    metrics.messageSent('agent_to_customer');
    return;
  }
  const notice = (request as { System?: boolean | null } | undefined)?.System === true;
  if (!notice) metrics.messageSent('customer_to_agent');
}
