import { consoleText as t, fill } from '../console-text';
import type { ConsoleStore } from '../console-store';
import { el, setAttrs } from '../dom';

export interface ToolbarViewOptions {
  store: ConsoleStore;
  onReady: (ready: boolean) => void;
  onLogout: () => void;
}

/** The bar at the top: who is signed in, the ready switch, log-out, and the connection state. */
export class ToolbarView {
  readonly element: HTMLElement;
  private readonly readySwitch: HTMLButtonElement;
  private readonly connection: HTMLElement;
  private readonly logoutButton: HTMLButtonElement;

  constructor(private readonly options: ToolbarViewOptions) {
    const { store } = options;
    this.readySwitch = el(
      'button',
      {
        className: 'ready-switch',
        id: 'ready-switch',
        attrs: { type: 'button', role: 'switch', 'aria-keyshortcuts': 'Alt+R' },
        on: { click: () => options.onReady(!store.ready) },
      },
      el('span', { className: 'switch-track', attrs: { 'aria-hidden': 'true' } }),
      el('span', { className: 'switch-label', text: t.ready }),
    );
    this.connection = el('p', { className: 'connection-warning', attrs: { role: 'alert' } });
    this.logoutButton = el('button', {
      className: 'logout',
      text: t.logOut,
      attrs: { type: 'button' },
      on: { click: () => options.onLogout() },
    });
    this.element = el(
      'header',
      { className: 'topbar' },
      el('p', { className: 'brand', text: t.pageTitle }),
      el('p', { className: 'signed-in', text: fill(t.signedInAs, store.agent?.Name ?? '') }),
      this.connection,
      this.readySwitch,
      this.logoutButton,
    );
    this.render();
    store.subscribe((change) => {
      if (change.type === 'ready' || change.type === 'connection') this.render();
    });
  }

  /** Where the focus goes back when the agent decides not to log out. */
  focusLogout(): void {
    if (this.logoutButton.isConnected) this.logoutButton.focus();
  }

  private render(): void {
    const { store } = this.options;
    setAttrs(this.readySwitch, { 'aria-checked': store.ready ? 'true' : 'false' });
    this.readySwitch.classList.toggle('is-on', store.ready);
    this.connection.textContent = store.connected ? '' : t.unreachable;
    this.connection.hidden = store.connected;
  }
}
