// `npm run bench`: builds what the bench runs (without tsc: esbuild, about a second), then runs it.
// The servers are the project's own entry points (server/chat-service-main.ts, server/main.ts),
// transpiled file by file to bench/results/.build/ as tsc lays them out in dist/.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const out = join(root, 'bench', 'results', '.build');
const useDist = process.argv.includes('--dist');
// --servers <dir>: servers laid out as in dist/ (server/, client/) from elsewhere, e.g. a copy of
// bench/results/.build with a proposed change applied, to measure what the change buys.
const serversAt = process.argv.indexOf('--servers');
const otherServers = serversAt === -1 ? undefined : process.argv[serversAt + 1];
const args = process.argv
  .slice(2)
  .filter(
    (_arg, index) => serversAt === -1 || (index !== serversAt - 2 && index !== serversAt - 1),
  );

function sources(dir) {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

process.chdir(root);
const node = { platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' };
if (useDist) {
  if (!existsSync(join(root, 'dist', 'server', 'main.js'))) {
    process.stderr.write('--dist: run `npm run build` first\n');
    process.exit(1);
  }
} else {
  // The toolbox with the project's own build script (it writes dist/client/toolbox.js).
  try {
    execFileSync(process.execPath, ['scripts/build-toolbox.mjs'], { stdio: 'inherit' });
  } catch {
    if (!existsSync(join(root, 'dist', 'client', 'toolbox.js'))) process.exit(1);
    process.stderr.write(
      'bench: the toolbox did not build; using the last dist/client/toolbox.js\n',
    );
  }
  await build({
    ...node,
    // server/ and what it imports from client/ (shared texts and types), laid out as in dist/.
    entryPoints: [...sources('server'), ...sources('client')].filter(
      (file) => !file.endsWith('resx-test-files.ts'),
    ),
    outdir: out,
    outbase: '.',
    sourcemap: true,
  });
}
await build({
  ...node,
  entryPoints: {
    'bench-run': 'bench/run.ts',
    probe: 'bench/lib/probe.ts',
    'cluster-driver': 'bench/lib/cluster-driver.ts',
  },
  outdir: out,
  bundle: true,
  packages: 'external',
  sourcemap: true,
});

const serverDir =
  otherServers !== undefined
    ? join(root, otherServers, 'server')
    : useDist
      ? join(root, 'dist', 'server')
      : join(out, 'server');
const bench = await import(pathToFileURL(join(out, 'bench-run.js')).href);
const main = bench.main ?? bench.default.main;
process.stdout.write(`bench: servers from ${relative(root, serverDir)}\n`);
const code = await main(args, {
  chatServiceEntry: join(serverDir, 'chat-service-main.js'),
  customerChatEntry: join(serverDir, 'main.js'),
  probe: join(out, 'probe.js'),
  clusterDriver: join(out, 'cluster-driver.js'),
});
process.exit(code);
