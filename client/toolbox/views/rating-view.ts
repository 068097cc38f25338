import type { Reply } from '../../../server/customer-chat/session/visitor-events';
import type { Texts } from '../texts';
import { el, show, uniqueId } from './dom';

/** Sends the visitor's rating (1 to 5) and comment ('' for none). */
export type SendRating = (rating: number, comment: string) => Promise<Reply>;

const scores = [1, 2, 3, 4, 5] as const;

/**
 * The post-chat page's rating (AskForRating): five choices from 1 (poor) to 5 (excellent) and an
 * optional comment; once CustomerChat has it, a thank-you in its place. A refusal (rated already,
 * too late) is said, and the form stays for nothing else.
 */
export function ratingView(texts: Texts, send: SendRating): HTMLElement {
  const name = uniqueId('rating');
  const choices = scores.map((score) => {
    const id = uniqueId('score');
    const radio = el('input', { type: 'radio', name, id, value: score, required: true });
    return {
      radio,
      item: el('span', { class: 'score' }, radio, el('label', { for: id }, String(score))),
    };
  });
  const commentId = uniqueId('field');
  const comment = el('textarea', { id: commentId, rows: 2, maxlength: 2000 });
  const problem = el('p', { class: 'err', role: 'alert' });
  const submit = el('button', { class: 'secondary', type: 'submit' }, texts.t('SendRating'));
  const form = el(
    'form',
    { class: 'rate', novalidate: true },
    el(
      'fieldset',
      {},
      el('legend', {}, texts.t('RateTheChat')),
      el('div', { class: 'scores' }, ...choices.map((choice) => choice.item)),
    ),
    el('div', {}, el('label', { for: commentId }, texts.t('RatingComment')), comment),
    problem,
    submit,
  );
  const region = el('div', { role: 'region', 'aria-label': texts.t('RateTheChat') }, form);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    const chosen = choices.find((choice) => choice.radio.checked);
    if (chosen === undefined) {
      problem.textContent = texts.t('ChooseRating');
      return choices[0]?.radio.focus();
    }
    problem.textContent = '';
    submit.disabled = true;
    void send(Number(chosen.radio.value), comment.value.trim()).then((reply) => {
      submit.disabled = false;
      if (reply.ok) show(region, el('p', { role: 'status' }, texts.t('RatingThanks')));
      else problem.textContent = texts.t('RatingNotSent');
    });
  });
  return region;
}
