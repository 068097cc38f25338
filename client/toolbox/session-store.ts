import type { ToolboxConfig } from '../../server/customer-chat/gateway/toolbox-boot';

/** The visitor's chat on this site: enough for any tab or the next page to show it. */
export interface SavedChat {
  token: string;
  /** The group's queue message from the request, shown while waiting. */
  queueMessage: string | null;
  /** Config as customizeRequest left it: the chat keeps it on every page. */
  config: ToolboxConfig;
}

/** What belongs to one tab: where its card is, and how its own connection gets through. */
export interface TabState {
  open?: boolean;
  offset?: { x: number; y: number };
  /** WebSocket was refused in this tab: its next pages go straight to long-polling. */
  polling?: boolean;
}

export interface SavedState extends TabState {
  chat?: SavedChat;
}

/** The part of the browser's Storage used here (and all a test needs to give). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Where the browser tells a tab of another tab's localStorage writes: the window. */
export interface StorageEvents {
  addEventListener(type: 'storage', listener: (event: { key: string | null }) => void): void;
}

const chatKey = 'customerchat.chat';
const tabKey = 'customerchat.toolbox';

/**
 * The chat is the visitor's, in every tab of the site: kept in the site's localStorage (first
 * party; another browser profile or a private window has its own, so is another visitor), and
 * each tab hears through `storage` events when another starts or forgets one. The card's place and
 * the transport belong to the tab (sessionStorage): a new tab starts with the card closed, and
 * one tab's blocked WebSocket says nothing of another's. Where storage is refused (privacy
 * settings, a sandboxed frame), the state lives as long as the page.
 */
export class SessionStore {
  #chat: SavedChat | undefined;
  #tab: TabState;

  readonly #shared: KeyValueStorage | undefined;
  readonly #perTab: KeyValueStorage | undefined;

  constructor(shared: KeyValueStorage | undefined, perTab: KeyValueStorage | undefined) {
    this.#shared = shared;
    this.#perTab = perTab;
    this.#chat = this.#readChat();
    this.#tab = parse(attempt(() => perTab?.getItem(tabKey)));
  }

  get state(): Readonly<SavedState> {
    return this.#chat === undefined ? this.#tab : { ...this.#tab, chat: this.#chat };
  }

  /** The chat as the site's storage has it now (another tab may have started one meanwhile). */
  latestChat(): SavedChat | undefined {
    return this.#shared ? (this.#chat = this.#readChat()) : this.#chat;
  }

  update(change: Partial<SavedState>): void {
    const { chat, ...tab } = change;
    if ('chat' in change) this.#setChat(chat);
    if (Object.keys(tab).length === 0) return;
    this.#tab = { ...this.#tab, ...tab };
    const text = JSON.stringify(this.#tab);
    attempt(() => this.#perTab?.setItem(tabKey, text));
  }

  /**
   * Forgets the chat of this token, unless another tab has put a newer one in its place (that one
   * is the visitor's now, and this tab follows it).
   */
  forget(token: string): void {
    const stored = this.latestChat();
    if (stored === undefined || stored.token === token) this.#setChat(undefined);
  }

  /** Calls `changed` when another tab of the site starts a chat or forgets one. */
  watch(win: StorageEvents, changed: (chat: SavedChat | undefined) => void): void {
    // Only localStorage writes reach other tabs; null: it was cleared.
    win.addEventListener('storage', ({ key }) => {
      if (key === chatKey || key === null) changed(this.latestChat());
    });
  }

  #setChat(chat: SavedChat | undefined): void {
    this.#chat = chat;
    attempt(() =>
      chat === undefined
        ? this.#shared?.removeItem(chatKey)
        : this.#shared?.setItem(chatKey, JSON.stringify(chat)),
    );
  }

  #readChat(): SavedChat | undefined {
    const saved = parse(attempt(() => this.#shared?.getItem(chatKey))) as Partial<SavedChat>;
    return typeof saved.token === 'string' && typeof saved.config === 'object'
      ? (saved as SavedChat)
      : undefined;
  }
}

function attempt<T>(action: () => T): T | undefined {
  try {
    return action();
  } catch (error) {
    // Storage is full or forbidden: the memory copy still serves this page.
    console.warn('The chat toolbox cannot use storage:', error);
    return undefined;
  }
}

function parse(text: string | null | undefined): Record<string, unknown> {
  if (typeof text !== 'string') return {};
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
