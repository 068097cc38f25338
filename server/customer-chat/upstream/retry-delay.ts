/**
 * The pause before asking a silent service again: doubling with each failure in a row, from
 * baseMs up to maxMs. Half of it is fixed and half random, so the long-polls of every chat do not
 * return to a recovering service at once.
 */
export function retryDelayMs(failures: number, baseMs: number, maxMs: number): number {
  const exponent = Math.max(0, failures - 1);
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent);
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}
