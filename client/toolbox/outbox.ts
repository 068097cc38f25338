import type { ChatConfiguration } from '../../server/customer-chat/gateway/socket-contract';
import type { ToolboxConfig } from '../../server/customer-chat/gateway/toolbox-boot';
import { checkFile, fileExtension, fileLimits, type FileLimits } from './attachment-check';
import { unanswered, type ChatConnection } from './socket-client';
import type { Texts } from './texts';
import { uploadFile } from './uploader';
import type { ConversationHandlers, ConversationView } from './views/conversation-view';

export interface OutboxOptions {
  connection: ChatConnection;
  origin: string;
  texts: Texts;
  /** Config as customizeRequest left it for the running chat. */
  config: () => ToolboxConfig;
  /** The running chat's token. */
  token: () => string | undefined;
  /** The conversation page, while it shows. */
  view: () => ConversationView | undefined;
}

/** Least time between two "visitor is typing" notices sent (CustomerChat throttles as well). */
const typingEveryMs = 2000;

/**
 * What the visitor sends: messages, typing and files, within the lesser of the page's and the Chat
 * Service's limits. A message gets a random id and shows as sending until CustomerChat has it
 * from the Chat Service (CustomerChat keeps trying through an outage of its own). One sent while
 * the page has no connection waits for the next one; one refused, or not answered although
 * connected, is marked failed and may be sent again: always with the same id, so the Chat Service
 * never takes it twice.
 */
export class Outbox {
  readonly #outgoing = new Map<string, { text: string; hideLocal: boolean }>();
  /** Ids whose send is waiting for CustomerChat's answer: never two of one id at once. */
  readonly #inFlight = new Set<string>();
  #service: ChatConfiguration | undefined;
  #lastTypingSent = 0;

  readonly #options: OutboxOptions;

  constructor(options: OutboxOptions) {
    this.#options = options;
  }

  /** Asks the Chat Service's limits once; the page shows them when they come. */
  async loadServiceLimits(): Promise<void> {
    if (this.#service !== undefined) return;
    const reply = await this.#options.connection.configuration();
    if (!reply.ok) return;
    this.#service = reply;
    this.showLimits();
  }

  showLimits(): void {
    this.#options.view()?.setLimits(this.maxMessageLength(), this.#limits().maxBytes > 0);
  }

  /** 0: no limit known. */
  maxMessageLength(): number {
    const set = [
      this.#options.config().MaxMessageLength,
      this.#service?.maxMessageLength ?? 0,
    ].filter((limit) => limit > 0);
    return set.length === 0 ? 0 : Math.min(...set);
  }

  /** What the conversation page does on the visitor's actions; `activity` restarts the idle time. */
  handlers(activity: () => void, restart: () => void): ConversationHandlers {
    return {
      send: (text) => {
        activity();
        this.send(text, false);
      },
      retry: (id) => void this.retry(id),
      typed: () => {
        activity();
        this.typing();
      },
      checkFile: (file) => this.checkFile(file),
      upload: (file, progress) => {
        activity();
        return this.upload(file, progress);
      },
      restart,
    };
  }

  send(text: string, hideLocal: boolean): void {
    const id = randomId();
    this.#outgoing.set(id, { text, hideLocal });
    if (!hideLocal) this.#options.view()?.addPending(id, '', text);
    void this.retry(id);
  }

  async retry(id: string): Promise<void> {
    const { connection } = this.#options;
    const message = this.#outgoing.get(id);
    // Offline: sent by retryWaiting once the chat is resumed on the next connection.
    if (message === undefined || this.#inFlight.has(id)) return;
    if (!connection.connected || !navigator.onLine) return;
    this.#inFlight.add(id);
    const reply = await connection.send(id, message.text, message.hideLocal);
    this.#inFlight.delete(id);
    if (reply.ok) this.#outgoing.delete(id);
    // The connection went on the way: the next one sends it again.
    else if (unanswered(reply) && !connection.connected) return;
    else if (message.hideLocal) console.warn('A posted message was not sent:', reply.error.message);
    else this.#options.view()?.failPending(id);
  }

  /**
   * Sends again, in order, what is still waiting (a send made while the connection was down fails
   * before the chat is resumed on the new one); the same ids, so nothing arrives twice.
   */
  async retryWaiting(): Promise<void> {
    for (const id of [...this.#outgoing.keys()]) await this.retry(id);
  }

  typing(): void {
    const now = Date.now();
    if (now - this.#lastTypingSent < typingEveryMs) return;
    this.#lastTypingSent = now;
    this.#options.connection.typing();
  }

  /** The text of what is wrong with a chosen file, or undefined when it may be sent. */
  checkFile(file: File): string | undefined {
    const verdict = checkFile(file.name, file.size, this.#limits());
    if (verdict.ok) return undefined;
    const { texts } = this.#options;
    return verdict.problem === 'size'
      ? texts.t('MaxAttachmentSizeExceeded', verdict.limitKb)
      : texts.t('InvalidAttachmentType', verdict.extension);
  }

  /** Undefined when the file arrived; else what CustomerChat refused ('' when it did not say). */
  async upload(file: File, progress: (percent: number) => void): Promise<string | undefined> {
    const token = this.#options.token();
    if (token === undefined) return '';
    const reply = await uploadFile(this.#options.origin, token, file, progress);
    if (reply.ok) return undefined;
    const { texts } = this.#options;
    if (reply.error.code === 'AttachmentTooLarge')
      return texts.t('MaxAttachmentSizeExceeded', Math.floor(this.#limits().maxBytes / 1024));
    if (reply.error.code === 'AttachmentContentMismatch')
      return texts.t('AttachmentContentMismatch', fileExtension(file.name));
    if (reply.error.code === 'AttachmentTypeNotAllowed')
      return texts.t('InvalidAttachmentType', file.name.split('.').pop() ?? '');
    return '';
  }

  /** A new chat starts with nothing waiting to be sent. */
  clear(): void {
    this.#outgoing.clear();
    this.#inFlight.clear();
  }

  #limits(): FileLimits {
    return fileLimits(this.#options.config(), this.#service);
  }
}

/** An id for a message, unguessable enough; crypto.randomUUID needs a secure page, this does not. */
function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
}
