import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { AgentConfig, ServiceGroupConfig } from '../../config/chat-service-config';
import { ConfigError } from '../../config/load-config-file';
import { parseTemplate, type TemplateFormat, type TranscriptTemplate } from './transcript-template';

/** Used when a group's Subject is blank. */
export const defaultSubject = 'Chat conversation with $Agent.ChatName$';

/** Used when a group has no Template, and as the text alternative of an HTML template. */
export const defaultBody =
  'Your chat with $Agent.ChatName$ of $ServiceGroup$, $Received$.\n\n$Transcript$\n';

/**
 * A template or subject that cannot be used: start-up stops, naming the file, line and text. A
 * ConfigError, so the start scripts print it as they print any other configuration problem.
 */
export class TranscriptTemplateError extends ConfigError {}

/** What one service group's transcript e-mails are made of, checked at start-up. */
export interface GroupTranscript {
  sender: string;
  groupEmail: string;
  subject: TranscriptTemplate;
  body: TranscriptTemplate;
}

export interface TranscriptTemplates {
  /** The groups with a sender address; the others offer no transcript. */
  groups: ReadonlyMap<number, GroupTranscript>;
  /** The default body, the text alternative of HTML mails. */
  textBody: TranscriptTemplate;
}

const formats: Record<string, TemplateFormat> = { '.txt': 'text', '.htm': 'html', '.html': 'html' };

/**
 * Reads and checks every group's subject and template, and every agent's Locale, once at start-up:
 * a broken one stops the service with every problem listed, rather than surfacing when an agent
 * sends a transcript. Edits to a template file are picked up by the next start.
 */
export function loadTranscriptTemplates(
  groups: readonly ServiceGroupConfig[],
  agents: readonly AgentConfig[],
  configDir: string,
): TranscriptTemplates {
  const problems: string[] = [];
  const parse = (text: string, format: TemplateFormat, where: string, allowTranscript: boolean) => {
    const result = parseTemplate(text, format, { allowTranscript });
    if (result.ok) return result.template;
    for (const problem of result.problems)
      problems.push(`${where} line ${problem.line}: ${problem.message}`);
    return undefined;
  };
  const textBody = parse(defaultBody, 'text', 'the default body', true);
  const loaded = new Map<number, GroupTranscript>();
  groups.forEach((group, index) => {
    const key = `ServiceGroups.${index}.Transcript`;
    const settings = group.Transcript;
    const subjectText = settings.Subject.trim() === '' ? defaultSubject : settings.Subject;
    const subject = parse(subjectText, 'text', `${key}.Subject (${group.Name})`, false);
    const body =
      settings.Template.trim() === ''
        ? textBody
        : readTemplate(resolve(configDir, settings.Template), `${key}.Template (${group.Name})`);
    if (settings.SenderAddress && subject !== undefined && body !== undefined) {
      loaded.set(group.ServiceGroupID, {
        sender: settings.SenderAddress,
        groupEmail: group.Email ?? '',
        subject,
        body,
      });
    }
  });
  agents.forEach((agent, index) => {
    if (!isLocale(agent.Locale))
      problems.push(
        `Agents.${index}.Locale (${agent.AgentID}): "${agent.Locale}" is not a locale such as en-US`,
      );
  });
  if (problems.length > 0 || textBody === undefined) {
    throw new TranscriptTemplateError(
      `Transcript settings cannot be used:\n${problems.map((problem) => `  ${problem}`).join('\n')}`,
    );
  }
  return { groups: loaded, textBody };

  function readTemplate(file: string, key: string): TranscriptTemplate | undefined {
    const format = formats[extname(file).toLowerCase()];
    if (format === undefined) {
      problems.push(`${key}: ${file} is not a .txt, .htm or .html file`);
      return undefined;
    }
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      problems.push(`${key}: ${file} cannot be read (${(error as Error).message})`);
      return undefined;
    }
    // Windows editors often start UTF-8 files with a byte-order mark; it is not content.
    return parse(text.replace(/^\uFEFF/, ''), format, `${key}: ${file}`, true);
  }
}

function isLocale(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}
