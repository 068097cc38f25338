import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AgentCrew } from './agents';
import { ErrorLog, JsonClient } from './http';
import type { QuietWait } from './machine-load';
import { openWindow, quietBefore, type WindowReport } from './process-metrics';
import { LogWatch, type ServerHandle, type ServerLauncher } from './servers';
import { forEachLimited, round, summarize, waitUntil, type LatencySummary } from './stats';
import { watchAnswerTimes, type ServiceAnswerTimes } from './service-answer-times';
import { RestCustomer, SocketVisitor } from './visitors';

export interface LatencyOptions {
  chats: number;
  chatsPerAgent: number;
  rates: number[];
  durationSeconds: number;
  messageChars: number;
  baseline: boolean;
  deadline: number;
  profileDir: string | undefined;
  /** Longest wait for a quiet machine before each step, seconds. */
  quietWaitSeconds: number;
  /** Runs of a step again when other processes disturbed it. */
  retries: number;
  /** The Chat Service gets a metrics listener, to read its own SendMessage answer times. */
  answerTimes: boolean;
  log: (line: string) => void;
}

export type Path = 'relay' | 'baseline';

export interface FlowResult {
  path: Path;
  rate: number;
  /** Messages a second actually sent (the schedule is open-loop: late sends are caught up). */
  achievedRate: number;
  sent: number;
  /** Sends the sender was told had succeeded. */
  accepted: number;
  /** Sends the sender was told had failed (it knows; a page would retry with the same id). */
  sendFailures: number;
  /** Accepted messages that arrived at the other end. */
  delivered: number;
  /** Accepted messages that never arrived: silent loss. */
  lost: number;
  /** Messages that arrived more than once. */
  doubled: number;
  /** Received but never sent in this step (should be 0). */
  strays: number;
  /** delivered / accepted. */
  deliveryPercent: number;
  /** How far the bench fell behind its sending schedule at worst (ms): a busy driver shows here. */
  maxSendLagMs: number;
  visitorToAgentMs: LatencySummary;
  agentToVisitorMs: LatencySummary;
  /** The sender's own answer: the socket ack (relay) or the HTTP response (baseline). */
  visitorSendAnswerMs: LatencySummary;
  agentSendAnswerMs: LatencySummary;
  /**
   * SendMessage's answer time inside the Chat Service (its own histogram, commit included); null
   * when it kept no metrics.
   */
  serviceAnswerMs: ServiceAnswerTimes | null;
  /** CPU and event-loop delay of each process, and the machine's load, over the step. */
  window: WindowReport;
  /** CPU time each process spent per message sent (µs), sending and draining included. */
  cpuMicrosPerMessage: Record<string, number>;
  /** How long the step waited for other processes on the machine to go quiet first. */
  quiet: QuietWait;
  /** Runs of this step until one was undisturbed (or retries ran out); this is the least disturbed. */
  attempts: number;
  /** Warnings and errors both servers logged during the step. */
  serverWarnings: number;
}

export interface PercentilePair {
  relay: number;
  baseline: number;
  /** relay − baseline: what CustomerChat adds. */
  addedMs: number;
  /** relay / baseline. */
  ratio: number;
}

export interface Comparison {
  rate: number;
  direction: 'visitorToAgent' | 'agentToVisitor';
  p50: PercentilePair;
  p95: PercentilePair;
  p99: PercentilePair;
  max: PercentilePair;
}

export interface LatencyResult {
  chats: number;
  agents: number;
  messageChars: number;
  durationSeconds: number;
  flows: FlowResult[];
  comparisons: Comparison[];
  errors: Array<{ error: string; count: number }>;
  profiles: string[];
  stoppedEarly: string | null;
}

/** The two ends of one chat, whatever path the messages take. */
interface ChatEnds {
  customerSend(text: string, id: string): Promise<void>;
  agentSend(text: string, id: string): Promise<void>;
}

/** Where each message of one step is: sent when, received how often. */
class FlowTracker {
  readonly sentAt = new Map<string, number>();
  /** Sends the sender was told succeeded (socket ack ok, HTTP 200). */
  readonly accepted = new Set<string>();
  readonly receivedCount = new Map<string, number>();
  readonly visitorToAgent: number[] = [];
  readonly agentToVisitor: number[] = [];
  strays = 0;

  constructor(readonly prefix: string) {}

