import { format, placeholdersOf } from './resource-format';

describe('format', () => {
  it('when a template has {0} and {1}, then each takes its value, in any order', () => {
    expect(format('Expected wait: {0} {1}', 3, 'minutes')).toBe('Expected wait: 3 minutes');
    expect(format('{1} : {0}', 3, 'minutes')).toBe('minutes : 3');
  });

  it('when a placeholder repeats, then each one is replaced', () => {
    expect(format('{0} and {0}', 'x')).toBe('x and x');
  });

  it('when a placeholder has no value, then it is left as written', () => {
    expect(format('{0} of {1}', 1)).toBe('1 of {1}');
  });

  it('when braces are doubled, then they are literal braces', () => {
    expect(format('{{0}} is {0}', 'zero')).toBe('{0} is zero');
  });
});

describe('placeholdersOf', () => {
  it('when a template has placeholders, then their numbers are listed once, ascending', () => {
    expect(placeholdersOf('{1} then {0} and {1} again, not {{2}}')).toEqual([0, 1]);
    expect(placeholdersOf('no value here')).toEqual([]);
  });
});
