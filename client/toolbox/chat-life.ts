import type { ToolboxBoot, ToolboxConfig } from '../../server/customer-chat/gateway/toolbox-boot';
import type { LoggedEvent } from '../../server/customer-chat/session/visitor-events';
import { groupOf, type AvailabilityPoller } from './availability-poller';
import type { ChatAnnouncer } from './chat-announcer';
import { inChat, nextPhase, type Phase, type PhaseInput } from './chat-phase';
import { requestChat } from './chat-request';
import { ConversationLog } from './conversation-log';
import type { IdleWatch } from './idle-watch';
import type { ChatToolboxNamespace } from './namespace';
import type { Outbox } from './outbox';
import type { PageApi } from './page-api';
import type { SavedChat, SessionStore } from './session-store';
import { oneTabAtATime } from './tab-lock';
import type { ChatConnection, QueueInfo } from './socket-client';
import type { Texts } from './texts';
import { drawPage } from './views/chat-pages';
import type { ConversationView } from './views/conversation-view';
import type { ToolboxFrame } from './views/frame';
import type { PrechatEntries, PrechatView } from './views/prechat-view';
import type { WaitingView } from './views/waiting-view';

export interface ChatLifeOptions {
  boot: ToolboxBoot;
  texts: Texts;
  namespace: ChatToolboxNamespace;
  api: PageApi;
  frame: ToolboxFrame;
  connection: ChatConnection;
  store: SessionStore;
  outbox: Outbox;
  poller: AvailabilityPoller;
  idle: IdleWatch;
  announcer: ChatAnnouncer;
  /** Config after customizePage, and after the page's setUser calls. */
  page: () => ToolboxConfig;
  /** Puts the card away (the visitor closed an ended chat from the pre-chat page). */
  minimise: () => void;
}

/**
 * One chat's life on this page: requested (or resumed from the store), its events received into a
 * ConversationLog so nothing shows twice or goes missing, ended, and dismissed to the post-chat or
 * pre-chat page. It owns the phase and draws the page of each.
 */
export class ChatLife {
  #phase: Phase = 'prechat';
  #chat: SavedChat | undefined;
  readonly #log = new ConversationLog();
  /** True once the page holds the whole conversation: later resumes ask only for what is new. */
  #complete = false;
  #ended = false;
  #queue = { position: 0, wait: -1 };
  #lastWait = -1;
  #closedMessage: string | null = null;
  #rejected = false;
  #prechat: PrechatView | undefined;
  #waiting: WaitingView | undefined;
  #conversation: ConversationView | undefined;
  #postChatTimer: ReturnType<typeof setTimeout> | undefined;

  readonly #options: ChatLifeOptions;

  constructor(options: ChatLifeOptions) {
    this.#options = options;
  }

  /** The running chat's token, if there is one. */
  get token(): string | undefined {
    return this.#chat?.token;
  }

  get hasChat(): boolean {
    return this.#chat !== undefined;
  }

  get isEnded(): boolean {
    return this.#ended;
  }

  /** The conversation page, while it shows. */
  get view(): ConversationView | undefined {
    return this.#conversation;
  }

  /** A conversation the visitor may still write in. */
  get writable(): boolean {
    return this.#phase === 'conversation' && !this.#ended;
  }

  /** Config of the running chat (as customizeRequest left it), else the page's. */
  get config(): ToolboxConfig {
    return this.#chat?.config ?? this.#options.page();
  }

  /** The chat kept by an earlier page or another tab, shown from the start; false when none. */
  begin(): boolean {
    this.#chat = this.#options.store.state.chat;
    this.#options.store.watch(window, (chat) => this.#chatElsewhere(chat));
    this.#render();
    if (this.#chat === undefined) {
      this.#options.poller.start();
      return false;
    }
    this.#enterChat();
    return true;
  }

