import type { GroupOverview } from '../../../server/protocol/agent-api';
import { consoleText as t, fill } from '../console-text';
import type { ConsoleStore } from '../console-store';
import { el } from '../dom';
import { duration } from '../format';

/**
 * The agent's service groups: open or closed, chats waiting, longest and estimated wait, agents,
 * and the customers' average rating.
 */
export class OverviewView {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;

  constructor(private readonly store: ConsoleStore) {
    this.list = el('ul', { className: 'group-list' });
    this.element = el(
      'section',
      { className: 'overview', attrs: { 'aria-labelledby': 'overview-heading' } },
      el('h2', { id: 'overview-heading', text: t.overviewHeading }),
      this.list,
    );
    this.render();
    store.subscribe((change) => {
      if (change.type === 'overview') this.render();
    });
  }

  private render(): void {
    this.list.replaceChildren(...this.store.overview.map((group) => card(group)));
  }
}

function card(group: GroupOverview): HTMLElement {
  const figure = (label: string, value: string, className: string) =>
    el(
      'div',
      { className: `figure ${className}` },
      el('dt', { text: label }),
      el('dd', { text: value }),
    );
  const headingId = `group-${group.ServiceGroupID}-name`;
  return el(
    'li',
    {
      className: `group-card ${group.Open ? 'is-open' : 'is-closed'}`,
      attrs: { 'data-group': group.ServiceGroupID, 'aria-labelledby': headingId },
    },
    el(
      'h3',
      { id: headingId },
      el('span', { className: 'group-name', text: group.Name }),
      el('span', { className: 'group-status', text: group.Open ? t.open : t.closed }),
    ),
    el(
      'dl',
      {},
      figure(t.overviewWaiting, String(group.ChatsWaiting), 'waiting'),
      figure(t.overviewLongest, duration(group.LongestWaitSeconds), 'longest'),
      figure(
        t.overviewEstimate,
        group.EstimatedWaitSeconds < 0 ? t.noEstimate : duration(group.EstimatedWaitSeconds),
        'estimate',
      ),
      figure(t.overviewAgents, `${group.AgentsReady} / ${group.AgentsLoggedIn}`, 'agents'),
      figure(
        t.overviewRating,
        group.AverageRating === null
          ? t.noRatings
          : fill(t.overviewRatingValue, group.AverageRating.toFixed(1), String(group.Ratings)),
        'rating',
      ),
    ),
  );
}
