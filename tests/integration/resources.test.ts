import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseCulture } from '../../server/resources/culture-negotiation';
import { format, loadResourceCatalog } from '../../server/resources/resource-catalog';
import { resourceNames } from '../../server/resources/resource-names';

const shippedResources = join(__dirname, '..', '..', 'resources');
const catalog = loadResourceCatalog(shippedResources);

describe('the shipped resources folder', () => {
  it('when it is loaded, then every culture the issue names is there', () => {
    expect(catalog.cultures()).toEqual(['ar', 'de', 'es', 'fr', 'fr-BE', 'nl', 'sv']);
    // The specification's 50, the offline message form's 5, the rating's 6, the sending states' 3,
    // 8 of the endings and refusals and 3 of the settings shown.
    expect(resourceNames).toHaveLength(75);
  });

  it.each(['', ...catalog.cultures()])(
    'when culture "%s" is asked for, then all 75 texts resolve to something',
    (culture) => {
      const strings = catalog.strings(culture);

      for (const name of resourceNames) expect(strings[name].trim()).not.toBe('');
    },
  );

  it('when a Belgian browser asks, then it gets Belgian French texts with French and neutral fallback', () => {
    const culture = chooseCulture(
      { acceptLanguage: 'fr-BE,fr;q=0.9,en;q=0.8' },
      catalog.cultures(),
    );
    const strings = catalog.strings(culture);

    expect(culture).toBe('fr-BE');
    expect(format(strings.SessionWillSoonBeClosed, 30)).toContain('endéans les 30 secondes');
    expect(strings.Send).toBe(catalog.strings('fr').Send);
    expect(strings.PostUrl).toBe(catalog.strings('').PostUrl);
  });

  it('when an Arabic page is shown, then it is laid out right to left', () => {
    expect(catalog.isRightToLeft(chooseCulture({ language: 'ar-EG' }, catalog.cultures()))).toBe(
      true,
    );
  });
});

describe('an administrator editing Toolbox.resx', () => {
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'toolbox-edit-'));
    cpSync(shippedResources, folder, { recursive: true });
  });

  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('when a text is changed and the folder reloaded, then the new text is shown', () => {
    const file = join(folder, 'Toolbox.resx');
    const before = loadResourceCatalog(folder).strings('').Title;
    const edited = readFileSync(file, 'utf8').replace(
      `<value>${before}</value>`,
      '<value>Talk to Example &amp; Co</value>',
    );
    writeFileSync(file, edited);

    const reloaded = loadResourceCatalog(folder);

    expect(reloaded.strings('').Title).toBe('Talk to Example & Co');
    expect(reloaded.strings('xx-YY').Title).toBe('Talk to Example & Co');
    expect(reloaded.strings('de').Title).not.toBe('Talk to Example & Co');
  });
});
