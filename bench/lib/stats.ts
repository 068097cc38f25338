/** Latency samples (ms) and their summary: percentiles by nearest rank on the sorted samples. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export const emptySummary: LatencySummary = { count: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 };

export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(fraction * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? 0;
}

export function summarize(samples: readonly number[]): LatencySummary {
  if (samples.length === 0) return { ...emptySummary };
  const sorted = Float64Array.from(samples).sort();
  const list = Array.from(sorted);
  let total = 0;
  for (const value of list) total += value;
  return {
    count: list.length,
    p50: round(percentile(list, 0.5)),
    p95: round(percentile(list, 0.95)),
    p99: round(percentile(list, 0.99)),
    max: round(list[list.length - 1] ?? 0),
    mean: round(total / list.length),
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}

/** Two decimals: enough for milliseconds and kilobytes. */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export const kib = (bytes: number) => round(bytes / 1024);
export const mib = (bytes: number) => round(bytes / (1024 * 1024));

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` for each item with at most `concurrency` running at once; every item is tried once
 * and the loop ends when the list does.
 */
export async function forEachLimited<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from(
    { length: Math.max(1, Math.min(concurrency, items.length)) },
    async () => {
      while (next < items.length) {
        const index = next;
        next += 1;
        await work(items[index] as T, index);
      }
    },
  );
  await Promise.all(lanes);
}

/** Resolves when `condition` holds, polling every `everyMs`; false once `timeoutMs` has passed. */
export async function waitUntil(
  condition: () => boolean,
  timeoutMs: number,
  everyMs = 20,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() >= deadline) return false;
    await sleep(everyMs);
  }
  return true;
}
