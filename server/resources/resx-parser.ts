/**
 * Reads the .NET .resx format the administrators already know: a <root> holding resheader
 * entries and one <data name="…"><value>…</value></data> per string.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ResourceFileError } from './resource-file-error';

export interface ResxEntry {
  readonly value: string;
  /** 1-based line of the <data> element, for messages that send the reader to it. */
  readonly line: number;
}

const resxMimeType = 'text/microsoft-resx';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Every element becomes an object, so each carries its position and "<data>x</data>" is caught.
  alwaysCreateTextNode: true,
  // Values are texts: "007" or "true" must not turn into numbers or booleans.
  parseTagValue: false,
  parseAttributeValue: false,
  // Spaces at either end of a value are the translator's (xml:space="preserve").
  trimValues: false,
  // The only switch that decodes character references such as &#233; (it also accepts &nbsp;).
  htmlEntities: true,
  captureMetaData: true,
  isArray: (tagName) => tagName === 'data' || tagName === 'resheader',
});
const metaData = XMLParser.getMetaDataSymbol() as symbol;

type XmlNode = Record<string | symbol, unknown>;

/** Name → value; `file` only labels the errors. */
export function parseResx(xml: string, file: string): ReadonlyMap<string, string> {
  const values = new Map<string, string>();
  for (const [name, entry] of parseResxEntries(xml, file)) values.set(name, entry.value);
  return values;
}

export function parseResxEntries(xml: string, file: string): ReadonlyMap<string, ResxEntry> {
  const text = xml.replace(/^\uFEFF/, '');
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { line, msg } = validation.err;
    throw new ResourceFileError(file, line, `not well-formed XML: ${msg}`);
  }
  const root = documentElement(parser.parse(text) as XmlNode, file);
  const lineAt = (node: XmlNode): number => lineOf(text, node);
  checkMimeType(root, lineAt, file);

  const entries = new Map<string, ResxEntry>();
  for (const data of asArray(root.data)) {
    const line = lineAt(data);
    const name = data['@name'];
    if (typeof name !== 'string' || name.trim() === '') {
      throw new ResourceFileError(file, line, '<data> without a name');
    }
    if (data['@type'] !== undefined || data['@mimetype'] !== undefined) {
      throw new ResourceFileError(
        file,
        line,
        `"${name}" is not a text (it has a type or mimetype)`,
      );
    }
    const value = textOf(data.value);
    if (value === undefined) {
      throw new ResourceFileError(file, line, `"${name}" needs one <value> holding only text`);
    }
    const earlier = entries.get(name);
    if (earlier) {
      throw new ResourceFileError(
        file,
        line,
        `duplicate name "${name}" (first on line ${earlier.line})`,
      );
    }
    entries.set(name, { value, line });
  }
  return entries;
}

function documentElement(document: XmlNode, file: string): XmlNode {
  const elements = Object.keys(document).filter((key) => key !== '?xml' && key !== '#text');
  const root = document.root;
  if (Array.isArray(root)) throw new ResourceFileError(file, 1, 'more than one <root> element');
  if (elements.length !== 1 || !isNode(root)) {
    throw new ResourceFileError(file, 1, 'the document element must be <root>');
  }
  return root;
}

function checkMimeType(root: XmlNode, lineAt: (node: XmlNode) => number, file: string): void {
  const header = asArray(root.resheader).find((node) => node['@name'] === 'resmimetype');
  if (!header) {
    const reason = `missing <resheader name="resmimetype"> with ${resxMimeType}`;
    throw new ResourceFileError(file, lineAt(root), reason);
  }
  if (textOf(header.value) !== resxMimeType) {
    throw new ResourceFileError(file, lineAt(header), `resmimetype must be ${resxMimeType}`);
  }
}

/** The text of an element that holds nothing else; undefined for a repeated or nested one. */
function textOf(element: unknown): string | undefined {
  if (!isNode(element)) return undefined;
  const text = element['#text'];
  const children = Object.keys(element).filter((key) => key !== '#text' && !key.startsWith('@'));
  return typeof text === 'string' && children.length === 0 ? text : undefined;
}

function asArray(value: unknown): XmlNode[] {
  return Array.isArray(value) ? value.filter(isNode) : [];
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lineOf(text: string, node: XmlNode): number {
  const position = node[metaData] as { startIndex?: number } | undefined;
  const end = position?.startIndex ?? 0;
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < end; at = text.indexOf('\n', at + 1)) line++;
  return line;
}
