import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inProcessLauncher } from '../../bench/lib/in-process';
import { defaultOptions, parseOptions, type BenchOptions } from '../../bench/lib/options';
import { runBench } from '../../bench/lib/run-bench';
import { chromiumPath } from '../../bench/lib/toolbox';

/**
 * `npm run bench` in miniature, so it cannot rot: every scenario with a few chats for about a
 * second each, both servers inside this process (no `npm run build`), results written to a
 * temporary folder and read back. Figures are not judged here, only shape and delivery.
 */

jest.setTimeout(90_000);

let outDir: string;
beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const tiny = (): BenchOptions => ({
  ...defaultOptions,
  scenarios: ['capacity', 'latency', 'toolbox'],
  capacitySteps: [3, 6],
  rampConcurrency: 3,
  holdSeconds: 0.3,
  latencyChats: 3,
  latencyChatsPerAgent: 5,
  rates: [40],
  durationSeconds: 0.75,
  toolboxRuns: existsSync(chromiumPath) ? 1 : 0,
  name: 'smoke',
  outDir,
  quietWaitSeconds: 0,
  maxMinutes: 2,
});

describe('npm run bench, in miniature', () => {
  test('when every scenario runs with a few chats, then the results file has every part and every message arrives once', async () => {
    const { results, files } = await runBench(tiny(), {
      launcher: inProcessLauncher(),
      openFilesLimits: {},
      log: () => undefined,
    });

    expect(results.failures).toEqual([]);
    expect(JSON.parse(readFileSync(files.json, 'utf8'))).toEqual(
      JSON.parse(JSON.stringify(results)),
    );
    expect(results).toMatchObject({
      schema: 1,
      name: 'smoke',
      mode: 'in-process',
      machine: { cores: expect.any(Number), node: process.version },
    });

    const capacity = results.capacity;
    expect(capacity?.steps.map((step) => [step.chats, step.held])).toEqual([
      [3, true],
      [6, true],
    ]);
    expect(capacity?.largestHeld).toBe(6);
    expect(capacity?.perChat['customer-chat']).toMatchObject({ fromChats: 3, toChats: 6 });
    for (const step of capacity?.steps ?? []) {
      expect(step.memory['customer-chat']?.rssMiB).toBeGreaterThan(0);
      expect(step.pingMs.customerChatHealth.count).toBeGreaterThan(0);
      expect(step.pingFailures).toBe(0);
    }

    const flows = results.latency?.flows ?? [];
    expect(flows.map((flow) => [flow.path, flow.rate])).toEqual([
      ['relay', 40],
      ['baseline', 40],
    ]);
    for (const flow of flows) {
      expect(flow.sent).toBe(30);
      expect(flow).toMatchObject({
        lost: 0,
        doubled: 0,
        strays: 0,
        sendFailures: 0,
        deliveryPercent: 100,
      });
      expect(flow.visitorToAgentMs.count + flow.agentToVisitorMs.count).toBe(flow.sent);
      expect(flow.visitorToAgentMs.p99).toBeGreaterThan(0);
    }
    expect(results.latency?.comparisons).toHaveLength(2);

    expect(results.toolbox?.servedBytes).toBeGreaterThan(1000);
    expect(results.toolbox?.servedGzipBytes).toBeLessThan(results.toolbox?.servedBytes ?? 0);
    if (tiny().toolboxRuns > 0) expect(results.toolbox?.runs).toHaveLength(1);

    expect(results.targets.map((check) => check.target)).toHaveLength(6);
    const markdown = readFileSync(files.markdown, 'utf8');
    expect(markdown).toContain('| target | measured |');
    expect(markdown).toContain('## Relay latency');
    expect(readFileSync(files.svg ?? '', 'utf8')).toMatch(/^<svg [^>]*>[\s\S]*<polyline/);
  });

  test('when the options are given on the command line, then each is read and a bad one is named', () => {
    const options = parseOptions([
      '--chats',
      '10000',
      '--rates',
      '500,2000',
      '--scenarios',
      'capacity,latency',
    ]);
    expect(options.capacitySteps).toEqual([2500, 5000, 10000]);
    expect(options.rates).toEqual([500, 2000]);
    expect(options.scenarios).toEqual(['capacity', 'latency']);
    expect(options.answerTimes).toBe(true);
    expect(parseOptions(['--no-answer-times']).answerTimes).toBe(false);
    expect(() => parseOptions(['--rates', 'fast'])).toThrow('--rates');
    expect(() => parseOptions(['--scenarios', 'everything'])).toThrow('--scenarios');
  });
});
