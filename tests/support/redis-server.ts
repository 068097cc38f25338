import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import Redis from 'ioredis';

/** A loopback port nobody listens on right now. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Fails loudly (never skips) when a system program the test needs is not installed. */
export function requireProgram(program: string, pkg: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === '')
    throw new Error(
      `${program} is not installed: install Debian's ${pkg} (scripts/install-system-deps.sh ${pkg})`,
    );
  return path;
}

/**
 * A real redis-server of its own, on a free loopback port, with nothing saved to disk; stop()
 * kills it, start() again brings it back on the same port (empty, as after a crash without
 * persistence) to play an outage.
 */
export class RedisServer {
  private process: ChildProcess | undefined;
  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const program = requireProgram('redis-server', 'redis-server');
    const child = spawn(
      program,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.process = child;
    const client = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      for (let attempt = 0; ; attempt += 1) {
        try {
          await client.connect();
          await client.ping();
          return;
        } catch (error) {
          if (attempt > 100 || child.exitCode !== null)
            throw new Error(`redis-server did not start on port ${this.port}: ${String(error)}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    } finally {
      client.disconnect();
    }
  }

  /** A client of the test's own, e.g. to look at what the instances stored. */
  client(): Redis {
    return new Redis(this.url);
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (child === undefined || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}
