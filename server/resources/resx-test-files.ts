/** Resource folders for tests, written to the system's temp folder and removed afterwards. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourceArgumentCounts, resourceNames } from './resource-names';

const header = `<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype">
    <value>text/microsoft-resx</value>
  </resheader>`;

const escapes: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** A .resx document; each <data> takes three lines, the first on line 6. */
export function resx(values: Readonly<Record<string, string>>): string {
  const data = Object.entries(values).map(
    ([name, value]) =>
      `  <data name="${name}" xml:space="preserve">\n` +
      `    <value>${value.replace(/[&<>]/g, (c) => escapes[c] ?? c)}</value>\n  </data>`,
  );
  return [header, ...data, '</root>', ''].join('\n');
}

/** Every toolbox name, each text saying which it is and holding the placeholders it needs. */
export function completeNeutralValues(): Record<string, string> {
  return Object.fromEntries(
    resourceNames.map((name) => {
      const count = resourceArgumentCounts[name] ?? 0;
      const placeholders = Array.from({ length: count }, (_, index) => ` {${index}}`).join('');
      return [name, `neutral ${name}${placeholders}`];
    }),
  );
}

const folders: string[] = [];

/** File name → content; call removeResourceFolders() in afterAll. */
export function resourceFolder(files: Readonly<Record<string, string>>): string {
  const folder = mkdtempSync(join(tmpdir(), 'toolbox-resources-'));
  folders.push(folder);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), content);
  return folder;
}

export function removeResourceFolders(): void {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
}
