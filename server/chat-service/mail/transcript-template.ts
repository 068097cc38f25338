import {
  findIdentifier,
  transcriptIdentifiers,
  type FieldValues,
  type TranscriptIdentifier,
} from './transcript-identifiers';

export type TemplateFormat = 'text' | 'html';

type Segment = { text: string } | { identifier: TranscriptIdentifier };

/** A subject or body, parsed once at start-up: literal text and identifiers, nothing left over. */
export interface TranscriptTemplate {
  readonly format: TemplateFormat;
  readonly segments: readonly Segment[];
}

export interface TemplateProblem {
  /** 1-based line of the template text. */
  line: number;
  message: string;
}

export type ParseResult =
  { ok: true; template: TranscriptTemplate } | { ok: false; problems: TemplateProblem[] };

/**
 * `$$` is a literal `$`; `$` and a letter start an identifier, which must end with `$` on the same
 * line. Anything else after `$` (a digit, a space, a bracket) is plain text, so prices and scripts
 * need no escaping. Editors that split an identifier with markup (`$Agent<span>.Name$`) are caught
 * here rather than sending the identifier to the customer.
 */
const token = /\$\$|\$([A-Za-z][A-Za-z0-9._]*)(\$?)/g;

const knownList = transcriptIdentifiers.map((identifier) => `$${identifier}$`).join(' ');

export function parseTemplate(
  text: string,
  format: TemplateFormat,
  options: { allowTranscript: boolean },
): ParseResult {
  const segments: Segment[] = [];
  const problems: TemplateProblem[] = [];
  let literal = '';
  text.split('\n').forEach((lineText, index) => {
    if (index > 0) literal += '\n';
    let last = 0;
    for (const match of lineText.matchAll(token)) {
      literal += lineText.slice(last, match.index);
      last = match.index + match[0].length;
      const [whole, name, closing] = match;
      if (name === undefined) {
        literal += '$';
        continue;
      }
      const problem = (message: string) => problems.push({ line: index + 1, message });
      const identifier = findIdentifier(name);
      if (closing === '') {
        problem(`"${whole}" starts an identifier that does not end with $ on the same line`);
      } else if (identifier === undefined) {
        problem(`unknown identifier "${whole}" (known: ${knownList})`);
      } else if (identifier === 'Transcript' && !options.allowTranscript) {
        problem(`"${whole}" is only available in the template, not in the subject`);
      } else {
        if (literal !== '') segments.push({ text: literal });
        literal = '';
        segments.push({ identifier });
      }
    }
    literal += lineText.slice(last);
  });
  if (literal !== '') segments.push({ text: literal });
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, template: { format, segments } };
}

/**
 * Replaces every identifier. In an HTML template the fields are escaped; `transcript` is already
 * in the template's format (markup for HTML), so it goes in as it is.
 */
export function renderTemplate(
  template: TranscriptTemplate,
  fields: FieldValues,
  transcript: string,
): string {
  const field = template.format === 'html' ? (value: string) => escapeHtml(value) : String;
  return template.segments
    .map((segment) => {
      if ('text' in segment) return segment.text;
      return segment.identifier === 'Transcript' ? transcript : field(fields[segment.identifier]);
    })
    .join('');
}

const htmlEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => htmlEntities[character] ?? character);
}
