import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { rmSync } from 'node:fs';
import { AgentCrew } from './agents';
import { heapCensus, perChatGrowth, type PerChatEntry } from './heap-summary';
import { agentsFor } from './bench-configs';
import { ErrorLog, JsonClient } from './http';
import type { QuietWait } from './machine-load';
import { openWindow, quietBefore, type WindowReport } from './process-metrics';
import type { ProcessSample } from './probe-core';
import { LogWatch, type ServerHandle, type ServerLauncher } from './servers';
import { forEachLimited, kib, mib, round, sleep, summarize, type LatencySummary } from './stats';
import { SocketVisitor } from './visitors';

export interface CapacityOptions {
  steps: number[];
  rampConcurrency: number;
  holdSeconds: number;
  chatsPerAgent: number;
  deadline: number;
  profileDir: string | undefined;
  /** Heap snapshots of both servers at each checkpoint, summarised object by object. */
  heapSnapshotDir: string | undefined;
  quietWaitSeconds: number;
  log: (line: string) => void;
}

export interface MemoryAtStep {
  /** null: RSS could not be read (no file descriptor left). */
  rssMiB: number | null;
  heapUsedMiB: number;
  externalMiB: number;
  /** Growth since the servers started (agents logged in, no chat yet), per chat held. */
  rssPerChatKiB: number | null;
  heapPerChatKiB: number;
  /** Growth since the previous checkpoint per chat added: the cost of one more chat. */
  rssSlopeKiB: number | null;
  heapSlopeKiB: number;
  openFiles: number;
}

/** A checkpoint of either capacity scenario: the ramp to it, and the hold of idle chats there. */
export interface CheckpointBase {
  target: number;
  /** Chats connected, requested and handled by an agent at the end of the step. */
  chats: number;
  failedSoFar: number;
  droppedDuringHold: number;
  /** Whether every request so far succeeded and nothing dropped. */
  held: boolean;
  rampSeconds: number;
  chatsPerSecond: number;
  /** While holding the step (idle chats, pings running): CPU, event-loop delay, machine load. */
  hold: WindowReport;
  /** Wait for other processes on the machine to go quiet before the hold. */
  quiet: QuietWait;
  /** Round trips while holding: CustomerChat's health (which asks the Chat Service too) and GetVersion. */
  pingMs: { customerChatHealth: LatencySummary; chatServiceGetVersion: LatencySummary };
  pingFailures: number;
  /** Warnings and errors the servers logged during the step (ramp and hold). */
  serverWarnings: ServerWarnings;
}

export type ServerWarnings = Record<
  string,
  { warnings: number; top: Array<{ message: string; count: number }> }
>;

export interface CapacityStep extends CheckpointBase {
  memory: Record<string, MemoryAtStep>;
}

/** What each server logged since the last read, and whether any logged a warning. */
export function readServerWarnings(logs: readonly { name: string; watch: LogWatch }[]): {
  serverWarnings: ServerWarnings;
  warned: boolean;
} {
  const serverWarnings: ServerWarnings = {};
  for (const log of logs) serverWarnings[log.name] = log.watch.read();
  const warned = Object.values(serverWarnings).some((entry) => entry.warnings > 0);
  return { serverWarnings, warned };
}

export interface CapacityResult {
  steps: CapacityStep[];
  largestHeld: number;
  /** Chats up when the first visitor could not be set up (null: none failed). */
  firstFailureAtChats: number | null;
  /**
   * Memory per chat between the first and the last checkpoint held (the slope, free of what a
   * process allocates once when it starts serving), by process.
   */
  perChat: Record<string, { rssKiB: number; heapKiB: number; fromChats: number; toChats: number }>;
  agents: number;
  chatsPerAgent: number;
  baselineMemory: Record<string, { rssMiB: number; heapUsedMiB: number; openFiles: number }>;
  errors: Array<{ error: string; count: number }>;
  stoppedEarly: string | null;
  profiles: string[];
  /** With heap snapshots: what one chat adds to each server's heap, by kind of object. */
  heapPerChat: Record<
    string,
    { fromChats: number; toChats: number; totalBytesPerChat: number; entries: PerChatEntry[] }
  >;
}

/** GETs `path` every 50 ms until `until`, timing each 200 and counting the rest. */
export async function pingLoop(
  client: JsonClient,
  path: string,
  until: number,
  samples: number[],
  failures: { count: number },
): Promise<void> {
  while (Date.now() < until) {
    const started = performance.now();
    try {
      const status = await client.get(path, 10_000);
      if (status === 200) samples.push(performance.now() - started);
      else failures.count += 1;
    } catch {
      failures.count += 1;
    }
    await sleep(50);
  }
}

const perChat = (bytes: number, chats: number) => (chats <= 0 ? 0 : kib(bytes / chats));

