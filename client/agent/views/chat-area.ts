import type { ConsoleController } from '../console-controller';
import { consoleText as t, fill } from '../console-text';
import type { ChatSession, ConsoleStore, StoreChange } from '../console-store';
import { el, setAttrs } from '../dom';
import { ChatPanel, type ChatPanelOptions } from './chat-panel';

export interface ChatAreaOptions {
  store: ConsoleStore;
  controller: ConsoleController;
  openTransfer: ChatPanelOptions['openTransfer'];
  openTranscript: ChatPanelOptions['openTranscript'];
}

/**
 * The agent's chats as tabs (WAI-ARIA tabs: arrow keys, Home and End move between them), each tab
 * with the customer's name and its unread count, and the active chat's panel below.
 */
export class ChatArea {
  readonly element: HTMLElement;
  private readonly tablist: HTMLElement;
  private readonly panels: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly tabs = new Map<string, HTMLButtonElement>();
  private readonly chatPanels = new Map<string, ChatPanel>();

  constructor(private readonly options: ChatAreaOptions) {
    this.tablist = el('div', {
      className: 'chat-tabs',
      attrs: { role: 'tablist', 'aria-label': t.chatsLabel },
      on: { keydown: (event) => this.onTabKey(event) },
    });
    this.panels = el('div', { className: 'chat-panels' });
    this.empty = el('p', { className: 'no-chats' });
    this.element = el(
      'section',
      { className: 'chat-area', attrs: { 'aria-label': t.chatsLabel } },
      this.tablist,
      this.empty,
      this.panels,
    );
    this.sync();
    this.renderEmpty();
    options.store.subscribe((change) => this.onChange(change));
  }

  /** Goes to the n-th chat (1-based) and puts the keyboard in it. */
  openNth(position: number): void {
    const chat = this.options.store.chatList[position - 1];
    if (chat === undefined) return;
    this.options.store.activate(chat.id);
    this.chatPanels.get(chat.id)?.focus();
  }

  focusActive(): void {
    const id = this.options.store.activeChatId;
    if (id !== null) this.chatPanels.get(id)?.focus();
  }

  private onChange(change: StoreChange): void {
    switch (change.type) {
      case 'chats':
      case 'active':
        this.sync();
        return;
      case 'details':
        this.chatPanels.get(change.chatId)?.renderDetails();
        this.renderTab(change.chatId);
        return;
      case 'line':
        this.chatPanels.get(change.chatId)?.addLine(change.line);
        this.chatPanels.get(change.chatId)?.renderTyping();
        return;
      case 'unread':
        this.renderTab(change.chatId);
        return;
      case 'typing':
        this.chatPanels.get(change.chatId)?.renderTyping();
        return;
      case 'ready':
        this.renderEmpty();
        return;
      case 'ended': {
        const panel = this.chatPanels.get(change.chatId);
        const hadFocus = panel?.element.contains(document.activeElement) === true;
        panel?.renderEnded();
        this.renderTab(change.chatId);
        if (hadFocus || document.activeElement === document.body) panel?.focus();
        return;
      }
      default:
        return;
    }
  }

  /** Adds and removes tabs and panels to match the store, and shows the active one. */
  private sync(): void {
    const { store } = this.options;
    for (const [id, panel] of this.chatPanels) {
      if (store.chats.has(id)) continue;
      panel.dispose();
      panel.element.remove();
      this.tabs.get(id)?.remove();
      this.chatPanels.delete(id);
      this.tabs.delete(id);
    }
    for (const chat of store.chatList) {
      if (this.chatPanels.has(chat.id)) continue;
      const panel = this.createPanel(chat);
      this.chatPanels.set(chat.id, panel);
      this.panels.append(panel.element);
      const tab = el('button', {
        className: 'chat-tab',
        id: `tab-${chat.id}`,
        attrs: { type: 'button', role: 'tab', 'aria-controls': `panel-${chat.id}` },
        on: { click: () => store.activate(chat.id) },
      });
      this.tabs.set(chat.id, tab);
      this.tablist.append(tab);
    }
    if (store.activeChatId === null && store.chatList.length > 0) {
      store.activate(store.chatList[0]?.id ?? '');
      return;
    }
    for (const id of this.tabs.keys()) this.renderTab(id);
    for (const [id, panel] of this.chatPanels) panel.element.hidden = id !== store.activeChatId;
    this.empty.hidden = store.chatList.length > 0;
    this.tablist.hidden = store.chatList.length === 0;
  }

  private renderEmpty(): void {
    this.empty.textContent = this.options.store.ready ? t.noChatsReady : t.noChats;
  }

  private createPanel(chat: ChatSession): ChatPanel {
    return new ChatPanel({
      chat,
      controller: this.options.controller,
      openTransfer: this.options.openTransfer,
      openTranscript: this.options.openTranscript,
    });
  }

  private renderTab(chatId: string): void {
    const tab = this.tabs.get(chatId);
    const chat = this.options.store.chats.get(chatId);
    if (tab === undefined || chat === undefined) return;
    const selected = this.options.store.activeChatId === chatId;
    setAttrs(tab, { 'aria-selected': selected ? 'true' : 'false', tabindex: selected ? 0 : -1 });
    tab.classList.toggle('is-ended', chat.ended !== null);
    const name = chat.details?.CustomerName || t.anonymous;
    const parts: HTMLElement[] = [el('span', { className: 'tab-name', text: name })];
    if (chat.ended !== null)
      parts.push(el('span', { className: 'tab-ended', text: t.chatEndedMark }));
    if (chat.unread > 0) {
      parts.push(
        el(
          'span',
          { className: 'tab-unread' },
          el('span', { text: String(chat.unread), attrs: { 'aria-hidden': 'true' } }),
          el('span', { className: 'visually-hidden', text: fill(t.unread, chat.unread) }),
        ),
      );
    }
    tab.replaceChildren(...parts);
  }

  private onTabKey(event: KeyboardEvent): void {
    const ids = [...this.tabs.keys()];
    const current = ids.indexOf(this.options.store.activeChatId ?? '');
    const target =
      event.key === 'ArrowRight'
        ? (current + 1) % ids.length
        : event.key === 'ArrowLeft'
          ? (current - 1 + ids.length) % ids.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? ids.length - 1
              : -1;
    const id = ids[target];
    if (id === undefined) return;
    event.preventDefault();
    this.options.store.activate(id);
    this.tabs.get(id)?.focus();
  }
}
