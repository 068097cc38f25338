import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';

export interface OriginRefusalLogOptions {
  clock: Clock;
  logger: Logger;
  /** An origin is logged again after this long. @default 60_000 */
  intervalMs?: number;
  /**
   * Origins remembered at once; beyond it the oldest are forgotten (and may be logged early),
   * so a stream of made-up origins costs a bounded amount of memory. @default 1000
   */
  maxOrigins?: number;
}

/**
 * Logs the origins CustomerChat refuses, each at most once per interval: a misconfigured site
 * tells the operator which host to add to CrossDomainAllowIpAddress, and its pages' retries do
 * not flood the log.
 */
export class OriginRefusalLog {
  /** Origin → when it was last logged; in insertion order, so the first is the oldest. */
  private readonly lastLogged = new Map<string, number>();
  private readonly intervalMs: number;
  private readonly maxOrigins: number;

  constructor(private readonly options: OriginRefusalLogOptions) {
    this.intervalMs = options.intervalMs ?? 60_000;
    this.maxOrigins = options.maxOrigins ?? 1000;
  }

  refused(origin: string): void {
    const now = this.options.clock.now();
    const last = this.lastLogged.get(origin);
    if (last !== undefined && now - last < this.intervalMs) return;
    this.lastLogged.delete(origin);
    this.lastLogged.set(origin, now);
    for (const oldest of this.lastLogged.keys()) {
      if (this.lastLogged.size <= this.maxOrigins) break;
      this.lastLogged.delete(oldest);
    }
    this.options.logger.warn(
      { origin: origin.slice(0, 200), setting: 'CrossDomainAllowIpAddress' },
      'a page of an origin not allowed asked for a chat socket: refused (add its host to CrossDomainAllowIpAddress if it should embed the toolbox)',
    );
  }
}
