import { ServiceFault, type FaultCode } from '../../protocol/faults';
import type { Logger } from '../../shared/logger';
import type { ErrorCode, ErrorReply } from '../session/visitor-events';
import { StoreUnavailableError } from '../store/store-unavailable';
import { UpstreamUnavailableError } from '../upstream/chat-service-client';

/** Fault codes of the Chat Service a visitor may be told as they are; others become Internal. */
const passedOn: Partial<Record<FaultCode, ErrorCode>> = {
  BadRequest: 'BadRequest',
  MessageTooLong: 'MessageTooLong',
  AttachmentTooLarge: 'AttachmentTooLarge',
  AttachmentTypeNotAllowed: 'AttachmentTypeNotAllowed',
  AttachmentContentMismatch: 'AttachmentContentMismatch',
  UnknownServiceGroup: 'UnknownServiceGroup',
  TenantMismatch: 'TenantMismatch',
  RateLimited: 'RateLimited',
  ChatTerminated: 'ChatEnded',
  UnknownChat: 'ChatEnded',
  AlreadyRated: 'AlreadyRated',
  RatingWindowClosed: 'RatingWindowClosed',
};

export function errorReply(code: ErrorCode, message: string): ErrorReply {
  return { ok: false, error: { code, message } };
}

/** The one place an error on the way to the Chat Service becomes what the visitor is told. */
export function replyForError(error: unknown, logger: Logger, context: object): ErrorReply {
  if (error instanceof ServiceFault) {
    const code = passedOn[error.code];
    if (code !== undefined) return errorReply(code, error.message);
    logger.warn({ ...context, fault: error.code }, 'chat service refused a request');
    return errorReply('Internal', 'The chat service could not do that.');
  }
  if (error instanceof UpstreamUnavailableError) {
    logger.warn({ ...context, err: error.message }, 'chat service unavailable');
    return errorReply(
      'ServiceUnavailable',
      'The chat service cannot be reached right now; try again shortly.',
    );
  }
  if (error instanceof StoreUnavailableError) {
    logger.warn({ ...context, err: error.message }, 'session store unavailable');
    return errorReply(
      'ServiceUnavailable',
      'The chat is unavailable for now; try again in a moment.',
    );
  }
  logger.error({ ...context, err: error }, 'relay failed');
  return errorReply('Internal', 'Something went wrong; try again.');
}
