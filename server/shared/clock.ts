/**
 * Time as a dependency. Domain code never calls Date.now() or setTimeout directly, so tests can
 * drive hours of queueing and idle timeouts without waiting.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export type TimerHandle = { readonly id: number };

export interface Timers {
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export type Time = Clock & Timers;

/** The real clock and timers, wired by the composition roots. */
export function systemTime(): Time {
  const handles = new Map<number, NodeJS.Timeout>();
  let nextId = 1;
  return {
    now: () => Date.now(),
    setTimeout(callback, delayMs) {
      const id = nextId++;
      const timeout = setTimeout(() => {
        handles.delete(id);
        callback();
      }, delayMs);
      handles.set(id, timeout);
      return { id };
    },
    clearTimeout(handle) {
      const timeout = handles.get(handle.id);
      if (timeout !== undefined) {
        clearTimeout(timeout);
        handles.delete(handle.id);
      }
    },
  };
}
