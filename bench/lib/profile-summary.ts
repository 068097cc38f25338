import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { projectRoot } from './paths';
import { round } from './stats';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  /** Sampled time the process was busy (not idle), ms. */
  busyMs: number;
  idleMs: number;
  /** Self time by package / project file, share of busy time. */
  byModule: Array<{ module: string; selfMs: number; percent: number }>;
  /** Self time by function. */
  byFunction: Array<{ function: string; module: string; selfMs: number; percent: number }>;
}

/** node_modules/<package>, node's own modules, or the project file (from the bench's build). */
export function moduleOf(url: string): string {
  if (url === '') return '(V8 / native)';
  if (url.startsWith('node:')) return 'node: core';
  const path = url.replace(/^file:\/\//, '');
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (inModules?.[1] !== undefined) return inModules[1];
  const built = /bench\/results\/\.build\/(.*)$/.exec(path);
  if (built?.[1] !== undefined) return built[1].replace(/\.js$/, '.ts');
  return relative(projectRoot, path);
}

/** Self time by module and by function from a V8 .cpuprofile (as --cpu-prof writes them). */
export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfByNode = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  let busy = 0;
  let idle = 0;
  const modules = new Map<string, number>();
  const functions = new Map<string, { module: string; micros: number }>();
  for (const [id, micros] of selfByNode) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    if (frame.functionName === '(idle)') {
      idle += micros;
      continue;
    }
    busy += micros;
    const module = moduleOf(frame.url);
    modules.set(module, (modules.get(module) ?? 0) + micros);
    const name = `${frame.functionName || '(anonymous)'} ${module}:${frame.lineNumber + 1}`;
    const entry = functions.get(name) ?? { module, micros: 0 };
    entry.micros += micros;
    functions.set(name, entry);
  }
  const share = (micros: number) => (busy === 0 ? 0 : round((micros / busy) * 100, 1));
  return {
    file: relative(projectRoot, file),
    busyMs: round(busy / 1000, 0),
    idleMs: round(idle / 1000, 0),
    byModule: [...modules]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([module, micros]) => ({
        module,
        selfMs: round(micros / 1000, 0),
        percent: share(micros),
      })),
    byFunction: [...functions]
      .sort((a, b) => b[1].micros - a[1].micros)
      .slice(0, top)
      .map(([name, entry]) => ({
        function: name,
        module: entry.module,
        selfMs: round(entry.micros / 1000, 0),
        percent: share(entry.micros),
      })),
  };
}
