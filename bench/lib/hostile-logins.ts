import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchPassword } from './bench-configs';
import { JsonClient } from './http';
import { openWindow, quietBefore } from './process-metrics';
import { projectRoot } from './paths';
import type { ServerHandle } from './servers';
import { round, summarize, type LatencySummary } from './stats';

export interface LoginsOptions {
  chatService: ServerHandle;
  /** An agent no one else uses in the scenario: its own log-ins are timed. */
  agentId: string;
  /** The real agent's log-ins under guessing (and a quarter as many, at least 3, before). */
  logins: number;
  /** Guesses in flight at once from the attacking address. */
  guessers: number;
  /** The attacker's loopback address (the agent logs in from 127.0.0.1). */
  attackerAddress: string;
  quietWaitSeconds: number;
  log: (line: string) => void;
}

export interface LoginsResult {
  agentId: string;
  attackerAddress: string;
  /** The agent's log-ins with nobody guessing, for reference. */
  quiet: LatencySummary;
  /** The agent's log-ins while the other address guesses without pause. */
  underGuessing: LatencySummary;
  /** HTTP status of the agent's log-ins under guessing: count. */
  loginStatuses: Record<string, number>;
  guesses: number;
  guessesPerSecond: number;
  /** HTTP status of the guesses: count (429: held back, 401: wrong password). */
  guessStatuses: Record<string, number>;
  /** While guessing: the Chat Service's CPU, and other processes' (the attacker's among them). */
  chatServiceCpuPercent: number;
  otherCpuPercent: number;
}

async function timedLogins(client: JsonClient, agentId: string, count: number) {
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    const answer = await client
      .post('/AgentService/Login', { AgentID: agentId, Password: benchPassword })
      .then((reply) => reply.status)
      .catch(() => 0);
    times.push(performance.now() - started);
    statuses[answer] = (statuses[answer] ?? 0) + 1;
  }
  return { times, statuses };
}

/** The attacker's process, resolved once its first guess was answered. */
function startGuessing(options: LoginsOptions) {
  const client = join(projectRoot, 'bench', 'lib', 'hostile-client.mjs');
  const child = spawn(
    process.execPath,
    [
      client,
      'guess',
      options.chatService.url,
      options.agentId,
      options.attackerAddress,
      String(options.guessers),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const finished = new Promise<{ statuses: Record<string, number>; seconds: number }>(
    (resolve, reject) => {
      child.once('error', reject);
      child.once('close', () => {
        try {
          resolve(JSON.parse(stdout) as { statuses: Record<string, number>; seconds: number });
        } catch {
          reject(new Error(`the guessing process printed no counts: ${stdout.slice(0, 200)}`));
        }
      });
    },
  );
  const begun = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no guess answered in 30 s')), 30_000);
    child.stderr.on('data', (chunk: Buffer) => {
      if (!chunk.toString().includes('guessing')) return;
      clearTimeout(timer);
      resolve();
    });
  });
  return {
    begun,
    stop: () => {
      child.kill('SIGTERM');
      return finished;
    },
  };
}

/**
 * Issue 13's lock-out: another address guesses an agent's password without pause while the agent
 * logs in over and over with the right one; the agent's log-in times, beside a few with nobody
 * guessing.
 */
export async function runLoginsUnderGuessing(options: LoginsOptions): Promise<LoginsResult> {
  const client = new JsonClient(options.chatService.url);
  try {
    await quietBefore([options.chatService], options.quietWaitSeconds);
    const quiet = await timedLogins(
      client,
      options.agentId,
      Math.max(3, Math.round(options.logins / 4)),
    );
    const window = await openWindow([options.chatService]);
    const attacker = startGuessing(options);
    let under: Awaited<ReturnType<typeof timedLogins>>;
    try {
      await attacker.begun;
      under = await timedLogins(client, options.agentId, options.logins);
    } catch (error) {
      await attacker.stop().catch(() => undefined);
      throw error;
    }
    const guessing = await attacker.stop();
    const hold = await window.finish();
    const guesses = Object.values(guessing.statuses).reduce((sum, value) => sum + value, 0);
    const result: LoginsResult = {
      agentId: options.agentId,
      attackerAddress: options.attackerAddress,
      quiet: summarize(quiet.times),
      underGuessing: summarize(under.times),
      loginStatuses: under.statuses,
      guesses,
      guessesPerSecond: guessing.seconds > 0 ? round(guesses / guessing.seconds, 1) : 0,
      guessStatuses: guessing.statuses,
      chatServiceCpuPercent: hold.processes['chat-service']?.cpuPercent ?? -1,
      otherCpuPercent: hold.otherCpuPercent,
    };
    options.log(
      `hostile: ${options.agentId} logged in p50 ${result.underGuessing.p50} ms, max ` +
        `${result.underGuessing.max} ms while ${options.attackerAddress} guessed ` +
        `${result.guessesPerSecond}/s ${JSON.stringify(result.guessStatuses)}`,
    );
    return result;
  } finally {
    await client.close();
  }
}
