export interface IdleTimerOptions {
  /** IdleTimeout in seconds; 0: no idle timeout (the Chat Service's own still applies). */
  idleSeconds: number;
  /** WarningBeforeIdleTimeout in seconds; 0: no warning. */
  warningSeconds: number;
  onWarning: (secondsLeft: number) => void;
  onTimeout: () => void;
  timers?: Pick<typeof globalThis, 'setTimeout' | 'clearTimeout'>;
}

/**
 * The visitor's idle time in a conversation: a warning WarningBeforeIdleTimeout seconds before
 * IdleTimeout, then the timeout. Every activity of the visitor starts it over.
 */
export class IdleTimer {
  private handles: ReturnType<typeof setTimeout>[] = [];
  private readonly timers: Pick<typeof globalThis, 'setTimeout' | 'clearTimeout'>;

  constructor(private readonly options: IdleTimerOptions) {
    this.timers = options.timers ?? globalThis;
  }

  restart(): void {
    this.stop();
    const { idleSeconds, warningSeconds } = this.options;
    if (idleSeconds <= 0) return;
    if (warningSeconds > 0 && warningSeconds < idleSeconds) {
      this.handles.push(
        this.timers.setTimeout(
          () => this.options.onWarning(warningSeconds),
          (idleSeconds - warningSeconds) * 1000,
        ),
      );
    }
    this.handles.push(this.timers.setTimeout(() => this.options.onTimeout(), idleSeconds * 1000));
  }

  stop(): void {
    for (const handle of this.handles) this.timers.clearTimeout(handle);
    this.handles = [];
  }
}
