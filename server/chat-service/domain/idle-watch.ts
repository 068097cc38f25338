import type { TimerHandle, Time } from '../../shared/clock';

export interface IdleWatch {
  cancel(): void;
}

/**
 * Calls onIdle once lastActivityAt() lies timeoutMs in the past. Rather than re-arming a timer on
 * every activity, it wakes at the earliest possible deadline and, if there was activity since,
 * sleeps for the rest.
 */
export function watchIdle(
  time: Time,
  timeoutMs: number,
  lastActivityAt: () => number,
  onIdle: () => void,
): IdleWatch {
  let handle: TimerHandle | undefined;
  const arm = () => {
    handle = time.setTimeout(
      () => {
        handle = undefined;
        if (time.now() - lastActivityAt() >= timeoutMs) onIdle();
        else arm();
      },
      lastActivityAt() + timeoutMs - time.now(),
    );
  };
  arm();
  return {
    cancel() {
      if (handle !== undefined) time.clearTimeout(handle);
      handle = undefined;
    },
  };
}
