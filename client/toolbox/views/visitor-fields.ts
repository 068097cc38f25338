import type { ToolboxConfig } from '../../../server/customer-chat/gateway/toolbox-boot';
import { el, uniqueId } from './dom';

/** A control with its label, tied by id so that a screen reader names the field. */
export function labelledField(
  label: string,
  control: HTMLInputElement | HTMLTextAreaElement,
  value = '',
): HTMLElement {
  const id = uniqueId('field');
  control.id = id;
  control.value = value;
  return el('div', {}, el('label', { for: id }, label), control);
}

/** The name and e-mail inputs both forms ask for, with the browser's autofill. */
export function contactInputs(): { name: HTMLInputElement; email: HTMLInputElement } {
  return {
    name: el('input', { type: 'text', autocomplete: 'name', maxlength: 256 }),
    email: el('input', { type: 'email', autocomplete: 'email', maxlength: 256 }),
  };
}

/** The name a form starts with: the built-in "Customer" stands for a visitor who gave none. */
export function givenName(config: ToolboxConfig): string {
  return config.CustomerName === 'Customer' ? '' : config.CustomerName;
}
