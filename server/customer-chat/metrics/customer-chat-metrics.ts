import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { newRegistry } from '../../shared/metrics-server';
import type { UpstreamObserver, UpstreamOutcome } from '../upstream/chat-service-client';
import type { CustomerChatStats } from './customer-chat-stats';
import type { RefusalReason, RelayObserver } from './relay-observer';

/** Long-polls are held about 20 s, and may take the client's grace on top: the buckets reach past. */
const upstreamBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

type Observe = (seconds: number) => void;

/**
 * CustomerChat's metrics, in its own registry: counters bumped by the relay, the upstream client
 * and the event feed, and gauges read from CustomerChatStats when Prometheus scrapes.
 */
export class CustomerChatMetrics implements RelayObserver, UpstreamObserver {
  readonly registry: Registry = newRegistry();
  private readonly refused: Counter<'reason'>;
  private readonly relayed: Counter<'direction'>;
  private readonly upstreamDuration: Histogram<'method' | 'outcome'>;
  private readonly upstreamErrors: Counter<'method' | 'kind'>;
  private readonly graceExpired: Counter;
  /** Each method and outcome's histogram series, found once: every relayed message passes here. */
  private readonly durationSeries = new Map<string, Observe>();
  private readonly toAgent: () => void;
  private readonly toVisitor: () => void;

  constructor(stats: CustomerChatStats) {
    const registers = [this.registry];
    this.refused = new Counter({
      name: 'customerchat_chats_refused_total',
      help: 'Chat requests refused by CustomerChat itself: rejected_group (ServiceGroupIDsToReject), capacity (maxChats), rate (rateLimits).',
      labelNames: ['reason'],
      registers,
    });
    this.relayed = new Counter({
      name: 'customerchat_messages_relayed_total',
      help: 'Messages relayed: to_agent (a visitor’s messages and files the Chat Service took), to_visitor (an agent’s messages handed on to the visitor’s pages).',
      labelNames: ['direction'],
      registers,
    });
    this.upstreamDuration = new Histogram({
      name: 'customerchat_upstream_request_duration_seconds',
      help: 'Time of each request to the Chat Service (GetEvents and GetEventsBatch: the hold included), by method and outcome (ok, fault, unavailable).',
      labelNames: ['method', 'outcome'],
      buckets: upstreamBuckets,
      registers,
    });
    this.upstreamErrors = new Counter({
      name: 'customerchat_upstream_errors_total',
      help: 'Requests to the Chat Service that failed: fault (it answered a fault) or unavailable (no usable answer).',
      labelNames: ['method', 'kind'],
      registers,
    });
    this.graceExpired = new Counter({
      name: 'customerchat_grace_periods_expired_total',
      help: 'Chats ended because the visitor stayed away past CustomerDisconnectTimeoutSeconds.',
      registers,
    });
    const scraped = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    scraped(
      'customerchat_sockets_connected',
      'Socket.io connections of visitors’ pages.',
      stats.socketsConnected,
    );
    scraped('customerchat_live_chats', 'Chats relayed that have not ended.', stats.liveChats);
    scraped(
      'customerchat_grace_periods_running',
      'Live chats whose visitor has no page open, waiting for it to come back.',
      stats.gracePeriodsRunning,
    );
    // Every series from the start at 0, so a rate over the first events is right.
    for (const reason of ['rejected_group', 'capacity', 'rate'] satisfies RefusalReason[])
      this.refused.inc({ reason }, 0);
    const toAgent = this.relayed.labels('to_agent');
    const toVisitor = this.relayed.labels('to_visitor');
    toAgent.inc(0);
    toVisitor.inc(0);
    this.toAgent = () => toAgent.inc();
    this.toVisitor = () => toVisitor.inc();
  }

  chatRefused(reason: RefusalReason): void {
    this.refused.inc({ reason });
  }

  gracePeriodExpired(): void {
    this.graceExpired.inc();
  }

  /** For the event feed: an agent's message handed on towards the visitor. */
  readonly messageToVisitor = (): void => this.toVisitor();

  attempted(method: string, request: object, seconds: number, outcome: UpstreamOutcome): void {
    this.series(method, outcome)(seconds);
    if (outcome !== 'ok') {
      this.upstreamErrors.inc({ method, kind: outcome });
      return;
    }
    // The relay's notices to the agent are SendMessage calls too, but no visitor wrote them.
    if (method === 'SendMessage' && !('System' in request && request.System === true))
      this.toAgent();
  }

  private series(method: string, outcome: UpstreamOutcome): Observe {
    const key = `${method} ${outcome}`;
    let observe = this.durationSeries.get(key);
    if (observe === undefined) {
      const child = this.upstreamDuration.labels(method, outcome);
      observe = (seconds) => child.observe(seconds);
      this.durationSeries.set(key, observe);
    }
    return observe;
  }
}
