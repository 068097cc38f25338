// Bundles the chat toolbox (client/toolbox) into one minified script for CustomerChat to serve.
import { build } from 'esbuild';

await build({
  entryPoints: ['client/toolbox/main.ts'],
  outfile: 'dist/client/toolbox.js',
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  legalComments: 'none',
  logLevel: 'warning',
});
