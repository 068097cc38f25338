/**
 * What an administrator's edit of the resources can break without the catalog noticing:
 * a translation losing a placeholder, a misspelt name, a neutral file missing a text.
 */
import { readFileSync } from 'node:fs';
import { listResourceFiles, missingNeutralFile, type ResourceFile } from './resource-files';
import { ResourceFileError } from './resource-file-error';
import { isResourceName, resourceArgumentCounts, resourceNames } from './resource-names';
import { placeholdersOf } from './resource-format';
import { parseResxEntries, type ResxEntry } from './resx-parser';

export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

type Entries = ReadonlyMap<string, ResxEntry>;

export function checkResources(folder: string): Problem[] {
  const contents = listResourceFiles(folder);
  const problems: Problem[] = contents.problems.map(toProblem);
  const read = (file: ResourceFile): Entries | undefined => {
    try {
      return parseResxEntries(readFileSync(file.path, 'utf8'), file.path);
    } catch (error) {
      if (!(error instanceof ResourceFileError)) throw error;
      problems.push(toProblem(error));
      return undefined;
    }
  };

  const neutral = contents.neutral && read(contents.neutral);
  if (!contents.neutral) problems.push(toProblem(missingNeutralFile(folder)));
  else if (neutral) problems.push(...checkNeutral(contents.neutral.path, neutral));

  for (const file of contents.cultures) {
    const entries = read(file);
    if (entries && neutral) problems.push(...checkCulture(file.path, entries, neutral));
  }
  return problems;
}

function checkNeutral(path: string, entries: Entries): Problem[] {
  const problems: Problem[] = [];
  const missing = resourceNames.filter((name) => !entries.has(name));
  if (missing.length > 0) {
    problems.push({ file: path, line: 1, reason: `missing names: ${missing.join(', ')}` });
  }
  for (const [name, { value, line }] of entries) {
    if (!isResourceName(name)) {
      problems.push({ file: path, line, reason: `"${name}" is not a toolbox text name` });
      continue;
    }
    const count = resourceArgumentCounts[name] ?? 0;
    const expected = Array.from({ length: count }, (_, index) => index);
    const reason = placeholderMismatch(name, placeholdersOf(value), expected, 'the toolbox passes');
    if (reason) problems.push({ file: path, line, reason });
  }
  return problems;
}

function checkCulture(path: string, entries: Entries, neutral: Entries): Problem[] {
  const problems: Problem[] = [];
  for (const [name, { value, line }] of entries) {
    const original = neutral.get(name);
    if (original === undefined) {
      problems.push({ file: path, line, reason: `"${name}" is not in the neutral file` });
      continue;
    }
    const expected = placeholdersOf(original.value);
    const reason = placeholderMismatch(
      name,
      placeholdersOf(value),
      expected,
      'the neutral text has',
    );
    if (reason) problems.push({ file: path, line, reason });
  }
  return problems;
}

/** Placeholders may move within a text, but none may be lost or added. */
function placeholderMismatch(
  name: string,
  actual: readonly number[],
  expected: readonly number[],
  source: string,
): string | undefined {
  const same = actual.length === expected.length && actual.every((n, i) => n === expected[i]);
  if (same) return undefined;
  const list = (numbers: readonly number[]): string =>
    numbers.length === 0 ? 'none' : numbers.map((n) => `{${n}}`).join(' ');
  return `"${name}" has placeholders ${list(actual)} but ${source} ${list(expected)}`;
}

function toProblem({ file, line, reason }: ResourceFileError): Problem {
  return { file, line, reason };
}
