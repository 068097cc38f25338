import type { FailoverResult } from './failover';
import { round } from './stats';

/** The failover section of the results' tables. */
export function renderFailover(runs: readonly FailoverResult[]): string[] {
  if (runs.length === 0) return [];
  const lines = [
    '## Failover',
    '',
    'CustomerChat instances on one Redis (the sharded socket.io adapter), chats spread over them, ' +
      'messages both ways at the rate; a third of the way in, the first instance is killed ' +
      '(SIGKILL). Its visitors reconnect to the next instance and resume after their last seq; ' +
      'unacknowledged sends go again with the same clientMessageId.',
    '',
    '| instances | chats | msg/s | affected visitors | sent | lost | doubled | resume p50 / p99 | latency p99 before / after |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const run of runs)
    lines.push(
      `| ${run.instances} | ${run.chats} | ${run.rate} | ${run.affected} | ${run.sent} | ${run.lost} | ` +
        `${run.doubled} | ${run.resume.p50} / ${run.resume.p99} ms | ` +
        `${run.latencyBefore.p99} / ${run.latencyAfter.p99} ms |`,
    );
  lines.push('');
  return lines;
}

/** The failover target, from the run with the most instances. */
export function failoverTarget(runs: readonly FailoverResult[]) {
  const run = [...runs].sort((a, b) => b.instances - a.instances)[0];
  if (run === undefined) return undefined;
  return {
    target: `kill -9 one of ${run.instances} instances at ${run.rate} msg/s: lost 0, doubled 0`,
    measured:
      `lost ${run.lost}, doubled ${run.doubled} of ${run.sent}; ${run.affected} visitors resumed ` +
      `in p50 ${run.resume.p50} ms, p99 ${run.resume.p99} ms`,
    met: run.lost === 0 && run.doubled === 0 && run.resume.count === run.affected,
  };
}

/** The engines section: one instance, the same load, on the memory engine and on Redis. */
export function renderEngines(runs: readonly FailoverResult[]): string[] {
  if (runs.length === 0) return [];
  const lines = [
    '## Memory engine against Redis',
    '',
    'One CustomerChat instance, the same chats and message rate, first on the memory engine, then ' +
      'on Redis (a redis-server of its own): delivery latency of every message, both ways.',
    '',
    '| msg/s | engine | chats | delivered | lost | doubled | p50 | p99 | added p99 |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const run of runs) {
    const memory = runs.find((other) => other.engine === 'memory' && other.rate === run.rate);
    const added =
      run.engine === 'redis' && memory !== undefined
        ? `${round(run.latencyBefore.p99 - memory.latencyBefore.p99)} ms`
        : '–';
    lines.push(
      `| ${run.rate} | ${run.engine} | ${run.chats} | ${run.delivered} | ${run.lost} | ${run.doubled} | ` +
        `${run.latencyBefore.p50} ms | ${run.latencyBefore.p99} ms | ${added} |`,
    );
  }
  lines.push('');
  return lines;
}
