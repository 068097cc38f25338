import type { Texts } from './texts';

export interface NoticeLine {
  alert: (text?: string) => void;
  readonly alertText: string;
}

/**
 * The visitor's word on the way to the chat: Reconnecting while the browser is offline or the
 * page has lost its connection to CustomerChat, ServiceUnreachable
 * while CustomerChat cannot reach the Chat Service; cleared as soon as it works again. It shares
 * the card's alert line, so it clears only a text of its own.
 */
export class ConnectionNotice {
  readonly #down = { offline: false, socket: false, service: false };
  #shown = '';

  readonly #line: NoticeLine;
  readonly #texts: Texts;

  constructor(line: NoticeLine, texts: Texts, online: boolean) {
    this.#line = line;
    this.#texts = texts;
    this.#down.offline = !online;
  }

  browserOnline(online: boolean): void {
    this.#set('offline', !online);
  }

  socket(connected: boolean): void {
    this.#set('socket', !connected);
  }

  service(available: boolean): void {
    this.#set('service', !available);
  }

  #set(what: 'offline' | 'socket' | 'service', down: boolean): void {
    this.#down[what] = down;
    const { offline, socket, service } = this.#down;
    const text =
      offline || socket
        ? this.#texts.t('Reconnecting')
        : service
          ? this.#texts.t('ServiceUnreachable')
          : '';
    if (text !== '') {
      if (this.#line.alertText !== text) this.#line.alert(text);
    } else if (this.#shown !== '' && this.#line.alertText === this.#shown) this.#line.alert();
    this.#shown = text;
  }
}
