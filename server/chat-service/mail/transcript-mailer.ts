import type { ChatServiceConfig } from '../../config/chat-service-config';
import { ServiceFault } from '../../protocol/faults';
import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { TranscriptRequest, TranscriptSender } from '../domain/agent-desk';
import { mailTransport, type MailTransport, type OutgoingMail } from './mail-transports';
import { conversationHtml, conversationText } from './transcript-conversation';
import { fieldValues, shortTime } from './transcript-identifiers';
import { renderTemplate } from './transcript-template';
import { loadTranscriptTemplates, type TranscriptTemplates } from './transcript-templates';

export interface TranscriptMailerOptions {
  config: ChatServiceConfig;
  /** Folder the config file is in: Template and OutboxFolder are relative to it. */
  configDir: string;
  clock: Clock;
  logger: Logger;
}

/**
 * Sends transcripts: over SMTP when `Smtp` is configured, otherwise as .eml files in OutboxFolder.
 * Construction reads and checks every template (TranscriptTemplateError stops start-up), so a mail
 * is always made of templates already parsed: no identifier can be left half-replaced.
 */
export class TranscriptMailer {
  private readonly templates: TranscriptTemplates;
  private readonly transport: MailTransport;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor({ config, configDir, clock, logger }: TranscriptMailerOptions) {
    this.templates = loadTranscriptTemplates(config.ServiceGroups, config.Agents, configDir);
    this.transport = mailTransport(config, configDir, logger);
    this.clock = clock;
    this.logger = logger;
  }

  /** The AgentDesk's TranscriptSender. */
  readonly send: TranscriptSender = async (request) => {
    await this.transport.deliver(this.compose(request));
    this.logger.info(
      { chatId: request.chat.ChatID, agentId: request.agent.id },
      'transcript mail sent',
    );
  };

  private compose({ chat, agent, to }: TranscriptRequest): OutgoingMail {
    const group = this.templates.groups.get(chat.ServiceGroupID);
    if (group === undefined)
      throw new ServiceFault(
        'Forbidden',
        `${chat.ServiceGroupName} has no transcript sender address.`,
      );
    const now = this.clock.now();
    const fields = fieldValues({ chat, agent: agent.config, groupEmail: group.groupEmail, now });
    const time = shortTime(agent.config.Locale);
    const html =
      group.body.format === 'html'
        ? renderTemplate(group.body, fields, conversationHtml(chat, time))
        : undefined;
    // An HTML mail's text alternative is the default body: the same conversation, as plain lines.
    const textTemplate = html === undefined ? group.body : this.templates.textBody;
    return {
      from: group.sender,
      to,
      // A header is one line, whatever line breaks a customer's name brought along.
      subject: renderTemplate(group.subject, fields, '')
        .replace(/\s*[\r\n]+\s*/g, ' ')
        .trim(),
      text: renderTemplate(textTemplate, fields, conversationText(chat, time)),
      html,
      date: new Date(now),
      chatId: chat.ChatID,
    };
  }
}
