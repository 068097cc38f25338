import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

/**
 * The project's own entry points (server/main.ts, server/chat-service-main.ts) transpiled file by
 * file with esbuild (about a second, no tsc, no `npm run build`) into a temporary folder laid out
 * as dist/ is, so tests can run them as real processes (with `env`, which finds the project's
 * node_modules from there). The toolbox is a stub: these tests' visitors are socket.io clients.
 * The caller removes `dir`.
 */
export async function buildServers(
  name: string,
): Promise<{ dir: string; main: string; env: Record<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  mkdirSync(join(dir, 'dist', 'client'), { recursive: true });
  await build({
    entryPoints: [...sources('server'), ...sources('client')].filter(
      (file) => !file.endsWith('resx-test-files.ts'),
    ),
    outdir: dir,
    outbase: root,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    absWorkingDir: root,
  });
  // Its own project root (start-customer-chat looks for package.json), with the real views.
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  writeFileSync(join(dir, 'dist', 'client', 'toolbox.js'), 'void 0;\n');
  // The page API's declarations, served beside the toolbox.
  copyFileSync(
    join(root, 'client', 'toolbox', 'chat-toolbox.d.ts'),
    join(dir, 'client', 'toolbox', 'chat-toolbox.d.ts'),
  );
  for (const folder of ['views', 'public']) symlinkSync(join(root, folder), join(dir, folder));
  return {
    dir,
    main: join(dir, 'server', 'main.js'),
    env: { NODE_PATH: join(root, 'node_modules') },
  };
}
