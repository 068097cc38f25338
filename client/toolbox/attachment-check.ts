import type { ChatConfiguration } from '../../server/customer-chat/gateway/socket-contract';
import type { ToolboxConfig } from '../../server/customer-chat/gateway/toolbox-boot';

/**
 * The attachment limits as the page sees them: the lesser of the page's and the Chat Service's.
 * Checked here so the visitor learns at once; CustomerChat checks again (and by content).
 */
export interface FileLimits {
  /** 0: the visitor sends no files. */
  maxBytes: number;
  pageAllowed: readonly string[];
  pageRestricted: readonly string[];
  serviceAllowed: readonly string[];
  serviceRestricted: readonly string[];
}

export type FileVerdict =
  | { ok: true }
  | { ok: false; problem: 'size'; limitKb: number }
  | { ok: false; problem: 'type'; extension: string };

type PageLimits = Pick<
  ToolboxConfig,
  'MaxAttachmentSize' | 'AllowedAttachmentTypes' | 'RestrictedAttachmentTypes'
>;

export function fileLimits(page: PageLimits, service: ChatConfiguration | undefined): FileLimits {
  const pageBytes = page.MaxAttachmentSize * 1024;
  return {
    maxBytes: service === undefined ? pageBytes : Math.min(pageBytes, service.maxAttachmentBytes),
    pageAllowed: page.AllowedAttachmentTypes,
    pageRestricted: page.RestrictedAttachmentTypes,
    serviceAllowed: lower(service?.allowedAttachmentTypes ?? []),
    serviceRestricted: lower(service?.restrictedAttachmentTypes ?? []),
  };
}

export function checkFile(name: string, size: number, limits: FileLimits): FileVerdict {
  const extension = fileExtension(name);
  if (!typeAllowed(extension, limits.pageAllowed, limits.pageRestricted))
    return { ok: false, problem: 'type', extension };
  if (!typeAllowed(extension, limits.serviceAllowed, limits.serviceRestricted))
    return { ok: false, problem: 'type', extension };
  if (size > limits.maxBytes)
    return { ok: false, problem: 'size', limitKb: Math.floor(limits.maxBytes / 1024) };
  return { ok: true };
}

/** As the specification says: the restricted list counts only when no allowed list is given. */
function typeAllowed(extension: string, allowed: readonly string[], restricted: readonly string[]) {
  return allowed.length > 0 ? allowed.includes(extension) : !restricted.includes(extension);
}

/** Lower-case, without the dot; trailing dots and spaces dropped as Windows does (as the server). */
export function fileExtension(name: string): string {
  let end = name.length;
  while (end > 0 && (name[end - 1] === '.' || name[end - 1] === ' ')) end -= 1;
  const saved = name.slice(0, end);
  const dot = saved.lastIndexOf('.');
  return dot < 0 ? '' : saved.slice(dot + 1).toLowerCase();
}

const lower = (list: readonly string[]) => list.map((item) => item.toLowerCase());
