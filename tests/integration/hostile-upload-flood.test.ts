import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { agentHandledChat, ask, useCustomerChat } from '../support/customer-chat-test-kit';

/**
 * Issue 13's finding 5: 30 maximum-size uploads at once into one chat. They stream to disk a few
 * at a time (the rest are refused at once), so another visitor's chat stays quick and the
 * process does not swell. The figures are printed for the report; the latency goal (p99 under
 * 100 ms) is measured by `npm run bench -- --scenarios hostile`, because a shared machine makes any
 * time bound here either loose or flaky.
 */

const { start } = useCustomerChat();

// A full collection before each reading, so the figures are what is kept, not garbage not yet
// collected.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? NaN;
}

describe('Upload flood (issue 13: 5)', () => {
  test('when one chat posts 30 maximum-size uploads at once, then they are refused but a couple, another visitor keeps being answered and memory stays bounded', async () => {
    const h = await start();
    const flooder = await agentHandledChat(h, 'alice');
    const other = await agentHandledChat(h, 'bob');
    const maxBytes = 5120 * 1024;
    collectGarbage();
    const keptBefore = kept();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 5);

    let flooding = true;
    // The bench's hostile client, in a process of its own so its buffers are not counted here.
    const child = execFile(process.execPath, [
      join(__dirname, '..', '..', 'bench', 'lib', 'hostile-client.mjs'),
      'upload',
      h.url,
      flooder.token,
      '30',
      String(maxBytes),
    ]);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const settled = new Promise<number[]>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', () => resolve(JSON.parse(output) as number[]));
    }).finally(() => {
      flooding = false;
    });

    const latencies: number[] = [];
    let sent = 0;
    while (flooding || latencies.length < 50) {
      const started = performance.now();
      const reply = await ask(other.page, 'message:send', {
        clientMessageId: `m${sent++}`,
        text: 'still quick?',
        hideLocal: true,
      });
      latencies.push(performance.now() - started);
      if (!reply.ok) expect(reply.error?.code).toBe('RateLimited');
      const health = performance.now();
      expect((await fetch(`${h.url}/CustomerChat/Chat/Toolbox/Strings?culture=en`)).status).toBe(
        200,
      );
      latencies.push(performance.now() - health);
    }
    const statuses = await settled;
    clearInterval(sampler);
    const accepted = statuses.filter((status) => status === 200).length;
    const p99 = percentile(latencies, 0.99);
    collectGarbage();
    const growthMb = (kept() - keptBefore) / 2 ** 20;
    const peakMb = (rssPeak - rssBefore) / 2 ** 20;
    process.stdout.write(
      `upload flood: ${accepted} of 30 stored, statuses ${JSON.stringify(countBy(statuses))}, ` +
        `other visitor p50 ${percentile(latencies, 0.5).toFixed(1)} ms p99 ${p99.toFixed(1)} ms ` +
        `over ${latencies.length} calls, memory kept +${growthMb.toFixed(1)} MB, RSS peak +${peakMb.toFixed(1)} MB\n`,
    );
    expect(accepted).toBeGreaterThanOrEqual(1);
    expect(accepted).toBeLessThanOrEqual(4);
    expect(latencies.length).toBeGreaterThanOrEqual(100);
    // Two 5 MB files are kept twice (the relay's copy for the page, the Chat Service's for the
    // agent): 20 MB, plus what the collector has not given back; it was 465 MB before.
    expect(growthMb).toBeLessThan(100);
  }, 60_000);
});

/** Memory the process holds in objects and buffers (RSS keeps freed pages for a while). */
function kept(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

function countBy(values: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
