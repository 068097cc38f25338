import { checkAttachment, type AttachmentLimits } from '../../shared/attachment-policy';
import { decodeAttachment } from '../../protocol/attachment-encoding';
import type { ChatServiceConfig } from '../../config/chat-service-config';
import { ServiceFault } from '../../protocol/faults';
import type { Chat, StoredAttachment } from './chat';

export function attachmentLimits(config: ChatServiceConfig): AttachmentLimits {
  return {
    maxBytes: config.MaxAttachmentSize * 1024,
    allowedTypes: config.AllowedAttachmentTypes,
    restrictedTypes: config.RestrictedAttachmentTypes,
  };
}

/**
 * Checks a message from either side against the service's limits and turns it into what the
 * transcript stores. With an attachment, the text is the file's base name (as the specification
 * says) and the file is checked for size, extension and content.
 */
export function composeMessage(
  text: string | null | undefined,
  attachmentData: string | readonly number[] | null | undefined,
  config: ChatServiceConfig,
  chat: Chat,
): { message: string; attachment: StoredAttachment | null } {
  const message = text ?? '';
  if (attachmentData != null) {
    const data = decodeAttachment(attachmentData);
    checkAttachment(message, data, attachmentLimits(config));
    return {
      message,
      attachment: { id: chat.nextAttachmentId(), fileName: message, data },
    };
  }
  if (message.trim() === '') throw new ServiceFault('BadRequest', 'The message is empty.');
  // A character is one or two UTF-16 units: past twice the limit there is no need to count them.
  const length =
    message.length > config.MaxMessageLength * 2 ? message.length : codePoints(message);
  if (length > config.MaxMessageLength) {
    throw new ServiceFault(
      'MessageTooLong',
      `The message is longer than the ${config.MaxMessageLength} characters allowed.`,
    );
  }
  return { message, attachment: null };
}

/** Characters as a person counts them: a surrogate pair is one. */
function codePoints(text: string): number {
  let count = text.length;
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff) count -= 1;
  }
  return count;
}
