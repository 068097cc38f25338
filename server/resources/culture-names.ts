/**
 * Culture names as .NET writes them in resource file names: "fr", "fr-BE", "zh-Hant-TW".
 * '' is the neutral culture, the one of Toolbox.resx itself.
 */

const culturePattern = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i;

// Languages whose script runs right to left; a region ("ar-MA") does not change it.
const rightToLeftLanguages: ReadonlySet<string> = new Set(['ar', 'he', 'fa', 'ur']);

/** The canonical spelling ("fr-be" → "fr-BE"), or undefined when it is not a culture name. */
export function canonicalCulture(name: string): string | undefined {
  if (!culturePattern.test(name)) return undefined;
  const [language = '', ...rest] = name.split('-');
  const subtags = rest.map((subtag) => {
    if (subtag.length === 2) return subtag.toUpperCase();
    if (subtag.length === 4) return subtag[0]?.toUpperCase() + subtag.slice(1).toLowerCase();
    return subtag.toLowerCase();
  });
  return [language.toLowerCase(), ...subtags].join('-');
}

/** The culture, then each parent down to the neutral one: "fr-BE" → ["fr-BE", "fr", ""]. */
export function cultureChain(culture: string): string[] {
  const chain: string[] = [];
  const subtags = culture.trim().split('-').filter(Boolean);
  for (let length = subtags.length; length > 0; length--) {
    chain.push(subtags.slice(0, length).join('-'));
  }
  chain.push('');
  return chain;
}

export function languageOf(culture: string): string {
  return (culture.trim().split('-')[0] ?? '').toLowerCase();
}

export function isRightToLeft(culture: string): boolean {
  return rightToLeftLanguages.has(languageOf(culture));
}
