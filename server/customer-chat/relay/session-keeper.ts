import { randomBytes } from 'node:crypto';
import type { RelayObserver } from '../metrics/relay-observer';
import type { Time, TimerHandle } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { ConversationEvent, LoggedEvent } from '../session/visitor-events';
import {
  deadlineReached,
  eventRecorded,
  mayChangeSession,
  pagesChanged,
  type DeadlineKind,
  type PresenceNotice,
  type SessionEffect,
  type SessionState,
  type SessionTiming,
  type Transition,
} from '../session/visitor-session';
import type { SessionStore, StoredSession, UpstreamAppend } from '../store/session-store';
import type { ChatServiceClient } from '../upstream/chat-service-client';
import type { PageBroadcaster } from './page-broadcaster';

export interface SessionKeeperOptions {
  /** Told of visitors who stayed away past the grace period (the metrics). */
  observer?: RelayObserver;
  store: SessionStore;
  client: Pick<ChatServiceClient, 'sendMessage' | 'leaveChat'>;
  pages: PageBroadcaster;
  time: Time;
  timing: SessionTiming;
  /** The text of a notice to the agent, in the configured culture. */
  noticeText: (notice: PresenceNotice, secondsLeft: number) => string;
  logger: Logger;
}

/** How long an ended chat can still be shown to a page that comes back (the post-chat page). */
export const endedChatRetentionMs = 10 * 60_000;

/** Most deadlines one sweep takes on. */
const deadlinesPerSweep = 500;

/** Most compare-and-set attempts of one transition before it is given up (and logged). */
const maxAttempts = 20;

/**
 * The one writer of every visitor session's state, on this instance: each change is a transition
 * of the stored state (compare-and-set, so instances never undo each other's) and the effects the
 * transition returns are carried out here: notices to the agent, deadlines, the end of the chat.
 */
export class SessionKeeper {
  /** Local timers for the deadlines this instance set, by chat. */
  private readonly wakeUps = new Map<string, TimerHandle[]>();
  private closed = false;

  constructor(private readonly options: SessionKeeperOptions) {}

  /** Chats with a deadline this instance watches: visitors away, their grace period running. */
  get deadlinesWatched(): number {
    return this.wakeUps.size;
  }

  /**
   * Adds events to the conversation, shows them on the visitor's pages and lets the session react;
   * 'fenced' when `upstream`'s lease has been taken over meanwhile (nothing was added).
   */
  async record(
    token: string,
    events: ConversationEvent[],
    upstream?: UpstreamAppend,
    retentionMs = endedChatRetentionMs,
  ): Promise<LoggedEvent[] | 'fenced'> {
    const { store, pages, time, timing } = this.options;
    const result = await store.append(token, events, upstream);
    if (result.fenced) return 'fenced';
    for (const event of result.logged) pages.event(token, event);
    for (const event of result.logged) {
      if (!mayChangeSession(event)) continue;
      await this.transition(token, (state) => eventRecorded(state, event, time.now(), timing));
      if (event.type === 'ended') {
        this.options.logger.info({ token: token.slice(0, 6) }, 'chat ended');
        this.cancelWakeUps(token);
        await store.end(token, retentionMs);
      }
    }
    return result.logged;
  }

  /** The visitor's pages changed: the transition reads their count with the state it changes. */
  pagesChanged(token: string, lostWithInstance = false): Promise<void> {
    const { time, timing } = this.options;
    return this.transition(token, (state, pages) =>
      pagesChanged(state, pages, time.now(), timing, lostWithInstance),
    );
  }

  /** Carries out every deadline due now, wherever it was set. */
  async sweepDeadlines(): Promise<void> {
    const due = await this.options.store.claimDue(this.options.time.now(), deadlinesPerSweep);
    for (const { token, kind } of due) await this.deadline(token, kind);
  }

  /** Stops the wake-ups of this instance; stored deadlines stay for the other instances. */
  close(): void {
    this.closed = true;
    for (const token of [...this.wakeUps.keys()]) this.cancelWakeUps(token);
  }

  private deadline(token: string, kind: DeadlineKind): Promise<void> {
    const { time, timing } = this.options;
    return this.transition(token, (state) => deadlineReached(state, kind, time.now(), timing));
  }

  private async transition(
    token: string,
    step: (state: SessionState, pages: number) => Transition,
  ): Promise<void> {
    const { store, logger } = this.options;
    for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
      const session = await store.session(token);
      if (session === undefined) return;
      const { state, effects } = step(session.state, session.pages);
      if (state !== session.state && !(await store.updateState(token, session.version, state)))
        continue;
      for (const effect of effects) await this.carryOut(session, effect);
      return;
    }
    logger.warn({ token: token.slice(0, 6) }, 'session kept changing: a transition was dropped');
  }

  private async carryOut(session: StoredSession, effect: SessionEffect): Promise<void> {
    const { store, client, logger } = this.options;
    const { token, chatId } = session.record;
    switch (effect.type) {
      case 'notifyAgent':
        client
          .sendMessage({
            ChatID: chatId,
            Message: this.options.noticeText(effect.notice, effect.secondsLeft),
            System: true,
            ClientMessageID: `notice-${randomBytes(8).toString('hex')}`,
          })
          .catch((error: unknown) =>
            logger.warn(
              { chatId, notice: effect.notice, err: String(error) },
              'notice not delivered',
            ),
          );
        return;
      case 'setDeadline':
        await store.setDeadline(token, effect.kind, effect.at);
        this.wakeUpAt(token, effect.at);
        return;
      case 'clearDeadlines':
        this.cancelWakeUps(token);
        await store.clearDeadlines(token);
        return;
      case 'endChat':
        logger.info({ chatId }, 'visitor stayed away: ending the chat');
        this.options.observer?.gracePeriodExpired();
        await client.leaveChat(chatId, 'Gone').catch((error: unknown) => {
          logger.warn({ chatId, err: String(error) }, 'LeaveChat after the grace period failed');
        });
        // Kept like any ended chat, so that a page coming back later still learns why it ended.
        await this.record(token, [{ type: 'ended', cause: 'general', by: 'gone' }]);
        return;
      default: {
        const unknown: never = effect;
        throw new Error(`unknown effect ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** A deadline set here is met on time; the periodic sweep finds those of other instances. */
  private wakeUpAt(token: string, at: number): void {
    if (this.closed) return;
    const { time, logger } = this.options;
    const sweep = () =>
      this.sweepDeadlines().catch((error: unknown) =>
        logger.warn({ err: String(error) }, 'deadline sweep failed; the next one retries'),
      );
    // Set after its time already (the clock moved while the store answered): met now.
    if (at <= time.now()) return void sweep();
    const handle = time.setTimeout(() => {
      const left = (this.wakeUps.get(token) ?? []).filter((other) => other !== handle);
      if (left.length > 0) this.wakeUps.set(token, left);
      else this.wakeUps.delete(token);
      void sweep();
    }, at - time.now());
    this.wakeUps.set(token, [...(this.wakeUps.get(token) ?? []), handle]);
  }

  private cancelWakeUps(token: string): void {
    for (const handle of this.wakeUps.get(token) ?? []) this.options.time.clearTimeout(handle);
    this.wakeUps.delete(token);
  }
}
