/** What one run of the benchmark does: the scenarios and their sizes. */
export type ScenarioName =
  'capacity' | 'latency' | 'toolbox' | 'failover' | 'engines' | 'hostile' | 'cluster-capacity';

export interface BenchOptions {
  scenarios: ScenarioName[];
  /** Capacity: the checkpoints of the ramp (chats); the last one is the target N. */
  capacitySteps: number[];
  /** Capacity: visitors being connected and handled at the same time while ramping. */
  rampConcurrency: number;
  /** Capacity: seconds each checkpoint is held while lag and pings are measured. */
  holdSeconds: number;
  /** Capacity: chats one agent holds (MaxConcurrentChats of the generated agents). */
  capacityChatsPerAgent: number;
  /** Latency: active chats through CustomerChat (the baseline opens as many more directly). */
  latencyChats: number;
  /** Latency: chats one agent holds in the latency scenario. */
  latencyChatsPerAgent: number;
  /** Latency: total message rates (messages a second, both directions together), in order. */
  rates: number[];
  /** Latency: seconds of sending at each rate. */
  durationSeconds: number;
  /** Latency: characters in each message. */
  messageChars: number;
  /** Latency: run the same flow straight against the Chat Service too. */
  baseline: boolean;
  /** Failover: CustomerChat instances on one Redis (each run kills the first). */
  failoverInstances: number[];
  /** Failover: chats spread over the instances. */
  failoverChats: number;
  /** Failover: messages a second, both ways together, while one instance is killed. */
  failoverRate: number;
  /** Failover: seconds of sending; the kill comes a third of the way in. */
  failoverSeconds: number;
  /** Engines: the message rates at which the memory engine and Redis are compared. */
  engineRates: number[];
  /** Toolbox: page loads in headless Chromium (0: sizes only). */
  toolboxRuns: number;
  /** Cluster capacity: CustomerChat instances on one Redis, one run each. */
  clusterInstances: number[];
  /** Cluster capacity: the checkpoints (chats) of each run. */
  clusterSteps: number[];
  /** Cluster capacity: visitors one driver process holds at most. */
  clusterChatsPerDriver: number;
  /** Hostile: uploads one chat posts at once. */
  hostileUploads: number;
  /** Hostile: KiB of each upload (the site's MaxAttachmentSize, 5120, by default). */
  hostileUploadKiB: number;
  /** Hostile: the real agent's log-ins while another address guesses its password. */
  hostileLogins: number;
  /** Write V8 CPU profiles of both servers for the busiest part of each scenario. */
  profile: boolean;
  /** Capacity: heap snapshots of both servers at each checkpoint, diffed object by object. */
  heapSnapshots: boolean;
  /** Results are written as <name>.json and <name>.md (and latency.svg for "latest"). */
  name: string;
  outDir: string;
  /** LOG_LEVEL of the server processes (production runs at info). */
  logLevel: string;
  /** Open-files limit to give the processes (0: raise to what the sizes need, if allowed). */
  nofile: number;
  /** CustomerChat's upstreamEventBatchSize (0: its default). */
  eventBatchSize: number;
  /** Both servers keep their Prometheus metrics (a metrics listener each), as shipped. */
  metrics: boolean;
  /**
   * Latency: the Chat Service keeps its metrics, to read SendMessage's answer times inside it;
   * off to compare with a build measured without them.
   */
  answerTimes: boolean;
  /** Use dist/ from `npm run build` instead of bundling the same entry points with esbuild. */
  useDist: boolean;
  /** Hard stop for the whole run, in minutes. */
  maxMinutes: number;
  /** Longest wait before each measurement for other processes on the machine to go quiet. */
  quietWaitSeconds: number;
  /** Latency steps disturbed by other processes are run again, at most this many times. */
  retries: number;
}

export const defaultOptions: BenchOptions = {
  scenarios: ['capacity', 'latency', 'toolbox'],
  capacitySteps: [500, 1000, 2000],
  rampConcurrency: 100,
  holdSeconds: 5,
  capacityChatsPerAgent: 50,
  latencyChats: 100,
  latencyChatsPerAgent: 5,
  rates: [125, 250, 500],
  durationSeconds: 10,
  messageChars: 64,
  baseline: true,
  failoverInstances: [2, 3],
  failoverChats: 300,
  failoverRate: 1000,
  failoverSeconds: 15,
  engineRates: [1000, 2000],
  toolboxRuns: 7,
  clusterInstances: [1, 2, 3],
  clusterSteps: [10_000, 20_000, 30_000, 40_000],
  clusterChatsPerDriver: 10_000,
  hostileUploads: 30,
  hostileUploadKiB: 5120,
  hostileLogins: 20,
  profile: false,
  heapSnapshots: false,
  name: 'latest',
  outDir: 'bench/results',
  logLevel: 'info',
  nofile: 0,
  eventBatchSize: 0,
  metrics: false,
  answerTimes: true,
  useDist: false,
  maxMinutes: 30,
  quietWaitSeconds: 60,
  retries: 2,
};

