import type { ChatDetails } from '../../protocol/agent-api';
import { escapeHtml } from './transcript-template';

interface ConversationLine {
  time: string;
  sender: string;
  text: string;
}

/** What the customer saw: notices meant for the agent only are left out. */
function conversationLines(chat: ChatDetails, formatTime: (at: number) => string) {
  return chat.Transcript.filter((message) => !message.AgentOnly).map(
    (message): ConversationLine => ({
      time: formatTime(Date.parse(message.TimeStamp)),
      sender: message.From === 'System' ? '*' : message.Name || message.From,
      text:
        message.Attachment === null
          ? message.Message
          : `[${message.Attachment.FileName}, ${message.Attachment.Size} bytes]`,
    }),
  );
}

/** `$Transcript$` in a text template: one line a message, `[time] sender: text`. */
export function conversationText(chat: ChatDetails, formatTime: (at: number) => string): string {
  return conversationLines(chat, formatTime)
    .map((line) => `[${line.time}] ${line.sender}: ${line.text}`)
    .join('\n');
}

/**
 * `$Transcript$` in an HTML template: a paragraph a message, every text escaped, with classes a
 * template's stylesheet can address.
 */
export function conversationHtml(chat: ChatDetails, formatTime: (at: number) => string): string {
  const paragraphs = conversationLines(chat, formatTime).map(
    (line) =>
      `<p class="message"><span class="time">[${escapeHtml(line.time)}]</span> ` +
      `<strong class="sender">${escapeHtml(line.sender)}:</strong> ` +
      `<span class="text">${escapeHtml(line.text).replace(/\r?\n/g, '<br>')}</span></p>`,
  );
  return `<div class="transcript">\n${paragraphs.join('\n')}\n</div>`;
}
