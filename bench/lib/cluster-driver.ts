import { ErrorLog } from './http';
import { createProbe } from './probe-core';
import { forEachLimited } from './stats';
import { SocketVisitor } from './visitors';

/**
 * One of the cluster scenario's visitor processes (`node cluster-driver.js`, started by
 * DriverProcess with an IPC channel): it holds its share of the visitors, all connected from one
 * loopback address of its own, so that neither one process's open files nor one address's
 * ephemeral ports bound the run. It answers the probe's "sample" too, so its CPU and memory are
 * counted as the bench's and not as other processes'.
 */
export interface DriverRequest {
  id: number;
  command: 'ramp' | 'status' | 'close' | 'sample' | 'reset-lag';
  /** ramp: the CustomerChat instances; visitor i connects to urls[i % urls.length]. */
  urls?: string[];
  from?: number;
  to?: number;
  concurrency?: number;
  localAddress?: string;
  timeoutMs?: number;
  gc?: boolean;
}

export interface RampAnswer {
  up: number;
  failed: number;
}

export interface DriverStatus {
  up: number;
  dropped: number;
  errors: Array<{ error: string; count: number }>;
}

const probe = createProbe();
const visitors: SocketVisitor[] = [];
const errors = new ErrorLog();

async function ramp(request: DriverRequest): Promise<RampAnswer> {
  const urls = request.urls ?? [];
  const from = request.from ?? 0;
  const indexes = Array.from({ length: (request.to ?? from) - from }, (_unused, i) => from + i);
  let failed = 0;
  await forEachLimited(indexes, request.concurrency ?? 50, async (index) => {
    let visitor: SocketVisitor | undefined;
    try {
      const url = urls[index % urls.length] as string;
      visitor = await SocketVisitor.connect(url, request.timeoutMs ?? 30_000, request.localAddress);
      await visitor.requestChat(`v${index}`, request.timeoutMs ?? 30_000);
      visitors.push(visitor);
    } catch (error) {
      failed += 1;
      errors.add('visitor', error);
      visitor?.close();
    }
  });
  return { up: visitors.length, failed };
}

function status(): DriverStatus {
  return {
    up: visitors.length,
    dropped: visitors.filter((visitor) => visitor.droppedUnexpectedly).length,
    errors: errors.toJSON(),
  };
}

async function answer(request: DriverRequest): Promise<unknown> {
  switch (request.command) {
    case 'ramp':
      return ramp(request);
    case 'status':
      return status();
    case 'sample':
      return probe.sample(request.gc === true);
    case 'reset-lag':
      return probe.resetLag();
    case 'close':
      for (const visitor of visitors) visitor.close();
      visitors.length = 0;
      return null;
  }
}

process.on('message', (request: DriverRequest) => {
  answer(request).then(
    (data) => process.send?.({ id: request.id, ok: true, data: data ?? null }),
    (error: unknown) => process.send?.({ id: request.id, ok: false, error: String(error) }),
  );
});
// The bench gone, nothing is left to hold.
process.on('disconnect', () => process.exit(0));
