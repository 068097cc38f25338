// Bundles the agent console (client/agent) into one minified script that the Chat Service serves
// at /Agent/app.js. The file is replaced in one step, so a server reading it meanwhile never sees
// half of it (browser tests build it while other tests may be serving it).
import { build } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist', 'client', 'agent.js');

const result = await build({
  absWorkingDir: root,
  entryPoints: ['client/agent/main.ts'],
  outfile,
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
});

mkdirSync(dirname(outfile), { recursive: true });
for (const file of result.outputFiles) {
  const partial = `${file.path}.${process.pid}.tmp`;
  writeFileSync(partial, file.contents);
  renameSync(partial, file.path);
}
