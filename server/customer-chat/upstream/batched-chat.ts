import { callListener } from './call-listener';
import type { TimerHandle } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { ChatEventListener, FollowedChat } from './event-feed';
import { unseenEvents } from './unseen-events';
import type { DecodedChatEvent } from './wire-decoding';

/**
 * One chat followed by an EventBatch: the last Seq handed on, what its listener was told, and
 * where stop() goes (the batch, or the chat's own pump once the feed has moved it there).
 */
export class BatchedChat implements FollowedChat {
  /** Answers in a row that refused this chat with a fault other than its end. */
  refusals = 0;
  /** Set while the chat sits out the batch's polls after a refusal. */
  pause: TimerHandle | undefined;
  private lastSeq: number;
  private stopped = false;
  private toldUnavailable = false;
  private leaveBatch: () => Promise<void> = () => Promise.resolve();
  private moved: FollowedChat | undefined;

  constructor(
    readonly chatId: string,
    afterSeq: number,
    readonly listener: ChatEventListener,
    private readonly logger: Logger,
  ) {
    this.lastSeq = afterSeq;
  }

  get afterSeq(): number {
    return this.moved?.afterSeq ?? this.lastSeq;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** The batch now polls for this chat; stop() asks it to let go. */
  joined(leave: () => Promise<void>): void {
    this.leaveBatch = leave;
  }

  /** The chat has its own long-poll now (the service has no batches); stop() ends that. */
  movedTo(followed: FollowedChat): void {
    this.moved = followed;
    this.leaveBatch = () => Promise.resolve();
  }

  stop(): Promise<void> {
    if (this.moved !== undefined) return this.moved.stop();
    this.stopped = true;
    return this.leaveBatch();
  }

  /** Hands on the events not seen before; true when the chat has ended. */
  deliver(events: DecodedChatEvent[]): boolean {
    const { fresh, lastSeq, ends } = unseenEvents(events, this.lastSeq);
    this.lastSeq = lastSeq;
    if (fresh.length > 0) this.notify(() => this.listener.onEvents(fresh));
    return ends;
  }

  /** The chat has ended or the service does not know it: the last thing its listener hears. */
  end(): void {
    this.notify(() => this.listener.onEnded());
    this.stopped = true;
  }

  /** Tells the listener of a change only: once when the service goes, once when it is back. */
  reachable(available: boolean): void {
    const toldAvailable = !this.toldUnavailable;
    if (available === toldAvailable) return;
    this.toldUnavailable = !available;
    this.notify(() => this.listener.onAvailability(available));
  }

  /** As EventPump: nothing after stop(), and a failing listener does not stop the chat's events. */
  private notify(callback: () => void): void {
    if (!this.stopped) callListener(this.logger, this.chatId, callback);
  }
}
