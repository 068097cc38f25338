import type { ChatDetails } from '../../../server/protocol/agent-api';
import { consoleText as t, fill } from '../console-text';
import { el } from '../dom';
import { duration } from '../format';

/**
 * Who the customer is and what it asked, as RequestChat gave it, how long it queued, and the
 * customer's rating once the chat ended and was rated. PrivateData only with
 * ShowPrivateDataInConsole: it is meant for integrations, not the agent.
 */
export class DetailsView {
  readonly element: HTMLElement;
  private readonly list: HTMLDListElement;

  constructor(
    chatId: string,
    private readonly showPrivateData: boolean,
  ) {
    const headingId = `details-heading-${chatId}`;
    this.list = el('dl', { className: 'details-list' });
    this.element = el(
      'section',
      { className: 'details', attrs: { 'aria-labelledby': headingId } },
      el('h2', { id: headingId, text: t.detailsHeading }),
      this.list,
    );
  }

  render(details: ChatDetails): void {
    const rows: Array<[string, string, string]> = [
      ['name', t.detailName, details.CustomerName],
      ['email', t.detailEmail, details.EmailAddress],
      ['phone', t.detailPhone, details.PhoneNumber],
      ['customer-id', t.detailCustomerId, details.CustomerID],
      ['session-id', t.detailSessionId, details.SessionID],
      ['private-data', t.detailPrivateData, details.PrivateData],
      ['to-agent', t.detailToAgent, details.InitialMessageToAgent],
      ['question', t.detailQuestion, details.InitialMessage],
      ['group', t.detailGroup, details.ServiceGroupName],
      ['queue-time', t.detailQueueTime, queueTime(details)],
    ];
    const rating = details.Rating;
    if (rating !== null) {
      rows.push(['rating', t.detailRating, fill(t.ratingValue, String(rating.Rating))]);
      if (rating.Comment !== '')
        rows.push(['rating-comment', t.detailRatingComment, rating.Comment]);
    }
    const shown = this.showPrivateData ? rows : rows.filter(([key]) => key !== 'private-data');
    this.list.replaceChildren(
      ...shown.map(([key, label, value]) =>
        el(
          'div',
          { className: `detail detail-${key}`, attrs: { 'data-detail': key } },
          el('dt', { text: label }),
          el(
            'dd',
            { text: value === '' ? t.notGiven : value },
            key === 'customer-id' && value !== '' ? identityMark(details.CustomerIDVerified) : null,
          ),
        ),
      ),
    );
  }
}

/** Whether the website's server vouched for the CustomerID (IdentityVerificationSecret). */
function identityMark(verified: boolean): HTMLElement {
  return el('span', {
    className: verified ? 'identity verified' : 'identity unverified',
    text: verified ? t.customerIdVerified : t.customerIdUnverified,
  });
}

function queueTime(details: ChatDetails): string {
  if (details.AnsweredAt === null) return '';
  const seconds = (Date.parse(details.AnsweredAt) - Date.parse(details.RequestedAt)) / 1000;
  return Number.isFinite(seconds) ? duration(seconds) : '';
}
