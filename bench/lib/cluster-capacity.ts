import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AgentCrew } from './agents';
import { agentsFor } from './bench-configs';
import { pingLoop, readServerWarnings, type CheckpointBase } from './capacity';
import type { DriverStatus, RampAnswer } from './cluster-driver';
import { startCluster, type ClusterEntries } from './cluster-servers';
import { JsonClient } from './http';
import { openWindow, quietBefore } from './process-metrics';
import type { ProcessSample } from './probe-core';
import { LogWatch, type ServerHandle } from './servers';
import { kib, mib, round, sleep, summarize } from './stats';

export interface ClusterCapacityOptions {
  entries: ClusterEntries;
  projectRoot: string;
  workDir: string;
  logLevel: string;
  instances: number;
  steps: number[];
  /** Visitors one driver process holds at most (a process of its own per share). */
  chatsPerDriver: number;
  /** Visitors being set up at once, over all drivers. */
  rampConcurrency: number;
  holdSeconds: number;
  quietWaitSeconds: number;
  deadline: number;
  log: (line: string) => void;
}

export interface ClusterStep extends CheckpointBase {
  /** By process after a full GC (Redis: used_memory as heap, used_memory_rss as RSS). */
  memory: Record<string, { rssMiB: number; heapUsedMiB: number; openFiles: number }>;
  redisKeys: number;
  /** Growth since the start (agents logged in, no chat yet) per chat held. */
  perChatKiB: { customerChatRss: number; customerChatHeap: number; redisUsed: number };
  /** The machine's load average (1, 5, 15 min) at the end of the hold: others share its cores. */
  loadAverage: number[];
}

export interface ClusterCapacityResult {
  instances: number;
  /** The last checkpoint asked for. */
  plannedChats: number;
  drivers: number;
  localAddresses: string[];
  agents: number;
  chatsPerAgent: number;
  steps: ClusterStep[];
  /** Held: nothing failed or dropped, and no server logged a warning. */
  largestHeld: number;
  /** Nothing failed or dropped, whatever the servers logged. */
  largestWithoutFailures: number;
  /**
   * Memory per chat between the first and the last checkpoint where nothing failed or dropped
   * (one such: from the start):
   * CustomerChat's RSS and heap summed over its instances, Redis's used_memory, the Chat Service's.
   */
  perChat: {
    customerChatRssKiB: number;
    customerChatHeapKiB: number;
    redisUsedKiB: number;
    chatServiceRssKiB: number;
    fromChats: number;
    toChats: number;
  } | null;
  errors: Array<{ error: string; count: number }>;
  stoppedEarly: string | null;
  /** The agents' log-ins, all before the first chat: how long, and what the servers warned of. */
  setup: {
    agentLoginSeconds: number;
    warnings: Record<string, { warnings: number; top: Array<{ message: string; count: number }> }>;
  };
}

const chatsPerAgent = 50;
/** Visitors a driver is given per request, so a ramp past the time limit stops soon. */
const chunk = 250;

type Samples = Map<string, ProcessSample>;
const total = (samples: Samples, prefix: string, pick: (s: ProcessSample) => number) =>
  [...samples].reduce(
    (sum, [name, sample]) => (name.startsWith(prefix) ? sum + pick(sample) : sum),
    0,
  );

/**
 * cluster-capacity (only when named): idle chats held by N CustomerChat instances on one Redis,
 * visitors spread over the instances round-robin (as a load balancer would) from several driver
 * processes on loopback addresses of their own; at each checkpoint the chats are held while every
 * instance's health and the Chat Service are pinged, and memory is read after a full GC.
 */
