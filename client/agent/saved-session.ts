import type { AgentProfile } from '../../server/protocol/agent-api';

/** What survives a page reload: the token, who it belongs to, and the last event applied. */
export interface SavedSession {
  token: string;
  agent: AgentProfile;
  lastSeq: number;
}

const storageKey = 'customerchat.agent-console.session';

/**
 * The agent's session in sessionStorage: it lives as long as the browser tab, so a reload keeps
 * the agent logged in while another tab or a closed browser starts over.
 */
export class SessionKeeper {
  constructor(private readonly storage: Storage) {}

  load(): SavedSession | null {
    const raw = this.storage.getItem(storageKey);
    if (raw === null) return null;
    try {
      const saved = JSON.parse(raw) as Partial<SavedSession>;
      if (
        typeof saved.token === 'string' &&
        typeof saved.lastSeq === 'number' &&
        typeof saved.agent?.AgentID === 'string'
      )
        return saved as SavedSession;
    } catch (error) {
      // A damaged entry is dropped: the agent logs in again.
      console.warn('agent console: saved session unreadable', error);
    }
    this.clear();
    return null;
  }

  save(session: SavedSession): void {
    this.storage.setItem(storageKey, JSON.stringify(session));
  }

  saveSeq(lastSeq: number): void {
    const saved = this.load();
    if (saved !== null) this.save({ ...saved, lastSeq });
  }

  clear(): void {
    this.storage.removeItem(storageKey);
  }
}
