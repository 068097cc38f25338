import { ResourceFileError } from './resource-file-error';
import { resx } from './resx-test-files';
import { parseResx, parseResxEntries } from './resx-parser';

function errorFrom(xml: string): ResourceFileError {
  try {
    parseResx(xml, 'Toolbox.resx');
  } catch (error) {
    if (error instanceof ResourceFileError) return error;
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('parseResx', () => {
  it('when the file is valid, then each name maps to its text', () => {
    const values = parseResx(resx({ Send: 'Send', Title: 'Chat & talk' }), 'Toolbox.resx');

    expect([...values]).toEqual([
      ['Send', 'Send'],
      ['Title', 'Chat & talk'],
    ]);
  });

  it('when a value has references, spaces at its ends, a comment or a BOM, then the text is as written', () => {
    const xml = resx({ Send: 'x' })
      .replace('<value>x</value>', '<value> caf&#233; &lt;{0}&gt; </value><comment>why</comment>')
      .replace(/^/, '\uFEFF');

    expect(parseResx(xml, 'Toolbox.resx').get('Send')).toBe(' café <{0}> ');
  });

  it('when a text looks like a number or a boolean, then it stays text', () => {
    expect(parseResx(resx({ No: '007', Yes: 'true' }), 'f')).toEqual(
      new Map([
        ['No', '007'],
        ['Yes', 'true'],
      ]),
    );
  });

  it('when an entry is read, then its line is that of its <data> element', () => {
    const entries = parseResxEntries(resx({ Send: 'a', Title: 'b' }), 'f');

    expect(entries.get('Send')?.line).toBe(6);
    expect(entries.get('Title')?.line).toBe(9);
  });

  it('when the XML is broken, then the error gives the file, the line and the reason', () => {
    const xml = resx({ Send: 'a', Title: 'b' }).replace('<value>b</value>', '<value>b</valu>');

    const error = errorFrom(xml);

    expect(error).toMatchObject({ file: 'Toolbox.resx', line: 10 });
    expect(error.reason).toMatch(/not well-formed XML: .*'value'/);
    expect(error.message).toBe(`Toolbox.resx:10: ${error.reason}`);
  });

  it('when a <data> has no name, then it is rejected at its line', () => {
    const xml = resx({ Send: 'a', Title: 'b' }).replace('<data name="Title"', '<data');

    expect(errorFrom(xml)).toMatchObject({ line: 9, reason: '<data> without a name' });
  });

  it('when a name appears twice, then the second one is rejected, naming the first line', () => {
    const xml = resx({ Send: 'a', Title: 'b' }).replace('name="Title"', 'name="Send"');

    expect(errorFrom(xml)).toMatchObject({
      line: 9,
      reason: 'duplicate name "Send" (first on line 6)',
    });
  });

  it('when the document element is not <root>, then the file is rejected', () => {
    const error = errorFrom('<?xml version="1.0"?>\n<resources><data name="Send"/></resources>');

    expect(error).toMatchObject({ line: 1, reason: 'the document element must be <root>' });
  });

  it('when the resmimetype header is missing or wrong, then the file is rejected', () => {
    const withoutHeader = '<root>\n  <data name="Send"><value>a</value></data>\n</root>';
    const wrongHeader = resx({ Send: 'a' }).replace('text/microsoft-resx', 'text/plain');

    expect(errorFrom(withoutHeader).reason).toMatch(/missing <resheader name="resmimetype">/);
    expect(errorFrom(wrongHeader)).toMatchObject({ line: 3 });
  });

  it('when a value holds markup or is repeated, then it is rejected', () => {
    const markup = resx({ Send: 'a' }).replace('<value>a</value>', '<value>a<b>b</b></value>');
    const twice = resx({ Send: 'a' }).replace(
      '<value>a</value>',
      '<value>a</value><value>b</value>',
    );

    expect(errorFrom(markup).reason).toBe('"Send" needs one <value> holding only text');
    expect(errorFrom(twice).reason).toBe('"Send" needs one <value> holding only text');
  });

  it('when a <data> is not a text (type attribute), then it is rejected', () => {
    const xml = resx({ Send: 'a' }).replace('name="Send"', 'name="Send" type="System.Int32"');

    expect(errorFrom(xml).reason).toMatch(/"Send" is not a text/);
  });
});
