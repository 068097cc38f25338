import type { AttachmentLimits } from '../../shared/attachment-policy';
import type { Clock } from '../../shared/clock';
import type { ChatServiceClient } from './chat-service-client';

/** How long the Chat Service's limits are reused before they are asked again. */
const limitsCacheMs = 60_000;

/**
 * The Chat Service's attachment limits, asked at most once a minute: every upload is checked
 * against them, and an admin's change reaches CustomerChat within that minute.
 */
export class ServiceAttachmentLimits {
  private cached: { at: number; limits: AttachmentLimits } | undefined;

  constructor(
    private readonly client: Pick<ChatServiceClient, 'getChatConfiguration'>,
    private readonly clock: Clock,
  ) {}

  async current(): Promise<AttachmentLimits> {
    const now = this.clock.now();
    if (this.cached !== undefined && now - this.cached.at < limitsCacheMs)
      return this.cached.limits;
    const config = await this.client.getChatConfiguration();
    const limits = {
      maxBytes: config.MaxAttachmentSize,
      allowedTypes: config.AllowedAttachmentTypes,
      restrictedTypes: config.RestrictedAttachmentTypes,
    };
    this.cached = { at: now, limits };
    return limits;
  }
}
