import type { IncomingMessage } from 'node:http';
import { clientKey } from '../../shared/client-key';

/**
 * The visitor's address of a request: the first X-Forwarded-For entry behind a trusted reverse
 * proxy, else the peer's address.
 */
export function visitorAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? '';
}

/**
 * Open sockets per client (an IPv4 address, an IPv6 /64; see clientKey), so that one address cannot
 * hold the instance's connections: a handshake over the cap is refused.
 */
export class SocketsPerAddress {
  private readonly open = new Map<string, number>();

  constructor(private readonly maxPerAddress: number) {}

  admits(address: string): boolean {
    return (this.open.get(clientKey(address)) ?? 0) < this.maxPerAddress;
  }

  opened(address: string): void {
    const key = clientKey(address);
    this.open.set(key, (this.open.get(key) ?? 0) + 1);
  }

  closed(address: string): void {
    const key = clientKey(address);
    const left = (this.open.get(key) ?? 0) - 1;
    if (left > 0) this.open.set(key, left);
    else this.open.delete(key);
  }

  /** Addresses with a socket open (for tests of the bound). */
  get size(): number {
    return this.open.size;
  }
}
