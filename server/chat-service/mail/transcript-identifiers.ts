import type { AgentConfig } from '../../config/chat-service-config';
import type { ChatDetails } from '../../protocol/agent-api';

/** The replaceable identifiers of a transcript's subject and template, written `$Name$`. */
export const transcriptIdentifiers = [
  'Transcript',
  'Date',
  'Time',
  'Received',
  'Received.Date',
  'Received.Time',
  'ServiceGroup',
  'ServiceGroup.Name',
  'ServiceGroup.Email',
  'Agent',
  'Agent.Name',
  'Agent.FirstName',
  'Agent.LastName',
  'Agent.ChatName',
  'Customer',
  'Customer.Name',
  'Customer.Email',
  'Customer.Number',
] as const;

export type TranscriptIdentifier = (typeof transcriptIdentifiers)[number];

/** Every identifier but $Transcript$, whose value depends on the template's format. */
export type FieldIdentifier = Exclude<TranscriptIdentifier, 'Transcript'>;

/** A value for each field: a Record, so an identifier added to the list cannot go unreplaced. */
export type FieldValues = Record<FieldIdentifier, string>;

const byLowerCase = new Map<string, TranscriptIdentifier>(
  transcriptIdentifiers.map((identifier) => [identifier.toLowerCase(), identifier]),
);

/** Identifiers match whatever their case: `$agent.name$` is `$Agent.Name$`. */
export function findIdentifier(name: string): TranscriptIdentifier | undefined {
  return byLowerCase.get(name.toLowerCase());
}

export interface TranscriptFacts {
  chat: ChatDetails;
  agent: AgentConfig;
  /** The service group's own e-mail address, blank when it has none. */
  groupEmail: string;
  /** When the mail is sent, which is what the customer sees as received. */
  now: number;
}

/**
 * The values of the fields. Dates and times use the short formats of the agent's Locale in the
 * service's time zone (the process's, `TZ`): the mail is the agent's, sent from the service.
 */
export function fieldValues({ chat, agent, groupEmail, now }: TranscriptFacts): FieldValues {
  const date = new Intl.DateTimeFormat(agent.Locale, { dateStyle: 'short' }).format(now);
  const time = new Intl.DateTimeFormat(agent.Locale, { timeStyle: 'short' }).format(now);
  const received = new Intl.DateTimeFormat(agent.Locale, {
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(now);
  return {
    Date: date,
    Time: time,
    Received: received,
    'Received.Date': date,
    'Received.Time': time,
    ServiceGroup: chat.ServiceGroupName,
    'ServiceGroup.Name': chat.ServiceGroupName,
    'ServiceGroup.Email': groupEmail,
    Agent: agent.Name,
    'Agent.Name': agent.Name,
    'Agent.FirstName': agent.FirstName,
    'Agent.LastName': agent.LastName,
    'Agent.ChatName': agent.ChatName || agent.Name,
    Customer: chat.CustomerName,
    'Customer.Name': chat.CustomerName,
    'Customer.Email': chat.EmailAddress,
    'Customer.Number': chat.PhoneNumber,
  };
}

/** A short time of the agent's Locale, for the lines of the conversation. */
export function shortTime(locale: string): (at: number) => string {
  const format = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
  return (at) => format.format(at);
}
