/**
 * The toolbox texts of every culture, read once at start-up. A culture file may hold only the
 * texts that differ from its parent's: each text falls back on its own, fr-BE → fr → neutral.
 */
import { readFileSync } from 'node:fs';
import { cultureChain, isRightToLeft } from './culture-names';
import { ResourceFileError } from './resource-file-error';
import { listResourceFiles, missingNeutralFile } from './resource-files';
import { isResourceName, type ResourceName, resourceNames } from './resource-names';
import { parseResx } from './resx-parser';

export { format } from './resource-format';

export type ResourceStrings = Readonly<Record<ResourceName, string>>;

export interface ResourceCatalog {
  /** Every text for the culture, any casing; an unknown culture gets the neutral texts. */
  strings(culture: string): ResourceStrings;
  /** Cultures with a file of their own, canonical spelling; the neutral '' is not listed. */
  cultures(): string[];
  isRightToLeft(culture: string): boolean;
}

/** Throws ResourceFileError for the first file that cannot be used. */
export function loadResourceCatalog(folder: string): ResourceCatalog {
  const folderContents = listResourceFiles(folder);
  const [problem] = folderContents.problems;
  if (problem) throw problem;
  if (!folderContents.neutral) throw missingNeutralFile(folder);

  const base = neutralTable(readResx(folderContents.neutral.path), folderContents.neutral.path);
  // Keyed by lower case, as culture names are matched whatever their casing.
  const tables = new Map<string, ReadonlyMap<string, string>>();
  for (const { path, culture } of folderContents.cultures) {
    tables.set(culture.toLowerCase(), readResx(path));
  }

  // At most one entry per culture file: an unknown culture shares its nearest file's table.
  const resolved = new Map<string, ResourceStrings>([['', base]]);
  const strings = (culture: string): ResourceStrings => {
    const chain = cultureChain(culture.toLowerCase()).filter((name) => tables.has(name));
    const key = chain[0] ?? '';
    const cached = resolved.get(key);
    if (cached) return cached;
    const table: Record<ResourceName, string> = { ...base };
    // From the most general culture to the most specific, so the specific one wins.
    for (const name of chain.reverse()) {
      for (const [resource, value] of tables.get(name) ?? []) {
        if (isResourceName(resource)) table[resource] = value;
      }
    }
    resolved.set(key, Object.freeze(table));
    return table;
  };

  const cultures = folderContents.cultures.map((file) => file.culture);
  return { strings, cultures: () => [...cultures], isRightToLeft };
}

function readResx(path: string): ReadonlyMap<string, string> {
  return parseResx(readFileSync(path, 'utf8'), path);
}

/** The neutral file must hold every name, as it is the last stop of every fallback. */
function neutralTable(values: ReadonlyMap<string, string>, path: string): ResourceStrings {
  const table: Partial<Record<ResourceName, string>> = {};
  const missing: ResourceName[] = [];
  for (const name of resourceNames) {
    const value = values.get(name);
    if (value === undefined) missing.push(name);
    else table[name] = value;
  }
  if (missing.length > 0) {
    throw new ResourceFileError(path, 1, `missing names: ${missing.join(', ')}`);
  }
  return Object.freeze(table as Record<ResourceName, string>);
}
