import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { newRegistry } from '../../shared/metrics-server';
import type { ChatServiceStats, GroupStats } from './chat-service-stats';
import type { OfferObserver } from './offer-observer';

export type ApiName = 'customer' | 'agent';
export type MessageDirection = 'customer_to_agent' | 'agent_to_customer';

/**
 * Long-polls are held up to a minute: the buckets reach past it. The short ones are close enough
 * to read an answer time's p99 against a target of a few tens of milliseconds.
 */
const requestBuckets = [
  0.001, 0.0025, 0.005, 0.01, 0.015, 0.02, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];
const archiveBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * The Chat Service's metrics, in its own registry: counters bumped where things happen (the
 * method layer, offers, archive writes), and gauges of the state read from ChatServiceStats when
 * Prometheus scrapes.
 */
export class ChatServiceMetrics implements OfferObserver {
  readonly registry: Registry = newRegistry();
  private readonly requestDuration: Histogram<'api' | 'method' | 'outcome'>;
  private readonly messages: Counter<'direction'>;
  private readonly offers: Counter<'service_group_id'>;
  private readonly lapsed: Counter<'service_group_id'>;
  private readonly archiveWrite: Histogram;
  /** Each method and outcome's series, found once: every message of every chat passes here. */
  private readonly durationSeries = new Map<string, (seconds: number) => void>();

  constructor(stats: ChatServiceStats) {
    const registers = [this.registry];
    this.requestDuration = new Histogram({
      name: 'chatservice_request_duration_seconds',
      help: 'Time to answer a method of the customer or agent API (GetEvents: the hold included), by outcome (ok or the fault code).',
      labelNames: ['api', 'method', 'outcome'],
      buckets: requestBuckets,
      registers,
    });
    this.messages = new Counter({
      name: 'chatservice_messages_total',
      help: 'Messages accepted by SendMessage, by direction; the relay’s notices to agents are not counted.',
      labelNames: ['direction'],
      registers,
    });
    this.offers = new Counter({
      name: 'chatservice_offers_total',
      help: 'Chats offered to an agent, by service group.',
      labelNames: ['service_group_id'],
      registers,
    });
    this.lapsed = new Counter({
      name: 'chatservice_offers_lapsed_total',
      help: 'Offers an agent let lapse (OfferTimeoutSeconds passed), by service group.',
      labelNames: ['service_group_id'],
      registers,
    });
    this.archiveWrite = new Histogram({
      name: 'chatservice_archive_write_duration_seconds',
      help: 'Time to write an ended chat to the archive.',
      buckets: archiveBuckets,
      registers,
    });
    // Both directions from the start at 0, so a rate over the first messages is right.
    for (const direction of ['customer_to_agent', 'agent_to_customer'] satisfies MessageDirection[])
      this.messages.inc({ direction }, 0);
    const groupLabels = ['service_group_id', 'service_group'] as const;
    const labelsOf = (group: GroupStats) => ({
      service_group_id: String(group.serviceGroupId),
      service_group: group.name,
    });
    new Gauge({
      name: 'chatservice_chats',
      help: 'Live chats by service group and state (queued, handling).',
      labelNames: [...groupLabels, 'state'],
      registers,
      collect() {
        this.reset();
        for (const group of stats.groups()) {
          this.set({ ...labelsOf(group), state: 'queued' }, group.queued);
          this.set({ ...labelsOf(group), state: 'handling' }, group.handling);
        }
      },
    });
    const groupGauge = (name: string, help: string, value: (group: GroupStats) => number) =>
      new Gauge({
        name,
        help,
        labelNames: groupLabels,
        registers,
        collect() {
          this.reset();
          for (const group of stats.groups()) this.set(labelsOf(group), value(group));
        },
      });
    groupGauge(
      'chatservice_queue_length',
      'Chats in the service group’s queue, offered ones included.',
      (group) => group.queueLength,
    );
    groupGauge(
      'chatservice_queue_longest_wait_seconds',
      'How long the longest-waiting chat of the queue has waited; 0 with none.',
      (group) => group.longestWaitSeconds,
    );
    groupGauge(
      'chatservice_agents_logged_in',
      'Agents of the service group logged in.',
      (group) => group.agentsLoggedIn,
    );
    groupGauge(
      'chatservice_agents_ready',
      'Agents of the service group logged in and ready for chats.',
      (group) => group.agentsReady,
    );
  }

  requestDone(api: ApiName, method: string, seconds: number, outcome: string): void {
    const key = `${api} ${method} ${outcome}`;
    let observe = this.durationSeries.get(key);
    if (observe === undefined) {
      const series = this.requestDuration.labels(api, method, outcome);
      observe = (value) => series.observe(value);
      this.durationSeries.set(key, observe);
    }
    observe(seconds);
  }

  messageSent(direction: MessageDirection): void {
    this.messages.inc({ direction });
  }

  offerMade(serviceGroupId: number): void {
    this.offers.inc({ service_group_id: String(serviceGroupId) });
  }

  offerLapsed(serviceGroupId: number): void {
    this.lapsed.inc({ service_group_id: String(serviceGroupId) });
  }

  archiveWritten(seconds: number): void {
    this.archiveWrite.observe(seconds);
  }
}
