import type { ToolboxBoot, ToolboxConfig } from '../../server/customer-chat/gateway/toolbox-boot';
import type { LoggedEvent } from '../../server/customer-chat/session/visitor-events';
import { AvailabilityPoller, askQueueInfo, groupOf } from './availability-poller';
import { ChatAnnouncer } from './chat-announcer';
import { inChat, nextPhase, type Phase, type PhaseInput } from './chat-phase';
import { chatRequestOf, postedMessageOrigin, requestConfig } from './config';
import { ConversationLog } from './conversation-log';
import { IdleWatch } from './idle-watch';
import type { ChatToolboxNamespace } from './namespace';
import { Outbox } from './outbox';
import type { PageApi } from './page-api';
import { userConfig } from './page-user';
import { listenForPostedMessages } from './posted-messages';
import { SessionStore, sessionStorageOrNothing, type SavedChat } from './session-store';
import { ChatConnection, type QueueInfo } from './socket-client';
import type { Texts } from './texts';
import { drawPage } from './views/chat-pages';
import type { ConversationView } from './views/conversation-view';
import { ToolboxFrame } from './views/frame';
import type { PrechatEntries, PrechatView } from './views/prechat-view';
import type { WaitingView } from './views/waiting-view';

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
 * The toolbox at work: the pages (state machine and views) tied to CustomerChat. The chat's token
 * is kept in sessionStorage so the next page of the site resumes the chat, and the conversation in
 * a ConversationLog so nothing shows twice or goes missing.
 */
export class Toolbox {
  private phase: Phase = 'prechat';
  private chat: SavedChat | undefined;
  private readonly log = new ConversationLog();
  /** True once the page holds the whole conversation: later resumes ask only for what is new. */
  private complete = false;
  private ended = false;
  private queue = { position: 0, wait: -1 };
  private lastWait = -1;
  private closedMessage: string | null = null;
  private rejected = false;
  private prechat: PrechatView | undefined;
  private waiting: WaitingView | undefined;
  private conversation: ConversationView | undefined;
  private postChatTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly store = new SessionStore(sessionStorageOrNothing());
  private readonly frame: ToolboxFrame;
  private readonly connection: ChatConnection;
  private readonly poller: AvailabilityPoller;
  private readonly outbox: Outbox;
  private readonly idle: IdleWatch;
  private readonly announcer: ChatAnnouncer;
  /** Config after customizePage, and after the page's setUser calls. */
  private page: ToolboxConfig;

  constructor(private readonly options: ToolboxOptions) {
    const { boot, texts, page, api } = options;
    this.page = page;
    this.frame = new ToolboxFrame(texts, page.ToolboxPosition, page.AllowMovingChatCard, {
      onOpen: () => this.open(),
      onMinimise: () => this.minimise(),
      onClose: () => void this.close(),
      onUnread: (count) => api.emit('unread', { count }),
    });
    this.announcer = new ChatAnnouncer(api, () => this.chatConfig.HideAgentName);
    this.connection = new ChatConnection(boot.origin, this.store.state.polling === true);
    this.outbox = new Outbox({
      connection: this.connection,
      origin: boot.origin,
      texts,
      config: () => this.chatConfig,
      token: () => this.chat?.token,
      view: () => this.conversation,
    });
    this.poller = new AvailabilityPoller({
      intervalSeconds: page.StatePollInterval,
      ask: () => askQueueInfo(this.connection, this.page),
      onResult: (info) => this.availability(info),
    });
    this.idle = new IdleWatch({
      texts,
      alert: (text) => this.frame.alert(text),
      alertText: () => this.frame.alertText,
      markUnread: () => this.frame.markUnread(),
      onTimeout: () => this.idleTimeout(),
    });
  }

  start(): void {
    const { page } = this;
    document.body.append(this.frame.host);
    this.chat = this.store.state.chat;
    this.frame.showTab(page.ShowWhenUnavailable || this.chat !== undefined);
    performance.mark('customerchat:tab');
    if (page.AllowMovingChatCard)
      this.frame.makeMovable(this.store.state.offset, (offset) => this.store.update({ offset }));
    this.render();
    const { connection } = this;
    connection.on('chat:event', (event) => this.receive(event, true));
    connection.on('agent:typing', ({ name }) => {
      if (this.phase === 'conversation' && !this.ended) this.conversation?.agentTyping(name);
    });
    connection.on('service:status', ({ available }) => {
      const text = this.options.texts.t('ChatUnavailable');
      if (!available) this.frame.alert(text);
      else if (this.frame.alertText === text) this.frame.alert();
    });
    connection.onConnect(() => {
      if (connection.onPolling && !this.store.state.polling) this.store.update({ polling: true });
      if (this.chat !== undefined) void this.resume();
      void this.outbox.loadServiceLimits();
    });
    if (this.chat !== undefined) this.enterChat();
    else this.poller.start();
    if (this.chat !== undefined && this.store.state.open) this.open();
    // After the tab's first paint: opening the socket takes a few milliseconds.
    setTimeout(() => connection.connect(), 0);
    listenForPostedMessages(window, postedMessageOrigin(page, location.origin), (posted) => {
      if (this.phase !== 'conversation' || this.ended) return;
      const max = this.outbox.maxMessageLength();
      if (max > 0 && posted.message.length > max)
        console.warn(`A posted message is longer than ${max} characters: not sent.`);
      else this.outbox.send(posted.message, posted.hideLocal);
    });
    this.options.api.attach({
      open: () => {
        if (this.frame.tabChosen === 'hidden') this.frame.chooseTab('auto');
        this.open();
      },
      close: () => this.frame.isOpen && this.minimise(),
      toggle: () => (this.frame.isOpen ? this.minimise() : this.open()),
      show: () => this.frame.chooseTab('shown'),
      hide: () => this.frame.chooseTab('hidden'),
      setUser: (user) => this.setUser(user),
    });
    if (this.chat !== undefined) this.announcer.started(true);
  }

