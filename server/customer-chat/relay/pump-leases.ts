import type { Time } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { ConversationEvent } from '../session/visitor-events';
import type { SessionStore } from '../store/session-store';
import type { EventFeed, FollowedChat } from '../upstream/event-feed';
import type { DecodedChatEvent } from '../upstream/wire-decoding';
import type { PageBroadcaster } from './page-broadcaster';
import type { SessionKeeper } from './session-keeper';
import { translateEvent } from './translate-event';

export interface PumpLeasesOptions {
  store: SessionStore;
  feed: EventFeed;
  keeper: SessionKeeper;
  pages: PageBroadcaster;
  instanceId: string;
  time: Time;
  /** How long a lease holds without renewal: the longest a dead holder's chats go unfollowed. */
  leaseMs: number;
  logger: Logger;
}

interface HeldPump {
  token: string;
  chatId: string;
  fence: number;
  followed: FollowedChat | undefined;
  /** Each batch of events is stored before the next, in the order they came. */
  queue: Promise<void>;
}

/** Most chats one sweep takes over; the next sweep takes the rest. */
const takeoversPerSweep = 200;
/** Most leases renewed by one script, so Redis is never held long. */
const renewalsPerCall = 1000;

/**
 * Exactly one upstream event pump per chat across the cluster: this instance follows the chats
 * whose lease it holds (with their fencing token, so a holder that lost its lease stores nothing),
 * renews them, lets go of them when draining, and takes over lapsed ones from the stored AfterSeq.
 */
export class PumpLeases {
  private readonly held = new Map<string, HeldPump>();

  constructor(private readonly options: PumpLeasesOptions) {}

  /** Chats this instance follows upstream now. */
  get count(): number {
    return this.held.size;
  }

  /** The chats this instance follows now. */
  tokens(): string[] {
    return [...this.held.keys()];
  }

  /** Takes the chat's lease if free and follows it from its stored upstream Seq. */
  async take(token: string): Promise<boolean> {
    const { store, instanceId, time, leaseMs, feed } = this.options;
    if (this.held.has(token)) return true;
    const fence = await store.acquireLease(token, instanceId, time.now(), leaseMs);
    if (fence === undefined) return false;
    const session = await store.session(token);
    if (session === undefined || session.state.phase === 'ended') {
      await store.releaseLease(token, fence);
      return false;
    }
    const pump: HeldPump = {
      token,
      chatId: session.record.chatId,
      fence,
      followed: undefined,
      queue: Promise.resolve(),
    };
    this.held.set(token, pump);
    pump.followed = feed.follow(pump.chatId, session.upstreamSeq, {
      onEvents: (events) => this.enqueue(pump, () => this.takeIn(pump, events)),
      onEnded: () =>
        this.enqueue(pump, () => this.takeIn(pump, [], [{ type: 'ended', cause: 'general' }])),
      // Pages hear of the service from their instance's UpstreamWatch, which notices a stall in
      // seconds; a pump notices only when its held request gives up.
      onAvailability: () => undefined,
    });
    return true;
  }

  /** Renews every lease held; stops following the chats whose lease is gone. */
  async renew(): Promise<void> {
    const { store, instanceId, time, leaseMs } = this.options;
    const leases = [...this.held.values()].map(({ token, fence }) => ({ token, fence }));
    for (let start = 0; start < leases.length; start += renewalsPerCall) {
      const lost = await store.renewLeases(
        instanceId,
        leases.slice(start, start + renewalsPerCall),
        time.now(),
        leaseMs,
      );
      for (const token of lost) {
        const pump = this.held.get(token);
        if (pump !== undefined) await this.letGo(pump, false);
      }
    }
  }

  /** Takes over lapsed leases (their holder died or let go). */
  async sweep(): Promise<void> {
    const { store, time } = this.options;
    const free = await store.unleased(time.now(), takeoversPerSweep);
    for (const token of free) {
      if (await this.take(token))
        this.options.logger.info({ token: token.slice(0, 6) }, 'pump taken over');
    }
  }

  /** Lets go of every lease, for another instance to take at once (drain). */
  async releaseAll(): Promise<void> {
    await Promise.all([...this.held.values()].map((pump) => this.letGo(pump, true)));
  }

  /** Stops following; the leases lapse by themselves. */
  async close(): Promise<void> {
    await Promise.all([...this.held.values()].map((pump) => this.letGo(pump, false)));
  }

  private enqueue(pump: HeldPump, work: () => Promise<void>): void {
    pump.queue = pump.queue.then(work).catch((error: unknown) => {
      // Most likely the store is unreachable: stop here, and once the lease lapses a pump (this
      // instance's or another's) starts again from the last upstream Seq stored.
      this.options.logger.warn({ chatId: pump.chatId, err: String(error) }, 'events not stored');
      void this.letGo(pump, false);
    });
  }

  private async takeIn(
    pump: HeldPump,
    events: DecodedChatEvent[],
    extra: ConversationEvent[] = [],
  ): Promise<void> {
    if (this.held.get(pump.token) !== pump) return;
    const conversation: ConversationEvent[] = [];
    let upstreamSeq = 0;
    for (const event of events) {
      upstreamSeq = Math.max(upstreamSeq, event.Seq ?? 0);
      const translated = translateEvent(event);
      if (translated.kind === 'typing') this.options.pages.typing(pump.token, translated.name);
      if (translated.kind !== 'conversation') continue;
      const { event: said, attachment } = translated;
      if (attachment !== null && said.type === 'message') {
        const file = { name: said.text, data: attachment };
        const id = await this.options.store.keepFile(pump.token, file);
        conversation.push({
          ...said,
          attachment: { id, name: said.text, size: attachment.length },
        });
      } else conversation.push(said);
    }
    conversation.push(...extra);
    const logged = await this.options.keeper.record(pump.token, conversation, {
      fence: pump.fence,
      upstreamSeq,
    });
    if (logged === 'fenced') {
      this.options.logger.info({ chatId: pump.chatId }, 'lease taken over elsewhere: pump stops');
      await this.letGo(pump, false);
    } else if (logged.some((event) => event.type === 'ended') || extra.length > 0) {
      await this.letGo(pump, false);
    }
  }

  private async letGo(pump: HeldPump, release: boolean): Promise<void> {
    if (this.held.get(pump.token) !== pump) return;
    this.held.delete(pump.token);
    await pump.followed?.stop();
    if (release) await this.options.store.releaseLease(pump.token, pump.fence);
  }
}
