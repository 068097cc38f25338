import type { ToolboxConfig } from '../../../server/customer-chat/gateway/toolbox-boot';
import type { Texts } from '../texts';
import { el, show } from './dom';
import { contactInputs, givenName, labelledField as field } from './visitor-fields';

export interface OfflineEntries {
  name: string;
  email: string;
  message: string;
}

/**
 * The closed group's page when the site takes messages (OfflineMessages): the closed message, then
 * a form for name, e-mail and message; once the message has arrived, a thank-you in its place.
 * `send` resolves true when CustomerChat took it.
 */
export function offlineMessageView(
  texts: Texts,
  config: ToolboxConfig,
  closedMessage: string | null,
  send: (entries: OfflineEntries) => Promise<boolean>,
): HTMLElement {
  const { name, email } = contactInputs();
  const message = el('textarea', { rows: 4, maxlength: 8192 });
  const problem = el('p', { class: 'err', role: 'alert' });
  const submit = el('button', { class: 'primary', type: 'submit' }, texts.t('SendOfflineMessage'));
  const form = el(
    'form',
    { class: 'pad', novalidate: true },
    el('p', {}, closedMessage || texts.t('ChatUnavailable')),
    el('p', {}, texts.t('LeaveAMessage')),
    field(texts.t('EnterName'), name, givenName(config)),
    field(texts.t('EnterEmail'), email, config.CustomerEmail),
    field(texts.t('EnterMessage'), message),
    problem,
    submit,
  );
  const page = el('div', { role: 'region', 'aria-label': texts.t('LeaveAMessage') }, form);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    const entries = {
      name: name.value.trim() || config.CustomerName,
      email: email.value.trim(),
      message: message.value.trim(),
    };
    if (entries.email === '' || !email.validity.valid) {
      problem.textContent = texts.t('InvalidEmail');
      return email.focus();
    }
    if (entries.message === '') return message.focus();
    problem.textContent = '';
    submit.disabled = true;
    void send(entries).then((sent) => {
      submit.disabled = false;
      if (!sent) problem.textContent = texts.t('ErrorSendingMessage');
      else
        show(page, el('p', { class: 'pad center', role: 'status' }, texts.t('OfflineMessageSent')));
    });
  });
  return page;
}