  /** Mitel.ChatToolbox.setUser: the details of the next chat request, and of the pre-chat page. */
  private setUser(user: unknown): void {
    const values = userConfig(user);
    if (typeof values === 'string') return console.warn(`Mitel.ChatToolbox.setUser ${values}.`);
    const { namespace } = this.options;
    namespace.Config = { ...(namespace.Config as object), ...values };
    this.page = { ...this.page, ...values };
    if (this.phase === 'prechat') this.render();
  }

  private get chatConfig(): ToolboxConfig {
    return this.chat?.config ?? this.page;
  }

  private setPhase(input: PhaseInput): void {
    const next = nextPhase(this.phase, input);
    if (next === this.phase) return;
    this.phase = next;
    this.render();
  }

  private render(): void {
    const { boot, texts } = this.options;
    const { page } = this;
    const drawn = drawPage(
      {
        phase: this.phase,
        texts,
        origin: boot.origin,
        asksCustomerDetails: boot.asksCustomerDetails,
        page,
        chat: this.chat,
        events: this.log.events,
        ended: this.ended,
        queue: this.queue,
        lastWait: this.lastWait,
        closedMessage: this.closedMessage,
        rejected: this.rejected,
      },
      {
        request: (entries) => void this.request(entries),
        restart: () => this.forgetChat('prechat'),
        leaveMessage: async (entries) => {
          const reply = await this.connection.leaveMessage({
            ...groupOf(this.page),
            ...entries,
          });
          return reply.ok;
        },
        conversation: {
          send: (text) => {
            this.activity();
            this.outbox.send(text, false);
          },
          retry: (id) => void this.outbox.retry(id),
          typed: () => {
            this.activity();
            this.outbox.typing();
          },
          checkFile: (file) => this.outbox.checkFile(file),
          upload: (file, progress) => {
            this.activity();
            return this.outbox.upload(file, progress);
          },
          restart: () => this.forgetChat('prechat'),
        },
      },
    );
    ({ prechat: this.prechat, waiting: this.waiting, conversation: this.conversation } = drawn);
    this.frame.setPage(drawn.element, drawn.closable);
    if (drawn.conversation === undefined) return;
    this.outbox.showLimits();
    if (!this.ended) this.idle.restart();
  }

  // --- the chat's life -------------------------------------------------------------------------

  private async request(entries: PrechatEntries): Promise<void> {
    const { texts, namespace } = this.options;
    const { page } = this;
    this.prechat?.setBusy(true);
    this.frame.alert();
    const config = requestConfig(namespace, page, entries);
    this.log.clear();
    const reply = await this.connection.request(chatRequestOf(config));
    this.prechat?.setBusy(false);
    if (!reply.ok) {
      const rejected = reply.error.code === 'RequestRejected';
      return this.frame.alert(texts.t(rejected ? 'RequestRejected' : 'ErrorRequestingChat'));
    }
    if ('closed' in reply) {
      this.closedMessage = reply.message;
      return this.setPhase({ type: 'availability', open: false });
    }
    this.chat = { token: reply.token, queueMessage: reply.message, config };
    this.store.update({ chat: this.chat });
    // The events so far came with the request, before this answer.
    this.complete = true;
    if (this.queue.position === 0)
      this.queue = { position: reply.queuePosition, wait: reply.estimatedWaitSeconds };
    this.announcer.started(false);
    // What came before the answer, for the page's handlers too.
    const queued = this.log.events.some((event) => event.type === 'queued');
    if (!queued && this.queue.position > 0)
      this.options.api.emit('queuePosition', {
        position: this.queue.position,
        estimatedWaitSeconds: this.queue.wait,
      });
    for (const event of this.log.events) this.announcer.event(event);
    this.enterChat();
  }

  /** Shows the chat held in this.chat, from what the log has so far. */
  private enterChat(): void {
    this.poller.stop();
    this.frame.showTab(true);
    this.idle.arm(this.chatConfig);
    this.setPhase({ type: 'started' });
    if (this.log.agentJoined) this.setPhase({ type: 'agentJoined' });
    if (this.log.ended) this.chatEnded();
  }

