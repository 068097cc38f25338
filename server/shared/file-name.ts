/**
 * A file name from a visitor made safe to store, show and offer for download: its own name only
 * (no folders), no characters that hide or fake what it is, nothing Windows would save under
 * another name. Letters of every script are kept as they are.
 */

const maxLength = 255;
const fallbackName = 'file';

// Control characters, bidi controls ("photo\u202Egnp.exe" shows as "photoexe.png"), and the
// invisible format characters that are not part of a writing system's words (ZWJ/ZWNJ are kept).
const hiddenCharacters = /[\p{Cc}\p{Bidi_Control}\u00AD\u180E\u200B\u2060-\u2064\uFEFF]/gu;
// Characters Windows does not allow in a name; ':' would also name an NTFS stream.
const windowsForbidden = /[<>:"|?*]/g;
// Names Windows gives to devices, with or without an extension ("con.txt" is the console too).
const reservedStem = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i;

export function safeFileName(raw: string): string {
  const lastPart = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  let name = lastPart.replace(hiddenCharacters, '').replace(windowsForbidden, '_').trim();
  // Windows drops trailing dots and spaces ("run.bat." lands as run.bat); leading dots hide files.
  name = name.replace(/^[.\s]+/, '');
  let end = name.length;
  while (end > 0 && (name[end - 1] === '.' || name[end - 1] === ' ')) end--;
  name = name.slice(0, end);
  if (reservedStem.test(name)) name = `_${name}`;
  if (name === '') return fallbackName;
  return shorten(name);
}

/** At most maxLength UTF-16 units, keeping the extension and never splitting a surrogate pair. */
function shorten(name: string): string {
  if (name.length <= maxLength) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  const stem = [...name.slice(0, name.length - extension.length)];
  let kept = '';
  for (const character of stem) {
    if (kept.length + character.length + extension.length > maxLength) break;
    kept += character;
  }
  return kept + extension;
}

/**
 * A Content-Disposition value that any browser reads right: an ASCII fallback in `filename` and
 * the real name in RFC 5987's `filename*`.
 */
export function contentDisposition(name: string, inline = false): string {
  const ascii = name.replace(/[^\x20-\x7E]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
