import {
  builtInConfig,
  checkToolboxConfig,
  pageOnlyProperties,
  pageOriginToken,
  type ConfigName,
  type ToolboxConfig,
} from '../../server/customer-chat/gateway/toolbox-boot';
import { runHook, type ChatToolboxNamespace } from './namespace';
import type { ChatRequest } from './socket-client';

/**
 * Mitel.ChatToolbox.Config, merged in order: built-in defaults ← the admin's toolbox.config.js ←
 * what the page set before the toolbox ran ← customizePage; and for each chat, customizeRequest,
 * which may not change the page-only properties.
 */
export function pageConfig(
  namespace: ChatToolboxNamespace,
  adminDefaults: Partial<ToolboxConfig>,
): ToolboxConfig {
  fillConfig(namespace, adminDefaults);
  runHook(namespace, 'customizePage');
  return readConfig(namespace, { ...builtInConfig, ...adminDefaults });
}

/**
 * Gives Mitel.ChatToolbox.Config every property the page has not set, so page scripts can read
 * the defaults; the values the page set (before or after the toolbox loaded) stay as they are.
 */
export function fillConfig(
  namespace: ChatToolboxNamespace,
  adminDefaults: Partial<ToolboxConfig>,
): void {
  const base = { ...builtInConfig, ...adminDefaults };
  const values = isRecord(namespace.Config) ? namespace.Config : {};
  for (const name of Object.keys(base) as ConfigName[]) {
    // A copy, so a page that pushes to a list does not change the defaults of the next read.
    if (!(name in values)) values[name] = copy(base[name]);
  }
  namespace.Config = values;
}

/** The values for one chat request; `entries` are the visitor's answers on the pre-chat page. */
export function requestConfig(
  namespace: ChatToolboxNamespace,
  page: ToolboxConfig,
  entries: Partial<ToolboxConfig>,
): ToolboxConfig {
  namespace.Config = { ...(isRecord(namespace.Config) ? namespace.Config : {}), ...entries };
  runHook(namespace, 'customizeRequest');
  const request = readConfig(namespace, page);
  const values = namespace.Config as Record<string, unknown>;
  for (const name of pageOnlyProperties) {
    if (JSON.stringify(request[name]) === JSON.stringify(page[name])) continue;
    console.warn(`Mitel.ChatToolbox.Config.${name} cannot change in customizeRequest: ignored.`);
    values[name] = copy(page[name]);
    (request as unknown as Record<string, unknown>)[name] = page[name];
  }
  return request;
}

/** The page's values over `base`; a wrong one is reported and the base value kept. */
function readConfig(namespace: ChatToolboxNamespace, base: ToolboxConfig): ToolboxConfig {
  const { config, problems } = checkToolboxConfig(
    isRecord(namespace.Config) ? namespace.Config : {},
  );
  for (const { name, reason } of problems)
    console.warn(`Mitel.ChatToolbox.Config.${name} ${reason}: ignored.`);
  return { ...base, ...config };
}

/** The one origin allowed to post messages to the toolbox (either spelling of the property). */
export function postedMessageOrigin(config: ToolboxConfig, pageOrigin: string): string {
  const origin = config.PostedMessagesAllowedOrigin || config.PostedMessageAllowedOrigin;
  return origin === '' || origin === pageOriginToken ? pageOrigin : origin;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const copy = <T>(value: T): T => (Array.isArray(value) ? ([...value] as T) : value);

/** What a chat request carries: Config as customizeRequest left it, blanks left out. */
export function chatRequestOf(config: ToolboxConfig): ChatRequest {
  const text = (value: string) => value.trim() || undefined;
  return {
    tenantId: config.TenantID,
    serviceGroupId: config.ServiceGroupID || undefined,
    serviceGroupName: text(config.ServiceGroupName),
    customerName: text(config.CustomerName),
    customerId: text(config.CustomerID),
    customerIdHash: text(config.CustomerIDHash),
    email: text(config.CustomerEmail),
    phone: text(config.CustomerPhone),
    sessionId: text(config.SessionID),
    privateData: text(config.PrivateData),
    initialMessage: text(config.InitialMessage),
    initialMessageToAgent: text(config.InitialMessageToAgent),
    // Minutes from UTC to local time, as RequestChat's TimeZoneOffset counts them.
    timeZoneOffset: -new Date().getTimezoneOffset(),
  };
}
