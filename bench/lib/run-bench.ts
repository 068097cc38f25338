import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCapacity, type CapacityResult } from './capacity';
import { runClusterCapacity, type ClusterCapacityResult } from './cluster-capacity';
import type { ClusterEntries } from './cluster-servers';
import { runFailover, type FailoverOptions, type FailoverResult } from './failover';
import { runHostile, type HostileResult } from './hostile';
import { runLatency, type LatencyResult } from './latency';
import { machineInfo } from './machine';
import type { BenchOptions } from './options';
import { projectRoot } from './paths';
import { summarizeProfile, type ProfileSummary } from './profile-summary';
import { checkTargets, renderLatencySvg, renderMarkdown, type BenchResults } from './report';
import type { ServerLauncher } from './servers';
import { round } from './stats';
import { runToolbox, type ToolboxResult } from './toolbox';

export interface RunBenchContext {
  launcher: ServerLauncher;
  /** Open-files limits the processes run with, for the report. */
  openFilesLimits: Record<string, string>;
  log?: (line: string) => void;
  /** The servers' entry points: failover and cluster-capacity start their own processes. */
  entries?: ClusterEntries;
}

export interface WrittenFiles {
  json: string;
  markdown: string;
  svg: string | null;
}

/**
 * Runs the scenarios asked for, one after the other, each on freshly started servers, and writes
 * <name>.json, <name>.md and the latency chart. A scenario that fails is reported, and the others
 * still run.
 */
export async function runBench(
  options: BenchOptions,
  context: RunBenchContext,
): Promise<{ results: BenchResults; files: WrittenFiles }> {
  const log = context.log ?? ((line: string) => console.log(line));
  const started = Date.now();
  const deadline = started + options.maxMinutes * 60_000;
  const outDir = resolve(projectRoot, options.outDir);
  mkdirSync(outDir, { recursive: true });
  const profileDir = options.profile ? join(outDir, 'profiles') : undefined;
  const heapSnapshotDir = options.heapSnapshots ? join(outDir, 'profiles') : undefined;
  for (const dir of [profileDir, heapSnapshotDir])
    if (dir !== undefined) mkdirSync(dir, { recursive: true });
  const machine = machineInfo();
  const failures: string[] = [];
  let capacity: CapacityResult | null = null;
  let latency: LatencyResult | null = null;
  let toolbox: ToolboxResult | null = null;
  let hostile: HostileResult | null = null;
  const clusterCapacity: ClusterCapacityResult[] = [];
  const failover: FailoverResult[] = [];
  const engines: FailoverResult[] = [];
  const cluster = (
    name: string,
    run: Omit<
      FailoverOptions,
      'projectRoot' | 'workDir' | 'log' | 'chatServiceEntry' | 'customerChatEntry'
    >,
  ) =>
    attempt(name, () => {
      const entries = context.entries;
      if (entries === undefined) throw new Error(`${name} runs only as separate processes`);
      return runFailover({ ...entries, ...run, projectRoot, workDir: join(outDir, 'logs'), log });
    });
  const attempt = async <T>(name: string, run: () => Promise<T>): Promise<T | null> => {
    log(`— ${name}`);
    try {
      return await run();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      failures.push(`${name}: ${reason}`);
      log(`${name} failed: ${reason}`);
      return null;
    }
  };
  for (const scenario of options.scenarios) {
    if (scenario === 'capacity')
      capacity = await attempt('capacity', () =>
        runCapacity(context.launcher, {
          steps: options.capacitySteps,
          rampConcurrency: options.rampConcurrency,
          holdSeconds: options.holdSeconds,
          chatsPerAgent: options.capacityChatsPerAgent,
          deadline,
          profileDir,
          heapSnapshotDir,
          quietWaitSeconds: options.quietWaitSeconds,
          log,
        }),
      );
    if (scenario === 'latency')
      latency = await attempt('latency', () =>
        runLatency(context.launcher, {
          chats: options.latencyChats,
          chatsPerAgent: options.latencyChatsPerAgent,
          rates: options.rates,
          durationSeconds: options.durationSeconds,
          messageChars: options.messageChars,
          baseline: options.baseline,
          deadline,
          profileDir,
          quietWaitSeconds: options.quietWaitSeconds,
          retries: options.retries,
          answerTimes: options.answerTimes,
          log,
        }),
      );
    if (scenario === 'failover')
      for (const instances of options.failoverInstances) {
        const result = await cluster(`failover (${instances} instances)`, {
          instances,
          chats: options.failoverChats,
          rate: options.failoverRate,
          durationSeconds: options.failoverSeconds,
        });
        if (result !== null) failover.push(result);
      }
    if (scenario === 'engines')
      for (const rate of options.engineRates)
        for (const engine of ['memory', 'redis'] as const) {
          const result = await cluster(`engines (${engine}, ${rate} msg/s)`, {
            instances: 1,
            engine,
            kill: false,
            chats: options.failoverChats,
            rate,
            durationSeconds: options.failoverSeconds,
          });
          if (result !== null) engines.push(result);
        }
    if (scenario === 'cluster-capacity')
      for (const instances of options.clusterInstances) {
        const result = await attempt(`cluster-capacity (${instances} instances)`, () => {
          const entries = context.entries;
          if (entries === undefined) throw new Error('cluster-capacity runs only as processes');
          return runClusterCapacity({
            entries,
            projectRoot,
            workDir: join(outDir, 'logs'),
            logLevel: options.logLevel,
            instances,
            steps: options.clusterSteps,
            chatsPerDriver: options.clusterChatsPerDriver,
            rampConcurrency: options.rampConcurrency,
            holdSeconds: options.holdSeconds,
            quietWaitSeconds: options.quietWaitSeconds,
            deadline,
            log,
          });
        });
        if (result !== null) clusterCapacity.push(result);
      }
    if (scenario === 'hostile')
      hostile = await attempt('hostile', () =>
        runHostile(context.launcher, {
          uploads: options.hostileUploads,
          uploadBytes: Math.round(options.hostileUploadKiB * 1024),
          logins: options.hostileLogins,
          guessers: 4,
          quietWaitSeconds: options.quietWaitSeconds,
          deadline,
          log,
        }),
      );
    if (scenario === 'toolbox')
      toolbox = await attempt('toolbox', () =>
        runToolbox(context.launcher, { runs: options.toolboxRuns, log }),
      );
  }
  const profiles: ProfileSummary[] = [
    ...(capacity?.profiles ?? []),
    ...(latency?.profiles ?? []),
  ].map((file) => summarizeProfile(file));
  const partial = {
    schema: 1 as const,
    name: options.name,
    mode: context.launcher.mode,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date().toISOString(),
    durationSeconds: round((Date.now() - started) / 1000, 1),
    machine,
    openFilesLimits: context.openFilesLimits,
    options,
    capacity,
    latency,
    toolbox,
    failover,
    engines,
    hostile,
    clusterCapacity,
    profiles,
    failures,
  };
  const results: BenchResults = { ...partial, targets: checkTargets(partial) };
  const svgName = options.name === 'latest' ? 'latency.svg' : `${options.name}-latency.svg`;
  const files: WrittenFiles = {
    json: join(outDir, `${options.name}.json`),
    markdown: join(outDir, `${options.name}.md`),
    svg: latency === null ? null : join(outDir, svgName),
  };
  writeFileSync(files.json, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(files.markdown, renderMarkdown(results, svgName));
  if (files.svg !== null && latency !== null) writeFileSync(files.svg, renderLatencySvg(latency));
  return { results, files };
}