  /** The pre-chat page shows the page's details: drawn again after setUser. */
  pageChanged(): void {
    if (this.#phase === 'prechat') this.#render();
  }

  agentTyping(name: string): void {
    if (this.writable) this.#conversation?.agentTyping(name);
  }

  #setPhase(input: PhaseInput): void {
    const next = nextPhase(this.#phase, input);
    if (next === this.#phase) return;
    this.#phase = next;
    this.#render();
  }

  #render(): void {
    const { boot, texts, connection, outbox, frame } = this.#options;
    const page = this.#options.page();
    const drawn = drawPage(
      {
        phase: this.#phase,
        texts,
        origin: boot.origin,
        asksCustomerDetails: boot.asksCustomerDetails,
        page,
        chat: this.#chat,
        events: this.#log.events,
        ended: this.#ended,
        queue: this.#queue,
        lastWait: this.#lastWait,
        closedMessage: this.#closedMessage,
        rejected: this.#rejected,
      },
      {
        request: (entries) => void this.#request(entries),
        restart: () => this.#forgetChat('prechat'),
        leaveMessage: async (entries) => {
          const reply = await connection.leaveMessage({
            ...groupOf(this.#options.page()),
            ...entries,
          });
          return reply.ok;
        },
        rate: (rating, comment) => connection.rate(rating, comment),
        conversation: outbox.handlers(
          () => this.#activity(),
          () => this.#forgetChat('prechat'),
        ),
      },
    );
    ({ prechat: this.#prechat, waiting: this.#waiting, conversation: this.#conversation } = drawn);
    frame.setPage(drawn.element, drawn.closable);
    if (drawn.conversation === undefined) return;
    outbox.showLimits();
    if (!this.#ended) this.#options.idle.restart();
  }

  /** One chat per visitor: tabs pressing Start together take turns, the later adopting the chat. */
  #request(entries: PrechatEntries): Promise<void> {
    const lock = `customerchat-start ${this.#options.boot.origin}`;
    return oneTabAtATime(lock, () => this.#requestAlone(entries));
  }

  async #requestAlone(entries: PrechatEntries): Promise<void> {
    const { texts, namespace, connection, frame, store, announcer, api } = this.#options;
    // A chat started in another tab since this page was drawn is shown instead.
    const running = store.latestChat();
    if (running !== undefined) return this.#adopt(running);
    this.#prechat?.setBusy(true);
    frame.alert();
    this.#log.clear();
    const outcome = await requestChat(connection, texts, namespace, this.#options.page(), entries);
    this.#prechat?.setBusy(false);
    if (outcome.kind === 'refused') return frame.alert(outcome.text);
    if (outcome.kind === 'closed') {
      this.#closedMessage = outcome.message;
      return this.#setPhase({ type: 'availability', open: false });
    }
    this.#chat = outcome.chat;
    store.update({ chat: this.#chat });
    // The events so far came with the request, before this answer.
    this.#complete = true;
    if (this.#queue.position === 0)
      this.#queue = { position: outcome.queuePosition, wait: outcome.estimatedWaitSeconds };
    announcer.started(false);
    // What came before the answer, for the page's handlers too.
    const queued = this.#log.events.some((event) => event.type === 'queued');
    if (!queued && this.#queue.position > 0)
      api.emit('queuePosition', {
        position: this.#queue.position,
        estimatedWaitSeconds: this.#queue.wait,
      });
    for (const event of this.#log.events) announcer.event(event);
    this.#enterChat();
  }

  /**
   * Another tab started a chat (shown here too, unless this tab still runs its own) or forgot one
   * (left on show: its end comes by the socket too).
   */
  #chatElsewhere(chat: SavedChat | undefined): void {
    if (chat === undefined || chat.token === this.#chat?.token) return;
    if (this.#chat === undefined || this.#ended) this.#adopt(chat);
  }

  /** Shows the visitor's running chat, from its start; the socket resumes it. */
  #adopt(chat: SavedChat): void {
    clearTimeout(this.#postChatTimer);
    this.#options.outbox.clear();
    this.#log.clear();
    this.#chat = chat;
    this.#complete = this.#ended = false;
    this.#queue = { position: 0, wait: -1 };
    this.#phase = 'prechat';
    this.#enterChat();
    this.#options.announcer.started(true);
    if (this.#options.connection.connected) void this.resume();
  }

  /** Shows the chat held in this.#chat, from what the log has so far. */
  #enterChat(): void {
    this.#options.poller.stop();
    this.#options.frame.showTab(true);
    this.#options.idle.arm(this.config);
    this.#setPhase({ type: 'started' });
    if (this.#log.agentJoined) this.#setPhase({ type: 'agentJoined' });
    if (this.#log.ended) this.#chatEnded();
  }

  /** All events of the chat on the first connect of this page, then those after the last seen. */
  async resume(): Promise<void> {
    const chat = this.#chat;
    if (chat === undefined) return;
    // On this page's first connect the events are the story so far, not news for the page.
    const catchingUp = this.#complete;
    const reply = await this.#options.connection.resume(
      chat.token,
      this.#complete ? this.#log.lastSeq : 0,
    );
    if (this.#chat !== chat) return;
    if (!reply.ok) {
      if (reply.error.code === 'UnknownSession') this.#forgetChat('prechat');
      else this.#options.frame.alert(this.#options.texts.t('ErrorOccurred'));
      return;
    }
    if (!this.#complete) {
      // Drawn again from the start: whatever this page showed before is replaced, not added to.
      this.#complete = true;
      this.#log.clear();
      this.#phase = 'prechat';
      this.#enterChat();
    }
    for (const event of reply.events) this.receive(event, false, catchingUp);
    if (reply.ended) this.#chatEnded();
    else await this.#options.outbox.retryWaiting();
  }

  /** `announce`: the page's handlers hear of it (not when a new page replays the chat). */
  receive(event: LoggedEvent, live: boolean, announce = live): void {
    const arrival = this.#log.accept(event);
    if (arrival === 'gap') return void this.resume();
    if (arrival === 'seen' || this.#chat === undefined) return;
    if (announce) this.#options.announcer.event(event);
    if (event.type === 'queued') {
      this.#queue = { position: event.position, wait: event.estimatedWaitSeconds };
      this.#waiting?.update(event.position, event.estimatedWaitSeconds);
    }
    if (this.#phase === 'waiting' && event.type === 'agentJoined') {
      // The conversation page is drawn from the log, this event included.
      this.#setPhase({ type: 'agentJoined' });
    } else if (this.#phase === 'conversation' && !(event.type === 'ended' && this.#ended)) {
      this.#conversation?.add(event);
    }
    const mine = event.type === 'message' && event.from === 'visitor';
    if (live && !mine && event.type !== 'queued') this.#options.frame.markUnread();
    // Written in another tab is activity too: this tab's idle time must not end the chat.
    if (live && mine) this.#activity();
    if (event.type === 'ended') this.#chatEnded();
  }

  #chatEnded(notice?: string): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#options.idle.stop();
    if (this.#phase === 'waiting') {
      // Ended in the queue: the conversation page shows the end, drawn from the log.
      this.#setPhase({ type: 'ended' });
    } else {
      if (notice !== undefined) this.#conversation?.notice(notice);
      this.#conversation?.end();
      this.#options.frame.setClosable(false);
    }
    const { ShowPostChat, TimeoutAfterConversation } = this.config;
    if (ShowPostChat && TimeoutAfterConversation > 0)
      this.#postChatTimer = setTimeout(() => this.dismiss(), TimeoutAfterConversation * 1000);
  }

  idleTimeout(): void {
    if (this.#chat === undefined || this.#ended) return;
    this.#options.announcer.ended('idleTimeout');
    void this.#options.connection.leave('idle');
    this.#chatEnded(this.#options.texts.t('SessionTimeout'));
  }

  /** The visitor is done with the chat: the post-chat page (ShowPostChat) or a new pre-chat page. */
  dismiss(): void {
    this.#forgetChat(this.config.ShowPostChat ? 'postchat' : 'prechat');
  }

  #forgetChat(to: 'prechat' | 'postchat'): void {
    clearTimeout(this.#postChatTimer);
    this.#options.idle.stop();
    if (this.#chat !== undefined) this.#options.store.forget(this.#chat.token);
    this.#chat = undefined;
    this.#log.clear();
    this.#options.outbox.clear();
    this.#complete = this.#ended = false;
    this.#queue = { position: 0, wait: -1 };
    this.#phase = to;
    this.#render();
    this.#options.poller.start();
  }

  async close(): Promise<void> {
    if (!(await this.#options.frame.confirmClose()) || this.#chat === undefined) return;
    if (!this.#ended) this.#options.announcer.ended('visitorClosed');
    void this.#options.connection.leave();
    this.#ended = true;
    this.dismiss();
    if (this.#phase === 'prechat') this.#options.minimise();
  }

  /** The visitor typed, sent or uploaded: the idle time starts over. */
  #activity(): void {
    if (this.writable) this.#options.idle.restart();
  }

  /** CustomerChat refused this site's origin: the unavailable page says chat is not offered here. */
  originRefused(): void {
    this.#closedMessage = this.#options.texts.t('NotAvailableHere');
  }

  availability(info: QueueInfo): void {
    const { frame, api } = this.#options;
    this.#lastWait = info.estimatedWaitSeconds;
    this.#prechat?.setWait(info.estimatedWaitSeconds);
    // A service without the ClosedMessage extension: RequestChat's closed message stays shown.
    this.#closedMessage = info.open ? null : (info.closedMessage ?? this.#closedMessage);
    this.#rejected = info.rejected;
    api.emit('availability', {
      open: info.open,
      estimatedWaitSeconds: info.estimatedWaitSeconds,
    });
    const visible =
      this.#options.page().ShowWhenUnavailable || info.open || this.#chat !== undefined;
    if (!visible && frame.isOpen) frame.minimise();
    frame.showTab(visible);
    if (!inChat(this.#phase)) this.#setPhase({ type: 'availability', open: info.open });
  }
}
