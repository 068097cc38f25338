/**
 * Picks the culture of the toolbox texts: the page's Language property first, then the
 * browser's preferences, then the neutral texts ('').
 */
import { cultureChain, languageOf } from './culture-names';

export interface CultureOptions {
  /** Mitel.ChatToolbox.Config's Language, when the page sets one. */
  language?: string | null;
  /** The Accept-Language request header. */
  acceptLanguage?: string | null;
  /** navigator.languages, most wanted first. */
  navigatorLanguages?: readonly string[];
  /**
   * The language Toolbox.resx is written in ("en"): a browser asking for it gets the neutral
   * texts rather than a later, less wanted translation.
   */
  neutralLanguage?: string;
}

/** A culture spelled as in `available`, or '' for the neutral texts. */
export function chooseCulture(options: CultureOptions, available: readonly string[]): string {
  const byLowerCase = new Map(available.map((culture) => [culture.toLowerCase(), culture]));
  const neutralLanguage = options.neutralLanguage?.toLowerCase();
  const candidates = [
    ...(options.language ? [options.language] : []),
    ...parseAcceptLanguage(options.acceptLanguage ?? ''),
    ...(options.navigatorLanguages ?? []),
  ];
  for (const candidate of candidates) {
    // "fr-CH" is tried as itself, then as "fr"; the final '' of the chain is the last resort.
    for (const culture of cultureChain(candidate.toLowerCase()).slice(0, -1)) {
      const match = byLowerCase.get(culture);
      if (match !== undefined) return match;
    }
    if (neutralLanguage !== undefined && languageOf(candidate) === neutralLanguage) return '';
  }
  return '';
}

/** The header's languages, most wanted first; "*" and q=0 ("not this one") are dropped. */
export function parseAcceptLanguage(header: string): string[] {
  const ranked: { tag: string; quality: number }[] = [];
  for (const part of header.split(',')) {
    const [rawTag = '', ...parameters] = part.split(';');
    const tag = rawTag.trim();
    if (!/^[a-z]{1,8}(?:-[a-z0-9]{1,8})*$/i.test(tag)) continue;
    const quality = qualityOf(parameters);
    if (quality > 0) ranked.push({ tag, quality });
  }
  // Array.prototype.sort is stable, so equal weights keep the header's order.
  return ranked.sort((a, b) => b.quality - a.quality).map((entry) => entry.tag);
}

// RFC 9110 weights: 0 to 1 with at most three decimals.
const weightPattern = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/** A malformed weight counts as a refusal, as the browser's wish cannot be known. */
function qualityOf(parameters: readonly string[]): number {
  for (const parameter of parameters) {
    const match = /^\s*q\s*=\s*(.*?)\s*$/i.exec(parameter);
    if (match) return weightPattern.test(match[1] ?? '') ? Number(match[1]) : 0;
  }
  return 1;
}
