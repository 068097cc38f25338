import { canonicalCulture, cultureChain, isRightToLeft } from './culture-names';

describe('culture names', () => {
  it('when a name is spelt in any case, then the canonical spelling is .NET’s', () => {
    expect(canonicalCulture('fr-be')).toBe('fr-BE');
    expect(canonicalCulture('ZH-hant-tw')).toBe('zh-Hant-TW');
    expect(canonicalCulture('de')).toBe('de');
  });

  it('when a name is not a culture, then there is no canonical spelling', () => {
    expect(canonicalCulture('backup')).toBeUndefined();
    expect(canonicalCulture('fr_BE')).toBeUndefined();
    expect(canonicalCulture('')).toBeUndefined();
  });

  it('when a culture has a region, then its chain goes to the language, then to neutral', () => {
    expect(cultureChain('fr-BE')).toEqual(['fr-BE', 'fr', '']);
    expect(cultureChain('')).toEqual(['']);
  });

  it('when the language is written right to left, then so is every region of it', () => {
    for (const culture of ['ar', 'ar-MA', 'he', 'he-IL', 'fa-IR', 'ur', 'UR-pk']) {
      expect(isRightToLeft(culture)).toBe(true);
    }
    for (const culture of ['', 'fr', 'fr-BE', 'en-US', 'sv', 'arn']) {
      expect(isRightToLeft(culture)).toBe(false);
    }
  });
});
