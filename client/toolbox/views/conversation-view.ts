import type { LoggedEvent } from '../../../server/customer-chat/session/visitor-events';
import type { Texts } from '../texts';
import { el, icon, icons, show } from './dom';
import { eventItem, messageItem, note, type ItemContext } from './message-item';
import { uploadBar } from './upload-bar';

export interface ConversationHandlers {
  send: (text: string) => void;
  retry: (clientMessageId: string) => void;
  /** The visitor typed: the idle time starts over and the agent sees the visitor typing. */
  typed: () => void;
  /** Checks a chosen file: the text of the problem, or undefined when it may be sent. */
  checkFile: (file: File) => string | undefined;
  /** Sends a file: undefined when it arrived, else the text of the problem. */
  upload: (file: File, progress: (percent: number) => void) => Promise<string | undefined>;
  restart: () => void;
}

export interface ConversationView {
  element: HTMLElement;
  add: (event: LoggedEvent) => void;
  addPending: (clientMessageId: string, name: string, text: string) => void;
  failPending: (clientMessageId: string) => void;
  notice: (text: string) => void;
  agentTyping: (name: string) => void;
  setLimits: (maxMessageLength: number, filesAllowed: boolean) => void;
  end: () => void;
}

/** How long "… is writing" stays after the agent's last keystroke notice. */
const typingShownMs = 4000;

/**
 * The conversation page: the log (a live region, so new lines are read out), the agent's typing,
 * the file bar and the message box; at the end, a new-chat button in place of the message box.
 * A message the visitor sends shows at once, faded and marked as sending, and becomes the real
 * line when CustomerChat echoes it back (matched by its clientMessageId), so it is never shown twice.
 */
export function conversationView(
  texts: Texts,
  context: ItemContext,
  handlers: ConversationHandlers,
): ConversationView {
  // A list in a log region: the region reads out what is added, the list keeps the structure.
  const lines = el('ol', { class: 'lines' });
  const log = el(
    'div',
    { class: 'log', role: 'log', 'aria-label': texts.t('Title'), tabindex: 0 },
    lines,
  );
  const pending = new Map<string, HTMLLIElement>();
  const typing = el('p', { class: 'typing' });
  let typingTimer: ReturnType<typeof setTimeout> | undefined;

  const input = el('textarea', {
    rows: 2,
    'aria-label': texts.t('TypeMessageHere'),
    placeholder: texts.t('TypeMessageHere'),
    'data-autofocus': true,
  });
  const sendButton = el(
    'button',
    {
      class: 'icon',
      type: 'submit',
      'aria-label': texts.t('Send'),
      title: texts.t('SendTheMessage'),
    },
    icon(icons.send, 'flip'),
  );
  const files = uploadBar(texts, handlers);
  const compose = el('form', { class: 'compose' }, files.browse, files.input, input, sendButton);
  const ended = el('div', { class: 'pad', hidden: true });

  const submit = () => {
    const text = input.value.trim();
    if (text === '') return;
    input.value = '';
    handlers.send(text);
  };
  compose.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  input.addEventListener('input', () => handlers.typed());

  const append = (item: HTMLLIElement) => {
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    lines.append(item);
    // Follow the conversation, unless the visitor scrolled up to read.
    if (atBottom || item.classList.contains('me')) log.scrollTop = log.scrollHeight;
  };

  const view: ConversationView = {
    element: el('div', { class: 'page' }, log, typing, files.bar, compose, ended),
    add: (event) => {
      const item = eventItem(event, context);
      const waiting =
        event.type === 'message' ? pending.get(event.clientMessageId ?? '') : undefined;
      if (waiting !== undefined && event.type === 'message') {
        pending.delete(event.clientMessageId ?? '');
        waiting.replaceWith(item);
        return;
      }
      if (event.type === 'message' && event.from === 'agent') typing.textContent = '';
      append(item);
    },
    addPending: (clientMessageId, name, text) => {
      const item = messageItem(true, name, text, '');
      item.classList.add('pending');
      item.append(el('p', { class: 'sending' }, texts.t('Sending')));
      pending.set(clientMessageId, item);
      append(item);
    },
    failPending: (clientMessageId) => {
      const item = pending.get(clientMessageId);
      if (item === undefined) return;
      const sending = item.querySelector('.sending');
      if (sending instanceof HTMLElement) sending.hidden = true;
      item.classList.replace('pending', 'failed');
      const retry = el('button', { class: 'secondary', type: 'button' }, texts.t('SendTheMessage'));
      const problem = el('p', { class: 'err' }, texts.t('ErrorSendingMessage'), ' ', retry);
      retry.addEventListener('click', () => {
        problem.remove();
        if (sending instanceof HTMLElement) sending.hidden = false;
        item.classList.replace('failed', 'pending');
        handlers.retry(clientMessageId);
      });
      item.append(problem);
    },
    notice: (text) => append(note(text)),
    agentTyping: (name) => {
      typing.textContent =
        !context.hideAgentName && name.trim() !== ''
          ? texts.t('NamedAgentTyping', name)
          : texts.t('AnonymousAgentTyping');
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => (typing.textContent = ''), typingShownMs);
    },
    setLimits: (maxMessageLength, filesAllowed) => {
      if (maxMessageLength > 0) input.maxLength = maxMessageLength;
      files.browse.hidden = !filesAllowed;
    },
    end: () => {
      clearTimeout(typingTimer);
      typing.textContent = '';
      compose.hidden = true;
      files.bar.hidden = true;
      const restart = el(
        'button',
        { class: 'primary', type: 'button', 'data-autofocus': true },
        texts.t('Restart'),
      );
      restart.addEventListener('click', handlers.restart);
      show(ended, restart);
      ended.hidden = false;
    },
  };
  return view;
}
