import type { ToolboxConfig } from '../../../server/customer-chat/gateway/toolbox-boot';
import type { Texts } from '../texts';
import { el } from './dom';
import { contactInputs, givenName, labelledField as field } from './visitor-fields';

export interface PrechatEntries {
  CustomerName: string;
  CustomerEmail: string;
  CustomerPhone: string;
  InitialMessage: string;
}

export interface PrechatView {
  element: HTMLElement;
  /** The estimated wait from the last poll; a negative number hides it. */
  setWait: (seconds: number) => void;
  setBusy: (busy: boolean) => void;
}

/**
 * The pre-chat page: welcome, the visitor's details and question, the estimated wait.
 * `asksDetails` false (IgnoreCustomerDetails): CustomerChat drops name, e-mail and phone, so the
 * form does not ask for them.
 */
export function prechatView(
  texts: Texts,
  config: ToolboxConfig,
  asksDetails: boolean,
  onStart: (entries: PrechatEntries) => void,
): PrechatView {
  const { name, email } = contactInputs();
  const phone = el('input', { type: 'tel', autocomplete: 'tel', maxlength: 64 });
  const question = el('textarea', { rows: 3, maxlength: 8192 });
  const wait = el('p', { class: 'muted', role: 'status' });
  const start = el('button', { class: 'primary', type: 'submit' }, texts.t('StartChat'));
  const form = el(
    'form',
    { class: 'pad', novalidate: true },
    el('p', {}, texts.t('WelcomeText')),
    wait,
    asksDetails && field(texts.t('EnterName'), name, givenName(config)),
    asksDetails && field(texts.t('EnterEmail'), email, config.CustomerEmail),
    asksDetails && field(texts.t('EnterPhone'), phone, config.CustomerPhone),
    field(texts.t('AskAQuestion'), question, config.InitialMessage),
    start,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (start.disabled) return;
    onStart({
      CustomerName: (asksDetails && name.value.trim()) || config.CustomerName,
      CustomerEmail: asksDetails ? email.value.trim() : config.CustomerEmail,
      CustomerPhone: asksDetails ? phone.value.trim() : config.CustomerPhone,
      InitialMessage: question.value.trim(),
    });
  });
  return {
    element: form,
    setWait: (seconds) => {
      wait.textContent =
        config.ShowEstimatedWaitTime && seconds >= 0 ? texts.waitTime(seconds) : '';
    },
    setBusy: (busy) => {
      start.disabled = busy;
    },
  };
}
