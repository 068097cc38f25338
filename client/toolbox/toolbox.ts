import type { ToolboxBoot, ToolboxConfig } from '../../server/customer-chat/gateway/toolbox-boot';
import { AvailabilityPoller, askQueueInfo } from './availability-poller';
import { ChatAnnouncer } from './chat-announcer';
import { ChatLife } from './chat-life';
import { ConnectionNotice } from './connection-notice';
import { IdleWatch } from './idle-watch';
import type { ChatToolboxNamespace } from './namespace';
import { Outbox } from './outbox';
import type { PageApi } from './page-api';
import { wirePage } from './page-wiring';
import { SessionStore } from './session-store';
import { ChatConnection } from './socket-client';
import type { Texts } from './texts';
import { adoptTheme } from './theme';
import { ToolboxFrame } from './views/frame';

export interface ToolboxOptions {
  boot: ToolboxBoot;
  texts: Texts;
  /** Config after customizePage. */
  page: ToolboxConfig;
  namespace: ChatToolboxNamespace;
  /** Mitel.ChatToolbox's methods and events. */
  api: PageApi;
}

/**
 * The toolbox at work: the card and its tab, the connection to CustomerChat, the chat's life and
 * the host page's API, tied together. The chat is kept in the site's storage (SessionStore), so
 * every tab and the next page of the site show the same chat.
 */
export class Toolbox {
  // The toolbox's classes keep their state in JavaScript's private names (#): the minifier
  // shortens those, and the served script has a size target (30 KB gzip'd).
  readonly #store: SessionStore;
  readonly #frame: ToolboxFrame;
  readonly #connection: ChatConnection;
  readonly #poller: AvailabilityPoller;
  readonly #outbox: Outbox;
  readonly #idle: IdleWatch;
  readonly #announcer: ChatAnnouncer;
  readonly #life: ChatLife;
  readonly #notice: ConnectionNotice;
  /** Config after customizePage, and after the page's setUser calls. */
  #page: ToolboxConfig;

  readonly #options: ToolboxOptions;

  constructor(options: ToolboxOptions) {
    this.#options = options;
    const { boot, texts, page, api, namespace } = options;
    this.#page = page;
    const { shared, perTab } = browserStorages();
    this.#store = new SessionStore(shared, perTab);
    this.#frame = new ToolboxFrame(texts, page.ToolboxPosition, page.AllowMovingChatCard, {
      onOpen: () => this.#open(),
      onMinimise: () => this.#minimise(),
      onClose: () => void this.#life.close(),
      onUnread: (count) => api.emit('unread', { count }),
    });
    adoptTheme(this.#frame.host, page);
    this.#announcer = new ChatAnnouncer(api, () => this.#life.config.HideAgentName);
    this.#connection = new ChatConnection(
      boot.origin,
      this.#store.state.polling === true,
      boot.sendWindowSeconds,
    );
    this.#outbox = new Outbox({
      connection: this.#connection,
      origin: boot.origin,
      texts,
      config: () => this.#life.config,
      token: () => this.#life.token,
      view: () => this.#life.view,
    });
    this.#poller = new AvailabilityPoller({
      intervalSeconds: page.StatePollInterval,
      ask: () => askQueueInfo(this.#connection, this.#page),
      onResult: (info) => this.#life.availability(info),
    });
    this.#idle = new IdleWatch({
      texts,
      alert: (text) => this.#frame.alert(text),
      alertText: () => this.#frame.alertText,
      markUnread: () => this.#frame.markUnread(),
      onTimeout: () => this.#life.idleTimeout(),
    });
    this.#notice = new ConnectionNotice(this.#frame, texts, navigator.onLine);
    this.#life = new ChatLife({
      boot,
      texts,
      namespace,
      api,
      frame: this.#frame,
      connection: this.#connection,
      store: this.#store,
      outbox: this.#outbox,
      poller: this.#poller,
      idle: this.#idle,
      announcer: this.#announcer,
      page: () => this.#page,
      minimise: () => this.#minimise(),
    });
  }

  start(): void {
    const page = this.#page;
    const connection = this.#connection;
    const frame = this.#frame;
    document.body.append(frame.host);
    const resumed = this.#store.state.chat !== undefined;
    frame.showTab(page.ShowWhenUnavailable || resumed);
    performance.mark('customerchat:tab');
    if (page.AllowMovingChatCard)
      frame.makeMovable(this.#store.state.offset, (offset) => this.#store.update({ offset }));
    this.#life.begin();
    this.#listen();
    if (resumed && this.#store.state.open) this.#open();
    // After the tab's first paint: opening the socket takes a few milliseconds.
    setTimeout(() => connection.connect(), 0);
    wirePage({
      api: this.#options.api,
      namespace: this.#options.namespace,
      frame,
      page,
      open: () => this.#open(),
      minimise: () => this.#minimise(),
      userChanged: (values) => {
        this.#page = { ...this.#page, ...values };
        this.#life.pageChanged();
      },
      posted: (message, hideLocal) => this.#posted(message, hideLocal),
    });
    if (resumed) this.#announcer.started(true);
  }

  /** What CustomerChat and the browser tell the page, and what it does on every (re)connect. */
  #listen(): void {
    const connection = this.#connection;
    const notice = this.#notice;
    connection.on('chat:event', (event) => this.#life.receive(event, true));
    connection.on('agent:typing', ({ name }) => this.#life.agentTyping(name));
    connection.on('service:status', ({ available }) => notice.service(available));
    connection.onOriginRefused(() => this.#life.originRefused());
    connection.onConnect(() => {
      notice.socket(true);
      // A page told of an outage by the instance it left hears nothing more of it: start afresh.
      notice.service(true);
      if (connection.onPolling && !this.#store.state.polling) this.#store.update({ polling: true });
      if (this.#life.hasChat) void this.#life.resume();
      void this.#outbox.loadServiceLimits();
    });
    connection.onDisconnect(() => notice.socket(false));
    window.addEventListener('offline', () => notice.browserOnline(false));
    window.addEventListener('online', () => {
      notice.browserOnline(true);
      // Still connected (the socket outlived the outage): what waited goes now.
      if (connection.connected && this.#life.hasChat) void this.#outbox.retryWaiting();
    });
  }

  #posted(message: string, hideLocal: boolean): void {
    if (!this.#life.writable) return;
    const max = this.#outbox.maxMessageLength();
    if (max > 0 && message.length > max)
      console.warn(`A posted message is longer than ${max} characters: not sent.`);
    else this.#outbox.send(message, hideLocal);
  }

  #open(): void {
    this.#frame.open();
    this.#store.update({ open: true });
  }

  #minimise(): void {
    this.#frame.minimise();
    this.#store.update({ open: false });
    // An ended chat put away is done with: the next opening shows what comes after it.
    if (this.#life.hasChat && this.#life.isEnded) this.#life.dismiss();
  }
}

/** The site's localStorage and the tab's sessionStorage, each or none where the page may not. */
function browserStorages(): { shared: Storage | undefined; perTab: Storage | undefined } {
  return { shared: storageOrNothing('localStorage'), perTab: storageOrNothing('sessionStorage') };
}

function storageOrNothing(name: 'localStorage' | 'sessionStorage'): Storage | undefined {
  try {
    return window[name];
  } catch {
    // A sandboxed frame: the chat lasts as long as the page.
    return undefined;
  }
}
