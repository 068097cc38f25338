import type { ResourceName } from '../../server/resources/resource-names';
import type { Texts } from './texts';

export interface NoticeLine {
  alert: (text?: string) => void;
  readonly alertText: string;
}

/**
 * The visitor's word on the way to the chat: Reconnecting while the browser is offline or the
 * page has lost its connection to CustomerChat, ServiceUnreachable while CustomerChat cannot reach
 * the Chat Service; cleared as soon as it works again. It shares the card's alert line, so it
 * clears only a text of its own.
 */
export class ConnectionNotice {
  private online: boolean;
  /** False until the first connect: the page's first seconds are no outage. */
  private connectedOnce = false;
  private connected = false;
  private serviceAvailable = true;

  constructor(
    private readonly line: NoticeLine,
    private readonly texts: Texts,
    online: boolean,
  ) {
    this.online = online;
  }

  browserOnline(online: boolean): void {
    this.online = online;
    this.show();
  }

  socket(connected: boolean): void {
    this.connected = connected;
    if (connected) this.connectedOnce = true;
    this.show();
  }

  service(available: boolean): void {
    this.serviceAvailable = available;
    this.show();
  }

  private show(): void {
    const name = this.current();
    const text = name === undefined ? undefined : this.texts.t(name);
    if (text !== undefined) {
      if (this.line.alertText !== text) this.line.alert(text);
      return;
    }
    const ours = [this.texts.t('Reconnecting'), this.texts.t('ServiceUnreachable')];
    if (ours.includes(this.line.alertText)) this.line.alert();
  }

  private current(): ResourceName | undefined {
    if (!this.online || (this.connectedOnce && !this.connected)) return 'Reconnecting';
    if (!this.serviceAvailable) return 'ServiceUnreachable';
    return undefined;
  }
}
