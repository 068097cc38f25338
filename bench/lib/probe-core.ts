import { readdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapStatistics, writeHeapSnapshot } from 'node:v8';

/**
 * What the bench reads inside a server process without touching its code: memory (after a full
 * GC when the process runs with --expose-gc), CPU time, open files, event-loop delay since the last
 * reset (perf_hooks' histogram, 10 ms resolution) and V8 CPU profiles (the profiler --cpu-prof
 * uses, started and stopped around the part of a scenario worth profiling).
 */
export interface ProcessSample {
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  arrayBuffersBytes: number;
  /** User + system CPU time since the process started. */
  cpuMicros: number;
  openFiles: number;
  /** Whether a full GC ran just before the memory figures were read. */
  afterGc: boolean;
  /** Event-loop delay since the last reset, in ms beyond the 10 ms period of the probe's timer. */
  lag: { p50: number; p99: number; max: number; mean: number };
}

export interface Probe {
  sample(gc: boolean): ProcessSample;
  resetLag(): void;
  startProfile(): Promise<void>;
  stopProfile(file: string): Promise<void>;
  /** Writes a V8 heap snapshot (the process stops while it is written). */
  heapSnapshot(file: string): void;
  close(): void;
}

/** The histogram's timer fires every 10 ms; what it records is the whole gap between firings. */
const resolutionMs = 10;
/** Delay beyond the timer's own period, in ms. */
const ms = (nanoseconds: number) =>
  Math.max(0, Math.round((nanoseconds / 1e6 - resolutionMs) * 100) / 100);

/** process.memoryUsage() reads /proc for RSS: out of file descriptors, RSS is -1. */
function memoryUsage(): NodeJS.MemoryUsage {
  try {
    return process.memoryUsage();
  } catch {
    const heap = getHeapStatistics();
    return {
      rss: -1,
      heapUsed: heap.used_heap_size,
      heapTotal: heap.total_heap_size,
      external: heap.external_memory,
      arrayBuffers: -1,
    };
  }
}

function countOpenFiles(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return -1;
  }
}

export function createProbe(): Probe {
  const delay = monitorEventLoopDelay({ resolution: resolutionMs });
  delay.enable();
  let session: Session | undefined;
  const post = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve, reject) => {
      if (session === undefined) return reject(new Error('no profiler session'));
      session.post(method, params, (error, result) =>
        error === null ? resolve(result as T) : reject(error),
      );
    });
  return {
    sample(gc) {
      const collect = (globalThis as { gc?: () => void }).gc;
      if (gc && collect !== undefined) collect();
      const memory = memoryUsage();
      const cpu = process.cpuUsage();
      return {
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        heapTotalBytes: memory.heapTotal,
        externalBytes: memory.external,
        arrayBuffersBytes: memory.arrayBuffers,
        cpuMicros: cpu.user + cpu.system,
        openFiles: countOpenFiles(),
        afterGc: gc && collect !== undefined,
        lag: {
          p50: delay.count > 0 ? ms(delay.percentile(50)) : 0,
          p99: delay.count > 0 ? ms(delay.percentile(99)) : 0,
          max: delay.count > 0 ? ms(delay.max) : 0,
          mean: delay.count > 0 ? ms(delay.mean) : 0,
        },
      };
    },
    resetLag() {
      delay.reset();
    },
    async startProfile() {
      session = new Session();
      session.connect();
      await post('Profiler.enable');
      await post('Profiler.start');
    },
    async stopProfile(file) {
      const { profile } = await post<{ profile: unknown }>('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session?.disconnect();
      session = undefined;
    },
    heapSnapshot(file) {
      writeHeapSnapshot(file);
    },
    close() {
      delay.disable();
      session?.disconnect();
      session = undefined;
    },
  };
}
