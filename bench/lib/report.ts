import type { CapacityResult } from './capacity';
import type { ClusterCapacityResult } from './cluster-capacity';
import { clusterCapacityTargets, renderClusterCapacity } from './cluster-capacity-report';
import { failoverTarget, renderEngines, renderFailover } from './cluster-report';
import type { FailoverResult } from './failover';
import type { HostileResult } from './hostile';
import { hostileTargets, renderHostile } from './hostile-report';
import type { FlowResult, LatencyResult, PercentilePair } from './latency';
import type { MachineInfo } from './machine';
import type { BenchOptions } from './options';
import type { ProfileSummary } from './profile-summary';
import type { ServiceAnswerTimes } from './service-answer-times';
import { round } from './stats';
import type { ToolboxResult } from './toolbox';

export interface TargetCheck {
  target: string;
  measured: string;
  /** null: not measured in this run. */
  met: boolean | null;
}

export interface BenchResults {
  schema: 1;
  name: string;
  mode: 'processes' | 'in-process';
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  machine: MachineInfo;
  /** Open-files limits (soft/hard) the processes ran with. */
  openFilesLimits: Record<string, string>;
  options: BenchOptions;
  capacity: CapacityResult | null;
  latency: LatencyResult | null;
  toolbox: ToolboxResult | null;
  /** One run per instance count: an instance killed under load (empty when not run). */
  failover: FailoverResult[];
  /** One instance on each engine at each rate (empty when not run). */
  engines: FailoverResult[];
  /** Upload flood and log-ins under guessing (null when not run). */
  hostile: HostileResult | null;
  /** One run per instance count: idle chats across instances on Redis (empty when not run). */
  clusterCapacity: ClusterCapacityResult[];
  profiles: ProfileSummary[];
  targets: TargetCheck[];
  /** Scenarios that could not finish, and why. */
  failures: string[];
}

const number = (value: number) => value.toLocaleString('en-US');

