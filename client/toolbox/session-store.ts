import type { ToolboxConfig } from '../../server/customer-chat/gateway/toolbox-boot';

/** The chat of this tab: enough for the next page of the site to resume it. */
export interface SavedChat {
  token: string;
  /** The group's queue message from the request, shown while waiting. */
  queueMessage: string | null;
  /** Config as customizeRequest left it: the chat keeps it on every page. */
  config: ToolboxConfig;
}

export interface SavedState {
  chat?: SavedChat;
  open?: boolean;
  offset?: { x: number; y: number };
  /** WebSocket was refused on this site: the next pages go straight to long-polling. */
  polling?: boolean;
}

const key = 'customerchat.toolbox';

/**
 * Kept in sessionStorage: per tab, like the chat itself, and gone when the tab closes. Where
 * storage is refused (privacy settings), the state lives as long as the page.
 */
export class SessionStore {
  private memory: SavedState = {};

  constructor(private readonly storage: Storage | undefined) {
    const text = this.attempt(() => storage?.getItem(key));
    if (typeof text === 'string') this.memory = parse(text);
  }

  get state(): Readonly<SavedState> {
    return this.memory;
  }

  update(change: Partial<SavedState>): void {
    this.memory = { ...this.memory, ...change };
    const text = JSON.stringify(this.memory);
    this.attempt(() => this.storage?.setItem(key, text));
  }

  private attempt<T>(action: () => T): T | undefined {
    try {
      return action();
    } catch (error) {
      // Storage is full or forbidden: the memory copy still serves this page.
      console.warn('The chat toolbox cannot use sessionStorage:', error);
      return undefined;
    }
  }
}

function parse(text: string): SavedState {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as SavedState) : {};
  } catch {
    return {};
  }
}

/** The tab's sessionStorage, or none where the page may not use it. */
export function sessionStorageOrNothing(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    // A sandboxed frame: the chat lasts as long as the page.
    return undefined;
  }
}
