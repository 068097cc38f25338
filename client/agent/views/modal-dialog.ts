import { consoleText as t, fill } from '../console-text';
import { el } from '../dom';

export interface ModalDialogOptions {
  id: string;
  submitText: string;
  /** Does the work; a rejection's message is shown and the dialog stays open. */
  onSubmit: () => Promise<void>;
}

/**
 * A modal <dialog> with a heading, fields, an error line and Submit / Cancel. The browser keeps
 * the focus inside and closes it on Escape; on close the focus goes back where the caller says.
 */
export class ModalDialog {
  readonly element: HTMLDialogElement;
  readonly fields: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly error: HTMLElement;
  private readonly submit: HTMLButtonElement;
  /** For a dialog whose safe choice is to do nothing: it can take the focus on open. */
  readonly cancelButton: HTMLButtonElement;
  private returnFocus: (() => void) | undefined;

  constructor(private readonly options: ModalDialogOptions) {
    const headingId = `${options.id}-heading`;
    this.heading = el('h2', { id: headingId });
    this.fields = el('div', { className: 'dialog-fields' });
    this.error = el('p', { className: 'form-error', attrs: { role: 'alert' } });
    this.submit = el('button', {
      className: 'primary',
      text: options.submitText,
      attrs: { type: 'submit' },
    });
    this.cancelButton = el('button', {
      text: t.cancel,
      attrs: { type: 'button' },
      on: { click: () => this.close() },
    });
    const form = el(
      'form',
      {},
      this.heading,
      this.fields,
      this.error,
      el('div', { className: 'dialog-buttons' }, this.submit, this.cancelButton),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.run();
    });
    this.element = el(
      'dialog',
      { id: options.id, className: 'modal', attrs: { 'aria-labelledby': headingId } },
      form,
    );
    this.element.addEventListener('close', () => {
      const back = this.returnFocus;
      this.returnFocus = undefined;
      back?.();
    });
  }

  open(heading: string, returnFocus: () => void, focus?: HTMLElement): void {
    this.heading.textContent = heading;
    this.error.textContent = '';
    this.submit.disabled = false;
    this.returnFocus = returnFocus;
    this.element.showModal();
    focus?.focus();
  }

  close(): void {
    if (this.element.open) this.element.close();
  }

  private async run(): Promise<void> {
    this.submit.disabled = true;
    this.error.textContent = '';
    try {
      await this.options.onSubmit();
      this.close();
    } catch (failure) {
      this.error.textContent = fill(t.failed, failure instanceof Error ? failure.message : '');
    } finally {
      this.submit.disabled = false;
    }
  }
}