export function checkTargets(results: Omit<BenchResults, 'targets'>): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const { capacity, latency, toolbox } = results;
  if (capacity === null) {
    checks.push({ target: '10,000 concurrent chats', measured: 'not run', met: null });
  } else {
    const largest = Math.max(0, ...capacity.steps.map((step) => step.target));
    const asked = largest < 10_000 ? ` (this run went to ${number(largest)} only)` : '';
    checks.push({
      target: '10,000 concurrent chats',
      measured: `${number(capacity.largestHeld)} held with zero failures${asked}`,
      met: capacity.largestHeld >= 10_000 ? true : largest < 10_000 ? null : false,
    });
    const slope = capacity.perChat['customer-chat'];
    checks.push({
      target: 'CustomerChat < 50 KiB memory (RSS) per chat',
      measured:
        slope === undefined
          ? 'no checkpoint held'
          : `${slope.rssKiB} KiB RSS, ${slope.heapKiB} KiB heap per chat ` +
            `(from ${number(slope.fromChats)} to ${number(slope.toChats)} chats)`,
      met: slope === undefined ? null : slope.rssKiB < 50,
    });
  }
  if (latency === null) {
    checks.push({ target: '2,000 msg/s, added p99 ≤ 10 ms', measured: 'not run', met: null });
  } else {
    const relays = latency.flows.filter((flow) => flow.path === 'relay');
    const topRate = Math.max(0, ...relays.map((flow) => flow.rate));
    const atTop = latency.comparisons.filter((comparison) => comparison.rate === topRate);
    const added = Math.max(...atTop.map((comparison) => comparison.p99.addedMs));
    const baselineP99 = Math.max(...atTop.map((comparison) => comparison.p99.baseline));
    const reached = topRate >= 2000;
    // Above this the Chat Service alone does not keep up, and "added" says nothing.
    const keepsUp = baselineP99 <= 50;
    checks.push({
      target: '2,000 msg/s relayed, added latency p99 ≤ 10 ms',
      measured:
        atTop.length === 0
          ? `no baseline to compare (top rate ${topRate} msg/s)`
          : `${signed(added)} ms p99 at ${number(topRate)} msg/s` +
            (keepsUp
              ? ''
              : ` (the Chat Service alone does not keep up: baseline p99 ${baselineP99} ms)`) +
            (reached ? '' : ' (2,000 not run)'),
      met: atTop.length === 0 || !reached ? null : keepsUp && added <= 10,
    });
    const perfect = relays.every(
      (flow) => flow.lost === 0 && flow.doubled === 0 && flow.sendFailures === 0 && flow.sent > 0,
    );
    checks.push({
      target: 'delivery 100 %, none doubled',
      measured: relays
        .map(
          (flow) =>
            `${flow.deliveryPercent} % at ${flow.rate}/s (${flow.doubled} doubled, ` +
            `${flow.sendFailures} sends refused)`,
        )
        .join('; '),
      met: relays.length === 0 ? null : perfect,
    });
  }
  if (toolbox === null) {
    checks.push({ target: "toolbox ≤ 30 KiB gzip'd", measured: 'not run', met: null });
  } else {
    checks.push({
      target: "toolbox ≤ 30 KiB gzip'd",
      measured: `${toolbox.servedGzipKiB} KiB gzip -9 (${toolbox.servedKiB} KiB raw)`,
      met: toolbox.servedGzipBytes <= 30 * 1024,
    });
    checks.push({
      target: 'tab visible ≤ 100 ms after load',
      measured:
        toolbox.medianLoadToVisibleMs === null
          ? (toolbox.skipped ?? 'not measured')
          : `${toolbox.medianLoadToVisibleMs} ms (median of ${toolbox.runs.length})`,
      met: toolbox.medianLoadToVisibleMs === null ? null : toolbox.medianLoadToVisibleMs <= 100,
    });
  }
  const failover = failoverTarget(results.failover ?? []);
  if (failover !== undefined) checks.push(failover);
  checks.push(...clusterCapacityTargets(results.clusterCapacity ?? []));
  checks.push(...hostileTargets(results.hostile ?? null));
  return checks;
}

function warnings(step: CapacityResult['steps'][number]): string {
  const parts = Object.entries(step.serverWarnings)
    .filter(([, entry]) => entry.warnings > 0)
    .map(([name, entry]) => `${name}: ${entry.warnings} (${entry.top[0]?.message ?? ''})`);
  return parts.length === 0 ? '0' : parts.join('; ');
}
const signed = (value: number) => (value >= 0 ? `+${value}` : `${value}`);
const mark = (met: boolean | null) => (met === null ? '–' : met ? 'met' : '**not met**');
const serviceAnswers = (times: ServiceAnswerTimes | null): string =>
  times === null ? '–' : `${times.p50Ms} / ${times.p99Ms} (${times.within25MsPercent} %)`;

const cell = (pair: PercentilePair) =>
  `${pair.relay} vs ${pair.baseline}: ${signed(pair.addedMs)} (×${pair.ratio})`;
const percentiles = (s: FlowResult['visitorToAgentMs']) =>
  `${s.p50} / ${s.p95} / ${s.p99} / ${s.max}`;