function memoryOf(
  sample: ProcessSample,
  base: ProcessSample,
  chats: number,
  previous: { sample: ProcessSample; chats: number },
): MemoryAtStep {
  const added = chats - previous.chats;
  // RSS is -1 when the process had no file descriptor left to read it with.
  const rssKnown = sample.rssBytes >= 0 && base.rssBytes >= 0 && previous.sample.rssBytes >= 0;
  return {
    rssMiB: sample.rssBytes >= 0 ? mib(sample.rssBytes) : null,
    heapUsedMiB: mib(sample.heapUsedBytes),
    externalMiB: mib(sample.externalBytes),
    rssPerChatKiB: rssKnown ? perChat(sample.rssBytes - base.rssBytes, chats) : null,
    heapPerChatKiB: perChat(sample.heapUsedBytes - base.heapUsedBytes, chats),
    rssSlopeKiB: rssKnown ? perChat(sample.rssBytes - previous.sample.rssBytes, added) : null,
    heapSlopeKiB: perChat(sample.heapUsedBytes - previous.sample.heapUsedBytes, added),
    openFiles: sample.openFiles,
  };
}

/**
 * Ramps idle chats (a connected visitor whose chat an agent has accepted) to each checkpoint,
 * holds it while pinging both servers, and measures memory per chat after a full GC. Stops at the
 * first checkpoint where a request failed or a socket dropped.
 */
