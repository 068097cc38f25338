import type { ResponseNode } from '../../config/chat-service-config';
import { ResponsesFileError } from './responses-file-error';

/** A folder just read, waiting for its first item to show how deep its items are indented. */
interface NewFolder {
  /** Null for the file's top level. */
  name: string | null;
  children: ResponseNode[];
  /** Indentation of the folder's own line; -1 for the top level. */
  indent: number;
  line: number;
  /** Lower-cased names of its items, with their lines, to report duplicates. */
  names: Map<string, number>;
}

/** A folder whose items are being read. */
interface OpenFolder extends NewFolder {
  itemIndent: number;
}

/** A response whose text may go on over the following, deeper-indented lines. */
interface OpenText {
  node: ResponseNode;
  indent: number;
  line: number;
  lines: string[];
  /** Indentation of its first continuation line, removed from every continuation line. */
  textIndent: number | null;
  /** Blank lines seen since the last text line: kept only if more text follows. */
  blanks: number;
}

/**
 * Reads the responses file format (docs/responses-format.md) into the tree GetResponses returns.
 * `file` only names the source in errors.
 */
export function parseResponses(source: string, file: string): ResponseNode[] {
  return new ResponsesParser(file).parse(source);
}

class ResponsesParser {
  private readonly top: OpenFolder = {
    name: null,
    children: [],
    indent: -1,
    itemIndent: 0,
    line: 0,
    names: new Map(),
  };
  /** Innermost last; the top level is never closed, as no line is indented less than 0. */
  private readonly folders: OpenFolder[] = [this.top];
  private newFolder: NewFolder | undefined;
  private text: OpenText | undefined;

  constructor(private readonly file: string) {}

  parse(source: string): ResponseNode[] {
    const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
    lines.forEach((raw, index) => this.readLine(raw, index + 1));
    this.endText();
    if (this.newFolder !== undefined) this.failEmpty(this.newFolder);
    return this.top.children;
  }

  private readLine(raw: string, line: number): void {
    const content = raw.trim();
    if (content === '') {
      if (this.text !== undefined) this.text.blanks += 1;
      return;
    }
    const indent = raw.length - raw.trimStart().length;
    if (!/^ *$/.test(raw.slice(0, indent))) this.fail(line, 'indent with spaces only, not tabs');
    if (this.text !== undefined && indent > this.text.indent) {
      this.continueText(this.text, raw, indent);
      return;
    }
    this.endText();
    if (content.startsWith('#')) return;
    const folder = this.folderAt(indent, line);
    const colon = content.indexOf(':');
    if (colon >= 0) {
      const name = content.slice(0, colon).trim();
      this.startResponse(folder, name, content.slice(colon + 1).trim(), indent, line);
    } else if (content.endsWith('/')) {
      this.startFolder(folder, content.slice(0, -1).trim(), indent, line);
    } else {
      this.fail(line, 'expected a folder ("Name/") or a response ("Name: text")');
    }
  }

  /** The open folder a line at this indentation belongs to, closing the folders it ends. */
  private folderAt(indent: number, line: number): OpenFolder {
    const newFolder = this.newFolder;
    if (newFolder !== undefined) {
      if (indent <= newFolder.indent) this.failEmpty(newFolder);
      this.folders.push({ ...newFolder, itemIndent: indent });
      this.newFolder = undefined;
    }
    let folder = this.innermost();
    let closedAny = false;
    while (indent < folder.itemIndent) {
      this.folders.pop();
      folder = this.innermost();
      closedAny = true;
    }
    if (indent === folder.itemIndent) return folder;
    if (closedAny) {
      this.fail(line, `indented ${indent} spaces, which lines up with no enclosing folder`);
    }
    return this.fail(
      line,
      folder === this.top
        ? 'top-level items start at the beginning of the line'
        : `indented ${indent} spaces, deeper than the items above it (${folder.itemIndent}); only a folder's items and a response's text go deeper`,
    );
  }

  private startResponse(
    folder: OpenFolder,
    name: string,
    text: string,
    indent: number,
    line: number,
  ): void {
    if (name === '') this.fail(line, 'a response needs a name before ":"');
    this.addName(folder, name, line);
    const node: ResponseNode = { Name: name, Text: '' };
    folder.children.push(node);
    this.text = {
      node,
      indent,
      line,
      lines: text === '' ? [] : [text],
      textIndent: null,
      blanks: 0,
    };
  }

  private continueText(text: OpenText, raw: string, indent: number): void {
    text.textIndent ??= indent;
    if (text.lines.length > 0) for (; text.blanks > 0; text.blanks -= 1) text.lines.push('');
    text.blanks = 0;
    // Indentation beyond the first continuation line's is the author's: lists, quotes.
    text.lines.push(raw.slice(Math.min(indent, text.textIndent)).trimEnd());
  }

  private endText(): void {
    const text = this.text;
    if (text === undefined) return;
    this.text = undefined;
    if (text.lines.length === 0) this.fail(text.line, `response "${text.node.Name}" has no text`);
    text.node.Text = text.lines.join('\n');
  }

  private startFolder(parent: OpenFolder, name: string, indent: number, line: number): void {
    if (name === '') this.fail(line, 'a folder needs a name before "/"');
    this.addName(parent, name, line);
    const children: ResponseNode[] = [];
    parent.children.push({ Name: name, Children: children });
    this.newFolder = { name, children, indent, line, names: new Map() };
  }

  private addName(folder: NewFolder, name: string, line: number): void {
    const key = name.toLowerCase();
    const first = folder.names.get(key);
    if (first !== undefined) {
      const where = folder.name === null ? 'at the top level' : `in folder "${folder.name}"`;
      this.fail(line, `"${name}" is already ${where} (line ${first})`);
    }
    folder.names.set(key, line);
  }

  /** A folder with nothing in it is almost always items that were not indented under it. */
  private failEmpty(folder: NewFolder): never {
    return this.fail(folder.line, `folder "${folder.name}" is empty: indent its items under it`);
  }

  private innermost(): OpenFolder {
    return this.folders[this.folders.length - 1] ?? this.top;
  }

  private fail(line: number, reason: string): never {
    throw new ResponsesFileError(this.file, line, reason);
  }
}
