import { consoleText as t } from '../console-text';
import { el } from '../dom';

export interface LoginViewOptions {
  /** Resolves when logged in; a rejection's message is shown. */
  onSubmit: (agentId: string, password: string) => Promise<void>;
  /** Shown above the form, e.g. why the agent is here again. */
  notice?: string;
}

/** The log-in form: agent ID and password. */
export function loginView(options: LoginViewOptions): HTMLElement {
  const agentId = el('input', {
    id: 'login-agent-id',
    attrs: { name: 'agentId', autocomplete: 'username', required: true, autocapitalize: 'off' },
  });
  const password = el('input', {
    id: 'login-password',
    attrs: { name: 'password', type: 'password', autocomplete: 'current-password', required: true },
  });
  const error = el('p', { className: 'form-error', attrs: { role: 'alert' } });
  const submit = el('button', { className: 'primary', text: t.logIn, attrs: { type: 'submit' } });
  const form = el(
    'form',
    { className: 'login-form', attrs: { 'aria-labelledby': 'login-heading' } },
    el('h1', { id: 'login-heading', text: t.loginHeading }),
    options.notice === undefined
      ? null
      : el('p', { className: 'login-notice', text: options.notice }),
    el('label', { text: t.agentIdLabel, attrs: { for: agentId.id } }),
    agentId,
    el('label', { text: t.passwordLabel, attrs: { for: password.id } }),
    password,
    error,
    submit,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    submit.textContent = t.loggingIn;
    options.onSubmit(agentId.value.trim(), password.value).catch((failure: unknown) => {
      submit.disabled = false;
      submit.textContent = t.logIn;
      error.textContent = failure instanceof Error ? failure.message : String(failure);
      password.select();
      password.focus();
    });
  });
  queueMicrotask(() => agentId.focus());
  return el('main', { className: 'login' }, form);
}
