import type { ConsoleController } from '../console-controller';
import { consoleText as t, fill } from '../console-text';
import { el } from '../dom';
import { ModalDialog } from './modal-dialog';

/**
 * Asks before logging out while chats are open, since their customers are handed to another
 * agent. Cancel has the focus, so a stray Enter keeps the agent logged in.
 */
export class LogoutDialog {
  private readonly dialog: ModalDialog;
  private readonly explanation: HTMLElement;

  constructor(controller: ConsoleController) {
    this.dialog = new ModalDialog({
      id: 'logout-dialog',
      submitText: t.logOut,
      onSubmit: () => controller.logout(),
    });
    this.explanation = el('p', { id: 'logout-dialog-text', text: t.logoutExplanation });
    this.dialog.fields.append(this.explanation);
    this.dialog.element.setAttribute('aria-describedby', this.explanation.id);
  }

  get element(): HTMLDialogElement {
    return this.dialog.element;
  }

  open(openChats: number, returnFocus: () => void): void {
    const heading = openChats === 1 ? t.logoutHeadingOne : fill(t.logoutHeadingMany, openChats);
    this.dialog.open(heading, returnFocus, this.dialog.cancelButton);
  }
}
