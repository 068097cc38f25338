import type { AgentProfile, AttachmentInfo } from '../../server/protocol/agent-api';
import { ApiFault, type AgentApiClient } from './agent-api-client';
import type { AudioCue } from './audio-cue';
import type { ConsoleSettings } from './console-settings';
import { consoleText, fill } from './console-text';
import type { ConsoleStore } from './console-store';
import { applyAgentEvent, type AgentEventEffects } from './agent-event-handler';
import { ChatTabs } from './chat-tabs';
import { GroupLookups } from './group-lookups';
import { EventLoop } from './event-loop';
import { base64ToBlob, fileToBase64, saveFile } from './file-data';
import type { SessionKeeper } from './saved-session';

export type SignOutReason = 'loggedOut' | 'sessionEnded';

export type TransferTarget = { ServiceGroupID: number } | { AgentID: string };

export interface ConsoleControllerOptions {
  api: AgentApiClient;
  store: ConsoleStore;
  sessions: SessionKeeper;
  cue: AudioCue;
  /** Says something to screen readers (a polite live region). */
  announce: (text: string) => void;
  /** The console is back at the log-in form. */
  onSignedOut: (reason: SignOutReason) => void;
  /** Whether the agent can see the page now: messages to a hidden page count as unread. */
  pageVisible: () => boolean;
  /** The service's settings for its console, read from the page. */
  settings: ConsoleSettings;
  /** How often the queue overview is refreshed. @default 10000 */
  overviewIntervalMs?: number;
  /** How long "… is typing" shows after the last typing notice. @default 6000 */
  typingShownMs?: number;
  now?: () => number;
}

/**
 * What the agent does and what the service tells it: each action calls the agent API and records
 * the outcome in the store; the event loop's events are applied to the store in Seq order.
 */
export class ConsoleController {
  /** Per-group answers (responses, transcript settings), cached for the log-in. */
  readonly groups: GroupLookups;
  private loop: EventLoop | undefined;
  private overviewTimer: ReturnType<typeof setInterval> | undefined;
  private readonly tabs: ChatTabs;
  private readonly now: () => number;
  private readonly effects: AgentEventEffects;

  constructor(private readonly options: ConsoleControllerOptions) {
    this.now = options.now ?? (() => Date.now());
    this.groups = new GroupLookups(options.api);
    this.tabs = new ChatTabs(options.api, options.store, this.groups, options.announce);
    this.effects = {
      store: options.store,
      playCue: () => options.cue.play(),
      announce: options.announce,
      openChat: (chatId, activate) => this.tabs.open(chatId, activate),
      handOver: (chatId) => this.tabs.handOver(chatId),
      refreshOverview: () => void this.refreshOverview(),
      pageVisible: options.pageVisible,
      typingUntil: () => this.now() + (options.typingShownMs ?? 6_000),
    };
  }

  get settings(): ConsoleSettings {
    return this.options.settings;
  }

  private get api() {
    return this.options.api;
  }

  private get store() {
    return this.options.store;
  }

  async login(agentId: string, password: string): Promise<void> {
    this.options.cue.unlock();
    const answer = await this.api.call('Login', { AgentID: agentId, Password: password });
    this.start(answer.Token, answer.Agent, 0);
    this.store.setReady(false);
  }

  /** After a reload: the saved token, the agent's state and its chats, rebuilt. */
  async restore(): Promise<boolean> {
    const saved = this.options.sessions.load();
    if (saved === null) return false;
    this.api.token = saved.token;
    let state;
    try {
      state = await this.api.call('GetState', {});
    } catch (error) {
      if (error instanceof ApiFault && error.status === 401) {
        this.api.token = null;
        this.options.sessions.clear();
        return false;
      }
      // The service is away for now: show the console; the event loop retries.
      console.warn('agent console: state not restored', error);
      this.start(saved.token, saved.agent, saved.lastSeq);
      return true;
    }
    this.start(saved.token, saved.agent, saved.lastSeq);
    this.store.setReady(state.Ready);
    for (const chatId of state.ActiveChatIDs) this.tabs.open(chatId, false);
    for (const chatId of state.OfferedChatIDs) void this.tabs.restoreOffer(chatId);
    return true;
  }

  async logout(): Promise<void> {
    try {
      await this.api.call('Logout', {});
    } finally {
      this.signOut('loggedOut');
    }
  }

  /** The token no longer works (it lapsed, or the agent logged in elsewhere). */
  sessionEnded(): void {
    if (this.store.agent === null) return;
    this.signOut('sessionEnded');
  }

  async setReady(ready: boolean): Promise<void> {
    this.options.cue.unlock();
    await this.api.call('SetReady', { Ready: ready });
    this.store.setReady(ready);
    void this.refreshOverview();
  }

  /** Accepts an offer: the one given, or the oldest. */
  async accept(chatId?: string): Promise<string | undefined> {
    const id = chatId ?? this.store.offers.keys().next().value;
    if (id === undefined) return undefined;
    try {
      await this.api.call('AcceptChat', { ChatID: id });
    } catch (error) {
      // Gone for good (lapsed, taken, ended): drop it; a network hiccup leaves it to retry.
      if (error instanceof ApiFault && error.status !== 0) this.store.removeOffer(id);
      throw error;
    }
    this.store.removeOffer(id);
    this.tabs.open(id, true);
    void this.refreshOverview();
    return id;
  }

