// Bundles the chat toolbox (client/toolbox) into one minified script for CustomerChat to serve.
//   node scripts/build-toolbox.mjs [--outfile <path>] [--report]
// --report prints the script's size, raw and gzip'd (the target is 30 KB gzip'd with its strings; the test allows 34).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    outfile: { type: 'string', default: 'dist/client/toolbox.js' },
    report: { type: 'boolean', default: false },
  },
});

await build({
  entryPoints: ['client/toolbox/main.ts'],
  outfile: values.outfile,
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16.4'],
  legalComments: 'none',
  logLevel: 'warning',
});

if (values.report) {
  const code = readFileSync(values.outfile);
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  process.stdout.write(
    `${values.outfile}: ${kb(code.length)}, ${kb(gzipSync(code, { level: 9 }).length)} gzip'd\n`,
  );
}
