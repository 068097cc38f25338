import type { ChatOfferedData } from '../../../server/protocol/agent-api';
import { consoleText as t, fill } from '../console-text';
import type { ConsoleStore } from '../console-store';
import { el } from '../dom';

export interface OfferBannerOptions {
  store: ConsoleStore;
  onAccept: (chatId: string) => void;
}

/**
 * Offered chats, newest last, each with its Accept button; the first is also accepted with Alt+A.
 * A new offer takes the keyboard focus unless the agent is typing somewhere.
 */
export class OfferBanner {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private shown = new Set<string>();

  constructor(private readonly options: OfferBannerOptions) {
    this.list = el('ul', { className: 'offer-list' });
    this.element = el(
      'section',
      { className: 'offers', attrs: { 'aria-label': t.offersLabel, 'aria-live': 'assertive' } },
      this.list,
    );
    this.render();
    options.store.subscribe((change) => {
      if (change.type === 'offers') this.render();
    });
  }

  private render(): void {
    const offers = [...this.options.store.offers.values()];
    const fresh = offers.filter((offer) => !this.shown.has(offer.ChatID));
    this.shown = new Set(offers.map((offer) => offer.ChatID));
    this.list.replaceChildren(...offers.map((offer, index) => this.item(offer, index === 0)));
    this.element.hidden = offers.length === 0;
    if (fresh.length > 0 && !isTyping(document.activeElement)) {
      this.list.querySelector<HTMLButtonElement>('button.accept')?.focus();
    }
  }

  private item(offer: ChatOfferedData, first: boolean): HTMLElement {
    const name = offer.CustomerName || t.anonymous;
    const headingId = `offer-${offer.ChatID}`;
    return el(
      'li',
      { className: 'offer', attrs: { 'aria-labelledby': headingId } },
      el('p', {
        className: 'offer-title',
        id: headingId,
        text: fill(offer.Transferred ? t.offerTransferredTitle : t.offerTitle, name),
      }),
      el('p', { className: 'offer-group', text: fill(t.offerGroup, offer.ServiceGroupName) }),
      offer.InitialMessage === ''
        ? null
        : el('p', { className: 'offer-question', text: offer.InitialMessage }),
      el('button', {
        className: 'accept primary',
        text: first ? t.acceptShortcut : t.accept,
        attrs: {
          type: 'button',
          'aria-keyshortcuts': first ? 'Alt+A' : null,
          'aria-describedby': headingId,
        },
        on: { click: () => this.options.onAccept(offer.ChatID) },
      }),
    );
  }
}

function isTyping(element: Element | null): boolean {
  if (element instanceof HTMLTextAreaElement) return element.value !== '';
  return element instanceof HTMLInputElement && element.type !== 'button' && element.value !== '';
}
