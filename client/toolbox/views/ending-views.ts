import { safeUrl } from '../../shared/linkify';
import type { Texts } from '../texts';
import { el } from './dom';

/** The post-chat page: PostText, the PostUrl link, a rating (when given one) and a new chat. */
export function postchatView(
  texts: Texts,
  onRestart: () => void,
  rating?: HTMLElement,
): HTMLElement {
  const url = safeUrl(texts.t('PostUrl'));
  const restart = el('button', { class: 'primary', type: 'button' }, texts.t('Restart'));
  restart.addEventListener('click', onRestart);
  return el(
    'div',
    { class: 'pad center' },
    el('p', {}, texts.t('PostText')),
    url !== undefined &&
      el(
        'p',
        {},
        el(
          'a',
          { href: url, target: '_blank', rel: 'noopener noreferrer' },
          texts.t('PostUrlText'),
        ),
      ),
    rating,
    restart,
  );
}

/** The group takes no chats now: ChatUnavailable, or the group's closed message when it sent one. */
export function unavailableView(texts: Texts, closedMessage: string | null): HTMLElement {
  return el(
    'div',
    { class: 'pad center', role: 'status' },
    el('p', {}, closedMessage || texts.t('ChatUnavailable')),
  );
}
