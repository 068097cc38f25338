import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ClusterEntries } from './lib/cluster-servers';
import { chatCapacity } from '../server/customer-chat/relay/chat-capacity';
import { openFilesLimit } from './lib/machine';
import { parseOptions, usage, type BenchOptions } from './lib/options';
import { projectRoot } from './lib/paths';
import type { BenchResults } from './lib/report';
import { runBench } from './lib/run-bench';
import { processLauncher } from './lib/servers';

/**
 * `npm run bench`: bench/start.mjs builds the entry points, then calls main() here. The Chat
 * Service and CustomerChat run as separate processes on loopback; this process drives them.
 */
export type BuiltEntries = ClusterEntries;

/**
 * Open files each process needs for the sizes asked, two a chat: CustomerChat holds a visitor's
 * socket and a share of an upstream poll, the bench's own process the visitor's end.
 */
function openFilesNeeded(options: BenchOptions): number {
  const chats = options.scenarios.includes('capacity') ? Math.max(...options.capacitySteps) : 0;
  const latency = options.scenarios.includes('latency') ? options.latencyChats * 4 : 0;
  // A cluster run's chats are spread over its instances (its visitors over driver processes).
  const cluster = options.scenarios.includes('cluster-capacity')
    ? Math.ceil(Math.max(...options.clusterSteps) / Math.min(...options.clusterInstances))
    : 0;
  return Math.max(chats, latency, cluster) * 2 + 2048;
}

/**
 * Raises the open-files limit of this process (the servers inherit it) when the sizes need more
 * than it has; prlimit can lift the hard limit only as root.
 */
function raiseOpenFiles(wanted: number, log: (line: string) => void): void {
  const [soft] = openFilesLimit().split('/');
  if (Number(soft) >= wanted) return;
  try {
    execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${wanted}:${wanted}`], {
      stdio: 'ignore',
    });
    log(`open-files limit raised to ${openFilesLimit()} for the bench and its servers`);
  } catch {
    log(
      `could not raise the open-files limit to ${wanted} (it is ${openFilesLimit()}): ` +
        `expect AtCapacity refusals past ${chatCapacity(Number(soft), 32)} chats on one ` +
        'CustomerChat instance (its maxChats from this limit), and EMFILE past about ' +
        `${Math.floor((Number(soft) - 100) / 2)} in the single-process capacity scenario`,
    );
  }
}

const readmeStart = '<!-- bench:results:start -->';
const readmeEnd = '<!-- bench:results:end -->';

/** The README's section, between its markers (only when README has them). */
function updateReadme(results: BenchResults, markdownFile: string): boolean {
  const readme = join(projectRoot, 'README.md');
  if (!existsSync(readme)) return false;
  const text = readFileSync(readme, 'utf8');
  const from = text.indexOf(readmeStart);
  const to = text.indexOf(readmeEnd);
  if (from === -1 || to < from) return false;
  const { machine } = results;
  const section = [
    readmeStart,
    '',
    `Last run ${machine.date.slice(0, 10)} on ${machine.cpuModel}, ${machine.cores} cores, ` +
      `${machine.memoryGiB} GiB RAM, Node ${machine.node} (${results.durationSeconds} s); ` +
      `full tables in [${relative(projectRoot, markdownFile)}](${relative(projectRoot, markdownFile)}).`,
    '',
    '| target | measured | |',
    '| --- | --- | --- |',
    ...results.targets.map(
      (check) =>
        `| ${check.target} | ${check.measured} | ${check.met === null ? '–' : check.met ? 'met' : '**not met**'} |`,
    ),
    '',
    readmeEnd,
  ].join('\n');
  writeFileSync(readme, text.slice(0, from) + section + text.slice(to + readmeEnd.length));
  return true;
}

export async function main(argv: string[], entries: BuiltEntries): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage);
    return 0;
  }
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const options = parseOptions(argv);
  raiseOpenFiles(options.nofile > 0 ? options.nofile : openFilesNeeded(options), log);
  const hardStop = setTimeout(
    () => {
      log(`bench: still running after ${options.maxMinutes + 2} minutes, stopping`);
      process.exit(3);
    },
    (options.maxMinutes + 2) * 60_000,
  );
  hardStop.unref();
  const launcher = processLauncher({
    projectRoot,
    workDir: join(projectRoot, 'bench', 'results', 'logs'),
    logLevel: options.logLevel,
    eventBatchSize: options.eventBatchSize,
    metrics: options.metrics,
    ...entries,
  });
  const { results, files } = await runBench(options, {
    launcher,
    openFilesLimits: { 'bench and servers': openFilesLimit() },
    log,
    entries,
  });
  log('');
  for (const check of results.targets)
    log(
      `${check.met === null ? '  ' : check.met ? 'ok' : '!!'} ${check.target}: ${check.measured}`,
    );
  log('');
  log(`wrote ${relative(projectRoot, files.json)}, ${relative(projectRoot, files.markdown)}`);
  if (files.svg !== null) log(`wrote ${relative(projectRoot, files.svg)}`);
  if (options.name === 'latest' && updateReadme(results, files.markdown))
    log('updated the results section of README.md');
  return results.failures.length > 0 ? 1 : 0;
}
