import { ConnectionNotice } from '../../client/toolbox/connection-notice';
import {
  SessionStore,
  type KeyValueStorage,
  type SavedChat,
  type StorageEvents,
} from '../../client/toolbox/session-store';
import { Texts } from '../../client/toolbox/texts';
import { builtInConfig } from '../../server/customer-chat/gateway/toolbox-boot';

/**
 * The toolbox's state across tabs (SessionStore) and the connection notice, without a browser:
 * the storages are in-memory ones, a "tab" is a store on them. The tabs themselves are shown in
 * toolbox-tabs-and-sending.test.ts.
 */

class MemoryStorage implements KeyValueStorage {
  private readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

const chat = (token: string): SavedChat => ({ token, queueMessage: null, config: builtInConfig });

/** A tab's window as far as storage events go. */
class TabWindow implements StorageEvents {
  private readonly listeners: Parameters<StorageEvents['addEventListener']>[1][] = [];
  addEventListener(_type: 'storage', listener: Parameters<StorageEvents['addEventListener']>[1]) {
    this.listeners.push(listener);
  }
  /** What a browser does for the other tabs of a site when one writes its localStorage. */
  written(key: string): void {
    for (const listener of this.listeners) listener({ key });
  }
}

describe('The toolbox state of a visitor across tabs', () => {
  test('When one tab starts a chat, then a tab opened later finds it, while the card and the transport stay per tab', () => {
    const site = new MemoryStorage();
    const first = new SessionStore(site, new MemoryStorage());
    first.update({ chat: chat('t1'), open: true, polling: true, offset: { x: 5, y: 6 } });

    const later = new SessionStore(site, new MemoryStorage());
    expect(later.state).toEqual({ chat: chat('t1') });
    later.update({ open: false });
    expect(first.state).toMatchObject({ open: true, polling: true, chat: chat('t1') });
  });

  test('When another tab starts or forgets a chat, then a watching tab hears of it; other keys are not its business', () => {
    const site = new MemoryStorage();
    const win = new TabWindow();
    const watching = new SessionStore(site, new MemoryStorage());
    const heard: Array<SavedChat | undefined> = [];
    watching.watch(win, (saved) => heard.push(saved));
    const other = new SessionStore(site, new MemoryStorage());

    other.update({ chat: chat('t2') });
    win.written('customerchat.chat');
    win.written('something.else');
    other.forget('t2');
    win.written('customerchat.chat');
    expect(heard).toEqual([chat('t2'), undefined]);
  });

  test('When a tab forgets its ended chat after another tab started a new one, then the new one stays', () => {
    const site = new MemoryStorage();
    const old = new SessionStore(site, new MemoryStorage());
    old.update({ chat: chat('ended') });
    new SessionStore(site, new MemoryStorage()).update({ chat: chat('new') });
    old.forget('ended');
    expect(new SessionStore(site, new MemoryStorage()).state.chat).toEqual(chat('new'));
    expect(old.latestChat()).toEqual(chat('new'));
  });

  test('When storage is refused or holds nonsense, then the state lives in memory and nothing throws', () => {
    const broken = new MemoryStorage();
    broken.setItem('customerchat.chat', '{not json');
    broken.setItem('customerchat.toolbox', '"a string"');
    const store = new SessionStore(broken, broken);
    expect(store.state).toEqual({});
    const none = new SessionStore(undefined, undefined);
    none.update({ chat: chat('t3'), open: true });
    expect(none.state).toEqual({ chat: chat('t3'), open: true });
  });
});

describe('The connection notice', () => {
  const texts = new Texts({ culture: '', rightToLeft: false, strings: {} });
  function line() {
    const shown: Array<string | undefined> = [];
    let text = '';
    return {
      shown,
      line: {
        alert: (next?: string) => {
          text = next ?? '';
          shown.push(next);
        },
        get alertText() {
          return text;
        },
      },
    };
  }

  test('When the page loses its connection, goes offline or the service stops answering, then it says so, and clears only its own text', () => {
    const { line: alertLine, shown } = line();
    const notice = new ConnectionNotice(alertLine, texts, true);
    notice.socket(true);
    expect(shown).toEqual([]);
    notice.service(false);
    notice.socket(false);
    notice.socket(true);
    notice.service(true);
    notice.browserOnline(false);
    notice.browserOnline(true);
    expect(shown).toEqual([
      'ServiceUnreachable',
      'Reconnecting',
      'ServiceUnreachable',
      undefined,
      'Reconnecting',
      undefined,
    ]);

    alertLine.alert('SessionWillSoonBeClosed');
    notice.service(true);
    expect(alertLine.alertText).toBe('SessionWillSoonBeClosed');
  });
});
