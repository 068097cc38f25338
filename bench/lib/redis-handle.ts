import { spawn, type ChildProcess } from 'node:child_process';
import Redis from 'ioredis';
import type { ProcessSample } from './probe-core';
import type { ServerHandle } from './servers';
import { sleep } from './stats';

const zeroLag = { p50: 0, p99: 0, max: 0, mean: 0 };

function field(info: string, name: string): number {
  const value = new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1];
  return value === undefined ? -1 : Number(value);
}

/**
 * A redis-server of the run's own (no persistence), seen by the bench as one more server: its
 * memory is INFO memory's used_memory (what Redis holds for its data) with used_memory_rss as RSS,
 * its CPU INFO cpu's, its "open files" the clients connected. It has no event-loop probe.
 */
export class RedisServer implements ServerHandle {
  readonly name = 'redis';
  readonly logFile = undefined;
  private readonly client: Redis;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    this.client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
    // Refused while the server starts: start() tries again, and the report reads what fails.
    this.client.on('error', () => undefined);
  }

  static async start(port: number): Promise<RedisServer> {
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const server = new RedisServer(child, `redis://127.0.0.1:${port}`);
    for (const end = Date.now() + 15_000; Date.now() < end; await sleep(100)) {
      if (child.exitCode !== null) break;
      try {
        await server.client.connect();
        return server;
      } catch {
        server.client.disconnect();
      }
    }
    child.kill('SIGKILL');
    throw new Error(`redis-server did not come up on port ${port} (is it installed?)`);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Keys in the database, for the report. */
  keys(): Promise<number> {
    return this.client.dbsize();
  }

  async sample(): Promise<ProcessSample> {
    const info = await this.client.info();
    const seconds = field(info, 'used_cpu_user') + field(info, 'used_cpu_sys');
    return {
      rssBytes: field(info, 'used_memory_rss'),
      heapUsedBytes: field(info, 'used_memory'),
      heapTotalBytes: field(info, 'used_memory_peak'),
      externalBytes: 0,
      arrayBuffersBytes: 0,
      cpuMicros: Math.round(seconds * 1e6),
      openFiles: field(info, 'connected_clients'),
      afterGc: false,
      lag: zeroLag,
    };
  }

  async resetLag(): Promise<void> {}

  async startProfile(): Promise<void> {}

  async stopProfile(): Promise<void> {}

  async heapSnapshot(): Promise<void> {}

  async stop(): Promise<void> {
    this.client.disconnect();
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
