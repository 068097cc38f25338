/**
 * What a visitor's page is told about its chat. Plain types with no imports: the toolbox bundle
 * shares them. Events that make up the conversation carry a `seq` (1, 2, 3 … per chat) so a page
 * that comes back asks for what it has not seen, and nothing is shown twice.
 */

export interface AttachmentRef {
  id: string;
  name: string;
  size: number;
}

export type MessageSender = 'agent' | 'visitor' | 'system';

export type ConversationEvent =
  | { type: 'queued'; position: number; estimatedWaitSeconds: number }
  | { type: 'agentJoined'; name: string }
  | { type: 'agentLeft'; name: string }
  | {
      type: 'message';
      from: MessageSender;
      name: string;
      text: string;
      at: number;
      clientMessageId?: string;
      attachment?: AttachmentRef;
    }
  | { type: 'ended'; cause: 'general' | 'groupClosed' };

export type LoggedEvent = ConversationEvent & { seq: number };

export type ErrorCode =
  | 'BadRequest'
  | 'RequestRejected'
  | 'IdentityNotVerified'
  | 'ServiceUnavailable'
  | 'AtCapacity'
  | 'UnknownSession'
  | 'ChatEnded'
  | 'RateLimited'
  | 'MessageTooLong'
  | 'AttachmentTooLarge'
  | 'AttachmentTypeNotAllowed'
  | 'AttachmentContentMismatch'
  | 'UnknownServiceGroup'
  | 'TenantMismatch'
  | 'Internal';

export interface ErrorReply {
  ok: false;
  error: { code: ErrorCode; message: string };
}

export type Reply<T extends object = object> = ({ ok: true } & T) | ErrorReply;
