import type { ToolboxConfig } from '../../server/customer-chat/gateway/toolbox-boot';
import { IdleTimer } from './idle-timer';
import type { Texts } from './texts';

export interface IdleWatchOptions {
  texts: Texts;
  /** Shows the warning in the card's alert line; undefined clears it. */
  alert: (text?: string) => void;
  /** What the alert line shows now. */
  alertText: () => string;
  /** The warning came while the card was put away. */
  markUnread: () => void;
  onTimeout: () => void;
}

/**
 * The idle rules of one chat (IdleTimeout, WarningBeforeIdleTimeout, from Config as the chat was
 * requested): the SessionWillSoonBeClosed warning, taken down again by any activity.
 */
export class IdleWatch {
  private timer: IdleTimer | undefined;
  private warning = '';

  constructor(private readonly options: IdleWatchOptions) {}

  /** Takes the rules of a new chat; counting starts with `restart`. */
  arm(config: ToolboxConfig): void {
    this.stop();
    this.timer = new IdleTimer({
      idleSeconds: config.IdleTimeout,
      warningSeconds: config.WarningBeforeIdleTimeout,
      onWarning: (secondsLeft) => {
        this.warning = this.options.texts.t('SessionWillSoonBeClosed', secondsLeft);
        this.options.alert(this.warning);
        this.options.markUnread();
      },
      onTimeout: () => this.options.onTimeout(),
    });
  }

  /** The visitor did something: no warning, and the full time again. */
  restart(): void {
    this.clearWarning();
    this.timer?.restart();
  }

  stop(): void {
    this.clearWarning();
    this.timer?.stop();
  }

  /** Takes the warning down (only if the alert line still shows it). */
  clearWarning(): void {
    if (this.warning !== '' && this.options.alertText() === this.warning) this.options.alert();
    this.warning = '';
  }
}
