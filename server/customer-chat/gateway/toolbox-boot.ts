/**
 * What the server hands the toolbox script along with it, so the page needs no second round trip:
 * the strings of the visitor's culture, the admin's defaults (toolbox.config.js) and where
 * CustomerChat lives. Plain types and data with no imports: the browser bundle shares this file.
 */

export const toolboxPositions = [
  'top-left',
  'top-right',
  'bottom-left',
  'bottom-right',
  'center-left',
  'center-right',
] as const;
export type ToolboxPosition = (typeof toolboxPositions)[number];

export const colorSchemes = ['light', 'dark', 'system'] as const;
export type ColorScheme = (typeof colorSchemes)[number];

/** AccentColor as the toolbox takes it: #rgb or #rrggbb. */
const accentColorPattern = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** Mitel.ChatToolbox.Config: every property of the specification, plus Language. */
export interface ToolboxConfig {
  ToolboxAvailable: boolean;
  ShowWhenUnavailable: boolean;
  /** Seconds between two polls of the group's availability and estimated wait. */
  StatePollInterval: number;
  ShowEstimatedWaitTime: boolean;
  SessionID: string;
  CustomerName: string;
  CustomerID: string;
  /** Beyond the specification: hex HMAC-SHA256 of CustomerID under IdentityVerificationSecret. */
  CustomerIDHash: string;
  CustomerEmail: string;
  CustomerPhone: string;
  InitialMessage: string;
  TenantID: number;
  /** 0: not set (ServiceGroupName is used). */
  ServiceGroupID: number;
  ServiceGroupName: string;
  PrivateData: string;
  HideAgentName: boolean;
  ShowPostChat: boolean;
  /** Seconds after the end of a chat before the post-chat page shows by itself; 0: never. */
  TimeoutAfterConversation: number;
  ToolboxPosition: ToolboxPosition;
  IdleTimeout: number;
  WarningBeforeIdleTimeout: number;
  AllowMovingChatCard: boolean;
  InitialMessageToAgent: string;
  /** "window.location.origin" (or ""): the page's own origin. */
  PostedMessageAllowedOrigin: string;
  /** The specification's other spelling of PostedMessageAllowedOrigin; wins when set. */
  PostedMessagesAllowedOrigin: string;
  /** The lesser of this and the Chat Service's applies; 0: the Chat Service's alone. */
  MaxMessageLength: number;
  /** KB; the lesser of this and the Chat Service's applies; 0: the visitor sends no files. */
  MaxAttachmentSize: number;
  AllowedAttachmentTypes: string[];
  RestrictedAttachmentTypes: string[];
  /** Beyond the specification: the culture of the texts, before the browser's languages. */
  Language: string;
  /** Beyond the specification: a closed group offers a form to leave a message instead. */
  OfflineMessages: boolean;
  /** Beyond the specification: the post-chat page asks for a rating (1 to 5, a comment). */
  AskForRating: boolean;
  /** Beyond the specification: #rrggbb or #rgb of the tab, header and buttons; '': the default. */
  AccentColor: string;
  /** Beyond the specification: light, dark, or system (the visitor's own setting). */
  ColorScheme: ColorScheme;
}

export const pageOriginToken = 'window.location.origin';

/** The built-in defaults: the specification's, where it gives one. */
export const builtInConfig: Readonly<ToolboxConfig> = {
  ToolboxAvailable: true,
  ShowWhenUnavailable: true,
  StatePollInterval: 20,
  ShowEstimatedWaitTime: true,
  SessionID: '',
  CustomerName: 'Customer',
  CustomerID: '',
  CustomerIDHash: '',
  CustomerEmail: '',
  CustomerPhone: '',
  InitialMessage: '',
  TenantID: -1,
  ServiceGroupID: 0,
  ServiceGroupName: '',
  PrivateData: '',
  HideAgentName: false,
  ShowPostChat: true,
  TimeoutAfterConversation: 0,
  ToolboxPosition: 'center-right',
  IdleTimeout: 300,
  WarningBeforeIdleTimeout: 60,
  AllowMovingChatCard: true,
  InitialMessageToAgent: '',
  PostedMessageAllowedOrigin: pageOriginToken,
  PostedMessagesAllowedOrigin: '',
  MaxMessageLength: 0,
  MaxAttachmentSize: 5120,
  AllowedAttachmentTypes: [],
  RestrictedAttachmentTypes: [],
  Language: '',
  OfflineMessages: true,
  AskForRating: true,
  AccentColor: '',
  ColorScheme: 'light',
};

