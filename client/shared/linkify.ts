/**
 * Splits message text into plain runs and links. Only http and https addresses become links;
 * anything else (javascript:, data:, mail addresses) stays text. The toolbox and the agent console
 * both use it, so a message shows the same links on either side.
 */
export type TextRun = { text: string } | { url: string; text: string };

const candidate = /\bhttps?:\/\/[^\s<>"']+/gi;
// Punctuation that ends a sentence more often than an address.
const trailing = /[.,;:!?)\]}]+$/;

export function splitLinks(text: string): TextRun[] {
  const runs: TextRun[] = [];
  let from = 0;
  for (const match of text.matchAll(candidate)) {
    const start = match.index;
    const raw = match[0].replace(trailing, '');
    const url = safeUrl(raw);
    if (url === undefined) continue;
    if (start > from) runs.push({ text: text.slice(from, start) });
    runs.push({ url, text: raw });
    from = start + raw.length;
  }
  if (from < text.length) runs.push({ text: text.slice(from) });
  return runs;
}

/** The address as the browser will use it, or undefined when it is not plain http(s). */
export function safeUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
}
