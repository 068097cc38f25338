import { startMachineLoad, waitForQuiet, type QuietWait } from './machine-load';
import { createProbe, type ProcessSample } from './probe-core';
import type { ServerHandle } from './servers';
import { mib, round } from './stats';

/** A process over a measured window: CPU share, event-loop delay, memory at the end. */
export interface WindowMetrics {
  /** Share of one core over the window (100 = one core busy the whole time). */
  cpuPercent: number;
  lagMs: ProcessSample['lag'];
  rssMiB: number;
  heapUsedMiB: number;
  openFiles: number;
}

export interface WindowReport {
  /** By process: the servers, and the bench's own ("bench-driver"). */
  processes: Record<string, WindowMetrics>;
  /** All cores together, % of one core. */
  machineCpuPercent: number;
  /** What processes other than the bench's used meanwhile, % of one core (in-process: -1). */
  otherCpuPercent: number;
  wallSeconds: number;
}

export interface MeasureWindow {
  finish(): Promise<WindowReport>;
}

function metrics(start: ProcessSample, end: ProcessSample, wallMicros: number): WindowMetrics {
  return {
    cpuPercent: round(((end.cpuMicros - start.cpuMicros) / wallMicros) * 100, 1),
    lagMs: end.lag,
    rssMiB: mib(end.rssBytes),
    heapUsedMiB: mib(end.heapUsedBytes),
    openFiles: end.openFiles,
  };
}

/**
 * Starts a window over the servers and the bench's own process ("bench-driver"): resets the lag
 * histograms and notes CPU times, so finish() reports each process's CPU share and event-loop
 * delay over exactly that window, and how busy the machine was besides.
 */
export async function openWindow(servers: readonly ServerHandle[]): Promise<MeasureWindow> {
  await Promise.all(servers.map((server) => server.resetLag()));
  const before = await Promise.all(servers.map((server) => server.sample(false)));
  const driver = createProbe();
  const driverBefore = driver.sample(false);
  const machine = startMachineLoad();
  const startedAt = performance.now();
  return {
    async finish() {
      const after = await Promise.all(servers.map((server) => server.sample(false)));
      const driverAfter = driver.sample(false);
      const load = machine();
      driver.close();
      const wallMicros = (performance.now() - startedAt) * 1000;
      const processes: Record<string, WindowMetrics> = {};
      const separate = servers.every((server) => server.pid !== undefined);
      servers.forEach((server, index) => {
        processes[server.name] = metrics(
          before[index] as ProcessSample,
          after[index] as ProcessSample,
          wallMicros,
        );
      });
      processes['bench-driver'] = metrics(driverBefore, driverAfter, wallMicros);
      const ours = Object.values(processes).reduce((sum, entry) => sum + entry.cpuPercent, 0);
      return {
        processes,
        machineCpuPercent: load.busyPercent,
        wallSeconds: round(wallMicros / 1e6, 3),
        otherCpuPercent:
          separate && load.busyPercent >= 0 ? round(Math.max(0, load.busyPercent - ours), 1) : -1,
      };
    },
  };
}

/**
 * Before a measurement: waits up to maxSeconds for the machine to have no other busy process
 * (another test run, a build), so the figures are the bench's own.
 */
export function quietBefore(
  servers: readonly ServerHandle[],
  maxSeconds: number,
): Promise<QuietWait> {
  if (maxSeconds <= 0 || servers.some((server) => server.pid === undefined))
    return Promise.resolve({ waitedSeconds: 0, otherCpuPercent: -1 });
  const ours = async () => {
    const samples = await Promise.all(servers.map((server) => server.sample(false)));
    const cpu = process.cpuUsage();
    return samples.reduce((sum, sample) => sum + sample.cpuMicros, cpu.user + cpu.system);
  };
  return waitForQuiet(maxSeconds * 1000, ours);
}
