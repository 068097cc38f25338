import { join } from 'node:path';
import { format as formatFromCatalog, loadResourceCatalog } from './resource-catalog';
import { format } from './resource-format';
import { ResourceFileError } from './resource-file-error';
import {
  completeNeutralValues,
  removeResourceFolders,
  resourceFolder,
  resx,
} from './resx-test-files';

const shippedResources = join(__dirname, '..', '..', 'resources');

function layeredFolder(): string {
  return resourceFolder({
    'Toolbox.resx': resx(completeNeutralValues()),
    'Toolbox.fr.resx': resx({ Send: 'Envoyer', Title: 'Discutez avec nous' }),
    'Toolbox.fr-BE.resx': resx({ Title: 'Causons ensemble' }),
  });
}

afterAll(removeResourceFolders);

describe('resource catalog fallback', () => {
  const catalog = loadResourceCatalog(layeredFolder());
  const belgian = catalog.strings('fr-BE');

  it('when fr-BE has the text, then fr-BE’s is used', () => {
    expect(belgian.Title).toBe('Causons ensemble');
  });

  it('when fr-BE lacks the text, then fr’s is used', () => {
    expect(belgian.Send).toBe('Envoyer');
  });

  it('when fr lacks it too, then the neutral text is used', () => {
    expect(belgian.Yes).toBe('neutral Yes');
    expect(catalog.strings('fr').Title).toBe('Discutez avec nous');
  });

  it('when the culture is spelt in another case, then it is the same culture', () => {
    expect(catalog.strings('FR-be')).toBe(belgian);
  });

  it('when a region has no file, then its language is used; an unknown culture gets neutral', () => {
    expect(catalog.strings('fr-CH')).toBe(catalog.strings('fr'));
    expect(catalog.strings('xx-YY')).toBe(catalog.strings(''));
    expect(catalog.strings('xx-YY').Send).toBe('neutral Send');
  });

  it('when a table is returned, then it cannot be changed by its user', () => {
    expect(Object.isFrozen(belgian)).toBe(true);
    expect(Object.isFrozen(catalog.strings(''))).toBe(true);
  });

  it('when files are loaded, then the cultures are listed in canonical spelling', () => {
    const lowerCase = resourceFolder({
      'Toolbox.resx': resx(completeNeutralValues()),
      'Toolbox.fr-be.resx': resx({ Title: 'Causons' }),
    });

    expect(catalog.cultures()).toEqual(['fr', 'fr-BE']);
    expect(loadResourceCatalog(lowerCase).cultures()).toEqual(['fr-BE']);
  });

  it('when a culture file has a name the toolbox does not know, then it is not in the table', () => {
    const folder = resourceFolder({
      'Toolbox.resx': resx(completeNeutralValues()),
      'Toolbox.de.resx': resx({ Sendd: 'Senden', toString: 'x' }),
    });
    const german = loadResourceCatalog(folder).strings('de');

    expect(Object.keys(german)).not.toContain('Sendd');
    expect(Object.hasOwn(german, 'toString')).toBe(false);
  });

  it('when the catalog offers right to left, then Arabic is and French is not', () => {
    expect(catalog.isRightToLeft('ar-SA')).toBe(true);
    expect(catalog.isRightToLeft('fr-BE')).toBe(false);
  });

  it('when format is imported from the catalog, then it is the same function', () => {
    expect(formatFromCatalog).toBe(format);
  });
});

describe('resource catalog loading', () => {
  function loadError(files: Record<string, string>): ResourceFileError {
    try {
      loadResourceCatalog(resourceFolder(files));
    } catch (error) {
      if (error instanceof ResourceFileError) return error;
      throw error;
    }
    throw new Error('the folder was accepted');
  }

  it('when the neutral file lacks a name, then loading fails naming it', () => {
    const { Yes: _yes, ...values } = completeNeutralValues();

    expect(loadError({ 'Toolbox.resx': resx(values) }).reason).toBe('missing names: Yes');
  });

  it('when there is no neutral file, then loading fails', () => {
    const error = loadError({ 'Toolbox.fr.resx': resx({ Send: 'Envoyer' }) });

    expect(error.reason).toBe('the neutral file is missing');
  });

  it('when a file name is not Toolbox.<culture>.resx, then loading fails naming the file', () => {
    const error = loadError({
      'Toolbox.resx': resx(completeNeutralValues()),
      'Toolbox.backup.resx': resx({}),
    });

    expect(error.file).toMatch(/Toolbox\.backup\.resx$/);
  });

  it('when a culture file is broken, then loading fails with its line', () => {
    const error = loadError({
      'Toolbox.resx': resx(completeNeutralValues()),
      'Toolbox.fr.resx': resx({ Send: 'a' }).replace('</data>', '</dat>'),
    });

    expect(error).toMatchObject({ line: 8 });
    expect(error.file).toMatch(/Toolbox\.fr\.resx$/);
  });

  it('when the shipped folder is loaded, then Belgian French falls back string by string', () => {
    const shipped = loadResourceCatalog(shippedResources);
    const neutral = shipped.strings('');
    const french = shipped.strings('fr');
    const belgian = shipped.strings('fr-BE');

    expect(belgian.EnterPhone).not.toBe(french.EnterPhone);
    expect(belgian.Send).toBe(french.Send);
    expect(belgian.PostUrl).toBe(neutral.PostUrl);
    expect(french.Send).not.toBe(neutral.Send);
  });
});
