import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import nodemailer from 'nodemailer';
import type { ChatServiceConfig } from '../../config/chat-service-config';
import { ServiceFault } from '../../protocol/faults';
import type { Logger } from '../../shared/logger';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  /** The HTML body of an HTML template; `text` is then its alternative. */
  html: string | undefined;
  /** Where a reply goes, when not to `from` (an offline message: the customer). */
  replyTo?: string;
  date: Date;
  /** The chat the mail belongs to, for logs and file names. */
  chatId: string;
}

export interface MailTransport {
  deliver(mail: OutgoingMail): Promise<void>;
}

export type SmtpSettings = NonNullable<ChatServiceConfig['Smtp']>;

/** SMTP when the config has a server, otherwise .eml files in OutboxFolder (relative to configDir). */
export function mailTransport(
  config: ChatServiceConfig,
  configDir: string,
  logger: Logger,
): MailTransport {
  return config.Smtp
    ? smtpTransport(config.Smtp, logger)
    : emlOutboxTransport(resolve(configDir, config.OutboxFolder));
}

function message({ chatId: _chatId, ...fields }: OutgoingMail) {
  return fields;
}

/** Long enough for a slow server, short enough that the agent is not left waiting minutes. */
const connectionTimeoutMs = 10_000;
const socketTimeoutMs = 30_000;

/** One connection a mail: transcripts are rare, and nothing stays open between them. */
export function smtpTransport(smtp: SmtpSettings, logger: Logger): MailTransport {
  const transport = nodemailer.createTransport({
    host: smtp.Host,
    port: smtp.Port,
    secure: smtp.Secure,
    auth: smtp.User ? { user: smtp.User, pass: smtp.Password ?? '' } : undefined,
    connectionTimeout: connectionTimeoutMs,
    greetingTimeout: connectionTimeoutMs,
    socketTimeout: socketTimeoutMs,
  });
  return {
    async deliver(mail) {
      try {
        await transport.sendMail(message(mail));
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        logger.error(
          { err: error, chatId: mail.chatId, host: smtp.Host, port: smtp.Port },
          'transcript mail not sent',
        );
        throw new ServiceFault('Internal', smtpFailure(typeof code === 'string' ? code : ''));
      }
    },
  };
}

/** What the agent is told; the server's own words and the details go to the log only. */
function smtpFailure(code: string): string {
  switch (code) {
    case 'ECONNECTION':
    case 'ETIMEDOUT':
    case 'ESOCKET':
    case 'EDNS':
      return 'The mail server could not be reached; the transcript was not sent.';
    case 'ETLS':
      return 'No secure connection to the mail server could be made (see Smtp.Secure); the transcript was not sent.';
    case 'EAUTH':
    case 'ENOAUTH':
      return "The mail server refused the service's log-in (Smtp.User, Smtp.Password); the transcript was not sent.";
    case 'EENVELOPE':
      return 'The mail server refused the sender or recipient address; the transcript was not sent.';
    default:
      return 'The mail server did not accept the transcript; it was not sent.';
  }
}

/**
 * Writes each mail as an .eml file, for a service with no SMTP server: an administrator can open
 * or forward them with any mail program. Names sort by time and never overwrite one another.
 */
export function emlOutboxTransport(folder: string): MailTransport {
  const transport = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
  });
  let written = 0;
  return {
    async deliver(mail) {
      const info = await transport.sendMail(message(mail));
      await mkdir(folder, { recursive: true });
      written += 1;
      const stamp = mail.date.toISOString().replace(/[:.]/g, '-');
      const file = join(folder, `${stamp}-${written}-${mail.chatId}.eml`);
      await writeFile(file, info.message as Buffer, { flag: 'wx' });
    },
  };
}
