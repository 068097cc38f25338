import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { TranscriptRequest, TranscriptSender } from '../domain/agent-desk';
import { transcriptText } from './transcript-text';

/**
 * Writes each transcript e-mail as an .eml file in a folder, for a service with no SMTP server:
 * an administrator can open or forward them with any mail program.
 */
export function emlOutboxSender(
  folder: string,
  senderFor: (groupId: number) => string,
): TranscriptSender {
  const transport = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
  });
  return async ({ chat, agent, to }: TranscriptRequest) => {
    const info = await transport.sendMail({
      from: senderFor(chat.ServiceGroupID),
      to,
      subject: `Chat conversation with ${agent.chatName}`,
      text: transcriptText(chat),
    });
    await mkdir(folder, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    await writeFile(join(folder, `${stamp}-${chat.ChatID}.eml`), info.message as Buffer);
  };
}
