import type { TimerHandle, Time } from '../../shared/clock';
import type { Chat } from './chat';
import { watchIdle, type IdleWatch } from './idle-watch';

/**
 * How long an ended chat stays readable (its last events, GetChatInfo) before only the archive has
 * it; also its post-chat window, in which the customer may rate it.
 */
export const endedChatRetentionMs = 10 * 60_000;
/** Least time between two writes of a chat's last customer activity. */
const activityWriteIntervalMs = 5_000;

/**
 * The timers of each chat: its customer's idle timeout while it lives, its retention once ended,
 * and when its last customer activity was last written.
 */
export class ChatTimers {
  private readonly retention = new Map<string, TimerHandle>();
  private readonly idleWatches = new Map<string, IdleWatch>();
  private readonly activityWrittenAt = new Map<string, number>();

  constructor(
    private readonly time: Time,
    private readonly idleTimeoutMs: number,
  ) {}

  /** Calls onIdle once the chat's customer was quiet for the idle timeout. */
  watchIdleness(chat: Chat, onIdle: () => void): void {
    this.idleWatches.set(
      chat.id,
      watchIdle(this.time, this.idleTimeoutMs, () => chat.lastCustomerActivityAt, onIdle),
    );
  }

  /** The chat ended: no idle timeout any more, and onGone once its retention is over. */
  keepEnded(chatId: string, forMs: number, onGone: () => void): void {
    this.idleWatches.get(chatId)?.cancel();
    this.idleWatches.delete(chatId);
    this.retention.set(
      chatId,
      this.time.setTimeout(() => {
        this.retention.delete(chatId);
        this.activityWrittenAt.delete(chatId);
        onGone();
      }, forMs),
    );
  }

  /**
   * Whether the chat's last customer activity is due to be written: at most every
   * activityWriteIntervalMs, so after a restart the idle timeout may come that much early, which
   * is cheaper than a write for every message and keystroke.
   */
  activityWriteDue(chatId: string, now: number): boolean {
    if (now - (this.activityWrittenAt.get(chatId) ?? -Infinity) < activityWriteIntervalMs)
      return false;
    this.activityWrittenAt.set(chatId, now);
    return true;
  }

  stop(): void {
    for (const handle of this.retention.values()) this.time.clearTimeout(handle);
    this.retention.clear();
    for (const watch of this.idleWatches.values()) watch.cancel();
    this.idleWatches.clear();
  }
}
