import type {
  AgentProfile,
  AttachmentInfo,
  ChatDetails,
  ChatEndedBy,
  ChatOfferedData,
  ChatRating,
  GroupOverview,
  TranscriptMessage,
  TranscriptSender,
} from '../../server/protocol/agent-api';

/** One line of a conversation as the console shows it. */
export interface ChatLine {
  from: TranscriptSender;
  name: string;
  text: string;
  /** ISO time stamp. */
  at: string;
  attachment: AttachmentInfo | null;
  /** A file this console sent, still in the browser: opened from here, not downloaded. */
  localFileUrl?: string;
}

export interface ChatSession {
  readonly id: string;
  /** GetChat's answer; null until it has arrived. */
  details: ChatDetails | null;
  readonly lines: ChatLine[];
  unread: number;
  /** Until when (epoch ms) "… is typing" shows. */
  customerTypingUntil: number;
  ended: { by: ChatEndedBy | null } | null;
}

export type StoreChange =
  | { type: 'session' }
  | { type: 'ready' }
  | { type: 'offers' }
  | { type: 'overview' }
  | { type: 'chats' }
  | { type: 'active' }
  | { type: 'details'; chatId: string }
  | { type: 'line'; chatId: string; line: ChatLine }
  | { type: 'unread'; chatId: string }
  | { type: 'typing'; chatId: string }
  | { type: 'ended'; chatId: string }
  | { type: 'connection' };

export type StoreListener = (change: StoreChange) => void;

/**
 * What the console knows: the agent, ready or not, offers, chats with their lines, the overview.
 * Every change goes through a method here and is announced to the views as a StoreChange.
 */
export class ConsoleStore {
  agent: AgentProfile | null = null;
  ready = false;
  connected = true;
  readonly offers = new Map<string, ChatOfferedData>();
  readonly chats = new Map<string, ChatSession>();
  activeChatId: string | null = null;
  overview: GroupOverview[] = [];
  private readonly listeners = new Set<StoreListener>();

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Chats in the order they were taken. */
  get chatList(): ChatSession[] {
    return [...this.chats.values()];
  }

  get activeChat(): ChatSession | undefined {
    return this.activeChatId === null ? undefined : this.chats.get(this.activeChatId);
  }

  get totalUnread(): number {
    return this.chatList.reduce((sum, chat) => sum + chat.unread, 0);
  }

  signIn(agent: AgentProfile): void {
    this.agent = agent;
    this.emit({ type: 'session' });
  }

  /** Back to nobody logged in, with nothing kept. */
  reset(): void {
    this.agent = null;
    this.ready = false;
    this.connected = true;
    this.offers.clear();
    this.chats.clear();
    this.activeChatId = null;
    this.overview = [];
    this.emit({ type: 'session' });
  }

  setReady(ready: boolean): void {
    if (this.ready === ready) return;
    this.ready = ready;
    this.emit({ type: 'ready' });
  }

  setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    this.emit({ type: 'connection' });
  }

  setOverview(groups: GroupOverview[]): void {
    this.overview = groups;
    this.emit({ type: 'overview' });
  }

  groupOverview(groupId: number): GroupOverview | undefined {
    return this.overview.find((group) => group.ServiceGroupID === groupId);
  }

  addOffer(offer: ChatOfferedData): boolean {
    const isNew = !this.offers.has(offer.ChatID);
    this.offers.set(offer.ChatID, offer);
    this.emit({ type: 'offers' });
    return isNew;
  }

  removeOffer(chatId: string): ChatOfferedData | undefined {
    const offer = this.offers.get(chatId);
    if (offer === undefined) return undefined;
    this.offers.delete(chatId);
    this.emit({ type: 'offers' });
    return offer;
  }

  /** A chat the agent now holds; the first one becomes the active tab. */
  addChat(chatId: string): ChatSession {
    const existing = this.chats.get(chatId);
    if (existing !== undefined) return existing;
    const chat: ChatSession = {
      id: chatId,
      details: null,
      lines: [],
      unread: 0,
      customerTypingUntil: 0,
      ended: null,
    };
    this.chats.set(chatId, chat);
    this.emit({ type: 'chats' });
    return chat;
  }

  removeChat(chatId: string): void {
    if (!this.chats.delete(chatId)) return;
    if (this.activeChatId === chatId) this.activeChatId = this.chatList.at(-1)?.id ?? null;
    this.emit({ type: 'chats' });
    this.emit({ type: 'active' });
  }

  activate(chatId: string): void {
    const chat = this.chats.get(chatId);
    if (chat === undefined) return;
    const changed = this.activeChatId !== chatId;
    this.activeChatId = chatId;
    if (changed) this.emit({ type: 'active' });
    this.markRead(chatId);
  }

  markRead(chatId: string): void {
    const chat = this.chats.get(chatId);
    if (chat === undefined || chat.unread === 0) return;
    chat.unread = 0;
    this.emit({ type: 'unread', chatId });
  }

  /** GetChat's answer: details, and any line of its transcript not shown yet. */
  setDetails(details: ChatDetails): void {
    const chat = this.chats.get(details.ChatID);
    if (chat === undefined) return;
    chat.details = details;
    this.emit({ type: 'details', chatId: chat.id });
    for (const message of details.Transcript) this.addLine(chat.id, fromTranscript(message), false);
  }

  /** The customer rated the chat after it ended (the ChatRated event). */
  setRating(chatId: string, rating: ChatRating): void {
    const details = this.chats.get(chatId)?.details;
    if (details === undefined || details === null) return;
    details.Rating = rating;
    this.emit({ type: 'details', chatId });
  }

  /** Adds a line unless the same one is shown already (a reload may bring it twice). */
  addLine(chatId: string, line: ChatLine, countUnread: boolean): boolean {
    const chat = this.chats.get(chatId);
    if (chat === undefined || chat.lines.some((shown) => sameLine(shown, line))) return false;
    chat.lines.push(line);
    if (line.from === 'Customer') chat.customerTypingUntil = 0;
    this.emit({ type: 'line', chatId, line });
    if (countUnread) {
      chat.unread += 1;
      this.emit({ type: 'unread', chatId });
    }
    return true;
  }

  customerTyping(chatId: string, until: number): void {
    const chat = this.chats.get(chatId);
    if (chat === undefined) return;
    chat.customerTypingUntil = until;
    this.emit({ type: 'typing', chatId });
  }

  endChat(chatId: string, by: ChatEndedBy | null): void {
    const chat = this.chats.get(chatId);
    if (chat === undefined || chat.ended !== null) return;
    chat.ended = { by };
    chat.customerTypingUntil = 0;
    this.emit({ type: 'ended', chatId });
  }

  private emit(change: StoreChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }
}

export function fromTranscript(message: TranscriptMessage): ChatLine {
  return {
    from: message.From,
    name: message.Name,
    text: message.Message,
    at: message.TimeStamp,
    attachment: message.Attachment,
  };
}

function sameLine(a: ChatLine, b: ChatLine): boolean {
  return (
    a.from === b.from &&
    a.at === b.at &&
    a.text === b.text &&
    (a.attachment?.AttachmentID ?? null) === (b.attachment?.AttachmentID ?? null)
  );
}
