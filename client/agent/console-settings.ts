import { fileExtension } from '../../server/shared/attachment-policy';

/**
 * What the Chat Service tells its console with the page (the `data-settings` of #app): the
 * attachment limits of chatservice.config.json, so the agent is offered only what the service
 * takes, and whether the details panel shows PrivateData (ShowPrivateDataInConsole).
 */
export interface ConsoleSettings {
  /** The details panel shows the chat's PrivateData; off by default, as it is for integrations. */
  showPrivateData: boolean;
  /** MaxAttachmentSize in bytes; 0: agents send no files, so none is offered. */
  maxAttachmentBytes: number;
  /** Extensions, lower-case without dots; when any, only these are sent. */
  allowedAttachmentTypes: string[];
  /** Extensions refused while allowedAttachmentTypes is empty. */
  restrictedAttachmentTypes: string[];
}

/**
 * Unreadable settings (a page of an older service) hide PrivateData and offer files without
 * checking them here: the service still refuses what it does not take.
 */
export const fallbackSettings: ConsoleSettings = {
  showPrivateData: false,
  maxAttachmentBytes: Number.MAX_SAFE_INTEGER,
  allowedAttachmentTypes: [],
  restrictedAttachmentTypes: [],
};

export function readConsoleSettings(json: string | undefined): ConsoleSettings {
  let value: unknown;
  try {
    value = JSON.parse(json ?? '');
  } catch {
    console.warn('agent console: no settings with the page; the defaults apply');
    return fallbackSettings;
  }
  if (!isSettings(value)) {
    console.warn('agent console: the page settings are malformed; the defaults apply');
    return fallbackSettings;
  }
  return value;
}

function isSettings(value: unknown): value is ConsoleSettings {
  if (typeof value !== 'object' || value === null) return false;
  const settings = value as Record<string, unknown>;
  const isList = (list: unknown) =>
    Array.isArray(list) && list.every((item) => typeof item === 'string');
  return (
    typeof settings['showPrivateData'] === 'boolean' &&
    typeof settings['maxAttachmentBytes'] === 'number' &&
    settings['maxAttachmentBytes'] >= 0 &&
    isList(settings['allowedAttachmentTypes']) &&
    isList(settings['restrictedAttachmentTypes'])
  );
}

/** What is wrong with a file for the service's limits, or undefined when it may be sent. */
export function fileProblem(
  name: string,
  size: number,
  settings: ConsoleSettings,
): { problem: 'size'; limitKb: number } | { problem: 'type'; extension: string } | undefined {
  const extension = fileExtension(name);
  const { allowedAttachmentTypes: allowed, restrictedAttachmentTypes: restricted } = settings;
  const refused =
    allowed.length > 0
      ? !allowed.includes(extension)
      : extension !== '' && restricted.includes(extension);
  if (refused) return { problem: 'type', extension };
  if (size > settings.maxAttachmentBytes)
    return { problem: 'size', limitKb: Math.floor(settings.maxAttachmentBytes / 1024) };
  return undefined;
}
