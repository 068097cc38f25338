// Log-in timing of known and unknown agent IDs at the shipped (OWASP) argon2id parameters: the
// median of 50 wrong-password log-ins each, interleaved, through the LoginGuard the Chat Service
// uses. Run: npx esbuild bench/login-timing.ts --bundle --platform=node --outfile=/tmp/lt.js && node /tmp/lt.js
import { LoginGuard } from '../server/chat-service/auth/login-guard';
import { hashPasswordAsync } from '../server/chat-service/auth/password-hash';
import { silentLogger } from '../server/shared/logger';

async function main(): Promise<void> {
  let now = 0;
  // An hour between attempts, so the back-off never answers instead of the hash.
  const guard = new LoginGuard({ clock: { now: () => (now += 3_600_000) }, logger: silentLogger });
  const stored = await hashPasswordAsync('the-right-one');
  const times = { known: [] as number[], unknown: [] as number[] };
  for (let round = 0; round < 50; round += 1) {
    for (const kind of ['known', 'unknown'] as const) {
      const started = performance.now();
      await guard
        .verify({
          address: '192.0.2.1',
          agentId: kind === 'known' ? 'alice' : `nobody${round}`,
          password: 'wrong',
          storedHash: kind === 'known' ? stored : undefined,
        })
        .catch(() => undefined);
      times[kind].push(performance.now() - started);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;
  const known = median(times.known);
  const unknown = median(times.unknown);
  process.stdout.write(
    `known ID median ${known.toFixed(1)} ms, unknown ID median ${unknown.toFixed(1)} ms, ` +
      `difference ${((Math.abs(known - unknown) / known) * 100).toFixed(1)} %\n`,
  );
}

void main();