  sent(id: string, at: number): void {
    this.sentAt.set(id, at);
  }

  received(id: string, at: number): void {
    const sentAt = this.sentAt.get(id);
    if (sentAt === undefined) {
      this.strays += 1;
      return;
    }
    const count = this.receivedCount.get(id) ?? 0;
    this.receivedCount.set(id, count + 1);
    if (count > 0) return;
    const latency = at - sentAt;
    if (id.includes('.v')) this.visitorToAgent.push(latency);
    else this.agentToVisitor.push(latency);
  }

  /** Every message whose send was accepted has arrived. */
  get allAcceptedReceived(): boolean {
    for (const id of this.accepted) if (!this.receivedCount.has(id)) return false;
    return true;
  }
}

const messagePrefix = 'bench:';
/** Other processes' CPU (% of one core) above which a step counts as disturbed. */
const disturbedAbovePercent = 25;

/** Routes a received text to the tracker of its step; text from outside the bench is ignored. */
class Trackers {
  private readonly byPrefix = new Map<string, FlowTracker>();

  add(tracker: FlowTracker): void {
    this.byPrefix.set(tracker.prefix, tracker);
  }

  received(text: string, at: number): void {
    if (!text.startsWith(messagePrefix)) return;
    const end = text.indexOf(' ');
    const id = text.slice(messagePrefix.length, end === -1 ? undefined : end);
    this.byPrefix.get(id.slice(0, id.indexOf('.')))?.received(id, at);
  }
}

async function runFlow(
  path: Path,
  rate: number,
  step: string,
  ends: readonly ChatEnds[],
  trackers: Trackers,
  options: LatencyOptions,
  processes: readonly ServerHandle[],
  errors: ErrorLog,
  quiet: QuietWait,
): Promise<FlowResult> {
  const tracker = new FlowTracker(`${path[0]}${step}`);
  trackers.add(tracker);
  const total = Math.max(2, Math.round(rate * options.durationSeconds));
  const visitorAnswers: number[] = [];
  const agentAnswers: number[] = [];
  const pending: Promise<void>[] = [];
  let sendFailures = 0;
  let maxSendLagMs = 0;
  const logs = processes.map((server) => new LogWatch(server.logFile));
  const metricsUrl = processes.find((server) => server.name === 'chat-service')?.metricsUrl;
  const answerTimes = metricsUrl === undefined ? null : await watchAnswerTimes(metricsUrl);
  const window = await openWindow(processes);
  const started = performance.now();
  const send = (k: number) => {
    const chat = ends[Math.floor(k / 2) % ends.length] as ChatEnds;
    const fromVisitor = k % 2 === 0;
    const id = `${tracker.prefix}.${fromVisitor ? 'v' : 'a'}${k}`;
    const head = `${messagePrefix}${id} `;
    const text = head + 'x'.repeat(Math.max(0, options.messageChars - head.length));
    const at = performance.now();
    tracker.sent(id, at);
    const sending = fromVisitor ? chat.customerSend(text, id) : chat.agentSend(text, id);
    pending.push(
      sending.then(
        () => {
          tracker.accepted.add(id);
          (fromVisitor ? visitorAnswers : agentAnswers).push(performance.now() - at);
        },
        (error: unknown) => {
          sendFailures += 1;
          errors.add(`${path} send`, error);
        },
      ),
    );
  };
  await new Promise<void>((resolve) => {
    let k = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - started) * rate) / 1000) + 1);
      while (k < due) {
        maxSendLagMs = Math.max(maxSendLagMs, now - (started + (k * 1000) / rate));
        send(k);
        k += 1;
      }
      if (k >= total || Date.now() > options.deadline) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  const sendSeconds = (performance.now() - started) / 1000;
  // Every send answers or times out (15 s); then what was accepted gets up to 30 s to arrive.
  await Promise.all(pending);
  await waitUntil(() => tracker.allAcceptedReceived, 30_000);
  const processMetrics = await window.finish();
  const serviceAnswerMs = answerTimes === null ? null : await answerTimes.finish();
  let delivered = 0;
  let doubled = 0;
  for (const id of tracker.accepted) {
    const count = tracker.receivedCount.get(id) ?? 0;
    if (count >= 1) delivered += 1;
  }
  for (const count of tracker.receivedCount.values()) if (count > 1) doubled += 1;
  const sent = tracker.sentAt.size;
  const accepted = tracker.accepted.size;
  const cpuMicrosPerMessage: Record<string, number> = {};
  for (const [name, metrics] of Object.entries(processMetrics.processes))
    cpuMicrosPerMessage[name] = round(
      ((metrics.cpuPercent / 100) * processMetrics.wallSeconds * 1e6) / Math.max(1, sent),
      0,
    );
  return {
    path,
    rate,
    achievedRate: round(sent / sendSeconds, 1),
    sent,
    accepted,
    sendFailures,
    delivered,
    lost: accepted - delivered,
    doubled,
    strays: tracker.strays,
    deliveryPercent: accepted === 0 ? 0 : round((delivered / accepted) * 100, 3),
    cpuMicrosPerMessage,
    maxSendLagMs: round(maxSendLagMs),
    visitorToAgentMs: summarize(tracker.visitorToAgent),
    agentToVisitorMs: summarize(tracker.agentToVisitor),
    visitorSendAnswerMs: summarize(visitorAnswers),
    agentSendAnswerMs: summarize(agentAnswers),
    serviceAnswerMs,
    window: processMetrics,
    quiet,
    attempts: 1,
    serverWarnings: logs.reduce((sum, log) => sum + log.read().warnings, 0),
  };
}

