/**
 * Sends "agent is typing" at most once per interval while the agent types: enough for the
 * customer's indicator to stay on, without a request per key.
 */
export class TypingThrottle {
  private lastSentAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly send: () => void,
    private readonly intervalMs = 3_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The agent typed: tell the customer unless it was told within the interval. */
  typed(): void {
    const now = this.now();
    if (now - this.lastSentAt < this.intervalMs) return;
    this.lastSentAt = now;
    this.send();
  }

  /** After a message goes out, the next key press is news again. */
  reset(): void {
    this.lastSentAt = Number.NEGATIVE_INFINITY;
  }
}
