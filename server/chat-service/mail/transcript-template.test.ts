import { transcriptIdentifiers, type FieldValues } from './transcript-identifiers';
import { parseTemplate, renderTemplate, type ParseResult } from './transcript-template';

/** Each field's value is its own name in brackets, so a test sees which identifier went where. */
const fields = Object.fromEntries(
  transcriptIdentifiers.filter((id) => id !== 'Transcript').map((id) => [id, `<${id}>`]),
) as FieldValues;

function rendered(result: ParseResult, transcript = '[conversation]'): string {
  if (!result.ok) throw new Error(`not parsed: ${JSON.stringify(result.problems)}`);
  return renderTemplate(result.template, fields, transcript);
}

const body = { allowTranscript: true };
const subject = { allowTranscript: false };

describe('parseTemplate', () => {
  test('when a template uses every identifier, then each one is replaced', () => {
    const text = transcriptIdentifiers.map((id) => `${id}=$${id}$`).join('\n');
    const expected = transcriptIdentifiers
      .map((id) => `${id}=${id === 'Transcript' ? '[conversation]' : `<${id}>`}`)
      .join('\n');
    expect(rendered(parseTemplate(text, 'text', body))).toBe(expected);
  });

  test('when identifiers are written in another case, then they still match', () => {
    expect(rendered(parseTemplate('$agent.chatname$/$CUSTOMER$', 'text', body))).toBe(
      '<Agent.ChatName>/<Customer>',
    );
  });

  test('when a $ is doubled or not followed by a letter, then it is plain text', () => {
    const text = 'Costs $$5, or US$ 5, $10 or $(x); $$Agent$ stays; $Agent$$Customer$';
    expect(rendered(parseTemplate(text, 'text', body))).toBe(
      'Costs $5, or US$ 5, $10 or $(x); $Agent$ stays; <Agent><Customer>',
    );
  });

  test('when an identifier is unknown, then its line and text are reported', () => {
    const result = parseTemplate('Hello\n\nBy $Agent.Nickname$ and $Agent$', 'html', body);
    expect(result).toEqual({
      ok: false,
      problems: [
        { line: 3, message: expect.stringContaining('unknown identifier "$Agent.Nickname$"') },
      ],
    });
  });

  test('when an identifier does not close on its line, then its line and text are reported', () => {
    const result = parseTemplate(
      'Hi $Customer\n.Name$ and $Agent<span>.Name</span>$',
      'html',
      body,
    );
    expect(result.ok ? [] : result.problems).toEqual([
      { line: 1, message: expect.stringContaining('"$Customer" starts an identifier') },
      { line: 2, message: expect.stringContaining('"$Agent" starts an identifier') },
    ]);
  });

  test('when a subject uses $Transcript$, then it is refused; other identifiers are fine', () => {
    const result = parseTemplate('Chat with $Agent$: $Transcript$', 'text', subject);
    expect(result.ok ? [] : result.problems).toEqual([
      { line: 1, message: expect.stringContaining('only available in the template') },
    ]);
  });
});

describe('renderTemplate', () => {
  const name = '<b>Bob & "Co"</b>';
  const withName = { ...fields, Customer: name };

  test('when the template is HTML, then field values are escaped and the transcript is not', () => {
    const result = parseTemplate('<p title="$Customer$">$Customer$</p>$Transcript$', 'html', body);
    if (!result.ok) throw new Error('not parsed');
    expect(renderTemplate(result.template, withName, '<div>ok</div>')).toBe(
      '<p title="&lt;b&gt;Bob &amp; &quot;Co&quot;&lt;/b&gt;">' +
        '&lt;b&gt;Bob &amp; &quot;Co&quot;&lt;/b&gt;</p><div>ok</div>',
    );
  });

  test('when the template is text, then field values go in as they are', () => {
    const result = parseTemplate('Hello $Customer$', 'text', body);
    if (!result.ok) throw new Error('not parsed');
    expect(renderTemplate(result.template, withName, '')).toBe(`Hello ${name}`);
  });
});