  async sendMessage(chatId: string, text: string): Promise<void> {
    await this.api.call('SendMessage', {
      ChatID: chatId,
      Message: text,
      ClientMessageID: crypto.randomUUID(),
    });
    this.addOwnLine(chatId, text, null);
  }

  async sendFile(chatId: string, file: File): Promise<void> {
    const data = await fileToBase64(file);
    await this.api.call('SendMessage', {
      ChatID: chatId,
      Message: file.name,
      Attachment: data,
      ClientMessageID: crypto.randomUUID(),
    });
    const attachment = { AttachmentID: '', FileName: file.name, Size: file.size };
    this.addOwnLine(chatId, file.name, attachment, URL.createObjectURL(file));
  }

  typing(chatId: string): void {
    this.api.call('SendTyping', { ChatID: chatId }).catch((error: unknown) => {
      console.warn('agent console: typing not sent', error);
    });
  }

  /** Ends the chat; true when its group wants the transcript e-mail opened now. */
  async endChat(chatId: string): Promise<boolean> {
    await this.api.call('LeaveChat', { ChatID: chatId });
    this.store.endChat(chatId, 'Agent');
    void this.refreshOverview();
    const groupId = this.store.chats.get(chatId)?.details?.ServiceGroupID;
    if (groupId === undefined) return false;
    const settings = await this.groups.transcriptSettingsFor(groupId).catch(() => undefined);
    return settings?.OpenOnClose === true;
  }

  async transfer(chatId: string, target: TransferTarget): Promise<void> {
    await this.api.call('TransferChat', { ChatID: chatId, ...target });
    this.tabs.handOver(chatId);
    void this.refreshOverview();
  }

  async sendTranscript(chatId: string, to: string): Promise<string> {
    const request = to.trim() === '' ? { ChatID: chatId } : { ChatID: chatId, To: to.trim() };
    const answer = await this.api.call('SendTranscript', request);
    this.options.announce(fill(consoleText.transcriptSent, answer.To));
    return answer.To;
  }

  async downloadAttachment(chatId: string, attachment: AttachmentInfo): Promise<void> {
    const file = await this.api.call('GetAttachment', {
      ChatID: chatId,
      AttachmentID: attachment.AttachmentID,
    });
    saveFile(base64ToBlob(file.Data), file.FileName);
  }

  /** The attachment as an image Blob when the service found an image in it; else undefined. */
  async attachmentImage(chatId: string, attachment: AttachmentInfo): Promise<Blob | undefined> {
    const file = await this.api.call('GetAttachment', {
      ChatID: chatId,
      AttachmentID: attachment.AttachmentID,
    });
    if (file.ImageType === null) return undefined;
    return new Blob([await base64ToBlob(file.Data).arrayBuffer()], {
      type: `image/${file.ImageType}`,
    });
  }

  closeChat(chatId: string): void {
    this.tabs.close(chatId);
  }

  async refreshOverview(): Promise<void> {
    if (this.store.agent === null) return;
    try {
      this.store.setOverview((await this.api.call('GetOverview', {})).Groups);
    } catch (error) {
      console.warn('agent console: overview not refreshed', error);
    }
  }

  private start(token: string, agent: AgentProfile, lastSeq: number): void {
    this.api.token = token;
    this.options.sessions.save({ token, agent, lastSeq });
    this.store.signIn(agent);
    this.loop = new EventLoop({
      api: this.api,
      afterSeq: lastSeq,
      onEvents: (events, seq) => {
        for (const event of events) applyAgentEvent(event, this.effects);
        this.options.sessions.saveSeq(seq);
      },
      onAvailability: (available) => {
        this.store.setConnected(available);
        this.options.announce(available ? consoleText.reconnected : consoleText.unreachable);
      },
    });
    this.loop.start();
    void this.refreshOverview();
    this.overviewTimer = setInterval(
      () => void this.refreshOverview(),
      this.options.overviewIntervalMs ?? 10_000,
    );
  }

  private signOut(reason: SignOutReason): void {
    this.loop?.stop();
    this.loop = undefined;
    if (this.overviewTimer !== undefined) clearInterval(this.overviewTimer);
    this.overviewTimer = undefined;
    this.api.token = null;
    this.groups.clear();
    this.options.sessions.clear();
    this.tabs.closeAll();
    this.store.reset();
    this.options.onSignedOut(reason);
  }

  private addOwnLine(
    chatId: string,
    text: string,
    attachment: AttachmentInfo | null,
    localFileUrl?: string,
  ): void {
    const agent = this.store.agent;
    this.store.addLine(
      chatId,
      {
        from: 'Agent',
        name: agent?.ChatName ?? '',
        text,
        at: new Date(this.now()).toISOString(),
        attachment,
        ...(localFileUrl === undefined ? {} : { localFileUrl }),
      },
      false,
    );
  }
}
