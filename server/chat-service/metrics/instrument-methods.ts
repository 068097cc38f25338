import { performance } from 'node:perf_hooks';
import { ServiceFault } from '../../protocol/faults';
import type { MethodSpec, MethodTable } from '../http/method-router';
import type { ApiName, ChatServiceMetrics } from './chat-service-metrics';

/**
 * The same methods, each timed with its outcome (ok, or the fault it raised), and SendMessage
 * counted per direction once accepted. Requests refused by their schema never reach a handler
 * and are not timed.
 */
export function instrumentMethods<C>(
  api: ApiName,
  table: MethodTable<C>,
  metrics: ChatServiceMetrics,
): MethodTable<C> {
  return Object.fromEntries(
    Object.entries(table).map(([name, spec]) => [name, instrumented(api, name, spec, metrics)]),
  );
}

// The spec's request type is the table's own (see MethodTable).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySpec<C> = MethodSpec<any, C>;

function instrumented<C>(
  api: ApiName,
  name: string,
  spec: AnySpec<C>,
  metrics: ChatServiceMetrics,
): AnySpec<C> {
  const countsMessages = name === 'SendMessage';
  return {
    ...spec,
    handle(request: unknown, caller, context) {
      const started = performance.now();
      const done = (outcome: string) =>
        metrics.requestDone(api, name, (performance.now() - started) / 1000, outcome);
      const succeeded = (result: unknown) => {
        done('ok');
        if (countsMessages) countMessage(api, request, metrics);
        return result;
      };
      const failed = (error: unknown): never => {
        done(error instanceof ServiceFault ? error.code : 'Internal');
        throw error;
      };
      let result: unknown;
      try {
        result = spec.handle(request, caller, context);
      } catch (error) {
        return failed(error);
      }
      return result instanceof Promise ? result.then(succeeded, failed) : succeeded(result);
    },
  };
}

function countMessage(api: ApiName, request: unknown, metrics: ChatServiceMetrics): void {
  if (api === 'agent') {
    metrics.messageSent('agent_to_customer');
    return;
  }
  const notice = (request as { System?: boolean | null } | undefined)?.System === true;
  if (!notice) metrics.messageSent('customer_to_agent');
}
