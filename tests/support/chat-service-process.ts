import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Agent, fetch } from 'undici';
import { hashPassword } from '../../server/chat-service/auth/password-hash';
import { testPasswordHashing, type CallResult } from './chat-service-harness';

/**
 * The real Chat Service as a separate OS process (server/chat-service-main.ts bundled with
 * esbuild), for tests that kill it with SIGKILL or SIGTERM and start it again on the same files.
 */

const repoRoot = join(__dirname, '..', '..');
const passwords = { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw' } as const;
export type ProcessAgentId = keyof typeof passwords;

let bundled: Promise<string> | undefined;
const cleanups: (() => void)[] = [];
const children = new Set<ChildProcess>();
// A jest worker that dies between afterEach hooks must not leave a Chat Service behind.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Bundles the entry once per test file (jest gives each file its own module registry). */
function bundleChatService(): Promise<string> {
  bundled ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chat-service-bundle-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const outfile = join(dir, 'bundle.js');
    await build({
      absWorkingDir: repoRoot,
      entryPoints: ['server/chat-service-main.ts'],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // better-sqlite3 is native and pino starts worker threads from its own files: node_modules
      // stays outside the bundle and is found through NODE_PATH.
      packages: 'external',
      logLevel: 'warning',
    });
    return outfile;
  })();
  return bundled;
}

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

/**
 * Sales (1) and Support (2); alice and bob in Sales (3 chats each), carol in Support. Cheap
 * password hashes, no per-address or per-chat rate limits that a test's bursts would hit.
 */
export function processConfig(dir: string, port: number, overrides: Record<string, unknown> = {}) {
  const hash = (id: ProcessAgentId) => hashPassword(passwords[id], testPasswordHashing);
  return {
    Host: '127.0.0.1',
    Port: port,
    ArchiveFile: join(dir, 'archive.sqlite'),
    OutboxFolder: join(dir, 'outbox'),
    RateLimits: {
      ExemptAddresses: ['127.0.0.1', '::ffff:127.0.0.1', '::1'],
      MessagesPerMinute: 100_000,
      RequestChatPerMinute: 100_000,
    },
    ServiceGroups: [
      {
        ServiceGroupID: 1,
        Name: 'Sales',
        QueueMessage: 'Welcome to Sales',
        OfferTimeoutSeconds: 60,
      },
      { ServiceGroupID: 2, Name: 'Support', QueueMessage: 'Welcome to Support' },
    ],
    Agents: [
      {
        AgentID: 'alice',
        Name: 'Alice A',
        PasswordHash: hash('alice'),
        ServiceGroupIDs: [1],
        MaxConcurrentChats: 3,
      },
      {
        AgentID: 'bob',
        Name: 'Bob B',
        PasswordHash: hash('bob'),
        ServiceGroupIDs: [1],
        MaxConcurrentChats: 3,
      },
      { AgentID: 'carol', Name: 'Carol C', PasswordHash: hash('carol'), ServiceGroupIDs: [2] },
    ],
    ...overrides,
  };
}

export interface ProcessOptions {
  /** The data folder; a new temp folder when absent (a second service on the same files passes the first's). */
  dir?: string;
  /** Merged over processConfig. */
  overrides?: Record<string, unknown>;
}

/** How a start that was expected to fail ended. */
export interface FailedStart {
  code: number | null;
  output: string;
}

