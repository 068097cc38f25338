/** Finds Toolbox.resx and its Toolbox.<culture>.resx siblings in a resources folder. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalCulture } from './culture-names';
import { ResourceFileError } from './resource-file-error';

export interface ResourceFile {
  readonly path: string;
  /** Canonical spelling; '' for the neutral Toolbox.resx. */
  readonly culture: string;
}

export interface ResourceFolder {
  /** Toolbox.resx, or undefined when the folder has none. */
  readonly neutral: ResourceFile | undefined;
  /** Sorted by culture. */
  readonly cultures: readonly ResourceFile[];
  /** Misnamed files and a culture given twice; those files are left out of the lists. */
  readonly problems: readonly ResourceFileError[];
}

export const neutralFileName = 'Toolbox.resx';

export function missingNeutralFile(folder: string): ResourceFileError {
  return new ResourceFileError(join(folder, neutralFileName), 1, 'the neutral file is missing');
}

export function listResourceFiles(folder: string): ResourceFolder {
  const files: ResourceFile[] = [];
  const problems: ResourceFileError[] = [];
  const seen = new Map<string, string>();
  const names = readdirSync(folder).filter((name) => /^toolbox.*\.resx$/i.test(name));
  for (const name of names.sort()) {
    const path = join(folder, name);
    const culture = cultureOfFileName(name);
    if (culture === undefined) {
      const reason = `file name must be ${neutralFileName} or Toolbox.<culture>.resx (e.g. Toolbox.fr-BE.resx)`;
      problems.push(new ResourceFileError(path, 1, reason));
      continue;
    }
    const other = seen.get(culture.toLowerCase());
    if (other !== undefined) {
      problems.push(new ResourceFileError(path, 1, `same culture as ${other}`));
      continue;
    }
    seen.set(culture.toLowerCase(), name);
    files.push({ path, culture });
  }
  files.sort((a, b) => (a.culture < b.culture ? -1 : a.culture > b.culture ? 1 : 0));
  const [first, ...rest] = files;
  return first?.culture === ''
    ? { neutral: first, cultures: rest, problems }
    : { neutral: undefined, cultures: files, problems };
}

function cultureOfFileName(name: string): string | undefined {
  const match = /^Toolbox(?:\.([^.]+))?\.resx$/.exec(name);
  if (!match) return undefined;
  return match[1] === undefined ? '' : canonicalCulture(match[1]);
}
