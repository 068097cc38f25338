import type { Logger } from '../../shared/logger';
import type { LeaveMessagePayload } from '../gateway/socket-contract';
import { replyForError } from '../relay/relay-errors';
import type { Reply } from '../session/visitor-events';
import type { ChatServiceClient } from '../upstream/chat-service-client';

/**
 * A visitor's "leave a message" form, relayed to the Chat Service's LeaveMessage. The visitor is
 * told it arrived, not whether it was mailed: the service keeps it either way.
 */
export async function leaveOfflineMessage(
  client: Pick<ChatServiceClient, 'leaveMessage'>,
  payload: LeaveMessagePayload,
  logger: Logger,
): Promise<Reply> {
  try {
    const answer = await client.leaveMessage({
      TenantID: payload.tenantId,
      ServiceGroupID: payload.serviceGroupId ?? 0,
      ServiceGroupName: payload.serviceGroupName ?? null,
      CustomerName: payload.name,
      EmailAddress: payload.email,
      Message: payload.message,
    });
    logger.info({ messageId: answer.MessageID, mailed: answer.Mailed }, 'offline message left');
    return { ok: true };
  } catch (error) {
    return replyForError(error, logger, { serviceGroupId: payload.serviceGroupId });
  }
}
