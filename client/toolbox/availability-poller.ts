import type { ToolboxConfig } from '../../server/customer-chat/gateway/toolbox-boot';
import type { ChatConnection, QueueInfo } from './socket-client';

export interface AvailabilityPollerOptions {
  /** StatePollInterval in seconds; 0 or less: asked once. */
  intervalSeconds: number;
  ask: () => Promise<QueueInfo | undefined>;
  onResult: (info: QueueInfo) => void;
}

/** Asks for the group's availability and estimated wait now, then every StatePollInterval. */
export class AvailabilityPoller {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;

  constructor(private readonly options: AvailabilityPollerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.poll();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    const info = await this.options.ask();
    if (!this.running) return;
    if (info !== undefined) this.options.onResult(info);
    if (this.options.intervalSeconds > 0)
      this.timer = setTimeout(() => void this.poll(), this.options.intervalSeconds * 1000);
  }
}

/** The tenant and group of the page, as CustomerChat's payloads name them. */
export function groupOf(
  page: Pick<ToolboxConfig, 'TenantID' | 'ServiceGroupID' | 'ServiceGroupName'>,
) {
  return {
    tenantId: page.TenantID,
    serviceGroupId: page.ServiceGroupID || undefined,
    serviceGroupName: page.ServiceGroupName || undefined,
  };
}

/**
 * The group's availability as the poll needs it. A group the service does not know, or a tenant
 * that does not match, is a page's mistake: said on the console, and shown as unavailable.
 */
export async function askQueueInfo(
  connection: ChatConnection,
  page: Pick<ToolboxConfig, 'TenantID' | 'ServiceGroupID' | 'ServiceGroupName'>,
): Promise<QueueInfo> {
  const reply = await connection.queueInfo(groupOf(page));
  if (reply.ok) return reply;
  if (reply.error.code !== 'ServiceUnavailable' && reply.error.code !== 'Internal')
    console.warn('The chat toolbox cannot ask for its service group:', reply.error.message);
  return { open: false, estimatedWaitSeconds: -1, closedMessage: null, rejected: false };
}
