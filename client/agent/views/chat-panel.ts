import type { ConsoleController } from '../console-controller';
import { consoleText as t, fill } from '../console-text';
import type { ChatSession } from '../console-store';
import { el } from '../dom';
import { ComposerView } from './composer-view';
import { ConversationView } from './conversation-view';
import { DetailsView } from './details-view';
import { ResponsesView } from './responses-view';

export interface ChatPanelOptions {
  chat: ChatSession;
  controller: ConsoleController;
  openTransfer: (chat: ChatSession) => void;
  openTranscript: (chat: ChatSession) => void;
}

/** One chat's tab panel: actions, conversation and message box; customer details and responses. */
export class ChatPanel {
  readonly element: HTMLElement;
  readonly composer: ComposerView;
  private readonly conversation: ConversationView;
  private readonly details: DetailsView;
  private readonly responses: ResponsesView;
  private readonly error: HTMLElement;
  private readonly endButton: HTMLButtonElement;
  private readonly transferButton: HTMLButtonElement;
  private readonly transcriptButton: HTMLButtonElement;
  private readonly closeButton: HTMLButtonElement;
  private responsesGroup: number | undefined;

  constructor(private readonly options: ChatPanelOptions) {
    const { chat, controller } = options;
    const button = (className: string, text: string, onClick: () => void) =>
      el('button', { className, text, attrs: { type: 'button' }, on: { click: onClick } });
    this.endButton = button('end-chat danger', t.endChat, () => void this.endChat());
    this.transferButton = button('transfer', t.transfer, () => options.openTransfer(chat));
    this.transcriptButton = button('email-transcript', t.emailTranscript, () =>
      options.openTranscript(chat),
    );
    this.closeButton = button('close-chat', t.closeTab, () => controller.closeChat(chat.id));
    this.error = el('p', { className: 'form-error', attrs: { role: 'alert' } });
    this.conversation = new ConversationView({
      chat,
      onDownload: (attachment) =>
        this.attempt(() => controller.downloadAttachment(chat.id, attachment)),
      loadImage: (attachment) => controller.attachmentImage(chat.id, attachment),
    });
    this.composer = new ComposerView({
      chatId: chat.id,
      settings: controller.settings,
      onSend: (text) => controller.sendMessage(chat.id, text),
      onSendFile: (file) => controller.sendFile(chat.id, file),
      onTyping: () => controller.typing(chat.id),
    });
    this.details = new DetailsView(chat.id, controller.settings.showPrivateData);
    this.responses = new ResponsesView({
      chatId: chat.id,
      onInsert: (text) => this.composer.insert(text),
    });
    this.element = el(
      'section',
      {
        className: 'chat-panel',
        id: `panel-${chat.id}`,
        attrs: { role: 'tabpanel', 'aria-labelledby': `tab-${chat.id}`, 'data-chat': chat.id },
      },
      el(
        'div',
        { className: 'chat-main' },
        el(
          'div',
          { className: 'chat-actions' },
          this.endButton,
          this.transferButton,
          this.transcriptButton,
          this.closeButton,
        ),
        this.error,
        this.conversation.element,
        this.composer.element,
      ),
      el('aside', { className: 'chat-side' }, this.details.element, this.responses.element),
    );
    this.renderDetails();
    this.renderEnded();
  }

  get chat(): ChatSession {
    return this.options.chat;
  }

  addLine(line: Parameters<ConversationView['add']>[0]): void {
    this.conversation.add(line);
  }

  renderTyping(): void {
    this.conversation.renderTyping(Date.now());
  }

  renderDetails(): void {
    const details = this.chat.details;
    if (details === null) return;
    this.details.render(details);
    this.conversation.renderName();
    if (this.responsesGroup !== details.ServiceGroupID) {
      const groupId = details.ServiceGroupID;
      this.responsesGroup = groupId;
      const { controller } = this.options;
      controller.groups.responsesFor(groupId).then(
        (items) => this.responses.show(items),
        () => this.responses.failed(),
      );
      // Shown until the group says it has no transcripts: a failed question leaves it offered.
      controller.groups.transcriptSettingsFor(groupId).then(
        (settings) => {
          this.transcriptButton.hidden = !settings.Available;
        },
        (error: unknown) => console.warn('agent console: transcript settings unknown', error),
      );
    }
  }

  renderEnded(): void {
    const ended = this.chat.ended !== null;
    this.endButton.hidden = ended;
    this.transferButton.hidden = ended;
    this.closeButton.hidden = !ended;
    this.conversation.renderEnded();
    if (ended) this.composer.disable();
    this.composer.element.hidden = ended;
  }

  /** Where the keyboard goes when the tab is opened: the message box, or Close once ended. */
  focus(): void {
    if (this.chat.ended === null) this.composer.focus();
    else this.closeButton.focus();
  }

  dispose(): void {
    this.conversation.dispose();
  }

  private async endChat(): Promise<void> {
    await this.attempt(async () => {
      const openTranscript = await this.options.controller.endChat(this.chat.id);
      if (openTranscript) this.options.openTranscript(this.chat);
    });
  }

  private async attempt(work: () => Promise<void>): Promise<void> {
    this.error.textContent = '';
    try {
      await work();
    } catch (failure) {
      this.error.textContent = fill(t.failed, failure instanceof Error ? failure.message : '');
    }
  }
}
