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
  /** `reason`: absent when the agent simply left (the chat then ends). */
  | { type: 'agentLeft'; name: string; reason?: AgentLeftReason }
  | {
      type: 'message';
      from: MessageSender;
      name: string;
      text: string;
      at: number;
      clientMessageId?: string;
      attachment?: AttachmentRef;
    }
  /** `by`: absent when the service did not say (a plain Chat Service, or an unknown reason). */
  | { type: 'ended'; cause: 'general' | 'groupClosed'; by?: EndReason };

/** Why the agent went: the chat was transferred, or handed on to the next free agent. */
export type AgentLeftReason = 'transferred' | 'handedOn';

/**
 * Who or what ended the chat: the visitor closed it, its idle timeout (the page's or the
 * service's), the visitor stayed away past the grace period, the agent, the group closed, or the
 * service itself stopped.
 */
export type EndReason = 'visitor' | 'idle' | 'gone' | 'agent' | 'groupClosed' | 'service';

export type LoggedEvent = ConversationEvent & { seq: number };

export type ErrorCode =
  | 'BadRequest'
  | 'RequestRejected'
  | 'IdentityNotVerified'
  | 'ServiceUnavailable'
  | 'AtCapacity'
  | 'UnknownSession'
  | 'ChatEnded'
  | 'AlreadyRated'
  | 'RatingWindowClosed'
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
