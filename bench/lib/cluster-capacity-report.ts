import type { ClusterCapacityResult } from './cluster-capacity';

const number = (value: number) => value.toLocaleString('en-US');

/** Issue 12's capacity goal, from the run with the most instances. */
export function clusterCapacityTargets(runs: readonly ClusterCapacityResult[]) {
  const run = [...runs].sort((a, b) => b.instances - a.instances)[0];
  if (run === undefined) return [];
  const asked = run.plannedChats;
  const slope = run.perChat;
  return [
    {
      target: `40,000 concurrent chats with zero failures across ${run.instances} instances`,
      measured:
        `${number(run.largestWithoutFailures)} up with zero failures (no request failed, no socket ` +
        `dropped), ${number(run.largestHeld)} of them held with no server warning either` +
        (asked < 40_000 ? ` (this run went to ${number(asked)} only)` : '') +
        (run.stoppedEarly === null ? '' : `; stopped: ${run.stoppedEarly}`),
      met: run.largestWithoutFailures >= 40_000 ? true : asked < 40_000 ? null : false,
    },
    {
      target: 'memory per chat of CustomerChat and of Redis, separately',
      measured:
        slope === null
          ? 'no checkpoint held'
          : `CustomerChat ${slope.customerChatRssKiB} KiB RSS (${slope.customerChatHeapKiB} KiB heap) ` +
            `over its ${run.instances} instances, Redis ${slope.redisUsedKiB} KiB used_memory a chat ` +
            `(from ${number(slope.fromChats)} to ${number(slope.toChats)} chats)`,
      met: null,
    },
  ];
}

/** The cluster capacity section of the results' tables. */
export function renderClusterCapacity(runs: readonly ClusterCapacityResult[]): string[] {
  if (runs.length === 0) return [];
  const first = runs[0] as ClusterCapacityResult;
  const lines = [
    '## Capacity across instances',
    '',
    'Idle chats (a visitor connected over WebSocket, its chat requested and accepted) held by N ' +
      "CustomerChat instances on one Redis (a redis-server of the run's own), visitors spread over " +
      'the instances in turn, from driver processes that each connect from a loopback address of ' +
      `their own (${first.drivers} for ${number(Math.max(...first.steps.map((s) => s.target)))} chats), ` +
      `agents holding ${first.chatsPerAgent} chats each. Each checkpoint is held while every ` +
      "instance's /CustomerChat/health and the Chat Service's GetVersion are pinged; memory after a " +
      "full GC, per chat since the start (Redis: INFO memory's used_memory); held: no request " +
      'failed, no socket dropped, no warning logged (a checkpoint with warnings only is not held, ' +
      'but the ramp goes on; it stops at the first failure). CPU in % of one core while held (the ' +
      "machine's cores together: 100 % a core); load: the machine's load average over 1 and 5 " +
      'minutes at the end of the hold.',
    '',
    '| instances | chats | ramp chats/s | CustomerChat RSS MiB (each) | KiB/chat CC RSS / heap | Redis used MiB | KiB/chat Redis | Redis keys | Chat Service RSS MiB | ping p99 ms health / GetVersion | CPU % CC / Redis / CS / drivers / others | load 1 / 5 min | failed | warnings |',
    '| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const run of runs)
    for (const step of run.steps) {
      const names = Object.keys(step.memory);
      const cc = names.filter((name) => name.startsWith('customer-chat'));
      const cpu = (prefix: string) =>
        Math.round(
          Object.entries(step.hold.processes)
            .filter(([name]) => name.startsWith(prefix))
            .reduce((sum, [, entry]) => sum + entry.cpuPercent, 0) * 10,
        ) / 10;
      const warnings = Object.entries(step.serverWarnings)
        .filter(([, entry]) => entry.warnings > 0)
        .map(([name, entry]) => `${name}: ${entry.warnings} (${entry.top[0]?.message ?? ''})`);
      lines.push(
        `| ${run.instances} | ${number(step.chats)} | ${step.chatsPerSecond} | ` +
          `${cc.map((name) => step.memory[name]?.rssMiB).join(' / ')} | ` +
          `${step.perChatKiB.customerChatRss} / ${step.perChatKiB.customerChatHeap} | ` +
          `${step.memory['redis']?.heapUsedMiB} | ${step.perChatKiB.redisUsed} | ${number(step.redisKeys)} | ` +
          `${step.memory['chat-service']?.rssMiB} | ` +
          `${step.pingMs.customerChatHealth.p99} / ${step.pingMs.chatServiceGetVersion.p99} | ` +
          `${cpu('customer-chat')} / ${cpu('redis')} / ${cpu('chat-service')} / ${cpu('visitors')} / ` +
          `${step.hold.otherCpuPercent} | ${step.loadAverage.slice(0, 2).join(' / ')} | ` +
          `${step.failedSoFar + step.droppedDuringHold} | ` +
          `${warnings.length === 0 ? '0' : warnings.join('; ')} |`,
      );
    }
  lines.push('');
  for (const run of runs) {
    const slope = run.perChat;
    lines.push(
      `- ${run.instances} instance${run.instances === 1 ? '' : 's'}: largest checkpoint held ` +
        `**${number(run.largestHeld)}**, with zero failures ${number(run.largestWithoutFailures)}` +
        (slope === null
          ? ''
          : `; per chat from ${number(slope.fromChats)} to ${number(slope.toChats)}: CustomerChat ` +
            `${slope.customerChatRssKiB} KiB RSS, ${slope.customerChatHeapKiB} KiB heap (all ` +
            `instances together), Redis ${slope.redisUsedKiB} KiB, Chat Service ${slope.chatServiceRssKiB} KiB RSS`) +
        (run.stoppedEarly === null ? '' : `; stopped: ${run.stoppedEarly}`) +
        '.',
    );
    const warned = Object.entries(run.setup.warnings)
      .filter(([, entry]) => entry.warnings > 0)
      .map(([name, entry]) => `${name} ${entry.warnings} (${entry.top[0]?.message ?? ''})`);
    lines.push(
      `  - before the first chat: ${number(run.agents)} agents logged in in ` +
        `${run.setup.agentLoginSeconds} s; warnings meanwhile: ${warned.length === 0 ? 'none' : warned.join(', ')}`,
    );
    for (const error of run.errors.slice(0, 5)) lines.push(`  - ${error.count} × ${error.error}`);
  }
  lines.push('');
  return lines;
}
