import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseResponses } from './parse-responses';
import { ResponsesFileError } from './responses-file-error';

const parse = (...lines: string[]) => parseResponses(lines.join('\n'), 'test.txt');

function errorOf(lines: string[]): ResponsesFileError {
  try {
    parse(...lines);
  } catch (error) {
    if (error instanceof ResponsesFileError) return error;
    throw error;
  }
  throw new Error('expected a ResponsesFileError');
}

describe('Parsing a responses file', () => {
  test('when folders nest, then the tree follows the indentation', () => {
    expect(
      parse(
        'Greetings/',
        '  Hello: Hello! How can I help?',
        'Pricing/',
        '    Discounts/',
        '        Students: 15% off.',
        '    Price list: See our website.',
        'Bye: Goodbye!',
      ),
    ).toEqual([
      { Name: 'Greetings', Children: [{ Name: 'Hello', Text: 'Hello! How can I help?' }] },
      {
        Name: 'Pricing',
        Children: [
          { Name: 'Discounts', Children: [{ Name: 'Students', Text: '15% off.' }] },
          { Name: 'Price list', Text: 'See our website.' },
        ],
      },
      { Name: 'Bye', Text: 'Goodbye!' },
    ]);
  });

  test('when a text goes on over deeper lines, then they are joined with line breaks', () => {
    expect(
      parse(
        'Orders/',
        '  Delivery: Orders before 14:00',
        '    ship the same day.',
        '  Payment:',
        '',
        '    We accept:',
        '      - card',
        '      - invoice',
        '',
        '',
        '    Invoices are due in 30 days.   ',
        '',
        '  Next: x',
      ),
    ).toEqual([
      {
        Name: 'Orders',
        Children: [
          { Name: 'Delivery', Text: 'Orders before 14:00\nship the same day.' },
          {
            Name: 'Payment',
            Text: 'We accept:\n  - card\n  - invoice\n\n\nInvoices are due in 30 days.',
          },
          { Name: 'Next', Text: 'x' },
        ],
      },
    ]);
  });

  test('when lines are comments, blank, CRLF or after a byte order mark, then only items count', () => {
    const source = '\uFEFF# Sales\r\n\r\nA/\r\n  # not yet\r\n  B: one # two\r\n    # three\r\n';
    expect(parseResponses(source, 'test.txt')).toEqual([
      { Name: 'A', Children: [{ Name: 'B', Text: 'one # two\n# three' }] },
    ]);
  });

  test('when a line has a ":" and ends with "/", then it is a response', () => {
    expect(parse('Reset: see https://example.com/reset/')).toEqual([
      { Name: 'Reset', Text: 'see https://example.com/reset/' },
    ]);
  });

  test('when the file is empty, then there are no responses', () => {
    expect(parse('')).toEqual([]);
    expect(parse('# nothing yet', '')).toEqual([]);
  });

  test.each([
    [['Hello'], 1, 'expected a folder ("Name/") or a response ("Name: text")'],
    [['A/', '  B: x', '  Hello:', 'C: y'], 3, 'response "Hello" has no text'],
    [['A/', 'B: x'], 1, 'folder "A" is empty: indent its items under it'],
    [['A/', '  B: x', '  C/'], 3, 'folder "C" is empty: indent its items under it'],
    [['  A: x'], 1, 'top-level items start at the beginning of the line'],
    [
      ['A/', '  B/', '    C: x', '  # end of B', '      D: y'],
      5,
      "indented 6 spaces, deeper than the items above it (4); only a folder's items and a response's text go deeper",
    ],
    [['A/', '    B: x', '  C: y'], 3, 'indented 2 spaces, which lines up with no enclosing folder'],
    [['A/', '  Hi: x', '  hi : y'], 3, '"hi" is already in folder "A" (line 2)'],
    [['A: x', 'A/', '  B: y'], 2, '"A" is already at the top level (line 1)'],
    [['A/', '\tB: x'], 2, 'indent with spaces only, not tabs'],
    [[': x'], 1, 'a response needs a name before ":"'],
    [[' /'], 1, 'top-level items start at the beginning of the line'],
    [['/'], 1, 'a folder needs a name before "/"'],
  ])('when the file is %j, then line %i is reported: %s', (lines, line, reason) => {
    const error = errorOf(lines);
    expect({ file: error.file, line: error.line, reason: error.reason }).toEqual({
      file: 'test.txt',
      line,
      reason,
    });
    expect(error.message).toBe(`test.txt:${line}: ${reason}`);
  });

  test.each(['sales.txt', 'support.txt'])(
    'when the shipped example %s is read, then it parses into folders of responses',
    (name) => {
      const file = join(__dirname, '../../../examples/responses', name);
      const tree = parseResponses(readFileSync(file, 'utf8'), file);
      expect(tree.length).toBeGreaterThan(1);
      expect(tree.every((node) => (node.Children?.length ?? 0) > 0)).toBe(true);
    },
  );
});
