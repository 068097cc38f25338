import { chooseCulture, parseAcceptLanguage } from './culture-negotiation';

const available = ['ar', 'de', 'fr', 'fr-BE', 'sv'];

describe('chooseCulture', () => {
  it('when the page sets Language to an available culture, then it wins over the browser', () => {
    expect(chooseCulture({ language: 'fr-BE', acceptLanguage: 'de' }, available)).toBe('fr-BE');
  });

  it('when Language has a region without a file, then its language is used', () => {
    expect(chooseCulture({ language: 'fr-CH', acceptLanguage: 'de' }, available)).toBe('fr');
  });

  it('when Language is not available at all, then the browser decides', () => {
    expect(chooseCulture({ language: 'xx-YY', acceptLanguage: 'sv' }, available)).toBe('sv');
    expect(chooseCulture({ language: null, acceptLanguage: 'sv' }, available)).toBe('sv');
  });

  it('when Accept-Language has weights, then the most wanted available culture is chosen', () => {
    const header = 'it;q=1, de;q=0.5, fr-CH;q=0.9, ar;q=0.1';

    expect(chooseCulture({ acceptLanguage: header }, available)).toBe('fr');
  });

  it('when Accept-Language refuses a language with q=0, then it is not chosen', () => {
    expect(chooseCulture({ acceptLanguage: 'de;q=0, sv;q=0.2' }, available)).toBe('sv');
  });

  it('when only navigator.languages is known, then it is tried in order', () => {
    const options = { navigatorLanguages: ['it-IT', 'de-AT', 'fr'] };

    expect(chooseCulture(options, available)).toBe('de');
  });

  it('when the browser spells a culture in another case, then the available spelling is returned', () => {
    expect(chooseCulture({ acceptLanguage: 'FR-be' }, available)).toBe('fr-BE');
  });

  it('when nothing matches, then the neutral culture is chosen', () => {
    expect(chooseCulture({ acceptLanguage: 'it, pt-BR' }, available)).toBe('');
    expect(chooseCulture({}, available)).toBe('');
  });

  it('when the browser prefers the neutral file’s language, then a later translation is not used', () => {
    const options = { acceptLanguage: 'en-GB, fr;q=0.8', neutralLanguage: 'en' };

    expect(chooseCulture(options, available)).toBe('');
  });
});

describe('parseAcceptLanguage', () => {
  it('when weights are equal, then the header order is kept', () => {
    expect(parseAcceptLanguage('sv, de;q=0.8, fr;q=0.8, ar;q=0.9')).toEqual([
      'sv',
      'ar',
      'de',
      'fr',
    ]);
  });

  it('when entries are malformed or a wildcard, then they are dropped', () => {
    expect(parseAcceptLanguage('*, de;q=abc, fr;q=2, <x>, , sv ; q=0.5')).toEqual(['sv']);
  });
});