const pair = (relay: number, baseline: number): PercentilePair => ({
  relay,
  baseline,
  addedMs: round(relay - baseline),
  ratio: baseline > 0 ? round(relay / baseline) : 0,
});

export function compare(flows: readonly FlowResult[]): Comparison[] {
  const comparisons: Comparison[] = [];
  for (const relay of flows.filter((flow) => flow.path === 'relay')) {
    const baseline = flows.find((flow) => flow.path === 'baseline' && flow.rate === relay.rate);
    if (baseline === undefined) continue;
    for (const direction of ['visitorToAgent', 'agentToVisitor'] as const) {
      const r = relay[`${direction}Ms`];
      const b = baseline[`${direction}Ms`];
      comparisons.push({
        rate: relay.rate,
        direction,
        p50: pair(r.p50, b.p50),
        p95: pair(r.p95, b.p95),
        p99: pair(r.p99, b.p99),
        max: pair(r.max, b.max),
      });
    }
  }
  return comparisons;
}

/**
 * M chats through CustomerChat (socket.io visitors) and, in the same run against the same Chat
 * Service, M chats straight on its REST API (the baseline), with the same agents. At each rate the
 * relay chats exchange messages both ways for the duration, then the baseline chats do the same.
 * Every timestamp is taken in the bench process.
 */