export class ChatServiceProcess {
  readonly dir: string;
  readonly configFile: string;
  readonly archiveFile: string;
  private port = 0;
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);
  private dispatcher: Agent | undefined;
  private log = '';

  constructor(private readonly options: ProcessOptions = {}) {
    this.dir = options.dir ?? mkdtempSync(join(tmpdir(), 'chat-service-process-'));
    if (options.dir === undefined)
      cleanups.push(() => rmSync(this.dir, { recursive: true, force: true }));
    this.configFile = join(this.dir, `chatservice-${Math.random().toString(36).slice(2)}.json`);
    this.archiveFile = join(this.dir, 'archive.sqlite');
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** stdout and stderr of every run so far, for failure messages. */
  get output(): string {
    return this.log;
  }

  /** The running process's id, to read its memory from /proc. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts the service and waits for its 'ready' log line; the port stays the same across restarts. */
  async start(): Promise<void> {
    const result = await this.launch();
    if (result !== 'ready')
      throw new Error(`the Chat Service did not start (exit ${result.code}):\n${result.output}`);
  }

  /** Starts the service expecting start-up to fail; throws if it becomes ready instead. */
  async startExpectingFailure(): Promise<FailedStart> {
    const result = await this.launch();
    if (result === 'ready') throw new Error(`the Chat Service started:\n${this.log}`);
    return result;
  }

  async kill9(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** Sends SIGTERM and returns the exit code (null if a signal ended it). */
  async sigterm(): Promise<number | null> {
    return this.signal('SIGTERM');
  }

  /** SIGSTOP: the process keeps its files and locks but runs nothing (its timers write nothing). */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  async restart(): Promise<void> {
    await this.kill9();
    await this.start();
  }

  /** Leaves nothing running. */
  async stop(): Promise<void> {
    if (this.child !== undefined) await this.kill9();
  }

  /** POST /ChatService/<method> with {"request": …}. */
  customer<T = Record<string, unknown>>(method: string, request: unknown = {}) {
    return this.post<T>(`/ChatService/${method}`, { request });
  }

  /** POST /AgentService/<method> with the agent's token. */
  agent<T = Record<string, unknown>>(token: string | null, method: string, request: unknown = {}) {
    const headers: Record<string, string> =
      token === null ? {} : { authorization: `Bearer ${token}` };
    return this.post<T>(`/AgentService/${method}`, request, headers);
  }

  async login(agentId: ProcessAgentId, options: { ready?: boolean } = {}): Promise<string> {
    const result = await this.agent<{ Token: string }>(null, 'Login', {
      AgentID: agentId,
      Password: passwords[agentId],
    });
    if (result.status !== 200)
      throw new Error(`log-in of ${agentId} failed: ${JSON.stringify(result.body)}`);
    if (options.ready === true) {
      const ready = await this.agent(result.body.Token, 'SetReady', { Ready: true });
      if (ready.status !== 200) throw new Error(`SetReady failed: ${JSON.stringify(ready.body)}`);
    }
    return result.body.Token;
  }

  private async post<T>(
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<CallResult<T>> {
    if (this.dispatcher === undefined) throw new Error(`${path}: the Chat Service is not running`);
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      dispatcher: this.dispatcher,
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T };
  }

  private async launch(): Promise<'ready' | FailedStart> {
    if (this.child !== undefined) throw new Error('the Chat Service is already running');
    const bundle = await bundleChatService();
    if (this.port === 0) this.port = await freePort();
    writeFileSync(
      this.configFile,
      JSON.stringify(processConfig(this.dir, this.port, this.options.overrides)),
    );
    const runStart = this.log.length;
    const child = spawn(process.execPath, [bundle], {
      cwd: this.dir,
      env: {
        ...process.env,
        CHATSERVICE_CONFIG: this.configFile,
        NODE_PATH: join(repoRoot, 'node_modules'),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    children.add(child);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        children.delete(child);
        this.child = undefined;
        void this.dispatcher?.destroy();
        this.dispatcher = undefined;
        resolve(code);
      }),
    );
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.log += chunk));
    const ready = new Promise<'ready'>((resolve) => {
      let pending = '';
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        this.log += chunk;
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        if (lines.some(isReadyLine)) resolve('ready');
      });
    });
    const outcome = await Promise.race([
      ready,
      this.exited.then((code) => ({ code, output: this.log.slice(runStart) })),
    ]);
    if (outcome === 'ready') this.dispatcher = new Agent();
    return outcome;
  }

  private async signal(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    if (child === undefined) throw new Error(`${signal}: the Chat Service is not running`);
    child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), 10_000);
    });
    const code = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (code === 'timeout') {
      child.kill('SIGKILL');
      await this.exited;
      throw new Error(`the Chat Service did not exit within 10 s of ${signal}`);
    }
    return code;
  }
}

function isReadyLine(line: string): boolean {
  try {
    return (JSON.parse(line) as { msg?: unknown }).msg === 'ready';
  } catch {
    return false;
  }
}

/**
 * The lifecycle for a test file: `create()` makes a process (not started); after each test every
 * one is killed, after the file the bundle and the temp folders are removed.
 */
export function useChatServiceProcesses(): {
  create(options?: ProcessOptions): ChatServiceProcess;
} {
  const created: ChatServiceProcess[] = [];
  afterEach(async () => {
    await Promise.all(created.splice(0).map((service) => service.stop()));
  });
  afterAll(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
  return {
    create(options) {
      const service = new ChatServiceProcess(options);
      created.push(service);
      return service;
    },
  };
}
