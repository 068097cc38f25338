import type { Texts } from '../texts';
import { el } from './dom';

export interface WaitingView {
  element: HTMLElement;
  update: (position: number, estimatedWaitSeconds: number) => void;
}

/**
 * The waiting page: the group's queue message, the place in the queue and the estimated wait,
 * updated as the queue moves.
 */
export function waitingView(
  texts: Texts,
  queueMessage: string | null,
  showEstimate: boolean,
): WaitingView {
  const position = el('p', { class: 'big' });
  const wait = el('p', { class: 'muted' });
  const element = el(
    'div',
    { class: 'pad center', role: 'status' },
    el('div', { class: 'spin', 'aria-hidden': 'true' }),
    el('p', {}, queueMessage || texts.t('ChatRequested')),
    position,
    wait,
  );
  return {
    element,
    update: (place, seconds) => {
      position.textContent = place > 0 ? texts.t('QueuePosition', place) : '';
      wait.textContent = showEstimate && seconds >= 0 ? texts.waitTime(seconds) : '';
    },
  };
}
