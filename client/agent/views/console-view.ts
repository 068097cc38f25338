import type { ConsoleController } from '../console-controller';
import { consoleText as t } from '../console-text';
import type { ConsoleStore } from '../console-store';
import { el } from '../dom';
import type { Announcer } from './announcer';
import { ChatArea } from './chat-area';
import { LogoutDialog } from './logout-dialog';
import { OfferBanner } from './offer-banner';
import { OverviewView } from './overview-view';
import { ToolbarView } from './toolbar-view';
import { TranscriptDialog } from './transcript-dialog';
import { TransferDialog } from './transfer-dialog';

export interface ConsoleViewOptions {
  store: ConsoleStore;
  controller: ConsoleController;
  announcer: Announcer;
}

/**
 * The console once logged in: the top bar, offers, the queue overview beside the chats, the
 * keyboard help, and the dialogs. Keyboard shortcuts: Alt+A accept, Alt+R ready, Alt+1…9 chats.
 */
export class ConsoleView {
  readonly element: HTMLElement;
  private readonly toolbar: ToolbarView;
  private readonly chats: ChatArea;
  private readonly onKey = (event: KeyboardEvent) => this.shortcut(event);

  constructor(private readonly options: ConsoleViewOptions) {
    const { store, controller, announcer } = options;
    const report = (work: Promise<unknown>) =>
      work.catch((failure: unknown) =>
        announcer.announce(failure instanceof Error ? failure.message : String(failure)),
      );
    const logout = new LogoutDialog(controller);
    this.toolbar = new ToolbarView({
      store,
      onReady: (ready) => void report(controller.setReady(ready)),
      onLogout: () => {
        const openChats = store.chatList.filter((chat) => chat.ended === null).length;
        if (openChats === 0) void report(controller.logout());
        else logout.open(openChats, () => this.toolbar.focusLogout());
      },
    });
    const offers = new OfferBanner({ store, onAccept: (chatId) => void this.accept(chatId) });
    const transfer = new TransferDialog(store, controller);
    const transcript = new TranscriptDialog(controller);
    const backToChats = () => this.chats.focusActive();
    this.chats = new ChatArea({
      store,
      controller,
      openTransfer: (chat) => transfer.open(chat, backToChats),
      openTranscript: (chat) => transcript.open(chat, backToChats),
    });
    this.element = el(
      'div',
      { className: 'console' },
      this.toolbar.element,
      offers.element,
      el(
        'div',
        { className: 'workspace' },
        el(
          'main',
          { className: 'chats-column' },
          el('h1', { className: 'visually-hidden', text: t.pageTitle }),
          this.chats.element,
        ),
        el(
          'aside',
          { className: 'side-column' },
          new OverviewView(store).element,
          el(
            'section',
            { className: 'shortcuts', attrs: { 'aria-labelledby': 'shortcuts-heading' } },
            el('h2', { id: 'shortcuts-heading', text: t.shortcutsHeading }),
            el('p', { text: t.shortcuts }),
          ),
        ),
      ),
      announcer.element,
      transfer.element,
      transcript.element,
      logout.element,
    );
    document.addEventListener('keydown', this.onKey);
  }

  dispose(): void {
    document.removeEventListener('keydown', this.onKey);
  }

  private async accept(chatId?: string): Promise<void> {
    try {
      const accepted = await this.options.controller.accept(chatId);
      if (accepted !== undefined) this.chats.focusActive();
    } catch (failure) {
      this.options.announcer.announce(failure instanceof Error ? failure.message : String(failure));
    }
  }

  private shortcut(event: KeyboardEvent): void {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    if (document.querySelector('dialog[open]') !== null) return;
    if (event.code === 'KeyA') {
      // Left alone with no offer, so Option+A still types "å" on a Mac.
      if (this.options.store.offers.size === 0) return;
      event.preventDefault();
      void this.accept();
    } else if (event.code === 'KeyR') {
      event.preventDefault();
      // The focus stays where the agent is typing; the new state is read out instead.
      const { store, controller, announcer } = this.options;
      const ready = !store.ready;
      controller.setReady(ready).then(
        () => announcer.announce(ready ? t.nowReady : t.nowNotReady),
        (failure: unknown) => announcer.announce(failure instanceof Error ? failure.message : ''),
      );
    } else if (/^Digit[1-9]$/.test(event.code)) {
      event.preventDefault();
      this.chats.openNth(Number(event.code.slice(5)));
    }
  }
}