export async function runClusterCapacity(
  options: ClusterCapacityOptions,
): Promise<ClusterCapacityResult> {
  const maxChats = Math.max(...options.steps);
  const driverCount = Math.max(1, Math.ceil(maxChats / options.chatsPerDriver));
  const cluster = await startCluster({
    entries: options.entries,
    projectRoot: options.projectRoot,
    dir: join(options.workDir, `cluster-capacity-${options.instances}`),
    logLevel: options.logLevel,
    instances: options.instances,
    drivers: driverCount,
    chats: maxChats,
    chatsPerAgent,
  });
  const agents = agentsFor(maxChats, chatsPerAgent);
  const crew = new AgentCrew({
    chatServiceUrl: cluster.chatService.url,
    agents,
    deadline: options.deadline,
  });
  const servers: ServerHandle[] = [cluster.chatService, ...cluster.customerChats, cluster.redis];
  const measured: ServerHandle[] = [...servers, ...cluster.drivers];
  const urls = cluster.customerChats.map((server) => server.url);
  const clients = urls.map((url) => new JsonClient(url));
  const serviceClient = new JsonClient(cluster.chatService.url);
  const steps: ClusterStep[] = [];
  let stoppedEarly: string | null = null;
  let failed = 0;
  try {
    // Every agent is in before the first chat, so the chats are measured from a start with the
    // agents logged in, and what the log-ins cost (argon2id, two at a time on the service's
    // cores) is reported apart from the chats' holds.
    const setupLogs = servers.map((server) => ({
      name: server.name,
      watch: new LogWatch(server.logFile),
    }));
    const loginStarted = performance.now();
    await crew.start();
    const setup: ClusterCapacityResult['setup'] = {
      agentLoginSeconds: round((performance.now() - loginStarted) / 1000),
      warnings: Object.fromEntries(setupLogs.map((log) => [log.name, log.watch.read()])),
    };
    options.log(
      `cluster-capacity ${options.instances} instances: ${agents} agents logged in in ` +
        `${setup.agentLoginSeconds}s`,
    );
    const readAll = async (gc: boolean): Promise<Samples> => {
      const samples: Samples = new Map();
      for (const server of servers) samples.set(server.name, await server.sample(gc));
      return samples;
    };
    const base = await readAll(true);
    const logs = servers.map((server) => ({
      name: server.name,
      watch: new LogWatch(server.logFile),
    }));
    let up = 0;
    let firstWhole: { samples: Samples; chats: number } | undefined;
    let lastWhole: { samples: Samples; chats: number } | undefined;
    for (const target of options.steps) {
      if (Date.now() > options.deadline) {
        stoppedEarly = 'time limit reached';
        break;
      }
      const rampStarted = performance.now();
      const from = up;
      const share = Math.ceil((target - from) / driverCount);
      // Room left after the ramp for the hold, the readings and stopping the processes.
      const rampDeadline = options.deadline - 180_000;
      await Promise.all(
        cluster.drivers.map(async (driver, index) => {
          const end = Math.min(target, from + share * (index + 1));
          for (let start = from + share * index; start < end; start += chunk) {
            if (Date.now() > rampDeadline) {
              stoppedEarly = `time limit reached on the way to ${target} chats`;
              return;
            }
            const size = Math.min(chunk, end - start);
            const answer = (await driver.call(
              {
                command: 'ramp',
                urls,
                from: start,
                to: start + size,
                concurrency: Math.max(1, Math.ceil(options.rampConcurrency / driverCount)),
                localAddress: cluster.localAddresses[index],
                timeoutMs: 60_000,
              },
              900_000,
            )) as RampAnswer;
            failed += answer.failed;
          }
        }),
      );
      const rampSeconds = (performance.now() - rampStarted) / 1000;
      failed += crew.acceptFailures;
      crew.acceptFailures = 0;
      await sleep(1000);
      const quiet = await quietBefore(measured, options.quietWaitSeconds);
      const window = await openWindow(measured);
      const until = Date.now() + options.holdSeconds * 1000;
      const healthMs: number[] = [];
      const versionMs: number[] = [];
      const pingFailures = { count: 0 };
      await Promise.all([
        ...clients.map((client) =>
          pingLoop(client, '/CustomerChat/health', until, healthMs, pingFailures),
        ),
        pingLoop(serviceClient, '/ChatService/GetVersion', until, versionMs, pingFailures),
      ]);
      const hold = await window.finish();
      const loadAverage = loadavg().map((load) => round(load, 2));
      const statuses = (await Promise.all(
        cluster.drivers.map((driver) => driver.call({ command: 'status' })),
      )) as DriverStatus[];
      up = statuses.reduce((sum, status) => sum + status.up, 0);
      const dropped = statuses.reduce((sum, status) => sum + status.dropped, 0);
      const { serverWarnings, warned } = readServerWarnings(logs);
      const whole = failed === 0 && dropped === 0 && pingFailures.count === 0;
      const held = whole && !warned;
      const samples = await readAll(true);
      const chats = up - dropped;
      if (whole) {
        firstWhole ??= { samples, chats };
        lastWhole = { samples, chats };
      }
      const memory: ClusterStep['memory'] = {};
      for (const [name, sample] of samples)
        memory[name] = {
          rssMiB: mib(sample.rssBytes),
          heapUsedMiB: mib(sample.heapUsedBytes),
          openFiles: sample.openFiles,
        };
      const growth = (prefix: string, pick: (s: ProcessSample) => number) =>
        chats <= 0 ? 0 : kib((total(samples, prefix, pick) - total(base, prefix, pick)) / chats);
      const step: ClusterStep = {
        target,
        chats,
        failedSoFar: failed,
        droppedDuringHold: dropped,
        held,
        rampSeconds: round(rampSeconds),
        chatsPerSecond: round((up - from) / rampSeconds, 1),
        memory,
        redisKeys: await cluster.redis.keys(),
        perChatKiB: {
          customerChatRss: growth('customer-chat', (s) => s.rssBytes),
          customerChatHeap: growth('customer-chat', (s) => s.heapUsedBytes),
          redisUsed: growth('redis', (s) => s.heapUsedBytes),
        },
        hold,
        loadAverage,
        quiet,
        pingMs: {
          customerChatHealth: summarize(healthMs),
          chatServiceGetVersion: summarize(versionMs),
        },
        pingFailures: pingFailures.count,
        serverWarnings,
      };
      steps.push(step);
      options.log(
        `cluster-capacity ${options.instances} instances: ${chats}/${target} chats in ` +
          `${step.rampSeconds}s, failed ${failed}, dropped ${dropped}, CustomerChat ` +
          `${step.perChatKiB.customerChatRss} KiB RSS, Redis ${step.perChatKiB.redisUsed} KiB a chat`,
      );
      // A warning alone (an upstream call retried) fails the checkpoint but not a chat: the
      // ramp goes on, to find where chats fail.
      if (!whole) {
        stoppedEarly ??= `failures on the way to ${target} chats`;
        break;
      }
      if (stoppedEarly !== null) break;
    }
    const errors = new Map<string, number>();
    for (const driver of cluster.drivers) {
      const status = (await driver.call({ command: 'status' })) as DriverStatus;
      for (const entry of status.errors)
        errors.set(entry.error, (errors.get(entry.error) ?? 0) + entry.count);
    }
    return {
      instances: options.instances,
      plannedChats: maxChats,
      drivers: driverCount,
      localAddresses: cluster.localAddresses,
      agents,
      chatsPerAgent,
      steps,
      largestHeld: Math.max(0, ...steps.filter((step) => step.held).map((step) => step.chats)),
      largestWithoutFailures: Math.max(
        0,
        ...steps
          .filter((step) => step.failedSoFar + step.droppedDuringHold + step.pingFailures === 0)
          .map((step) => step.chats),
      ),
      perChat: perChatSlope(base, firstWhole, lastWhole),
      errors: [...[...errors].map(([error, count]) => ({ error, count })), ...crew.errors.toJSON()],
      stoppedEarly,
      setup,
    };
  } finally {
    await Promise.all(
      cluster.drivers.map((driver) => driver.call({ command: 'close' }, 120_000).catch(() => null)),
    );
    await crew.stop();
    for (const client of [...clients, serviceClient]) await client.close();
    await cluster.stop();
  }
}

function perChatSlope(
  base: Samples,
  first: { samples: Samples; chats: number } | undefined,
  last: { samples: Samples; chats: number } | undefined,
): ClusterCapacityResult['perChat'] {
  if (first === undefined || last === undefined) return null;
  const from = first.chats === last.chats ? { samples: base, chats: 0 } : first;
  const chats = last.chats - from.chats;
  const slope = (prefix: string, pick: (s: ProcessSample) => number) =>
    chats <= 0
      ? 0
      : kib((total(last.samples, prefix, pick) - total(from.samples, prefix, pick)) / chats);
  return {
    customerChatRssKiB: slope('customer-chat', (s) => s.rssBytes),
    customerChatHeapKiB: slope('customer-chat', (s) => s.heapUsedBytes),
    redisUsedKiB: slope('redis', (s) => s.heapUsedBytes),
    chatServiceRssKiB: slope('chat-service', (s) => s.rssBytes),
    fromChats: from.chats,
    toChats: last.chats,
  };
}
