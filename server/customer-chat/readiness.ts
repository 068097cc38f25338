/** Something CustomerChat needs to serve: the Chat Service, and Redis where one is configured. */
export interface ReadinessDependency {
  /** The report's key for it. */
  name: 'upstream' | 'redis';
  /** Resolves when it answers; rejects (or outlasts the bound) when it does not. */
  probe: () => Promise<unknown>;
}

export interface ReadinessReport {
  /** ok: send it work; degraded: a dependency is down; stopping: a shutdown has begun. */
  status: 'ok' | 'degraded' | 'stopping';
  upstream: 'up' | 'down';
  /** Only where Redis is configured. */
  redis?: 'up' | 'down';
  liveChats: number;
}

export interface ReadinessOptions {
  dependencies: readonly ReadinessDependency[];
  /** Longest wait for each dependency's answer. */
  timeoutMs: number;
  shuttingDown: () => boolean;
  liveChats: () => number;
}

/** Asks every dependency at once, each bounded by the timeout, so a check never hangs. */
export async function checkReadiness(options: ReadinessOptions): Promise<ReadinessReport> {
  const states = await Promise.all(
    options.dependencies.map(async ({ name, probe }) => {
      const up = await withinTime(probe, options.timeoutMs);
      return [name, up ? 'up' : 'down'] as const;
    }),
  );
  const state: Partial<Record<ReadinessDependency['name'], 'up' | 'down'>> =
    Object.fromEntries(states);
  const allUp = states.every(([, up]) => up === 'up');
  return {
    status: options.shuttingDown() ? 'stopping' : allUp ? 'ok' : 'degraded',
    upstream: state.upstream ?? 'down',
    ...(state.redis === undefined ? {} : { redis: state.redis }),
    liveChats: options.liveChats(),
  };
}

function withinTime(probe: () => Promise<unknown>, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    probe().then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(false);
      },
    );
  });
}
