import type { ResponseItem } from '../agent-api-client';
import { consoleText as t, fill } from '../console-text';
import { el } from '../dom';
import { filterResponses } from '../response-filter';

export interface ResponsesViewOptions {
  chatId: string;
  onInsert: (text: string) => void;
}

/**
 * The group's responses as a tree of folders (disclosure widgets) and responses (buttons that put
 * their text in the message box), with a search box that narrows the tree as one types.
 */
export class ResponsesView {
  readonly element: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly tree: HTMLElement;
  private items: ResponseItem[] = [];
  private state: 'loading' | 'ready' | 'failed' = 'loading';

  constructor(private readonly options: ResponsesViewOptions) {
    const headingId = `responses-heading-${options.chatId}`;
    const searchId = `responses-search-${options.chatId}`;
    this.search = el('input', {
      id: searchId,
      className: 'responses-search',
      attrs: { type: 'search', autocomplete: 'off' },
      on: { input: () => this.render() },
    });
    this.tree = el('div', { className: 'responses-tree' });
    this.element = el(
      'section',
      { className: 'responses', attrs: { 'aria-labelledby': headingId } },
      el('h2', { id: headingId, text: t.responsesHeading }),
      el('label', { text: t.responsesSearch, attrs: { for: searchId } }),
      this.search,
      this.tree,
    );
  }

  show(items: ResponseItem[]): void {
    this.items = items;
    this.state = 'ready';
    this.render();
  }

  failed(): void {
    this.state = 'failed';
    this.render();
  }

  private render(): void {
    if (this.state === 'failed') {
      this.tree.replaceChildren(el('p', { className: 'muted', text: t.responsesUnavailable }));
      return;
    }
    if (this.state === 'loading') return;
    const query = this.search.value.trim();
    const shown = filterResponses(this.items, query);
    if (shown.length === 0) {
      const text = this.items.length === 0 ? t.responsesNone : t.responsesNoMatch;
      this.tree.replaceChildren(el('p', { className: 'muted', text }));
      return;
    }
    this.tree.replaceChildren(this.list(shown, query !== ''));
  }

  private list(items: readonly ResponseItem[], expand: boolean): HTMLElement {
    return el(
      'ul',
      {},
      ...items.map((item) =>
        el('li', {}, item.Children === undefined ? this.leaf(item) : this.folder(item, expand)),
      ),
    );
  }

  private folder(item: ResponseItem, expand: boolean): HTMLElement {
    const folder = el(
      'details',
      {},
      el('summary', { text: item.Name }),
      this.list(item.Children ?? [], expand),
    );
    folder.open = expand;
    return folder;
  }

  private leaf(item: ResponseItem): HTMLElement {
    const text = item.Text ?? '';
    return el(
      'button',
      {
        className: 'response',
        attrs: { type: 'button', title: fill(t.responseInsert, item.Name) },
        on: { click: () => this.options.onInsert(text) },
      },
      el('span', { className: 'response-name', text: item.Name }),
      el('span', { className: 'response-text', text }),
    );
  }
}
