import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, requireProgram } from './redis-server';

const root = join(__dirname, '..', '..');

/** One CustomerChat process (server/main.ts as built by buildServers), on a port of its own. */
export class CustomerChatProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);
  /** What it wrote to stderr (start-up errors), and its log lines. */
  output = '';

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly main: string,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return (
      this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
    );
  }

  /** Starts it and waits until its health route answers. */
  async start(): Promise<void> {
    const child = spawn(process.execPath, [this.main], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...this.env, CUSTOMERCHAT_PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    for (const stream of [child.stdout, child.stderr])
      stream?.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    for (let attempt = 0; attempt < 200; attempt += 1) {
      if (!this.running) throw new Error(`${this.name} exited at start-up:\n${this.output}`);
      if ((await httpGet(`${this.url}/CustomerChat/health`).catch(() => undefined))?.status === 200)
        return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${this.name} did not become healthy:\n${this.output}`);
  }

  /** Sends the signal; resolves with the exit code once it is gone. */
  async kill(signal: NodeJS.Signals): Promise<number | null> {
    this.child?.kill(signal);
    return this.exited;
  }

  /** Waits for the exit of a process that was told to go (or failed by itself). */
  exit(): Promise<number | null> {
    return this.exited;
  }
}

/**
 * nginx from Debian in front of the instances, configured from the shipped sample
 * docs/deploy/nginx.conf: only its upstream servers and listen address are changed, and a header
 * naming the instance that answered is added so that tests know which one holds a visitor.
 */
export class NginxFront {
  private child: ChildProcess | undefined;
  private readonly prefix = mkdtempSync(join(tmpdir(), 'nginx-'));
  private log = '';

  private constructor(readonly port: number) {}

  static async start(upstreamPorts: readonly number[]): Promise<NginxFront> {
    const front = new NginxFront(await freePort());
    await front.launch(upstreamPorts);
    return front;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child !== undefined && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGQUIT');
      });
    }
    rmSync(this.prefix, { recursive: true, force: true });
  }

  private async launch(upstreamPorts: readonly number[]): Promise<void> {
    const program = requireProgram('nginx', 'nginx');
    const sample = readFileSync(join(root, 'docs', 'deploy', 'nginx.conf'), 'utf8');
    const servers = upstreamPorts
      .map((port) => `    server 127.0.0.1:${port} max_fails=1 fail_timeout=5s;`)
      .join('\n');
    const site = sample
      .replace(/( *server 127\.0\.0\.1:\d+[^\n]*\n)+/, `${servers}\n`)
      .replace(/listen 80;/, `listen 127.0.0.1:${this.port};`)
      .replace(
        /location \/CustomerChat\/ \{/,
        (opening) => `${opening}\n        add_header X-Test-Upstream $upstream_addr always;`,
      );
    const temp = (name: string) => `${name}_temp_path ${join(this.prefix, name)};`;
    writeFileSync(join(this.prefix, 'site.conf'), site);
    writeFileSync(
      join(this.prefix, 'nginx.conf'),
      [
        'daemon off;',
        'worker_processes 1;',
        `pid ${join(this.prefix, 'nginx.pid')};`,
        `error_log ${join(this.prefix, 'error.log')} warn;`,
        'events { worker_connections 1024; }',
        'http {',
        '  access_log off;',
        `  ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}`,
        `  include ${join(this.prefix, 'site.conf')};`,
        '}',
      ].join('\n'),
    );
    const child = spawn(program, ['-p', this.prefix, '-c', join(this.prefix, 'nginx.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stderr?.on('data', (chunk: Buffer) => (this.log += chunk.toString('utf8')));
    for (let attempt = 0; attempt < 200; attempt += 1) {
      if (child.exitCode !== null) throw new Error(`nginx did not start:\n${this.log}`);
      if (
        await httpGet(`${this.url}/`).then(
          () => true,
          () => false,
        )
      )
        return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`nginx did not answer:\n${this.log}`);
  }
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A GET from a chosen loopback address (nginx routes visitors by their address). */
export function httpGet(url: string, localAddress?: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { localAddress, agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}
