import type { ServiceGroupConfig } from '../../config/chat-service-config';
import type { OfflineMessage } from '../archive/chat-archive';
import type { OfflineMessageSender } from '../domain/offline-desk';
import type { MailTransport } from './mail-transports';

/**
 * Mails a message left for a closed group to the group's Email, from its transcript sender (or
 * the group's own address), with the customer as Reply-To so the agent's answer goes to them.
 * A group without an Email gets no mail: the message waits in the archive.
 */
export function offlineMessageMailer(transport: MailTransport): OfflineMessageSender {
  return async (message: OfflineMessage, group: ServiceGroupConfig) => {
    const to = group.Email;
    if (to == null || to === '') return false;
    // One line: a header cannot carry the line breaks a name may bring.
    const name = message.CustomerName.replace(/\s+/g, ' ').trim();
    await transport.deliver({
      from: group.Transcript.SenderAddress ?? to,
      to,
      replyTo: message.EmailAddress,
      subject: `Message from ${name} for ${group.Name}`,
      text: [
        `${name} <${message.EmailAddress}> left this message for ${group.Name} at ${message.LeftAt}:`,
        '',
        message.Message,
        '',
      ].join('\n'),
      html: undefined,
      date: new Date(Date.parse(message.LeftAt)),
      chatId: `offline-${message.MessageID}`,
    });
    return true;
  };
}
