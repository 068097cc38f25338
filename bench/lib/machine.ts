import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { projectRoot } from './paths';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  /** Soft/hard open-files limits of the bench process when the run started. */
  openFilesLimit: string;
  ephemeralPorts: string;
  commit: string;
  date: string;
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

/** "soft/hard" of a process's open-files limit, from /proc/<pid>/limits. */
export function openFilesLimit(pid: number | 'self' = 'self'): string {
  const line = read(`/proc/${pid}/limits`)
    .split('\n')
    .find((row) => row.startsWith('Max open files'));
  const fields = line?.split(/\s{2,}/) ?? [];
  return fields.length >= 3 ? `${fields[1]}/${fields[2]}` : 'unknown';
}

function gitCommit(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: projectRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'server', 'client'], {
      cwd: projectRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return dirty === '' ? commit : `${commit} (server/client changed since)`;
  } catch {
    return 'unknown';
  }
}

export function machineInfo(): MachineInfo {
  const processors = cpus();
  return {
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${process.platform} ${release()}`,
    openFilesLimit: openFilesLimit(),
    ephemeralPorts: read('/proc/sys/net/ipv4/ip_local_port_range').replace(/\s+/g, '-'),
    commit: gitCommit(),
    date: new Date().toISOString(),
  };
}