  /** All events of the chat on the first connect of this page, then those after the last seen. */
  private async resume(): Promise<void> {
    const chat = this.chat;
    if (chat === undefined) return;
    // On this page's first connect the events are the story so far, not news for the page.
    const catchingUp = this.complete;
    const reply = await this.connection.resume(chat.token, this.complete ? this.log.lastSeq : 0);
    if (this.chat !== chat) return;
    if (!reply.ok) {
      if (reply.error.code === 'UnknownSession') this.forgetChat('prechat');
      else this.frame.alert(this.options.texts.t('ErrorOccurred'));
      return;
    }
    if (!this.complete) {
      // Drawn again from the start: whatever this page showed before is replaced, not added to.
      this.complete = true;
      this.log.clear();
      this.phase = 'prechat';
      this.enterChat();
    }
    for (const event of reply.events) this.receive(event, false, catchingUp);
    if (reply.ended) this.chatEnded();
    else await this.outbox.retryWaiting();
  }

  /** `announce`: the page's handlers hear of it (not when a new page replays the chat). */
  private receive(event: LoggedEvent, live: boolean, announce = live): void {
    const arrival = this.log.accept(event);
    if (arrival === 'gap') return void this.resume();
    if (arrival === 'seen' || this.chat === undefined) return;
    if (announce) this.announcer.event(event);
    if (event.type === 'queued') {
      this.queue = { position: event.position, wait: event.estimatedWaitSeconds };
      this.waiting?.update(event.position, event.estimatedWaitSeconds);
    }
    if (this.phase === 'waiting' && event.type === 'agentJoined') {
      // The conversation page is drawn from the log, this event included.
      this.setPhase({ type: 'agentJoined' });
    } else if (this.phase === 'conversation' && !(event.type === 'ended' && this.ended)) {
      this.conversation?.add(event);
    }
    const fromOthers =
      event.type !== 'queued' && !(event.type === 'message' && event.from === 'visitor');
    if (live && fromOthers) this.frame.markUnread();
    if (event.type === 'ended') this.chatEnded();
  }

  private chatEnded(notice?: string): void {
    if (this.ended) return;
    this.ended = true;
    this.idle.stop();
    if (this.phase === 'waiting') {
      // Ended in the queue: the conversation page shows the end, drawn from the log.
      this.setPhase({ type: 'ended' });
    } else {
      if (notice !== undefined) this.conversation?.notice(notice);
      this.conversation?.end();
      this.frame.setClosable(false);
    }
    const { ShowPostChat, TimeoutAfterConversation } = this.chatConfig;
    if (ShowPostChat && TimeoutAfterConversation > 0)
      this.postChatTimer = setTimeout(() => this.dismiss(), TimeoutAfterConversation * 1000);
  }

  private idleTimeout(): void {
    if (this.chat === undefined || this.ended) return;
    this.announcer.ended('idleTimeout');
    void this.connection.leave();
    this.chatEnded(this.options.texts.t('SessionTimeout'));
  }

  /** The visitor is done with the chat: the post-chat page (ShowPostChat) or a new pre-chat page. */
  private dismiss(): void {
    this.forgetChat(this.chatConfig.ShowPostChat ? 'postchat' : 'prechat');
  }

  private forgetChat(to: 'prechat' | 'postchat'): void {
    clearTimeout(this.postChatTimer);
    this.idle.stop();
    this.chat = undefined;
    this.store.update({ chat: undefined });
    this.log.clear();
    this.outbox.clear();
    this.complete = this.ended = false;
    this.queue = { position: 0, wait: -1 };
    this.phase = to;
    this.render();
    this.poller.start();
  }

  private async close(): Promise<void> {
    if (!(await this.frame.confirmClose()) || this.chat === undefined) return;
    if (!this.ended) this.announcer.ended('visitorClosed');
    void this.connection.leave();
    this.ended = true;
    this.dismiss();
    if (this.phase === 'prechat') this.minimise();
  }

  /** The visitor typed, sent or uploaded: the idle time starts over. */
  private activity(): void {
    if (this.phase === 'conversation' && !this.ended) this.idle.restart();
  }

  // --- the card and the tab --------------------------------------------------------------------

  private open(): void {
    this.frame.open();
    this.store.update({ open: true });
  }

  private minimise(): void {
    this.frame.minimise();
    this.store.update({ open: false });
    // An ended chat put away is done with: the next opening shows what comes after it.
    if (this.chat !== undefined && this.ended) this.dismiss();
  }

  private availability(info: QueueInfo): void {
    this.lastWait = info.estimatedWaitSeconds;
    this.prechat?.setWait(info.estimatedWaitSeconds);
    // A service without the ClosedMessage extension: RequestChat's closed message stays shown.
    this.closedMessage = info.open ? null : (info.closedMessage ?? this.closedMessage);
    this.rejected = info.rejected;
    this.options.api.emit('availability', {
      open: info.open,
      estimatedWaitSeconds: info.estimatedWaitSeconds,
    });
    const visible = this.page.ShowWhenUnavailable || info.open || this.chat !== undefined;
    if (!visible && this.frame.isOpen) this.frame.minimise();
    this.frame.showTab(visible);
    if (!inChat(this.phase)) this.setPhase({ type: 'availability', open: info.open });
  }
}
