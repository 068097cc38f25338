import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { round, sleep } from './stats';

/**
 * CPU time of the whole machine from /proc/stat, so a window can say how busy the machine was
 * and how much of that was processes other than the bench's (a shared machine skews every figure).
 */
interface CpuTimes {
  busy: number;
  total: number;
}

function readCpuTimes(): CpuTimes | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((sum, value) => sum + value, 0);
    // idle and iowait are the 4th and 5th fields.
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

export interface MachineLoad {
  /** Busy time of all cores over the window, in % of one core (200 = both of 2 cores busy). */
  busyPercent: number;
}

export function startMachineLoad(): () => MachineLoad {
  const before = readCpuTimes();
  const cores = cpus().length;
  return () => {
    const after = readCpuTimes();
    if (before === undefined || after === undefined || after.total === before.total)
      return { busyPercent: -1 };
    return {
      busyPercent: round(
        ((after.busy - before.busy) / (after.total - before.total)) * cores * 100,
        1,
      ),
    };
  };
}

export interface QuietWait {
  waitedSeconds: number;
  /** Other processes' CPU in the last second looked at, % of one core. */
  otherCpuPercent: number;
}

/**
 * Waits (at most maxWaitMs) until processes other than the bench's have used less than
 * `thresholdPercent` of one core for a whole second. `oursMicros` gives the CPU time the bench's
 * processes have used so far.
 */
export async function waitForQuiet(
  maxWaitMs: number,
  oursMicros: () => Promise<number>,
  thresholdPercent = 25,
): Promise<QuietWait> {
  const started = Date.now();
  let others = -1;
  do {
    const finish = startMachineLoad();
    const oursBefore = await oursMicros();
    const windowStart = performance.now();
    await sleep(1000);
    const ours = ((await oursMicros()) - oursBefore) / ((performance.now() - windowStart) * 10);
    const load = finish();
    if (load.busyPercent < 0) break;
    others = round(Math.max(0, load.busyPercent - ours), 1);
    if (others < thresholdPercent) break;
  } while (Date.now() - started < maxWaitMs);
  return { waitedSeconds: round((Date.now() - started) / 1000, 1), otherCpuPercent: others };
}