export const usage = `npm run bench -- [options]

  --scenarios capacity,latency,toolbox,failover,engines,hostile,cluster-capacity
                         which scenarios to run (default: the first three; the others run
                         only when named; failover, engines and cluster-capacity need
                         redis-server)
  --chats N              capacity target; checkpoints at N/4, N/2, N (default 2000)
  --steps a,b,c          capacity checkpoints instead (e.g. 2500,5000,10000)
  --ramp-concurrency N   visitors being set up at once (default 100)
  --hold S               seconds each checkpoint is held and measured (default 5)
  --latency-chats M      active chats in the latency scenario (default 100)
  --rates r1,r2          total messages a second, both ways together (default 125,250,500)
  --duration S           seconds of sending at each rate (default 10)
  --no-baseline          skip the direct Chat Service baseline
  --failover-instances a,b  instances on one Redis in each failover run (default 2,3)
  --failover-chats N     chats spread over them (default 300)
  --failover-rate R      messages a second while the first instance is killed (default 1000)
  --failover-duration S  seconds of sending, the kill a third of the way in (default 15)
  --engine-rates r1,r2   engines: msg/s at which memory and Redis are compared (default 1000,2000)
  --toolbox-runs N       page loads in headless Chromium (default 7; 0: sizes only)
  --cluster-instances a,b  cluster-capacity: CustomerChat instances of each run (default 1,2,3)
  --cluster-steps a,b    cluster-capacity: checkpoints (default 10000,20000,30000,40000)
  --cluster-chats-per-driver N  visitors per driver process, each from its own 127.0.0.x
                         (default 10000)
  --hostile-uploads N    hostile: uploads one chat posts at once (default 30)
  --hostile-upload-kib K hostile: KiB of each upload (default 5120, the largest accepted)
  --hostile-logins N     hostile: agent log-ins timed while another address guesses (default 20)
  --profile              CPU profiles of both servers to bench/results/profiles/
  --heap-snapshots       capacity: what one chat adds to each server's heap, object by object
  --name NAME            results file name (default latest)
  --log-level LEVEL      LOG_LEVEL of the servers (default info)
  --nofile N             open-files limit for all processes (default: what the sizes need)
  --event-batch N        CustomerChat's upstreamEventBatchSize (default: its own default)
  --metrics              both servers keep their Prometheus metrics, as the shipped configs do
                         (default: off, the configs' own default)
  --no-answer-times      latency: no metrics listener for the Chat Service, so its answer
                         times inside are not read (to compare with a build benched without)
  --dist                 run dist/ from npm run build instead of esbuild bundles
  --max-minutes M        hard stop of the whole run (default 30)
  --quiet-wait S         before each measurement, wait up to S seconds for other processes
                         on the machine to go quiet (default 60; 0: never wait)
  --retries N            run a latency step again when other processes disturbed it (default 2)
`;

const list = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

function positiveNumbers(flag: string, text: string): number[] {
  const values = list(text).map(Number);
  if (values.length === 0 || values.some((value) => !Number.isFinite(value) || value <= 0))
    throw new Error(`${flag}: expected positive numbers, got "${text}"`);
  return values;
}

function positive(flag: string, text: string | undefined, allowZero = false): number {
  const value = Number(text);
  if (text === undefined || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0))
    throw new Error(`${flag}: expected a ${allowZero ? 'non-negative' : 'positive'} number`);
  return value;
}

