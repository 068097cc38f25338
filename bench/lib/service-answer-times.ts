import { parsePrometheusText } from './prometheus-text';
import { round } from './stats';

/** Cumulative counts of one histogram by upper bound (seconds), as Prometheus keeps them. */
export type Buckets = Map<number, number>;

/**
 * How long the Chat Service itself took to answer SendMessage (both APIs, accepted ones), from its
 * own histogram: from the call reaching its method to the change being committed. What the
 * bench's own timestamps add (its event loop, the sockets, the scheduler) is not in it.
 */
export interface ServiceAnswerTimes {
  count: number;
  /** Read inside the bucket that holds it, as Prometheus's histogram_quantile does. */
  p50Ms: number;
  p99Ms: number;
  /** Share of the answers within 25 ms (a bucket bound, so exact). */
  within25MsPercent: number;
}

/** SendMessage's accepted answers, summed over both APIs, from a metrics page. */
export function sendMessageBuckets(page: string): Buckets {
  const buckets: Buckets = new Map();
  for (const { name, labels, value } of parsePrometheusText(page)) {
    if (name !== 'chatservice_request_duration_seconds_bucket') continue;
    if (labels['method'] !== 'SendMessage' || labels['outcome'] !== 'ok') continue;
    const le = labels['le'] === '+Inf' ? Infinity : Number(labels['le']);
    buckets.set(le, (buckets.get(le) ?? 0) + value);
  }
  return buckets;
}

/**
 * Reads the histogram now; `finish` reads it again and gives the answers in between, null when
 * there were none.
 */
export async function watchAnswerTimes(
  metricsUrl: string,
): Promise<{ finish(): Promise<ServiceAnswerTimes | null> }> {
  const before = await readSendMessageBuckets(metricsUrl);
  return {
    finish: async () => answerTimesBetween(before, await readSendMessageBuckets(metricsUrl)),
  };
}

async function readSendMessageBuckets(metricsUrl: string): Promise<Buckets> {
  const response = await fetch(metricsUrl);
  if (!response.ok) throw new Error(`${metricsUrl} answered ${response.status}`);
  return sendMessageBuckets(await response.text());
}

/** The answers between two readings of the histogram; null when none was counted. */
export function answerTimesBetween(before: Buckets, after: Buckets): ServiceAnswerTimes | null {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counts = bounds.map((le) => (after.get(le) ?? 0) - (before.get(le) ?? 0));
  const count = counts.at(-1) ?? 0;
  if (count <= 0) return null;
  const quantile = (q: number): number => {
    const rank = q * count;
    const at = counts.findIndex((cumulative) => cumulative >= rank);
    const upper = bounds[at] as number;
    const lower = at === 0 ? 0 : (bounds[at - 1] as number);
    // Past the last finite bound, only that bound is known.
    if (upper === Infinity) return lower * 1000;
    const below = at === 0 ? 0 : (counts[at - 1] as number);
    const inBucket = (counts[at] as number) - below;
    const share = inBucket === 0 ? 1 : (rank - below) / inBucket;
    return (lower + (upper - lower) * share) * 1000;
  };
  const within = counts[bounds.indexOf(0.025)] ?? 0;
  return {
    count,
    p50Ms: round(quantile(0.5)),
    p99Ms: round(quantile(0.99)),
    within25MsPercent: round((100 * within) / count),
  };
}
