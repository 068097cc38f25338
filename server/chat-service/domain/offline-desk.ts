import type { ServiceGroupConfig } from '../../config/chat-service-config';
import type { LeaveMessageRequest } from '../../protocol/customer-api';
import type { LeaveMessageResponse } from '../../protocol/customer-responses';
import { ServiceFault } from '../../protocol/faults';
import { RateLimiter } from '../../shared/rate-limiter';
import type { OfflineMessage } from '../archive/chat-archive';
import type { ContactCenter } from './contact-center';

/** Mails an offline message to its group; false when the group has no address to mail. */
export type OfflineMessageSender = (
  message: OfflineMessage,
  group: ServiceGroupConfig,
) => Promise<boolean>;

export interface OfflineDeskOptions {
  center: ContactCenter;
  send: OfflineMessageSender;
  newMessageId: () => string;
}

/**
 * The LeaveMessage extension: a customer who finds the group closed leaves a message. It is kept
 * in the archive before anything else, so a mail server that is down loses nothing.
 */
export class OfflineDesk {
  private readonly limiter: RateLimiter;

  constructor(private readonly options: OfflineDeskOptions) {
    const { center } = options;
    // A message left costs what a chat request costs, from the same allowance per address.
    this.limiter = new RateLimiter(center.time, center.config.RateLimits.RequestChatPerMinute);
  }

  async leaveMessage(
    request: LeaveMessageRequest,
    clientAddress: string,
  ): Promise<LeaveMessageResponse> {
    const { center } = this.options;
    const group = center.findGroup(request.ServiceGroupID, request.ServiceGroupName);
    const tenantId = request.TenantID ?? -1;
    if (tenantId !== group.config.TenantID)
      throw new ServiceFault(
        'TenantMismatch',
        `Service group ${group.id} does not belong to tenant ${tenantId}.`,
      );
    if ([...request.Message].length > center.config.MaxMessageLength)
      throw new ServiceFault(
        'MessageTooLong',
        `The message is longer than the ${center.config.MaxMessageLength} characters allowed.`,
      );
    const { RateLimits } = center.config;
    if (!RateLimits.ExemptAddresses.includes(clientAddress) && !this.limiter.tryTake(clientAddress))
      throw new ServiceFault('RateLimited', 'Too many messages from this address; try later.');
    const message: OfflineMessage = {
      MessageID: this.options.newMessageId(),
      TenantID: tenantId,
      ServiceGroupID: group.id,
      ServiceGroupName: group.config.Name,
      CustomerName: request.CustomerName,
      EmailAddress: request.EmailAddress,
      Message: request.Message,
      LeftAt: new Date(center.time.now()).toISOString(),
    };
    center.archive.saveOfflineMessage(message);
    center.logger.info(
      { messageId: message.MessageID, serviceGroupId: group.id },
      'offline message left',
    );
    let mailed = false;
    try {
      mailed = await this.options.send(message, group.config);
    } catch (error) {
      center.logger.warn(
        { messageId: message.MessageID, err: error instanceof Error ? error.message : error },
        'offline message kept, but not mailed',
      );
    }
    return { MessageID: message.MessageID, Mailed: mailed };
  }
}
