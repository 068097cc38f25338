import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The project's root, from the sources (ts-jest) or from the bundles in bench/results/.build. */
export const projectRoot = (() => {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return process.cwd();
})();

export const buildDir = join(projectRoot, 'bench', 'results', '.build');
