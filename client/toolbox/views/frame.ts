import type { ToolboxPosition } from '../../../server/customer-chat/gateway/toolbox-boot';
import { CardMover, type Offset } from '../drag';
import { adoptStyles, narrowScreen } from '../styles';
import type { Texts } from '../texts';
import { el, icon, icons, setAttributes, show, uniqueId } from './dom';

export interface FrameHandlers {
  /** The visitor opened the card (the tab). */
  onOpen: () => void;
  /** The visitor put the card away (minimise button or Escape). */
  onMinimise: () => void;
  /** The visitor asked to end the chat (the close button). */
  onClose: () => void;
  /** The count of things unseen since the card was put away changed (0 when it opens). */
  onUnread: (count: number) => void;
}

/** The page's own say on the tab (Mitel.ChatToolbox.show/hide); 'auto' follows availability. */
export type TabChoice = 'auto' | 'shown' | 'hidden';

/**
 * The toolbox's shell in the host page: one host element with a shadow root holding the pop-out
 * tab and the chat card (title bar, alert line, the current page, the end-chat confirmation).
 * The pages themselves are built by the other views.
 */
export class ToolboxFrame {
  readonly host: HTMLElement;
  private readonly card: HTMLElement;
  private readonly handle: HTMLElement;
  private readonly positionSheet: CSSStyleSheet;
  private mover: CardMover | undefined;
  private readonly tab: HTMLButtonElement;
  private readonly dot: HTMLElement;
  private readonly page: HTMLElement;
  private readonly alertLine: HTMLElement;
  private readonly closeButton: HTMLButtonElement;
  private readonly confirmBox: HTMLElement;
  private tabWanted = false;
  private tabChoice: TabChoice = 'auto';
  private unread = 0;

