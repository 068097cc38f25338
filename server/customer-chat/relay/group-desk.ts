import type { Logger } from '../../shared/logger';
import type { AppSettings } from '../../config/web-config';
import type { ChatConfiguration, QueueInfo } from '../gateway/socket-contract';
import type { Reply } from '../session/visitor-events';
import type { ChatServiceClient } from '../upstream/chat-service-client';
import { replyForError } from './relay-errors';

export interface GroupDeskOptions {
  client: ChatServiceClient;
  settings: AppSettings;
  logger: Logger;
}

/**
 * What a page asks about service groups before any chat: availability and wait, the Chat Service's
 * limits, and whether ServiceGroupIDsToReject refuses a group here.
 */
export class GroupDesk {
  constructor(private readonly options: GroupDeskOptions) {}

  async queueInfo(
    tenantId: number,
    serviceGroupId: number | undefined,
    serviceGroupName: string | undefined,
  ): Promise<Reply<QueueInfo>> {
    try {
      const info = await this.options.client.getQueueInfo({
        TenantID: tenantId,
        ServiceGroupID: serviceGroupId ?? 0,
        ServiceGroupName: serviceGroupName ?? null,
      });
      // Told as refused, not as closed: the page shows RequestRejected, not "not available".
      if (this.rejects(serviceGroupId ?? info.ServiceGroupID)) {
        return {
          ok: true,
          open: false,
          estimatedWaitSeconds: -1,
          closedMessage: null,
          rejected: true,
        };
      }
      return {
        ok: true,
        open: info.Open,
        estimatedWaitSeconds: info.EstimatedWaitTime,
        closedMessage: info.Open ? null : info.ClosedMessage,
        rejected: false,
      };
    } catch (error) {
      return replyForError(error, this.options.logger, { step: 'GetQueueInfo' });
    }
  }

  async configuration(): Promise<Reply<ChatConfiguration>> {
    try {
      const config = await this.options.client.getChatConfiguration();
      return {
        ok: true,
        maxMessageLength: config.MaxMessageLength,
        maxAttachmentBytes: config.MaxAttachmentSize,
        allowedAttachmentTypes: config.AllowedAttachmentTypes,
        restrictedAttachmentTypes: config.RestrictedAttachmentTypes,
      };
    } catch (error) {
      return replyForError(error, this.options.logger, { step: 'GetChatConfiguration' });
    }
  }

  /**
   * Whether ServiceGroupIDsToReject refuses the group. A group asked for by name is looked up with
   * GetQueueInfo first, so a refused group's chat request never reaches the Chat Service either way.
   */
  async isRejected(
    tenantId: number,
    groupId: number | undefined,
    groupName: string | undefined,
  ): Promise<boolean> {
    if (this.options.settings.ServiceGroupIDsToReject.length === 0) return false;
    if (groupId !== undefined && groupId !== 0) return this.rejects(groupId);
    if (groupName === undefined || groupName.trim() === '') return false;
    try {
      const info = await this.options.client.getQueueInfo({
        TenantID: tenantId,
        ServiceGroupID: 0,
        ServiceGroupName: groupName,
      });
      if (info.ServiceGroupID === undefined) {
        this.options.logger.warn(
          { groupName },
          'the Chat Service does not say which group a name is: ServiceGroupIDsToReject cannot check it',
        );
      }
      return this.rejects(info.ServiceGroupID);
    } catch {
      // An unknown group or an unreachable service: RequestChat will say so itself.
      return false;
    }
  }

  private rejects(groupId: number | undefined): boolean {
    return groupId !== undefined && this.options.settings.ServiceGroupIDsToReject.includes(groupId);
  }
}
