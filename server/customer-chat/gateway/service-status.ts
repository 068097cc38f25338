/** What a chat needs that may go away: the Chat Service, and the session store (Redis). */
export type ServiceDependency = 'upstream' | 'store';

/**
 * Whether this instance can serve chats now, as its pages are told it (service:status): available
 * while every dependency is; `tell` hears each change of that, once.
 */
export class ServiceStatus {
  private readonly down = new Set<ServiceDependency>();

  constructor(private readonly tell: (available: boolean) => void) {}

  get available(): boolean {
    return this.down.size === 0;
  }

  set(dependency: ServiceDependency, available: boolean): void {
    const before = this.available;
    if (available) this.down.delete(dependency);
    else this.down.add(dependency);
    if (this.available !== before) this.tell(this.available);
  }
}