export async function runLatency(
  launcher: ServerLauncher,
  options: LatencyOptions,
): Promise<LatencyResult> {
  const chats = options.chats * (options.baseline ? 2 : 1);
  const servers = await launcher.start({
    chats,
    chatsPerAgent: options.chatsPerAgent,
    customerChat: true,
    label: 'latency',
    chatServiceMetrics: options.answerTimes,
  });
  const customerChat = servers.customerChat as ServerHandle;
  const errors = new ErrorLog();
  const trackers = new Trackers();
  const chatIdByName = new Map<string, string>();
  const nameByChatId = new Map<string, string>();
  const agents = Math.ceil(chats / options.chatsPerAgent) + 1;
  const crew = new AgentCrew({
    chatServiceUrl: servers.chatService.url,
    agents,
    deadline: options.deadline,
    onCustomerMessage: (_chatId, text, at) => trackers.received(text, at),
    onOffered: (chatId, customerName) => {
      chatIdByName.set(customerName, chatId);
      nameByChatId.set(chatId, customerName);
    },
  });
  const restClient = new JsonClient(servers.chatService.url);
  const visitors: SocketVisitor[] = [];
  const customers: RestCustomer[] = [];
  const flows: FlowResult[] = [];
  const profiles: string[] = [];
  let stoppedEarly: string | null = null;
  try {
    await crew.start();
    await forEachLimited(
      Array.from({ length: options.chats }, (_unused, index) => index),
      25,
      async (index) => {
        const visitor = await SocketVisitor.connect(customerChat.url, 30_000);
        visitors.push(visitor);
        visitor.onAgentMessage = (text, at) => trackers.received(text, at);
        await visitor.requestChat(`relay-${index}`, 30_000);
      },
    );
    if (options.baseline) {
      await forEachLimited(
        Array.from({ length: options.chats }, (_unused, index) => index),
        25,
        async (index) => {
          const customer = new RestCustomer(restClient);
          customers.push(customer);
          customer.onAgentMessage = (text, at) => trackers.received(text, at);
          await customer.requestChat(`rest-${index}`, options.deadline);
        },
      );
      const handled = await waitUntil(() => customers.every((c) => c.handled), 30_000);
      if (!handled) throw new Error('baseline chats were not all accepted in 30 s');
    }
    // An agent can write once AcceptChat has answered.
    const accepted = await waitUntil(() => crew.accepted >= chats, 30_000);
    if (!accepted) throw new Error(`only ${crew.accepted} of ${chats} chats were accepted`);
    const agentSend = (name: string) => (text: string, id: string) =>
      crew.send(chatIdByName.get(name) ?? '', text, id);
    const relayEnds: ChatEnds[] = visitors.map((visitor, index) => ({
      customerSend: (text, id) => visitor.send(text, id),
      agentSend: agentSend(`relay-${index}`),
    }));
    const baselineEnds: ChatEnds[] = customers.map((customer) => ({
      customerSend: (text, id) => customer.send(text, id),
      agentSend: (text, id) => crew.send(customer.chatId, text, id),
    }));
    const topRate = Math.max(...options.rates);
    for (const [step, rate] of options.rates.entries()) {
      if (Date.now() > options.deadline) {
        stoppedEarly = 'time limit reached';
        break;
      }
      // The baseline's messages do not pass CustomerChat: only the Chat Service is profiled then.
      const paths: Array<[Path, ChatEnds[], ServerHandle[]]> = [
        ['relay', relayEnds, [customerChat, servers.chatService]],
      ];
      if (options.baseline) paths.push(['baseline', baselineEnds, [servers.chatService]]);
      const everyServer = [customerChat, servers.chatService];
      for (const [path, ends, profiled] of paths) {
        // On a shared machine a step that other processes disturbed is run again (the least
        // disturbed attempt is kept); the report shows how busy the others were.
        let flow: FlowResult | undefined;
        let attempts = 0;
        for (let attempt = 0; attempt <= options.retries; attempt += 1) {
          attempts += 1;
          const quiet = await quietBefore(everyServer, options.quietWaitSeconds);
          const profiling = options.profileDir !== undefined && rate === topRate;
          if (profiling) await Promise.all(profiled.map((server) => server.startProfile()));
          const tried = await runFlow(
            path,
            rate,
            `${step}x${attempt}`,
            ends,
            trackers,
            options,
            everyServer,
            errors,
            quiet,
          );
          if (profiling) {
            for (const server of profiled) {
              const file = join(
                options.profileDir as string,
                `latency-${rate}-${path}-${server.name}.cpuprofile`,
              );
              await server.stopProfile(file);
              if (!profiles.includes(file)) profiles.push(file);
            }
          }
          if (flow === undefined || tried.window.otherCpuPercent < flow.window.otherCpuPercent)
            flow = tried;
          if (tried.window.otherCpuPercent <= disturbedAbovePercent) break;
          options.log(
            `latency ${path} ${rate} msg/s: other processes used ${tried.window.otherCpuPercent} % ` +
              `of a core meanwhile${attempt < options.retries ? '; once more' : ''}`,
          );
        }
        if (flow === undefined) continue;
        flow.attempts = attempts;
        flows.push(flow);
        options.log(
          `latency ${path} ${rate} msg/s: v→a p50 ${flow.visitorToAgentMs.p50} p99 ` +
            `${flow.visitorToAgentMs.p99} ms, a→v p50 ${flow.agentToVisitorMs.p50} p99 ` +
            `${flow.agentToVisitorMs.p99} ms, delivered ${flow.deliveryPercent} %, other ` +
            `processes ${flow.window.otherCpuPercent} % CPU`,
        );
      }
    }
    return {
      chats: options.chats,
      agents,
      messageChars: options.messageChars,
      durationSeconds: options.durationSeconds,
      flows,
      comparisons: compare(flows),
      errors: [...errors.toJSON(), ...crew.errors.toJSON()],
      profiles,
      stoppedEarly,
    };
  } finally {
    for (const visitor of visitors) visitor.close();
    await Promise.all(customers.map((customer) => customer.stop()));
    await crew.stop();
    await restClient.close();
    await servers.stop();
  }
}
