import { spawn, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  readSync,
  statSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { ChangeLogFiles } from '../../server/chat-service/live-state/change-log-files';
import { agentsFor, chatServiceConfig, webConfig } from './bench-configs';
import type { ProcessSample } from './probe-core';
import { sleep } from './stats';

/** One running server as the bench sees it. */
export interface ServerHandle {
  /** 'chat-service', 'customer-chat'; in the cluster scenario 'customer-chat-2', 'redis', … */
  name: string;
  url: string;
  /** Where its Prometheus metrics are read, when it keeps them. */
  metricsUrl?: string | undefined;
  /** The OS process; undefined when the server runs inside the bench's own process. */
  pid: number | undefined;
  sample(gc: boolean): Promise<ProcessSample>;
  resetLag(): Promise<void>;
  startProfile(): Promise<void>;
  stopProfile(file: string): Promise<void>;
  heapSnapshot(file: string): Promise<void>;
  /** The server's log (JSON lines); undefined when it logs nowhere (in-process). */
  logFile: string | undefined;
}

export interface ServerSet {
  chatService: ServerHandle;
  customerChat: ServerHandle | undefined;
  stop(): Promise<void>;
}

export interface ServerSpec {
  /** Chats the scenario will hold at most: agents are generated for them. */
  chats: number;
  chatsPerAgent: number;
  /** Start CustomerChat in front of the Chat Service. */
  customerChat: boolean;
  /** Names the log files and configs of this start. */
  label: string;
  /** Give the Chat Service a metrics listener even without ProcessLauncherOptions.metrics. */
  chatServiceMetrics?: boolean;
}

export interface ServerLauncher {
  /** 'processes': each server its own process (the real bench); 'in-process': the smoke test. */
  mode: 'processes' | 'in-process';
  start(spec: ServerSpec): Promise<ServerSet>;
}

export interface ProcessLauncherOptions {
  projectRoot: string;
  /** Where configs and logs of each start are written. */
  workDir: string;
  chatServiceEntry: string;
  customerChatEntry: string;
  probe: string;
  logLevel: string;
  /** CustomerChat's upstreamEventBatchSize (0: its default). */
  eventBatchSize: number;
  /** Give each server a metrics listener (on a free port). */
  metrics: boolean;
}

/** A free port on loopback, picked by the OS (it is released before the server takes it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** GET until 200, the process exits, or 30 s pass. */
export async function waitReady(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  const tail = readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
  throw new Error(`${url} did not come up (exit ${String(child.exitCode)}):\n${tail}`);
}

/** A server process started with the probe preloaded, asked over its IPC channel. */
export class ChildServer implements ServerHandle {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();

  constructor(
    readonly name: ServerHandle['name'],
    readonly url: string,
    private readonly child: ChildProcess,
    readonly logFile: string,
    readonly metricsUrl?: string,
  ) {
    child.on('message', (message: { id: number; ok: boolean; data?: unknown; error?: string }) => {
      const waiter = this.pending.get(message.id);
      if (waiter === undefined) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.data);
      else waiter.reject(new Error(`${this.name}: ${message.error ?? 'probe failed'}`));
    });
    child.on('exit', () => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${name} exited`));
      this.pending.clear();
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  sample(gc: boolean): Promise<ProcessSample> {
    return this.call({ command: 'sample', gc }) as Promise<ProcessSample>;
  }

  async resetLag(): Promise<void> {
    await this.call({ command: 'reset-lag' });
  }

  async startProfile(): Promise<void> {
    await this.call({ command: 'profile-start' });
  }

  async stopProfile(file: string): Promise<void> {
    await this.call({ command: 'profile-stop', file }, 120_000);
  }

  async heapSnapshot(file: string): Promise<void> {
    await this.call({ command: 'heap-snapshot', file }, 300_000);
  }

  /** SIGTERM (the servers' own graceful stop), SIGKILL after 15 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
  }

  /** SIGKILL, for the end of a run where a graceful stop would only cost time. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  /** One request over the IPC channel, answered by the message with the same id. */
  call(request: object, timeoutMs = 60_000): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: no answer from the probe in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ id, ...request });
    });
  }
}

/**
 * Each server in its own process, started from the project's entry points with CHATSERVICE_CONFIG
 * and CUSTOMERCHAT_CONFIG pointing at configs written for the run (CustomerChat with upstreamUrl,
 * so it runs alone in front of the Chat Service process). Logs go to files, not through the bench.
 */
export function processLauncher(options: ProcessLauncherOptions): ServerLauncher {
  const spawnServer = (entry: string, env: Record<string, string>, logFile: string) =>
    spawnProbed(options, entry, env, logFile);
  return {
    mode: 'processes',
    async start(spec) {
      const dir = join(options.workDir, spec.label);
      mkdirSync(dir, { recursive: true });
      const chatServicePort = await freePort();
      const chatServiceMetricsPort =
        options.metrics || spec.chatServiceMetrics === true ? await freePort() : null;
      const chatServiceFile = join(dir, 'chatservice.config.json');
      writeFileSync(
        chatServiceFile,
        JSON.stringify(
          chatServiceConfig({
            port: chatServicePort,
            agents: agentsFor(spec.chats, spec.chatsPerAgent),
            chatsPerAgent: spec.chatsPerAgent,
            outboxFolder: join(dir, 'outbox'),
            liveStateFile: freshFile(join(dir, 'live.sqlite')),
            metricsPort: chatServiceMetricsPort,
          }),
          null,
          2,
        ),
      );
      const children: ChildServer[] = [];
      const stop = async () => {
        // CustomerChat first, as npm start does: its pumps end before the service goes.
        for (const child of [...children].reverse()) await child.stop();
      };
      try {
        const chatServiceUrl = `http://127.0.0.1:${chatServicePort}`;
        const chatServiceLog = join(dir, 'chat-service.log');
        const chatServiceChild = spawnServer(
          options.chatServiceEntry,
          { CHATSERVICE_CONFIG: chatServiceFile },
          chatServiceLog,
        );
        const chatService = new ChildServer(
          'chat-service',
          chatServiceUrl,
          chatServiceChild,
          chatServiceLog,
          chatServiceMetricsPort === null
            ? undefined
            : `http://127.0.0.1:${chatServiceMetricsPort}/metrics`,
        );
        children.push(chatService);
        await waitReady(
          `${chatServiceUrl}/ChatService/GetVersion`,
          chatServiceChild,
          chatServiceLog,
        );
        let customerChat: ChildServer | undefined;
        if (spec.customerChat) {
          const port = await freePort();
          const webFile = join(dir, 'web.config.json');
          writeFileSync(
            webFile,
            JSON.stringify(
              webConfig({
                port,
                upstreamUrl: chatServiceUrl,
                resourcesFolder: join(options.projectRoot, 'resources'),
                eventBatchSize: options.eventBatchSize,
                metricsPort: options.metrics ? await freePort() : null,
              }),
              null,
              2,
            ),
          );
          // The shipped toolbox defaults, read from beside web.config.json as in a deployment.
          const toolboxConfig = join(options.projectRoot, 'toolbox.config.js');
          if (existsSync(toolboxConfig))
            copyFileSync(toolboxConfig, join(dir, 'toolbox.config.js'));
          const url = `http://127.0.0.1:${port}`;
          const logFile = join(dir, 'customer-chat.log');
          const child = spawnServer(
            options.customerChatEntry,
            { CUSTOMERCHAT_CONFIG: webFile },
            logFile,
          );
          customerChat = new ChildServer('customer-chat', url, child, logFile);
          children.push(customerChat);
          await waitReady(`${url}/CustomerChat/health`, child, logFile);
        }
        return { chatService, customerChat, stop };
      } catch (error) {
        await stop();
        throw error;
      }
    },
  };
}