export async function runCapacity(
  launcher: ServerLauncher,
  options: CapacityOptions,
): Promise<CapacityResult> {
  const maxChats = Math.max(...options.steps);
  const servers = await launcher.start({
    chats: maxChats,
    chatsPerAgent: options.chatsPerAgent,
    customerChat: true,
    label: 'capacity',
  });
  const customerChat = servers.customerChat as ServerHandle;
  const processes = [customerChat, servers.chatService];
  const errors = new ErrorLog();
  const visitors: SocketVisitor[] = [];
  const agents = agentsFor(maxChats, options.chatsPerAgent);
  const crew = new AgentCrew({
    chatServiceUrl: servers.chatService.url,
    agents,
    deadline: options.deadline,
  });
  const customerChatClient = new JsonClient(customerChat.url);
  const chatServiceClient = new JsonClient(servers.chatService.url);
  const steps: CapacityStep[] = [];
  const profiles: string[] = [];
  let failed = 0;
  let firstFailureAt: number | undefined;
  const snapshots = new Map<string, Array<{ chats: number; file: string }>>();
  let stoppedEarly: string | null = null;
  try {
    await crew.start();
    const base = new Map<string, ProcessSample>();
    for (const server of processes) base.set(server.name, await server.sample(true));
    const previous = new Map<string, { sample: ProcessSample; chats: number }>();
    const firstHeld = new Map<string, { sample: ProcessSample; chats: number }>();
    const lastHeld = new Map<string, { sample: ProcessSample; chats: number }>();
    for (const [name, sample] of base) previous.set(name, { sample, chats: 0 });
    const logs = processes.map((server) => ({
      name: server.name,
      watch: new LogWatch(server.logFile),
    }));
    for (const target of options.steps) {
      if (Date.now() > options.deadline) {
        stoppedEarly = 'time limit reached';
        break;
      }
      const profiling = options.profileDir !== undefined && target === maxChats;
      if (profiling) await Promise.all(processes.map((server) => server.startProfile()));
      try {
        const rampStarted = performance.now();
        const from = visitors.length;
        const indexes = Array.from({ length: target - from }, (_unused, index) => from + index);
        let stepFailures = 0;
        await forEachLimited(indexes, options.rampConcurrency, async (index) => {
          if (Date.now() > options.deadline) return;
          let visitor: SocketVisitor | undefined;
          try {
            visitor = await SocketVisitor.connect(customerChat.url, 30_000);
            await visitor.requestChat(`v${index}`, 30_000);
            visitors.push(visitor);
          } catch (error) {
            stepFailures += 1;
            firstFailureAt ??= visitors.length;
            errors.add('visitor', error);
            visitor?.close();
          }
        });
        const rampSeconds = (performance.now() - rampStarted) / 1000;
        if (profiling) {
          for (const server of processes) {
            const file = join(
              options.profileDir as string,
              `capacity-ramp-${server.name}.cpuprofile`,
            );
            await server.stopProfile(file);
            profiles.push(file);
          }
        }
        failed += stepFailures + crew.acceptFailures;
        crew.acceptFailures = 0;
        // Hold: idle chats, pings on both servers, nothing else (after a moment to settle).
        await sleep(Math.min(1000, options.holdSeconds * 1000));
        const quiet = await quietBefore(processes, options.quietWaitSeconds);
        const window = await openWindow(processes);
        const until = Date.now() + options.holdSeconds * 1000;
        const healthMs: number[] = [];
        const versionMs: number[] = [];
        const pingFailures = { count: 0 };
        await Promise.all([
          pingLoop(customerChatClient, '/CustomerChat/health', until, healthMs, pingFailures),
          pingLoop(chatServiceClient, '/ChatService/GetVersion', until, versionMs, pingFailures),
        ]);
        const hold = await window.finish();
        const dropped = visitors.filter((visitor) => visitor.droppedUnexpectedly).length;
        const { serverWarnings, warned } = readServerWarnings(logs);
        // Held: nothing failed, nothing dropped, and neither server logged a warning (a server
        // retrying its upstream calls is not holding the load, whatever the visitors see yet).
        const held = failed === 0 && dropped === 0 && pingFailures.count === 0 && !warned;
        const memory: Record<string, MemoryAtStep> = {};
        for (const server of processes) {
          const sample = await server.sample(true);
          const at = { sample, chats: visitors.length };
          memory[server.name] = memoryOf(
            sample,
            base.get(server.name) as ProcessSample,
            visitors.length,
            previous.get(server.name) ?? at,
          );
          previous.set(server.name, at);
          if (held) {
            if (!firstHeld.has(server.name)) firstHeld.set(server.name, at);
            lastHeld.set(server.name, at);
          }
        }
        if (held && options.heapSnapshotDir !== undefined) {
          for (const server of processes) {
            const file = join(
              options.heapSnapshotDir,
              `capacity-${visitors.length}-${server.name}.heapsnapshot`,
            );
            await server.heapSnapshot(file);
            const list = snapshots.get(server.name) ?? [];
            list.push({ chats: visitors.length, file });
            snapshots.set(server.name, list);
          }
        }
        const step: CapacityStep = {
          target,
          chats: visitors.length - dropped,
          failedSoFar: failed,
          droppedDuringHold: dropped,
          held,
          rampSeconds: round(rampSeconds),
          chatsPerSecond: round((visitors.length - from) / rampSeconds, 1),
          memory,
          hold,
          quiet,
          pingMs: {
            customerChatHealth: summarize(healthMs),
            chatServiceGetVersion: summarize(versionMs),
          },
          pingFailures: pingFailures.count,
          serverWarnings,
        };
        steps.push(step);
        const cc = memory['customer-chat'];
        options.log(
          `capacity ${step.chats}/${target} chats in ${step.rampSeconds}s, failed ${failed}, ` +
            `CustomerChat ${cc?.rssSlopeKiB} KiB RSS and ${cc?.heapSlopeKiB} KiB heap per chat added`,
        );
        if (!held) {
          stoppedEarly = `failures on the way to ${target} chats`;
          break;
        }
      } catch (error) {
        // A server that can no longer answer the probe (EMFILE, say) ends the ramp, not the report.
        stoppedEarly = `on the way to ${target} chats (${visitors.length} up): ${String(error)}`;
        break;
      }
    }
    const baselineMemory: CapacityResult['baselineMemory'] = {};
    for (const [name, sample] of base) {
      baselineMemory[name] = {
        rssMiB: mib(sample.rssBytes),
        heapUsedMiB: mib(sample.heapUsedBytes),
        openFiles: sample.openFiles,
      };
    }
    const heldSteps = steps.filter((step) => step.held);
    const slopes: CapacityResult['perChat'] = {};
    for (const [name, last] of lastHeld) {
      const first = firstHeld.get(name) as { sample: ProcessSample; chats: number };
      // One checkpoint only: from the start.
      const from =
        first.chats === last.chats ? { sample: base.get(name) as ProcessSample, chats: 0 } : first;
      const chats = last.chats - from.chats;
      slopes[name] = {
        rssKiB: perChat(last.sample.rssBytes - from.sample.rssBytes, chats),
        heapKiB: perChat(last.sample.heapUsedBytes - from.sample.heapUsedBytes, chats),
        fromChats: from.chats,
        toChats: last.chats,
      };
    }
    const heapPerChat: CapacityResult['heapPerChat'] = {};
    for (const [name, list] of snapshots) {
      const first = list[0];
      const last = list[list.length - 1];
      if (first !== undefined && last !== undefined && last.chats > first.chats) {
        const growth = perChatGrowth(
          heapCensus(first.file),
          heapCensus(last.file),
          last.chats - first.chats,
        );
        heapPerChat[name] = { fromChats: first.chats, toChats: last.chats, ...growth };
      }
      // Hundreds of MB each: the summary is what is kept.
      if (process.env['BENCH_KEEP_SNAPSHOTS'] === undefined)
        for (const { file } of list) rmSync(file, { force: true });
    }
    return {
      steps,
      perChat: slopes,
      heapPerChat,
      largestHeld: heldSteps.length > 0 ? Math.max(...heldSteps.map((step) => step.chats)) : 0,
      firstFailureAtChats: firstFailureAt ?? null,
      agents,
      chatsPerAgent: options.chatsPerAgent,
      baselineMemory,
      errors: [...errors.toJSON(), ...crew.errors.toJSON()],
      stoppedEarly,
      profiles,
    };
  } finally {
    for (const visitor of visitors) visitor.close();
    await crew.stop();
    await customerChatClient.close();
    await chatServiceClient.close();
    await servers.stop();
  }
}
