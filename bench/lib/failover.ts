import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AgentCrew } from './agents';
import { FailoverVisitor } from './failover-visitor';
import { agentsFor, chatServiceConfig, webConfig } from './bench-configs';
import { freePort } from './servers';
import { forEachLimited, round, sleep, summarize, type LatencySummary } from './stats';

export interface FailoverOptions {
  projectRoot: string;
  workDir: string;
  chatServiceEntry: string;
  customerChatEntry: string;
  /** CustomerChat instances sharing one Redis. */
  instances: number;
  /** 'memory': one instance without Redis (the engines scenario's reference). @default 'redis' */
  engine?: 'memory' | 'redis';
  /** Kill the first instance a third of the way in. @default true */
  kill?: boolean;
  chats: number;
  /** Messages a second, both directions together. */
  rate: number;
  durationSeconds: number;
  log: (line: string) => void;
}

export interface FailoverResult {
  engine: 'memory' | 'redis';
  instances: number;
  chats: number;
  rate: number;
  durationSeconds: number;
  /** Visitors whose socket was on the killed instance. */
  affected: number;
  sent: number;
  delivered: number;
  lost: number;
  doubled: number;
  /** From the kill to each affected visitor's chat resumed on another instance (ms). */
  resume: LatencySummary;
  /** Delivery latency (ms) of the messages sent before the kill and after. */
  latencyBefore: LatencySummary;
  latencyAfter: LatencySummary;
}