/** `node --expose-gc -r probe.js <entry>` with its output to logFile and an IPC channel. */
export function spawnProbed(
  options: Pick<ProcessLauncherOptions, 'projectRoot' | 'probe' | 'logLevel'>,
  entry: string,
  env: Record<string, string>,
  logFile: string,
  nodeArgs: readonly string[] = [],
): ChildProcess {
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...nodeArgs, '--expose-gc', '-r', options.probe, entry], {
    cwd: options.projectRoot,
    env: { ...process.env, LOG_LEVEL: options.logLevel, ...env },
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  return child;
}

/**
 * Counts the warnings and errors a server logged (pino JSON lines, level 40 and up) since the
 * last call, with the most frequent messages.
 */
export class LogWatch {
  private offset = 0;

  constructor(private readonly file: string | undefined) {
    if (file !== undefined && existsSync(file)) this.offset = statSync(file).size;
  }

  read(): { warnings: number; top: Array<{ message: string; count: number }> } {
    if (this.file === undefined || !existsSync(this.file)) return { warnings: 0, top: [] };
    const size = statSync(this.file).size;
    if (size <= this.offset) return { warnings: 0, top: [] };
    const length = Math.min(size - this.offset, 64 * 1024 * 1024);
    const buffer = Buffer.alloc(length);
    const fd = openSync(this.file, 'r');
    try {
      readSync(fd, buffer, 0, length, this.offset);
    } finally {
      closeSync(fd);
    }
    this.offset = size;
    const counts = new Map<string, number>();
    let warnings = 0;
    for (const line of buffer.toString('utf8').split('\n')) {
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level === undefined || Number(level) < 40) continue;
      warnings += 1;
      const message = /"msg":"([^"]*)"/.exec(line)?.[1] ?? line.slice(0, 80);
      counts.set(message, (counts.get(message) ?? 0) + 1);
    }
    const top = [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([message, count]) => ({ message, count }));
    return { warnings, top };
  }
}

/**
 * A path with no database left at it by an earlier run of the same scenario: nor its WAL, nor its
 * change log (a run ended with SIGKILL leaves one, and the next start would restore its chats).
 */
export function freshFile(file: string): string {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  if (existsSync(dirname(file))) new ChangeLogFiles(file).remove(Infinity);
  return file;
}
