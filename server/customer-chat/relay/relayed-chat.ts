import type { TimerHandle, Time } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { ConversationEvent, LoggedEvent } from '../session/visitor-events';
import type { PresenceNotice, VisitorSession } from '../session/visitor-session';
import type { EventFeed, FollowedChat } from '../upstream/event-feed';
import type { PageBroadcaster } from './chat-relay';
import { translateEvent } from './translate-event';

export interface RelayedChatHooks {
  pages: PageBroadcaster;
  onEnded: (chat: RelayedChat) => void;
  onGraceExpired: (chat: RelayedChat) => void;
  notifyAgent: (chat: RelayedChat, notice: PresenceNotice, secondsLeft: number) => void;
}

export interface RelayedChatOptions {
  token: string;
  chatId: string;
  customerName: string;
  feed: EventFeed;
  time: Time;
  logger: Logger;
  hooks: RelayedChatHooks;
  makeSession: (chat: RelayedChat) => VisitorSession;
}

interface StoredFile {
  name: string;
  data: Buffer;
}

/** Least time between two typing notices sent on for one visitor. */
const typingIntervalMs = 2000;

/**
 * One visitor's chat in the relay: its session (conversation and grace period), its events from
 * the Chat Service (followed by the relay's event feed), and the files exchanged, kept for the
 * visitor's pages.
 */
export class RelayedChat {
  readonly token: string;
  readonly chatId: string;
  readonly customerName: string;
  readonly session: VisitorSession;
  private readonly upstream: FollowedChat;
  private readonly files = new Map<string, StoredFile>();
  private lastTypingAt = Number.NEGATIVE_INFINITY;
  private retention: TimerHandle | undefined;

  constructor(private readonly options: RelayedChatOptions) {
    this.token = options.token;
    this.chatId = options.chatId;
    this.customerName = options.customerName;
    this.session = options.makeSession(this);
    this.upstream = options.feed.follow(options.chatId, 0, {
      onEvents: (events) => {
        for (const event of events) {
          const translated = translateEvent(event);
          if (translated.kind === 'conversation')
            this.record(translated.event, translated.attachment);
          else if (translated.kind === 'typing')
            options.hooks.pages.typing(this.token, translated.name);
        }
      },
      onEnded: () => {
        if (!this.session.isEnded) this.record({ type: 'ended', cause: 'general' }, null);
      },
      onAvailability: (available) => options.hooks.pages.availability(this.token, available),
    });
  }

  /** Adds an event to the conversation and shows it on the visitor's pages; a repeat is dropped. */
  record(event: ConversationEvent, file: Buffer | null): LoggedEvent | undefined {
    const withFile: ConversationEvent =
      file !== null && event.type === 'message'
        ? { ...event, attachment: this.keepFile(event.text, file) }
        : event;
    const logged = this.session.append(withFile);
    if (logged === undefined) return undefined;
    this.options.hooks.pages.event(this.token, logged);
    if (logged.type === 'ended') {
      void this.upstream.stop();
      this.options.hooks.onEnded(this);
    }
    return logged;
  }

  file(id: string): StoredFile | undefined {
    return this.files.get(id);
  }

  typingAllowed(now: number): boolean {
    if (now - this.lastTypingAt < typingIntervalMs) return false;
    this.lastTypingAt = now;
    return true;
  }

  forgetAfter(time: Time, delayMs: number, forget: () => void): void {
    this.retention = time.setTimeout(() => {
      this.retention = undefined;
      this.session.dispose();
      forget();
    }, delayMs);
  }

  async close(): Promise<void> {
    if (this.retention !== undefined) this.options.time.clearTimeout(this.retention);
    this.retention = undefined;
    this.session.dispose();
    await this.upstream.stop();
  }

  private keepFile(name: string, data: Buffer) {
    const id = String(this.files.size + 1);
    this.files.set(id, { name, data });
    return { id, name, size: data.length };
  }
}