  constructor(
    private readonly texts: Texts,
    position: ToolboxPosition,
    movable: boolean,
    private readonly handlers: FrameHandlers,
  ) {
    this.host = el('div', { 'data-customer-chat': 'toolbox', 'data-pos': position });
    const root = this.host.attachShadow({ mode: 'open' });
    this.positionSheet = adoptStyles(root).position;
    const title = texts.t('Title');
    const cardId = uniqueId('card');
    const titleId = uniqueId('title');

    this.dot = el('span', { class: 'dot', hidden: true });
    this.tab = el(
      'button',
      { class: 'tab', type: 'button', 'aria-expanded': 'false', 'aria-controls': cardId },
      icon(icons.chat),
      title,
      this.dot,
    );
    this.tab.hidden = true;
    this.tab.addEventListener('click', () => handlers.onOpen());

    this.handle = el(
      'h2',
      { class: 'title', id: titleId, tabindex: movable ? 0 : undefined },
      title,
    );
    const minimise = el(
      'button',
      {
        class: 'icon',
        type: 'button',
        'aria-label': title,
        'aria-expanded': 'true',
        'aria-controls': cardId,
      },
      icon(icons.minimise),
    );
    minimise.addEventListener('click', () => handlers.onMinimise());
    const reallyClose = texts.t('ReallyClose');
    this.closeButton = el(
      'button',
      {
        class: 'icon',
        type: 'button',
        'aria-label': reallyClose,
        title: reallyClose,
        hidden: true,
      },
      icon(icons.close),
    );
    this.closeButton.addEventListener('click', () => handlers.onClose());

    this.alertLine = el('div', { class: 'alert', role: 'alert' });
    this.page = el('div', { class: 'page' });
    this.confirmBox = el('div', { class: 'ask', role: 'alertdialog', hidden: true });
    this.card = el(
      'section',
      {
        class: movable ? 'card movable' : 'card',
        id: cardId,
        role: 'dialog',
        'aria-labelledby': titleId,
        hidden: true,
      },
      el('header', { class: 'head' }, this.handle, minimise, this.closeButton),
      this.alertLine,
      this.page,
      this.confirmBox,
    );
    this.card.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.confirmBox.hidden) handlers.onMinimise();
    });

    root.append(
      el(
        'div',
        {
          class: 'tb',
          dir: texts.rightToLeft ? 'rtl' : 'ltr',
          lang: texts.culture || 'en',
          'data-pos': position,
        },
        this.tab,
        this.card,
      ),
    );
  }

  get isOpen(): boolean {
    return !this.card.hidden;
  }

  showTab(visible: boolean): void {
    this.tabWanted = visible;
    this.tab.hidden = !this.tabVisible || this.isOpen;
  }

  /** The page showed or hid the tab; hiding puts the card away too. */
  chooseTab(choice: TabChoice): void {
    this.tabChoice = choice;
    if (choice === 'hidden' && this.isOpen) this.minimise();
    else this.showTab(this.tabWanted);
  }

  get tabChosen(): TabChoice {
    return this.tabChoice;
  }

  private get tabVisible(): boolean {
    return this.tabChoice === 'auto' ? this.tabWanted : this.tabChoice === 'shown';
  }

  open(): void {
    this.card.hidden = false;
    this.tab.hidden = true;
    this.dot.hidden = true;
    if (this.unread > 0) this.handlers.onUnread((this.unread = 0));
    this.tab.setAttribute('aria-expanded', 'true');
    this.mover?.keepInside();
    this.focusPage();
  }

  /** AllowMovingChatCard: the title bar moves the card, from `offset` (where it was left). */
  makeMovable(offset: Offset | undefined, onMoved: (offset: Offset) => void): void {
    const narrow = matchMedia(narrowScreen);
    const mover = new CardMover({
      card: this.card,
      handle: this.handle,
      sheet: this.positionSheet,
      offset: offset ?? { x: 0, y: 0 },
      onMoved,
      enabled: () => !narrow.matches,
    });
    this.mover = mover;
    addEventListener('resize', () => mover.keepInside());
  }

  minimise(): void {
    this.card.hidden = true;
    this.tab.hidden = !this.tabVisible;
    this.tab.setAttribute('aria-expanded', 'false');
    this.tab.focus();
  }

  /** Shows a page in the card; `closable` offers the end-chat button. */
  setPage(page: HTMLElement, closable: boolean): void {
    show(this.page, page);
    this.closeButton.hidden = !closable;
    this.confirmBox.hidden = true;
    if (this.isOpen) this.focusPage();
  }

  setClosable(closable: boolean): void {
    this.closeButton.hidden = !closable;
  }

  /** One line for errors and warnings, read out as it appears; undefined clears it. */
  alert(text?: string): void {
    this.alertLine.textContent = text ?? '';
  }

  get alertText(): string {
    return this.alertLine.textContent ?? '';
  }

  /** Something new while the card is put away: a dot on the tab. */
  markUnread(): void {
    if (this.isOpen) return;
    this.dot.hidden = false;
    this.handlers.onUnread(++this.unread);
  }

  /** The ReallyClose question with Yes and No; resolves true for Yes. */
  confirmClose(): Promise<boolean> {
    const questionId = uniqueId('ask');
    const yes = el('button', { class: 'primary', type: 'button' }, this.texts.t('Yes'));
    const no = el('button', { class: 'secondary', type: 'button' }, this.texts.t('No'));
    show(
      this.confirmBox,
      el('p', { id: questionId }, this.texts.t('ReallyClose')),
      el('div', {}, yes, no),
    );
    setAttributes(this.confirmBox, { 'aria-labelledby': questionId });
    this.confirmBox.hidden = false;
    no.focus();
    return new Promise((resolve) => {
      const answer = (value: boolean) => {
        this.confirmBox.hidden = true;
        if (!value) this.closeButton.focus();
        resolve(value);
      };
      yes.addEventListener('click', () => answer(true));
      no.addEventListener('click', () => answer(false));
      this.confirmBox.addEventListener('keydown', (event) => {
        if (event.key === 'Escape') answer(false);
      });
    });
  }

  /** Focus goes to the page's first field or button, so a keyboard user carries on from there. */
  private focusPage(): void {
    const target =
      this.page.querySelector<HTMLElement>('[data-autofocus]') ??
      this.page.querySelector<HTMLElement>('input,textarea,button,a');
    target?.focus();
  }
}
