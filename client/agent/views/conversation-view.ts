import type { AttachmentInfo, ChatEndedBy } from '../../../server/protocol/agent-api';
import { splitLinks } from '../../shared/linkify';
import { consoleText as t, fill } from '../console-text';
import type { ChatLine, ChatSession } from '../console-store';
import { el } from '../dom';
import { clockTime, fileSize } from '../format';

export interface ConversationViewOptions {
  chat: ChatSession;
  onDownload: (attachment: AttachmentInfo) => void;
  /** The attachment as an image, when its content is one (the service says); else undefined. */
  loadImage: (attachment: AttachmentInfo) => Promise<Blob | undefined>;
}

/** Names that may be images; whether one is, its content decides. */
const imageName = /\.(?:png|jpe?g|gif|webp)$/i;

/**
 * The conversation: messages with their time, the customer's and the agent's apart, and the
 * notices (customer left, back, closing; transfers) in a style of their own. Below it, whether the
 * customer is typing, and how the chat ended.
 */
export class ConversationView {
  readonly element: HTMLElement;
  private readonly log: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly typing: HTMLElement;
  private readonly endedNote: HTMLElement;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: ConversationViewOptions) {
    // A scrollable log (read out as lines arrive) around the list of lines.
    this.list = el('ol', { className: 'lines' });
    this.log = el(
      'div',
      { className: 'conversation', attrs: { role: 'log', tabindex: 0 } },
      this.list,
    );
    this.typing = el('p', { className: 'typing-indicator', attrs: { 'aria-live': 'polite' } });
    this.endedNote = el('p', { className: 'chat-ended', attrs: { role: 'status' } });
    this.endedNote.hidden = true;
    this.element = el(
      'div',
      { className: 'conversation-pane' },
      this.log,
      this.typing,
      this.endedNote,
    );
    for (const line of options.chat.lines) this.add(line);
    this.renderName();
  }

  renderName(): void {
    const name = this.options.chat.details?.CustomerName || t.anonymous;
    this.log.setAttribute('aria-label', fill(t.conversation, name));
  }

  add(line: ChatLine): void {
    const nearBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 80;
    this.list.append(this.item(line));
    if (nearBottom || line.from === 'Agent') this.log.scrollTop = this.log.scrollHeight;
  }

  renderTyping(now: number): void {
    const { chat } = this.options;
    const showFor = chat.customerTypingUntil - now;
    if (this.typingTimer !== undefined) clearTimeout(this.typingTimer);
    if (showFor <= 0) {
      this.typing.textContent = '';
      return;
    }
    this.typing.textContent = fill(t.customerTyping, chat.details?.CustomerName || t.anonymous);
    this.typingTimer = setTimeout(() => this.renderTyping(Date.now()), showFor);
  }

  renderEnded(): void {
    const ended = this.options.chat.ended;
    this.endedNote.hidden = ended === null;
    if (ended === null) return;
    this.endedNote.textContent = endedText(ended.by);
    this.renderTyping(0);
  }

  dispose(): void {
    if (this.typingTimer !== undefined) clearTimeout(this.typingTimer);
  }

  private item(line: ChatLine): HTMLElement {
    const time = el('time', { text: clockTime(line.at), attrs: { datetime: line.at } });
    if (line.from === 'System') {
      return el(
        'li',
        { className: 'notice' },
        el('span', { className: 'notice-label', text: t.notice }),
        el('span', { className: 'notice-text', text: line.text }),
        time,
      );
    }
    const who = line.from === 'Agent' ? t.you : line.name || t.anonymous;
    return el(
      'li',
      { className: `message from-${line.from.toLowerCase()}` },
      el('p', { className: 'meta' }, el('span', { className: 'who', text: who }), ' ', time),
      line.attachment === null
        ? el('p', { className: 'text' }, ...linkified(line.text))
        : this.attachment(line, line.attachment),
    );
  }

  private attachment(line: ChatLine, attachment: AttachmentInfo): HTMLElement {
    const label = fill(t.attachmentLabel, attachment.FileName, fileSize(attachment.Size));
    if (line.localFileUrl !== undefined) {
      return el(
        'p',
        { className: 'text attachment' },
        el('a', {
          text: label,
          attrs: { href: line.localFileUrl, download: attachment.FileName },
        }),
      );
    }
    const item = el(
      'p',
      { className: 'text attachment' },
      el('button', {
        className: 'link',
        text: label,
        attrs: { type: 'button', title: fill(t.download, attachment.FileName) },
        on: { click: () => this.options.onDownload(attachment) },
      }),
    );
    if (imageName.test(attachment.FileName)) void this.addThumbnail(item, attachment);
    return item;
  }

  /** A thumbnail under the file's button, linked to the full image in a new tab. */
  private async addThumbnail(line: HTMLElement, attachment: AttachmentInfo): Promise<void> {
    const image = await this.options.loadImage(attachment).catch(() => undefined);
    if (image === undefined) return;
    // Kept for as long as the console is open: the link opens it again at any time.
    const url = URL.createObjectURL(image);
    const thumbnail = el('img', { attrs: { src: url, alt: attachment.FileName } });
    try {
      // Image bytes at the start and anything after them: no thumbnail for what does not decode.
      await thumbnail.decode();
    } catch {
      URL.revokeObjectURL(url);
      return;
    }
    line.append(
      el(
        'a',
        {
          className: 'thumb',
          attrs: { href: url, target: '_blank', rel: 'noopener', title: attachment.FileName },
        },
        thumbnail,
      ),
    );
  }
}

/** A message's text as text nodes, its http(s) addresses as links that open in a new tab. */
function linkified(text: string): (Node | string)[] {
  return splitLinks(text).map((run) =>
    'url' in run
      ? el('a', {
          text: run.text,
          attrs: { href: run.url, target: '_blank', rel: 'noopener noreferrer' },
        })
      : run.text,
  );
}

/** The note under an ended chat: who or what ended it. */
function endedText(by: ChatEndedBy | null): string {
  switch (by) {
    case 'Customer':
      return t.chatEndedByCustomer;
    case 'Agent':
      return t.chatEndedByAgent;
    case 'CustomerIdle':
    case 'IdleTimeout':
      return t.chatEndedCustomerIdle;
    case 'CustomerGone':
      return t.chatEndedCustomerGone;
    case 'GroupClosed':
      return t.chatEndedGroupClosed;
    case 'Service':
      return t.chatEndedService;
    case null:
      return t.chatEndedOther;
    default:
      return by satisfies never;
  }
}
