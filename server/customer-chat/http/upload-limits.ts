import {
  checkAttachmentParts,
  checkAttachmentName,
  type AttachmentLimits,
} from '../../shared/attachment-policy';
import type { ToolboxConfig } from '../gateway/toolbox-boot';

/** The site's limits (toolbox.config.js) beside the Chat Service's: a file must pass both. */
export interface UploadLimits {
  service: AttachmentLimits;
  site: AttachmentLimits | undefined;
}

/** The site's attachment settings as limits; undefined when the site sets none. */
export function siteLimits(
  defaults: Partial<
    Pick<
      ToolboxConfig,
      'MaxAttachmentSize' | 'AllowedAttachmentTypes' | 'RestrictedAttachmentTypes'
    >
  >,
): AttachmentLimits | undefined {
  const { MaxAttachmentSize, AllowedAttachmentTypes, RestrictedAttachmentTypes } = defaults;
  if (
    MaxAttachmentSize === undefined &&
    AllowedAttachmentTypes === undefined &&
    RestrictedAttachmentTypes === undefined
  )
    return undefined;
  return {
    maxBytes: MaxAttachmentSize === undefined ? Infinity : MaxAttachmentSize * 1024,
    allowedTypes: AllowedAttachmentTypes ?? [],
    restrictedTypes: RestrictedAttachmentTypes ?? [],
  };
}

/** The lesser of the two sizes, as the toolbox shows it. */
export function maxUploadBytes(limits: UploadLimits): number {
  return Math.min(limits.service.maxBytes, limits.site?.maxBytes ?? Infinity);
}

export function checkUploadName(name: string, limits: UploadLimits): void {
  checkAttachmentName(name, limits.service);
  if (limits.site !== undefined) checkAttachmentName(name, limits.site);
}

/** `head`: the file's first bytes, as many as sniffing reads (sniffedBytes). */
export function checkUpload(
  name: string,
  size: number,
  head: Uint8Array,
  limits: UploadLimits,
): void {
  checkAttachmentParts(name, size, head, limits.service);
  if (limits.site !== undefined) checkAttachmentParts(name, size, head, limits.site);
}