function spawnLogged(entry: string, env: Record<string, string>, log: string, cwd: string) {
  const fd = openSync(log, 'w');
  const child = spawn(process.execPath, [entry], {
    cwd,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  return child;
}

async function waitHealthy(url: string): Promise<void> {
  for (const end = Date.now() + 30_000; Date.now() < end; await sleep(100)) {
    const ok = await fetch(url).then(
      (answer) => answer.status === 200,
      () => false,
    );
    if (ok) return;
  }
  throw new Error(`${url} did not come up`);
}

/**
 * failover: N CustomerChat instances on one Redis (redis-server started here), the Chat Service,
 * chats spread over the instances, messages both ways at a fixed rate; a third of the way in, one
 * instance is killed (SIGKILL). Every message is accounted for: lost, doubled, and how long the
 * killed instance's visitors took to resume elsewhere.
 */
export async function runFailover(options: FailoverOptions): Promise<FailoverResult> {
  const engine = options.engine ?? 'redis';
  const kill = options.kill ?? true;
  const dir = join(
    options.workDir,
    kill ? `failover-${options.instances}` : `engines-${engine}-${options.rate}`,
  );
  mkdirSync(dir, { recursive: true });
  const children: ChildProcess[] = [];
  const redisPort = await freePort();
  if (engine === 'redis')
    children.push(
      spawn(
        'redis-server',
        ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: 'ignore' },
      ),
    );
  const chatsPerAgent = 10;
  try {
    const chatServicePort = await freePort();
    const serviceFile = join(dir, 'chatservice.config.json');
    writeFileSync(
      serviceFile,
      JSON.stringify(
        chatServiceConfig({
          port: chatServicePort,
          agents: agentsFor(options.chats, chatsPerAgent),
          chatsPerAgent,
          outboxFolder: join(dir, 'outbox'),
        }),
      ),
    );
    const chatServiceUrl = `http://127.0.0.1:${chatServicePort}`;
    children.push(
      spawnLogged(
        options.chatServiceEntry,
        { CHATSERVICE_CONFIG: serviceFile },
        join(dir, 'chat-service.log'),
        options.projectRoot,
      ),
    );
    await waitHealthy(`${chatServiceUrl}/ChatService/GetVersion`);
    const webFile = join(dir, 'web.config.json');
    writeFileSync(
      webFile,
      JSON.stringify({
        ...webConfig({
          port: 0,
          upstreamUrl: chatServiceUrl,
          resourcesFolder: join(options.projectRoot, 'resources'),
        }),
        ...(engine === 'redis' ? { redisUrl: `redis://127.0.0.1:${redisPort}` } : {}),
      }),
    );
    const urls: string[] = [];
    const instances: ChildProcess[] = [];
    for (let index = 0; index < options.instances; index += 1) {
      const port = await freePort();
      const child = spawnLogged(
        options.customerChatEntry,
        { CUSTOMERCHAT_CONFIG: webFile, CUSTOMERCHAT_PORT: String(port) },
        join(dir, `customer-chat-${index + 1}.log`),
        options.projectRoot,
      );
      children.push(child);
      instances.push(child);
      urls.push(`http://127.0.0.1:${port}`);
    }
    await Promise.all(urls.map((url) => waitHealthy(`${url}/CustomerChat/health`)));
    return await drive({ ...options, engine, kill }, chatServiceUrl, urls, instances);
  } finally {
    for (const child of children.reverse()) if (child.exitCode === null) child.kill('SIGKILL');
  }
}

async function drive(
  options: FailoverOptions & { engine: 'memory' | 'redis'; kill: boolean },
  chatServiceUrl: string,
  urls: string[],
  instances: ChildProcess[],
): Promise<FailoverResult> {
  const runEnd = Date.now() + (options.durationSeconds + 120) * 1000;
  const sentAt = new Map<string, number>();
  const deliveries = new Map<string, number>();
  const latencies: Array<{ at: number; ms: number }> = [];
  const arrive = (text: string) => {
    deliveries.set(text, (deliveries.get(text) ?? 0) + 1);
    const at = sentAt.get(text);
    if (at !== undefined && deliveries.get(text) === 1)
      latencies.push({ at: performance.now(), ms: performance.now() - at });
  };
  const pendingOffers: string[] = [];
  const crew = new AgentCrew({
    chatServiceUrl,
    agents: agentsFor(options.chats, 10),
    deadline: runEnd,
    onCustomerMessage: (_chatId, text) => arrive(text),
    onAccepted: (chatId) => pendingOffers.push(chatId),
  });
  await crew.start();
  const visitors = Array.from(
    { length: options.chats },
    (_unused, index) => new FailoverVisitor(urls, index % urls.length),
  );
  const chatIds: string[] = [];
  await forEachLimited(visitors, 20, async (visitor) => {
    visitor.onAgentMessage = arrive;
    await visitor.request('Bench');
  });
  for (const end = Date.now() + 60_000; Date.now() < end; await sleep(50))
    if (visitors.every((visitor) => visitor.handled)) break;
  // Chat ids in order of acceptance do not map to visitors: agents answer whichever chat they hold.
  chatIds.push(...pendingOffers);
  options.log(`failover: ${visitors.length} chats on ${urls.length} instances`);

  const killedIndex = 0;
  const affected = options.kill
    ? visitors.filter((_v, index) => index % urls.length === killedIndex)
    : [];
  const total = Math.round(options.rate * options.durationSeconds);
  const started = performance.now();
  let killedAt = 0;
  // Without a kill, every message counts as "before".
  let killedPerf = Number.POSITIVE_INFINITY;
  const sends: Array<Promise<void>> = [];
  for (let n = 0; n < total; n += 1) {
    const due = started + (n * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    if (options.kill && killedAt === 0 && n >= total / 3) {
      killedAt = Date.now();
      killedPerf = performance.now();
      instances[killedIndex]?.kill('SIGKILL');
      options.log(`failover: instance 1 killed with ${affected.length} visitors`);
    }
    const text = `m${n}`;
    sentAt.set(text, performance.now());
    if (n % 2 === 0) {
      const visitor = visitors[(n / 2) % visitors.length] as FailoverVisitor;
      sends.push(
        visitor.send(text, `id-${n}`, runEnd).then((ok) => {
          if (!ok) sentAt.delete(text);
        }),
      );
    } else {
      const chatId = chatIds[Math.floor(n / 2) % chatIds.length] ?? '';
      sends.push(crew.send(chatId, text, `agent-${n}`).catch(() => void sentAt.delete(text)));
    }
  }
  await Promise.all(sends);
  for (const end = Date.now() + 30_000; Date.now() < end; await sleep(100))
    if ([...sentAt.keys()].every((text) => deliveries.has(text))) break;
  const resumes = affected.flatMap((visitor) =>
    visitor.resumedAt !== undefined && visitor.resumedAt >= killedAt
      ? [visitor.resumedAt - killedAt]
      : [],
  );
  for (const visitor of visitors) visitor.close();
  await crew.stop();
  const delivered = [...sentAt.keys()].filter((text) => deliveries.has(text)).length;
  return {
    engine: options.engine,
    instances: urls.length,
    chats: visitors.length,
    rate: options.rate,
    durationSeconds: options.durationSeconds,
    affected: affected.length,
    sent: sentAt.size,
    delivered,
    lost: sentAt.size - delivered,
    doubled: [...deliveries.values()].filter((count) => count > 1).length,
    resume: summarize(resumes.sort((a, b) => a - b)),
    latencyBefore: summarize(
      latencies
        .filter((l) => l.at < killedPerf)
        .map((l) => round(l.ms))
        .sort((a, b) => a - b),
    ),
    latencyAfter: summarize(
      latencies
        .filter((l) => l.at >= killedPerf)
        .map((l) => round(l.ms))
        .sort((a, b) => a - b),
    ),
  };
}
