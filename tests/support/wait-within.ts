/**
 * Real processes and browsers take real time: checks the condition every `everyMs` until it holds,
 * and fails naming what was awaited once `timeoutMs` has passed.
 */
export async function untilWithin(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs: number,
  everyMs = 10,
): Promise<void> {
  for (const end = Date.now() + timeoutMs; Date.now() < end;) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`Timed out waiting until ${what}`);
}
