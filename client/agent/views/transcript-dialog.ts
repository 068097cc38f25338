import type { ConsoleController } from '../console-controller';
import { consoleText as t, fill } from '../console-text';
import type { ChatSession } from '../console-store';
import { el } from '../dom';
import { ModalDialog } from './modal-dialog';

/** E-mails a chat's transcript, to the customer's address unless the agent gives another. */
export class TranscriptDialog {
  private readonly dialog: ModalDialog;
  private readonly to: HTMLInputElement;
  private chat: ChatSession | undefined;

  constructor(private readonly controller: ConsoleController) {
    this.dialog = new ModalDialog({
      id: 'transcript-dialog',
      submitText: t.transcriptSubmit,
      onSubmit: async () => {
        if (this.chat !== undefined)
          await this.controller.sendTranscript(this.chat.id, this.to.value);
      },
    });
    this.to = el('input', {
      id: 'transcript-to',
      attrs: { type: 'email', autocomplete: 'email', required: true },
    });
    this.dialog.fields.append(
      el('label', { text: t.transcriptTo, attrs: { for: this.to.id } }),
      this.to,
    );
  }

  get element(): HTMLDialogElement {
    return this.dialog.element;
  }

  open(chat: ChatSession, returnFocus: () => void): void {
    this.chat = chat;
    this.to.value = chat.details?.EmailAddress ?? '';
    const name = chat.details?.CustomerName || t.anonymous;
    this.dialog.open(fill(t.transcriptHeading, name), returnFocus, this.to);
  }
}