/** Reads command-line flags over the defaults; throws with the flag's name on a bad value. */
export function parseOptions(argv: readonly string[], base = defaultOptions): BenchOptions {
  const options: BenchOptions = { ...base, scenarios: [...base.scenarios] };
  for (let index = 0; index < argv.length; index += 1) {
    const flag = argv[index] as string;
    const value = () => {
      index += 1;
      return argv[index];
    };
    switch (flag) {
      case '--scenarios': {
        const names = list(value() ?? '');
        const known: ScenarioName[] = [
          'capacity',
          'latency',
          'toolbox',
          'failover',
          'engines',
          'hostile',
          'cluster-capacity',
        ];
        const unknown = names.filter((name) => !known.includes(name as ScenarioName));
        if (names.length === 0 || unknown.length > 0)
          throw new Error(`--scenarios: expected some of ${known.join(', ')}`);
        options.scenarios = names as ScenarioName[];
        break;
      }
      case '--chats': {
        const n = Math.round(positive(flag, value()));
        options.capacitySteps = [...new Set([Math.round(n / 4), Math.round(n / 2), n])].filter(
          (step) => step > 0,
        );
        break;
      }
      case '--steps':
        options.capacitySteps = positiveNumbers(flag, value() ?? '')
          .map(Math.round)
          .sort((a, b) => a - b);
        break;
      case '--ramp-concurrency':
        options.rampConcurrency = Math.round(positive(flag, value()));
        break;
      case '--hold':
        options.holdSeconds = positive(flag, value());
        break;
      case '--chats-per-agent':
        options.capacityChatsPerAgent = Math.min(50, Math.round(positive(flag, value())));
        break;
      case '--latency-chats':
        options.latencyChats = Math.round(positive(flag, value()));
        break;
      case '--latency-chats-per-agent':
        options.latencyChatsPerAgent = Math.min(50, Math.round(positive(flag, value())));
        break;
      case '--rates':
        options.rates = positiveNumbers(flag, value() ?? '');
        break;
      case '--duration':
        options.durationSeconds = positive(flag, value());
        break;
      case '--message-chars':
        options.messageChars = Math.max(16, Math.round(positive(flag, value())));
        break;
      case '--no-baseline':
        options.baseline = false;
        break;
      case '--failover-instances':
        options.failoverInstances = positiveNumbers(flag, value() ?? '')
          .map(Math.round)
          .filter((count) => count >= 2);
        break;
      case '--failover-chats':
        options.failoverChats = Math.round(positive(flag, value()));
        break;
      case '--failover-rate':
        options.failoverRate = positive(flag, value());
        break;
      case '--failover-duration':
        options.failoverSeconds = positive(flag, value());
        break;
      case '--engine-rates':
        options.engineRates = positiveNumbers(flag, value() ?? '');
        break;
      case '--toolbox-runs':
        options.toolboxRuns = Math.round(positive(flag, value(), true));
        break;
      case '--cluster-instances':
        options.clusterInstances = positiveNumbers(flag, value() ?? '').map(Math.round);
        break;
      case '--cluster-steps':
        options.clusterSteps = positiveNumbers(flag, value() ?? '')
          .map(Math.round)
          .sort((a, b) => a - b);
        break;
      case '--cluster-chats-per-driver':
        options.clusterChatsPerDriver = Math.min(25_000, Math.round(positive(flag, value())));
        break;
      case '--hostile-uploads':
        options.hostileUploads = Math.round(positive(flag, value()));
        break;
      case '--hostile-upload-kib':
        options.hostileUploadKiB = positive(flag, value());
        break;
      case '--hostile-logins':
        options.hostileLogins = Math.round(positive(flag, value()));
        break;
      case '--profile':
        options.profile = true;
        break;
      case '--heap-snapshots':
        options.heapSnapshots = true;
        break;
      case '--name': {
        const name = value() ?? '';
        if (!/^[\w.-]+$/.test(name)) throw new Error('--name: letters, digits, . _ - only');
        options.name = name;
        break;
      }
      case '--out-dir':
        options.outDir = value() ?? options.outDir;
        break;
      case '--log-level':
        options.logLevel = value() ?? options.logLevel;
        break;
      case '--nofile':
        options.nofile = Math.round(positive(flag, value()));
        break;
      case '--event-batch':
        options.eventBatchSize = Math.round(positive(flag, value()));
        break;
      case '--dist':
        options.useDist = true;
        break;
      case '--metrics':
        options.metrics = true;
        break;
      case '--no-answer-times':
        options.answerTimes = false;
        break;
      case '--quiet-wait':
        options.quietWaitSeconds = positive(flag, value(), true);
        break;
      case '--retries':
        options.retries = Math.round(positive(flag, value(), true));
        break;
      case '--max-minutes':
        options.maxMinutes = positive(flag, value());
        break;
      default:
        throw new Error(`unknown option ${flag}\n\n${usage}`);
    }
  }
  return options;
}