export type ConfigName = keyof ToolboxConfig;

/**
 * Properties that belong to the page, not to one chat request: the specification forbids changing
 * the first four in customizeRequest, and availability is polled for the tenant and group before
 * any request, so a request may not move to another group either.
 */
export const pageOnlyProperties: readonly ConfigName[] = [
  'ToolboxAvailable',
  'ShowWhenUnavailable',
  'StatePollInterval',
  'MaxMessageLength',
  'TenantID',
  'ServiceGroupID',
  'ServiceGroupName',
  'Language',
];

export interface ConfigProblem {
  name: string;
  reason: string;
}

/**
 * Checks values set by an admin file or a page against the built-in defaults' types. Type lists
 * may also be given as a JSON array in a string, as the specification writes them. Unknown names
 * and wrong types are reported and left out.
 */
export function checkToolboxConfig(values: Readonly<Record<string, unknown>>): {
  config: Partial<ToolboxConfig>;
  problems: ConfigProblem[];
} {
  const config: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (!(name in builtInConfig)) {
      problems.push({ name, reason: 'is not a Mitel.ChatToolbox.Config property' });
      continue;
    }
    const checked = checkValue(name as ConfigName, value);
    if (typeof checked === 'string') problems.push({ name, reason: checked });
    else config[name] = checked.value;
  }
  return { config: config as Partial<ToolboxConfig>, problems };
}

function checkValue(name: ConfigName, value: unknown): { value: unknown } | string {
  const fallback = builtInConfig[name];
  if (name === 'ToolboxPosition')
    return toolboxPositions.includes(value as ToolboxPosition)
      ? { value }
      : `must be one of ${toolboxPositions.join(', ')}`;
  if (name === 'ColorScheme')
    return colorSchemes.includes(value as ColorScheme)
      ? { value }
      : `must be one of ${colorSchemes.join(', ')}`;
  if (name === 'AccentColor')
    return typeof value === 'string' && (value === '' || accentColorPattern.test(value))
      ? { value }
      : 'must be a colour as #rrggbb or #rgb';
  if (Array.isArray(fallback)) {
    const list = typeof value === 'string' ? parseList(value) : value;
    return Array.isArray(list) && list.every((item) => typeof item === 'string')
      ? { value: list.map((item: string) => item.replace(/^\./, '').toLowerCase()) }
      : 'must be a list of file extensions, e.g. ["jpg", "pdf"]';
  }
  if (typeof fallback === 'number')
    return typeof value === 'number' &&
      Number.isFinite(value) &&
      (value >= 0 || name === 'TenantID')
      ? { value }
      : 'must be a number, 0 or more';
  if (typeof value !== typeof fallback) return `must be a ${typeof fallback}`;
  return { value };
}

function parseList(text: string): unknown {
  if (text.trim() === '') return [];
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The texts of one culture, as the boot data and the Strings route carry them. */
export interface ToolboxStrings {
  /** '' for the neutral texts. */
  culture: string;
  rightToLeft: boolean;
  strings: Readonly<Record<string, string>>;
}

export interface ToolboxBoot extends ToolboxStrings {
  /** Absolute origin of CustomerChat, e.g. https://chat.example.com. */
  origin: string;
  /** The admin's defaults for every page (toolbox.config.js), already checked. */
  defaults: Partial<ToolboxConfig>;
  /** False with IgnoreCustomerDetails: name, e-mail and phone would be dropped, so none is asked. */
  asksCustomerDetails: boolean;
  /** How long CustomerChat keeps trying to deliver a message (upstreamSendRetrySeconds). */
  sendWindowSeconds: number;
}

/** Texts only agents see: CustomerChat sends them, the toolbox never shows them. */
export const agentOnlyTexts: readonly string[] = [
  'CustomerBack',
  'CustomerBackReceivedMessage',
  'CustomerLeft',
  'CustomerLeftAutoSend',
  'CustomerLeftClosing',
];
