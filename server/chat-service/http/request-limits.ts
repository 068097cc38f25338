import { ServiceFault } from '../../protocol/faults';

/**
 * One request's share of the body bytes all requests hold at once. It is held until the request
 * is answered, as the body's parsed form lives as long.
 */
export interface BodyBudget {
  /** False when these bytes would go past the budget; nothing is taken then. */
  take(bytes: number): boolean;
  /** Gives back everything this request took. */
  releaseAll(): void;
}

export type Admission = { ok: true; release: () => void } | { ok: false; fault: ServiceFault };

/**
 * What keeps one caller, or many at once, from taking the service's memory: requests in progress
 * per address (addresses exempt from rate limits, such as a CustomerChat relay speaking for many
 * visitors, are not counted), and the body bytes all requests hold at once.
 */
export class RequestLimits {
  private readonly inProgress = new Map<string, number>();
  private heldBytes = 0;

  constructor(
    private readonly options: {
      perAddress: number;
      bodyBytesInFlight: number;
      exemptAddresses: readonly string[];
    },
  ) {}

  admit(address: string): Admission {
    if (this.options.exemptAddresses.includes(address))
      return { ok: true, release: () => undefined };
    const count = this.inProgress.get(address) ?? 0;
    if (count >= this.options.perAddress) {
      return {
        ok: false,
        fault: new ServiceFault('RateLimited', 'Too many requests at once from this address.'),
      };
    }
    this.inProgress.set(address, count + 1);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.inProgress.get(address) ?? 1) - 1;
        if (left <= 0) this.inProgress.delete(address);
        else this.inProgress.set(address, left);
      },
    };
  }

  /** A budget for one request's body. */
  bodyBudget(): BodyBudget {
    let taken = 0;
    return {
      take: (bytes) => {
        if (this.heldBytes + bytes > this.options.bodyBytesInFlight) return false;
        this.heldBytes += bytes;
        taken += bytes;
        return true;
      },
      releaseAll: () => {
        this.heldBytes -= taken;
        taken = 0;
      },
    };
  }
}
