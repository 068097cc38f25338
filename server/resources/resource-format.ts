/**
 * Placeholders as in .NET's String.Format, which the .resx texts were written for: {0}, {1}…
 * with {{ and }} for literal braces.
 */
const token = /\{\{|\}\}|\{(\d+)\}/g;

/** Puts values[n] where {n} stands; a placeholder without a value is left as written. */
export function format(template: string, ...values: ReadonlyArray<string | number>): string {
  return template.replace(token, (match: string, index: string | undefined) => {
    if (index === undefined) return match[0] ?? '';
    const value = values[Number(index)];
    return value === undefined ? match : String(value);
  });
}

/** The distinct placeholder numbers of a template, ascending. */
export function placeholdersOf(template: string): number[] {
  const found = new Set<number>();
  for (const match of template.matchAll(token)) {
    if (match[1] !== undefined) found.add(Number(match[1]));
  }
  return [...found].sort((a, b) => a - b);
}
