/**
 * The attachment rules, shared by the Chat Service and the relay so both refuse the same files
 * with the same faults.
 */
import { ServiceFault } from '../protocol/faults';
import {
  contentKindNames,
  executableKinds,
  sniffContent,
  type SniffedContent,
} from './content-sniffer';

export interface AttachmentLimits {
  /** 0 disables attachments. */
  maxBytes: number;
  /** Extensions, lower-case and without dots; when non-empty, only these are accepted. */
  allowedTypes: readonly string[];
  /** Extensions refused while allowedTypes is empty. */
  restrictedTypes: readonly string[];
}

/**
 * Formats whose files always open with their signature, so a file claiming one must carry it.
 * Scripts, DOS .com programs and .so linker scripts need no header, so they are absent.
 */
const signedExtensions: ReadonlySet<string> = new Set([
  ...['png', 'jpg', 'jpeg', 'jfif', 'gif', 'webp', 'pdf'],
  ...['zip', 'docx', 'xlsx', 'pptx', 'odt', 'jar', 'apk'],
  ...['exe', 'dll', 'scr', 'msi', 'doc', 'xls', 'ppt'],
]);

const maxNameLength = 255;
// Bidi controls let "photo\u202Egnp.exe" display as "photoexe.png".
const forbiddenNameCharacters = /[\p{Cc}\p{Bidi_Control}]/u;

/** Lower-case, without the dot; '' when the name has none. */
export function fileExtension(fileName: string): string {
  // Windows drops trailing dots and spaces when saving, so "run.bat." lands as a .bat file.
  // A loop rather than /[. ]+$/, which backtracks quadratically on long runs of dots.
  let end = fileName.length;
  while (end > 0 && (fileName[end - 1] === '.' || fileName[end - 1] === ' ')) end--;
  const saved = fileName.slice(0, end);
  const dot = saved.lastIndexOf('.');
  return dot < 0 ? '' : saved.slice(dot + 1).toLowerCase();
}

export function checkAttachmentName(fileName: string, limits: AttachmentLimits): void {
  checkBaseName(fileName);
  checkExtension(fileName, limits);
}

export function checkAttachment(
  fileName: string,
  content: Uint8Array,
  limits: AttachmentLimits,
): void {
  checkAttachmentParts(fileName, content.length, content, limits);
}

/** As checkAttachment, from the size and the first bytes (sniffedBytes of them are enough). */
export function checkAttachmentParts(
  fileName: string,
  size: number,
  head: Uint8Array,
  limits: AttachmentLimits,
): void {
  checkBaseName(fileName);
  checkSize(fileName, size, limits.maxBytes);
  checkExtension(fileName, limits);
  checkContent(fileName, sniffContent(head), limits);
}

// The name is not echoed here: it is the part that failed and may hold anything.
function checkBaseName(fileName: string): void {
  const problem = baseNameProblem(fileName);
  if (problem !== undefined) throw new ServiceFault('BadRequest', `Attachment name ${problem}.`);
}

function baseNameProblem(fileName: string): string | undefined {
  if (fileName === '') return 'is empty';
  if (fileName.length > maxNameLength) return `is longer than ${maxNameLength} characters`;
  if (fileName === '.' || fileName === '..' || /[/\\]/.test(fileName)) {
    return 'must be a file name, not a path';
  }
  // "run.bat::$DATA" is saved by Windows as run.bat: a stream name would hide the real extension.
  if (fileName.includes(':')) return 'must not contain a colon';
  if (forbiddenNameCharacters.test(fileName)) return 'contains control characters';
  return undefined;
}

function checkSize(fileName: string, size: number, maxBytes: number): void {
  if (maxBytes === 0) {
    throw new ServiceFault('AttachmentTooLarge', 'Attachments are disabled.');
  }
  if (size > maxBytes) {
    throw new ServiceFault(
      'AttachmentTooLarge',
      `"${fileName}" is ${kilobytes(size)} KB; attachments are limited to ${kilobytes(maxBytes)} KB.`,
    );
  }
}

function checkExtension(fileName: string, limits: AttachmentLimits): void {
  const extension = fileExtension(fileName);
  const allowed = lowerCase(limits.allowedTypes);
  const refused =
    allowed.length > 0
      ? !allowed.includes(extension)
      : extension !== '' && lowerCase(limits.restrictedTypes).includes(extension);
  if (!refused) return;
  const type = extension === '' ? 'files without an extension' : `.${extension} files`;
  const onlyAllowed =
    allowed.length > 0 ? ` Allowed: ${allowed.map((a) => `.${a}`).join(', ')}.` : '';
  throw new ServiceFault(
    'AttachmentTypeNotAllowed',
    `"${fileName}" is refused: ${type} are not allowed.${onlyAllowed}`,
  );
}

function checkContent(fileName: string, sniffed: SniffedContent, limits: AttachmentLimits): void {
  const is = `"${fileName}" is ${contentKindNames[sniffed.kind]}`;
  const allowed = lowerCase(limits.allowedTypes);
  const extension = fileExtension(fileName);
  // A name that claims other content gets its own fault, so the sender is told the file is not
  // what it says rather than that its claimed type is refused (renaming it would not help).
  const claimsOther = extension !== '' && !sniffed.extensions.includes(extension);
  // Programs are refused by default, whatever their name; only an allow list naming them lets
  // them through, since a deny list of extensions says nothing about renamed content.
  if (
    executableKinds.includes(sniffed.kind) &&
    !sniffed.extensions.some((kind) => allowed.includes(kind))
  ) {
    throw claimsOther
      ? new ServiceFault(
          'AttachmentContentMismatch',
          `${is}, not what its .${extension} extension says; programs are not allowed.`,
        )
      : new ServiceFault('AttachmentTypeNotAllowed', `${is}; programs are not allowed.`);
  }
  if (signedExtensions.has(extension) && claimsOther) {
    throw new ServiceFault(
      'AttachmentContentMismatch',
      `${is}, which does not match its .${extension} extension.`,
    );
  }
}

function lowerCase(types: readonly string[]): string[] {
  return types.map((type) => type.toLowerCase());
}

function kilobytes(bytes: number): number {
  return Math.round((bytes / 1024) * 100) / 100;
}
