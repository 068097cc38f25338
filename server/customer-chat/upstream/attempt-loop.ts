import { ServiceFault } from '../../protocol/faults';

/** One try of a request: its value, or its error and whether a repeat might get past it. */
export type Attempt<T> = { ok: true; value: T } | { ok: false; error: Error; retryable: boolean };

/** How often, and for how long, a request is tried. */
export type RetryPlan =
  /** Not repeated at all. */
  | { kind: 'once' }
  /** Repeated `retries` times at most after a failure that says a repeat may get through. */
  | { kind: 'few'; retries: number }
  /**
   * Safe to repeat whatever happened to the last try (a send under its ClientMessageID): tried
   * again after any failure but a refusal, until `windowMs` has passed since the first try, each
   * try given at most `attemptTimeoutMs` and never more than the time left.
   */
  | { kind: 'window'; windowMs: number; attemptTimeoutMs: number };

export interface AttemptLoopOptions {
  baseDelayMs: number;
  /** Longest pause between two tries of a window. */
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

/** Least time a try of a window is given: a shorter one could not get an answer at all. */
const leastAttemptMs = 500;

/**
 * Runs `attempt` until it succeeds or the plan gives up, and throws the last error then. The pause
 * doubles with each failure, with jitter, so the relays of many visitors do not all return to a
 * recovering service at once.
 */
export async function runAttempts<T>(
  attempt: (timeoutMs: number | undefined) => Promise<Attempt<T>>,
  plan: RetryPlan,
  options: AttemptLoopOptions,
): Promise<T> {
  const started = options.now();
  const left = () => (plan.kind === 'window' ? started + plan.windowMs - options.now() : 0);
  for (let failures = 0; ; failures += 1) {
    const timeoutMs =
      plan.kind === 'window'
        ? Math.max(leastAttemptMs, Math.min(plan.attemptTimeoutMs, left()))
        : undefined;
    const outcome = await attempt(timeoutMs);
    if (outcome.ok) return outcome.value;
    const pause = pauseMs(failures, options);
    if (!mayRepeat(plan, outcome, failures, left() - pause)) throw outcome.error;
    await options.sleep(pause);
  }
}

function mayRepeat(
  plan: RetryPlan,
  outcome: Extract<Attempt<unknown>, { ok: false }>,
  failures: number,
  leftAfterPause: number,
): boolean {
  switch (plan.kind) {
    case 'once':
      return false;
    case 'few':
      return outcome.retryable && failures < plan.retries;
    case 'window':
      // A timeout counts too: the try may have been delivered, and the repeat is answered as it.
      return !isRefusal(outcome) && leftAfterPause >= leastAttemptMs;
  }
}

/** An answer that will not change on a repeat: a fault of the 4xx kind. */
function isRefusal(outcome: Extract<Attempt<unknown>, { ok: false }>): boolean {
  return outcome.error instanceof ServiceFault && !outcome.retryable;
}

function pauseMs(failures: number, options: AttemptLoopOptions): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** failures);
  return ceiling + Math.random() * options.baseDelayMs;
}
