/**
 * Recognises what bytes really are, whatever the file is called, so the attachment policy can
 * refuse a program that arrives under a harmless name.
 */
export const ContentKind = {
  WindowsExecutable: 'windows-executable',
  Elf: 'elf',
  MachO: 'mach-o',
  ShellScript: 'shell-script',
  CompoundFile: 'compound-file',
  Zip: 'zip',
  Pdf: 'pdf',
  Png: 'png',
  Jpeg: 'jpeg',
  Gif: 'gif',
  Webp: 'webp',
  Text: 'text',
  Unknown: 'unknown',
} as const;

export type ContentKind = (typeof ContentKind)[keyof typeof ContentKind];

export interface SniffedContent {
  kind: ContentKind;
  /** Lower-case, without dots; empty when no extension implies this content. */
  extensions: readonly string[];
}

/** The kinds that run as programs when opened. */
export const executableKinds: readonly ContentKind[] = [
  ContentKind.WindowsExecutable,
  ContentKind.Elf,
  ContentKind.MachO,
  ContentKind.ShellScript,
];

const kindExtensions: Record<ContentKind, readonly string[]> = {
  'windows-executable': ['exe', 'com', 'dll', 'scr'],
  elf: ['elf', 'so', 'o', 'bin'],
  'mach-o': ['dylib', 'bundle', 'o'],
  'shell-script': ['sh'],
  'compound-file': ['msi', 'doc', 'xls', 'ppt'],
  zip: ['zip', 'docx', 'xlsx', 'pptx', 'odt', 'jar', 'apk'],
  pdf: ['pdf'],
  png: ['png'],
  jpeg: ['jpg', 'jpeg', 'jfif'],
  gif: ['gif'],
  webp: ['webp'],
  text: [],
  unknown: [],
};

/** For messages a person reads: "… is a PNG image". */
export const contentKindNames: Record<ContentKind, string> = {
  'windows-executable': 'a Windows executable',
  elf: 'an ELF executable',
  'mach-o': 'a Mach-O executable',
  'shell-script': 'a script',
  'compound-file': 'an installer or legacy Office document',
  zip: 'a ZIP archive',
  pdf: 'a PDF document',
  png: 'a PNG image',
  jpeg: 'a JPEG image',
  gif: 'a GIF image',
  webp: 'a WebP image',
  text: 'text',
  unknown: 'binary data of an unrecognised type',
};

const textWindow = 4096;
/** The most bytes sniffContent looks at (one past the text window tells it more follow). */
export const sniffedBytes = textWindow + 1;

/** Signatures are written as Latin-1 strings so '\x7fELF' reads like the bytes it stands for. */
function matchesAt(bytes: Uint8Array, offset: number, signature: string): boolean {
  if (bytes.length < offset + signature.length) return false;
  for (let i = 0; i < signature.length; i++) {
    if (bytes[offset + i] !== signature.charCodeAt(i)) return false;
  }
  return true;
}

function isText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, textWindow);
  if (head.includes(0)) return false;
  try {
    // A window that cuts a character in two is still text: streaming leaves the tail pending.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: bytes.length > textWindow });
    return true;
  } catch {
    return false;
  }
}

const machOMagics = [
  '\xfe\xed\xfa\xce',
  '\xce\xfa\xed\xfe',
  '\xfe\xed\xfa\xcf',
  '\xcf\xfa\xed\xfe',
  '\xca\xfe\xba\xbf',
  '\xbf\xba\xfe\xca',
  '\xbe\xba\xfe\xca',
];

function isMachO(bytes: Uint8Array): boolean {
  if (machOMagics.some((magic) => matchesAt(bytes, 0, magic))) return true;
  if (!matchesAt(bytes, 0, '\xca\xfe\xba\xbe') || bytes.length < 8) return false;
  // Java class files share the big-endian fat magic; where a fat header counts a handful of
  // architectures, a class file has its version (45 or more), as file(1) also reasons.
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(4) < 30;
}

const signatures: readonly { kind: ContentKind; matches: (bytes: Uint8Array) => boolean }[] = [
  // "MZ" is only two letters and can open a note; a real executable header always holds NULs.
  { kind: 'windows-executable', matches: (b) => matchesAt(b, 0, 'MZ') && !isText(b) },
  { kind: 'elf', matches: (b) => matchesAt(b, 0, '\x7fELF') },
  { kind: 'mach-o', matches: isMachO },
  { kind: 'shell-script', matches: (b) => matchesAt(b, 0, '#!') },
  { kind: 'compound-file', matches: (b) => matchesAt(b, 0, '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1') },
  { kind: 'zip', matches: (b) => matchesAt(b, 0, 'PK\x03\x04') || matchesAt(b, 0, 'PK\x05\x06') },
  { kind: 'pdf', matches: (b) => matchesAt(b, 0, '%PDF-') },
  { kind: 'png', matches: (b) => matchesAt(b, 0, '\x89PNG\r\n\x1a\n') },
  { kind: 'jpeg', matches: (b) => matchesAt(b, 0, '\xff\xd8\xff') },
  { kind: 'gif', matches: (b) => matchesAt(b, 0, 'GIF87a') || matchesAt(b, 0, 'GIF89a') },
  { kind: 'webp', matches: (b) => matchesAt(b, 0, 'RIFF') && matchesAt(b, 8, 'WEBP') },
];

export function sniffContent(bytes: Uint8Array): SniffedContent {
  const kind =
    signatures.find((signature) => signature.matches(bytes))?.kind ??
    (isText(bytes) ? ContentKind.Text : ContentKind.Unknown);
  return { kind, extensions: kindExtensions[kind] };
}
