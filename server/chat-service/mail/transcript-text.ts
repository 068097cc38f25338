import type { ChatDetails } from '../../protocol/agent-api';

/** The transcript as plain text, one line a message, for the default transcript e-mail. */
export function transcriptText(chat: ChatDetails): string {
  return chat.Transcript.filter((message) => !message.AgentOnly)
    .map((message) => {
      const time = message.TimeStamp.slice(11, 16);
      const who = message.From === 'System' ? '*' : message.Name || message.From;
      const text =
        message.Attachment === null
          ? message.Message
          : `[${message.Attachment.FileName}, ${message.Attachment.Size} bytes]`;
      return `[${time}] ${who}: ${text}`;
    })
    .join('\n');
}