export function renderMarkdown(results: BenchResults, svgFile = 'latency.svg'): string {
  const { machine } = results;
  const lines: string[] = [];
  lines.push(`# CustomerChat benchmark: ${results.name}`, '');
  lines.push(
    `Run ${machine.date.slice(0, 16).replace('T', ' ')} UTC on ${machine.cpuModel}, ` +
      `${machine.cores} cores, ${machine.memoryGiB} GiB RAM, Node ${machine.node}, ${machine.os}; ` +
      `commit ${machine.commit}. ` +
      (results.mode === 'processes'
        ? 'Chat Service, CustomerChat and the bench each in their own process on loopback'
        : 'servers inside the bench process (smoke run)') +
      `; ${results.durationSeconds} s in all.`,
    '',
  );
  lines.push(
    `Open files: ${Object.entries(results.openFilesLimits)
      .map(([name, limit]) => `${name} ${limit}`)
      .join(', ')}; ephemeral ports ${machine.ephemeralPorts}.`,
    '',
  );
  lines.push('| target | measured | |', '| --- | --- | --- |');
  for (const check of results.targets)
    lines.push(`| ${check.target} | ${check.measured} | ${mark(check.met)} |`);
  lines.push('');
  if (results.failures.length > 0) {
    lines.push('Failed scenarios:', '');
    for (const failure of results.failures) lines.push(`- ${failure}`);
    lines.push('');
  }
  const { capacity, latency, toolbox } = results;
  if (capacity !== null) {
    lines.push(
      `## Capacity: idle chats`,
      '',
      `Each chat: a socket.io visitor connected over WebSocket, its chat requested and accepted by ` +
        `an agent (${capacity.agents} agents × ${capacity.chatsPerAgent} chats). Memory after a ` +
        `full GC: per chat is the growth since the previous checkpoint divided by the chats added ` +
        `(the first row: since start, which includes one-time warm-up); lag is the event-loop ` +
        `delay (perf_hooks histogram, p99 beyond its 10 ms timer) and ping the round trip of GET /CustomerChat/health ` +
        `(which asks the Chat Service too) and GET /ChatService/GetVersion, while the checkpoint ` +
        `is held for ${results.options.holdSeconds} s.`,
      '',
      '| chats | ramp chats/s | CustomerChat RSS MiB | KiB/chat RSS | KiB/chat heap | open files | Chat Service RSS MiB | KiB/chat RSS | KiB/chat heap | lag p99 ms CC / CS | ping p99 ms health / GetVersion | idle CPU % CC / CS / others | failed | server warnings |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    );
    for (const step of capacity.steps) {
      const cc = step.memory['customer-chat'];
      const cs = step.memory['chat-service'];
      const ccHold = step.hold.processes['customer-chat'];
      const csHold = step.hold.processes['chat-service'];
      lines.push(
        `| ${number(step.chats)} | ${step.chatsPerSecond} | ${cc?.rssMiB ?? '?'} | ${cc?.rssSlopeKiB ?? '?'} | ` +
          `${cc?.heapSlopeKiB} | ${cc?.openFiles} | ${cs?.rssMiB ?? '?'} | ${cs?.rssSlopeKiB ?? '?'} | ` +
          `${cs?.heapSlopeKiB} | ${ccHold?.lagMs.p99} / ${csHold?.lagMs.p99} | ` +
          `${step.pingMs.customerChatHealth.p99} / ${step.pingMs.chatServiceGetVersion.p99} | ` +
          `${ccHold?.cpuPercent} / ${csHold?.cpuPercent} / ${step.hold.otherCpuPercent} | ` +
          `${step.failedSoFar + step.droppedDuringHold} | ${warnings(step)} |`,
      );
    }
    lines.push(
      '',
      `Largest checkpoint held with zero failures: **${number(capacity.largestHeld)}** chats.`,
      '',
    );
    for (const [name, slope] of Object.entries(capacity.perChat))
      lines.push(
        `- ${name}: ${slope.rssKiB} KiB RSS and ${slope.heapKiB} KiB heap per chat from ` +
          `${number(slope.fromChats)} to ${number(slope.toChats)} chats.`,
      );
    lines.push('');
    if (capacity.firstFailureAtChats !== null)
      lines.push(`First failure with ${number(capacity.firstFailureAtChats)} chats up.`, '');
    if (capacity.stoppedEarly !== null) lines.push(`Stopped early: ${capacity.stoppedEarly}.`, '');
    for (const [name, heap] of Object.entries(capacity.heapPerChat)) {
      lines.push(
        '',
        `What one chat adds to the ${name} heap (snapshots at ${number(heap.fromChats)} and ` +
          `${number(heap.toChats)} chats): ${round(heap.totalBytesPerChat / 1024)} KiB, mostly:`,
        '',
        '| kind | objects per chat | bytes per chat |',
        '| --- | ---: | ---: |',
        ...heap.entries
          .slice(0, 12)
          .map((entry) => `| ${entry.kind} | ${entry.countPerChat} | ${entry.bytesPerChat} |`),
      );
    }
    if (capacity.errors.length > 0) {
      lines.push('', 'Errors:', '');
      for (const error of capacity.errors.slice(0, 8))
        lines.push(`- ${error.count} × ${error.error}`);
    }
    lines.push('');
  }
  if (latency !== null) {
    lines.push(
      `## Relay latency`,
      '',
      `${latency.chats} active chats through CustomerChat, and as many on the Chat Service's REST ` +
        `API directly (baseline), in the same run with the same ${latency.agents} agents; each ` +
        `rate is the total of both directions, sent open-loop for ${latency.durationSeconds} s, ` +
        `messages of ${latency.messageChars} characters. Latency is from the send call to the ` +
        `other end's receipt, both timed in the bench process (p50 / p95 / p99 / max, ms). ` +
        `"Refused": sends the sender was told failed; "delivered": of the sends accepted, those ` +
        `that arrived. CPU: % of one core over the step (sending and draining), "others" being ` +
        `processes outside the bench, and CPU time per message sent (at low rates mostly the ` +
        `cost of keeping the chats open). Others are waited for ` +
        `(up to ${results.options.quietWaitSeconds} s) before each step. "CS answers": ` +
        `SendMessage timed inside the Chat Service by its own histogram, from the call reaching ` +
        `its method to its change committed (p50 / p99 ms, and the share within 25 ms); what ` +
        `the sockets, the scheduler and the bench's event loop add is not in it.`,
      '',
      '| msg/s | path | sent | refused / server warnings | delivered | doubled | visitor → agent | agent → visitor | CS answers | CPU % CC / CS / bench / others | CPU µs/msg CC / CS | lag p99 ms CC / CS |',
      '| ---: | --- | ---: | ---: | ---: | ---: | --- | --- | --- | --- | --- | --- |',
    );
    for (const flow of latency.flows) {
      const p = flow.window.processes;
      const cpu = flow.cpuMicrosPerMessage;
      const ccCpu = flow.path === 'relay' ? (cpu['customer-chat'] ?? '–') : '–';
      lines.push(
        `| ${number(flow.rate)} | ${flow.path} | ${flow.sent} | ${flow.sendFailures} / ${flow.serverWarnings} | ` +
          `${flow.deliveryPercent} % | ${flow.doubled} | ` +
          `${percentiles(flow.visitorToAgentMs)} | ${percentiles(flow.agentToVisitorMs)} | ` +
          `${serviceAnswers(flow.serviceAnswerMs)} | ` +
          `${flow.path === 'relay' ? (p['customer-chat']?.cpuPercent ?? '–') : '–'} / ` +
          `${p['chat-service']?.cpuPercent} / ${p['bench-driver']?.cpuPercent} / ` +
          `${flow.window.otherCpuPercent} | ${ccCpu} / ${cpu['chat-service']} | ` +
          `${p['customer-chat']?.lagMs.p99 ?? '–'} / ${p['chat-service']?.lagMs.p99} |`,
      );
    }
    if (latency.comparisons.length > 0) {
      lines.push(
        '',
        'What CustomerChat adds, percentile by percentile: relay vs baseline ms: difference (ratio).',
        '',
        '| msg/s | direction | p50 | p95 | p99 | max |',
        '| ---: | --- | --- | --- | --- | --- |',
      );
      for (const c of latency.comparisons) {
        const direction = c.direction === 'visitorToAgent' ? 'visitor → agent' : 'agent → visitor';
        lines.push(
          `| ${number(c.rate)} | ${direction} | ${cell(c.p50)} | ${cell(c.p95)} | ${cell(c.p99)} | ${cell(c.max)} |`,
        );
      }
    }
    lines.push('', `![latency against message rate](${svgFile})`, '');
    if (latency.errors.length > 0) {
      lines.push('Errors:', '');
      for (const error of latency.errors.slice(0, 8))
        lines.push(`- ${error.count} × ${error.error}`);
      lines.push('');
    }
  }
  lines.push(...renderFailover(results.failover ?? []));
  lines.push(...renderEngines(results.engines ?? []));
  lines.push(...renderClusterCapacity(results.clusterCapacity ?? []));
  lines.push(...renderHostile(results.hostile ?? null));
  if (toolbox !== null) {
    lines.push(
      '## Toolbox',
      '',
      `The script as GET /CustomerChat/Chat/Toolbox serves it (bundle and English boot data), raw ` +
        `and gzip -9; in headless ${toolbox.browser ?? 'Chromium'}, a host page of another origin ` +
        `with the one script line: time from the script's last byte (resource timing) to the frame ` +
        `in which the toolbox's first element has a box on screen, each load in a fresh context.`,
      '',
      '| served | gzip -9 | load → visible (median) | navigation → visible (median) | first load | runs |',
      '| ---: | ---: | ---: | ---: | ---: | ---: |',
      `| ${toolbox.servedKiB} KiB | ${toolbox.servedGzipKiB} KiB | ${toolbox.medianLoadToVisibleMs ?? '–'} ms | ` +
        `${toolbox.medianNavigationToVisibleMs ?? '–'} ms | ${toolbox.firstRunLoadToVisibleMs ?? '–'} ms | ${toolbox.runs.length} |`,
      '',
    );
    if (toolbox.skipped !== null) lines.push(`Browser timing skipped: ${toolbox.skipped}.`, '');
  }
  if (results.profiles.length > 0) {
    lines.push('## CPU profiles', '', 'Self time by module, share of the busy time.', '');
    for (const profile of results.profiles) {
      const modules = profile.byModule
        .slice(0, 6)
        .map((entry) => `${entry.module} ${entry.percent} %`)
        .join(', ');
      lines.push(`- \`${profile.file}\` (${profile.busyMs} ms busy): ${modules}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Latency p50 and p99 against the message rate, both directions, relay and baseline. */
export function renderLatencySvg(latency: LatencyResult): string {
  const width = 760;
  const height = 420;
  const left = 60;
  const right = 200;
  const top = 40;
  const bottom = 50;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  type Series = { label: string; color: string; dash: string; points: Array<[number, number]> };
  const series: Series[] = [];
  const line = (path: 'relay' | 'baseline', direction: 'visitorToAgentMs' | 'agentToVisitorMs') =>
    latency.flows
      .filter((flow) => flow.path === path)
      .map((flow) => [flow.rate, flow[direction]] as const);
  const colors = { visitorToAgentMs: '#1f6fb4', agentToVisitorMs: '#c0392b' };
  for (const direction of ['visitorToAgentMs', 'agentToVisitorMs'] as const) {
    const name = direction === 'visitorToAgentMs' ? 'visitor→agent' : 'agent→visitor';
    const relay = line('relay', direction);
    series.push({
      label: `relay ${name} p99`,
      color: colors[direction],
      dash: '',
      points: relay.map(([r, s]) => [r, s.p99]),
    });
    series.push({
      label: `relay ${name} p50`,
      color: colors[direction],
      dash: '6 4',
      points: relay.map(([r, s]) => [r, s.p50]),
    });
    const baseline = line('baseline', direction);
    if (baseline.length > 0)
      series.push({
        label: `baseline ${name} p99`,
        color: '#888888',
        dash: direction === 'visitorToAgentMs' ? '2 3' : '8 3 2 3',
        points: baseline.map(([r, s]) => [r, s.p99]),
      });
  }
  const allPoints = series.flatMap((s) => s.points);
  const maxRate = Math.max(1, ...allPoints.map(([rate]) => rate));
  const latencies = allPoints.map(([, ms]) => ms).filter((ms) => ms > 0);
  const maxLatency = Math.max(1, ...latencies);
  const minLatency = Math.min(maxLatency, ...latencies);
  const tickStep = (max: number) => {
    const rough = max / 5;
    const power = 10 ** Math.floor(Math.log10(rough));
    const steps = [1, 2, 5, 10].map((factor) => factor * power);
    return steps.find((step) => step >= rough) ?? power * 10;
  };
  const xStep = tickStep(maxRate);
  const xMax = Math.ceil(maxRate / xStep) * xStep;
  const x = (rate: number) => left + (rate / xMax) * plotWidth;
  // Milliseconds to seconds on one chart: a log scale when the values span more than 50×.
  const logScale = maxLatency / minLatency > 50;
  let y: (ms: number) => number;
  let yTicks: number[];
  if (logScale) {
    const low = 10 ** Math.floor(Math.log10(minLatency));
    const high = 10 ** Math.ceil(Math.log10(maxLatency));
    const span = Math.log10(high) - Math.log10(low);
    y = (ms: number) =>
      top + plotHeight - ((Math.log10(Math.max(ms, low)) - Math.log10(low)) / span) * plotHeight;
    yTicks = [];
    for (let decade = low; decade <= high * 1.0001; decade *= 10)
      for (const factor of [1, 2, 5])
        if (decade * factor <= high * 1.0001) yTicks.push(decade * factor);
  } else {
    const yStep = tickStep(maxLatency);
    const yMax = Math.ceil(maxLatency / yStep) * yStep;
    y = (ms: number) => top + plotHeight - (ms / yMax) * plotHeight;
    yTicks = [];
    for (let tick = 0; tick <= yMax + 1e-9; tick += yStep) yTicks.push(tick);
  }
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="22" font-size="15" font-weight="bold">Message latency against total message rate (${latency.chats} chats)</text>`,
  );
  for (const tick of yTicks) {
    out.push(
      `<line x1="${left}" y1="${y(tick).toFixed(1)}" x2="${left + plotWidth}" y2="${y(tick).toFixed(1)}" stroke="#e5e5e5"/>`,
      `<text x="${left - 8}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${+tick.toFixed(3)}</text>`,
    );
  }
  for (let tick = 0; tick <= xMax + 1e-9; tick += xStep) {
    out.push(
      `<line x1="${x(tick)}" y1="${top + plotHeight}" x2="${x(tick)}" y2="${top + plotHeight + 5}" stroke="#333"/>`,
      `<text x="${x(tick)}" y="${top + plotHeight + 19}" text-anchor="middle">${tick}</text>`,
    );
  }
  out.push(
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotHeight}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top + plotHeight}" x2="${left + plotWidth}" y2="${top + plotHeight}" stroke="#333"/>`,
    `<text x="${left + plotWidth / 2}" y="${height - 12}" text-anchor="middle">messages a second (both directions)</text>`,
    `<text x="16" y="${top + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 16 ${top + plotHeight / 2})">latency, ms${logScale ? ' (log scale)' : ''}</text>`,
  );
  series.forEach((s, index) => {
    if (s.points.length === 0) return;
    const path = s.points
      .map(([rate, ms]) => `${x(rate).toFixed(1)},${y(ms).toFixed(1)}`)
      .join(' ');
    out.push(
      `<polyline points="${path}" fill="none" stroke="${s.color}" stroke-width="2" stroke-dasharray="${s.dash}"/>`,
    );
    for (const [rate, ms] of s.points)
      out.push(
        `<circle cx="${x(rate).toFixed(1)}" cy="${y(ms).toFixed(1)}" r="3" fill="${s.color}"/>`,
      );
    const legendY = top + 10 + index * 20;
    const legendX = left + plotWidth + 16;
    out.push(
      `<line x1="${legendX}" y1="${legendY}" x2="${legendX + 26}" y2="${legendY}" stroke="${s.color}" stroke-width="2" stroke-dasharray="${s.dash}"/>`,
      `<text x="${legendX + 32}" y="${legendY + 4}">${s.label}</text>`,
    );
  });
  out.push('</svg>', '');
  return out.join('\n');
}
