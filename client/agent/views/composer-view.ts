import { fileProblem, type ConsoleSettings } from '../console-settings';
import { consoleText as t, fill } from '../console-text';
import { el } from '../dom';
import { TypingThrottle } from '../typing-throttle';

export interface ComposerViewOptions {
  chatId: string;
  /** The service's attachment limits: with MaxAttachmentSize 0 no file is offered. */
  settings: ConsoleSettings;
  onSend: (text: string) => Promise<void>;
  onSendFile: (file: File) => Promise<void>;
  onTyping: () => void;
}

/**
 * The message box: Enter sends, Shift+Enter breaks the line; a file goes out with its button,
 * which is there only while the service takes files, and a file it would refuse is refused here.
 */
export class ComposerView {
  readonly element: HTMLFormElement;
  readonly textarea: HTMLTextAreaElement;
  private readonly fileInput: HTMLInputElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly attachButton: HTMLButtonElement;
  private readonly error: HTMLElement;
  private readonly throttle: TypingThrottle;

  constructor(private readonly options: ComposerViewOptions) {
    this.throttle = new TypingThrottle(options.onTyping);
    const textId = `message-${options.chatId}`;
    this.textarea = el('textarea', {
      id: textId,
      className: 'message-input',
      attrs: { rows: 3, placeholder: t.messagePlaceholder, 'aria-keyshortcuts': 'Enter' },
      on: {
        input: () => {
          if (this.textarea.value.trim() !== '') this.throttle.typed();
        },
        keydown: (event) => {
          if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            this.element.requestSubmit();
          }
        },
      },
    });
    this.fileInput = el('input', {
      className: 'file-input',
      attrs: { type: 'file', tabindex: -1, 'aria-hidden': 'true' },
      on: { change: () => void this.sendFile() },
    });
    this.fileInput.hidden = true;
    const { allowedAttachmentTypes } = options.settings;
    if (allowedAttachmentTypes.length > 0)
      this.fileInput.accept = allowedAttachmentTypes.map((type) => `.${type}`).join(',');
    this.attachButton = el('button', {
      className: 'attach',
      text: t.attachFile,
      attrs: { type: 'button' },
      on: { click: () => this.fileInput.click() },
    });
    this.sendButton = el('button', {
      className: 'primary send',
      text: t.send,
      attrs: { type: 'submit' },
    });
    this.error = el('p', { className: 'form-error', attrs: { role: 'alert' } });
    this.element = el(
      'form',
      { className: 'composer' },
      el('label', { className: 'visually-hidden', text: t.messageLabel, attrs: { for: textId } }),
      this.textarea,
      el(
        'div',
        { className: 'composer-buttons' },
        options.settings.maxAttachmentBytes > 0 ? this.attachButton : null,
        options.settings.maxAttachmentBytes > 0 ? this.fileInput : null,
        this.sendButton,
      ),
      this.error,
    );
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.send();
    });
  }

  /** Puts a text at the cursor (a response), ready to edit or send. */
  insert(text: string): void {
    const { textarea } = this;
    textarea.focus();
    textarea.setRangeText(text, textarea.selectionStart, textarea.selectionEnd, 'end');
    this.throttle.typed();
  }

  focus(): void {
    this.textarea.focus();
  }

  disable(): void {
    for (const control of [this.textarea, this.sendButton, this.attachButton]) {
      control.disabled = true;
    }
  }

  private async send(): Promise<void> {
    const text = this.textarea.value;
    if (text.trim() === '' || this.sendButton.disabled) return;
    await this.busy(async () => {
      await this.options.onSend(text);
      this.textarea.value = '';
      this.throttle.reset();
    });
  }

  private async sendFile(): Promise<void> {
    const file = this.fileInput.files?.[0];
    if (file === undefined) return;
    const refused = fileProblem(file.name, file.size, this.options.settings);
    if (refused !== undefined) {
      this.fileInput.value = '';
      this.error.textContent =
        refused.problem === 'size'
          ? fill(t.fileTooLarge, file.name, refused.limitKb)
          : fill(t.fileTypeRefused, refused.extension);
      return;
    }
    this.error.textContent = fill(t.sendingFile, file.name);
    await this.busy(() => this.options.onSendFile(file));
    this.fileInput.value = '';
  }

  private async busy(work: () => Promise<void>): Promise<void> {
    this.sendButton.disabled = true;
    this.attachButton.disabled = true;
    try {
      await work();
      this.error.textContent = '';
    } catch (failure) {
      this.error.textContent = fill(t.failed, failure instanceof Error ? failure.message : '');
    } finally {
      if (!this.textarea.disabled) {
        this.sendButton.disabled = false;
        this.attachButton.disabled = false;
      }
      this.textarea.focus();
    }
  }
}
