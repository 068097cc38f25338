import { AgentApiClient } from './agent-api-client';
import { AudioCue } from './audio-cue';
import { ConsoleController, type SignOutReason } from './console-controller';
import { readConsoleSettings } from './console-settings';
import { consoleText as t, fill } from './console-text';
import { ConsoleStore } from './console-store';
import { SessionKeeper } from './saved-session';
import { Announcer } from './views/announcer';
import { ConsoleView } from './views/console-view';
import { loginView } from './views/login-view';

/**
 * The agent console (served by the Chat Service at /Agent): wires the API client, the store and
 * the controller to the page, and switches between the log-in form and the console.
 */
function start(root: HTMLElement): void {
  const store = new ConsoleStore();
  const announcer = new Announcer();
  let consoleView: ConsoleView | undefined;
  const api = new AgentApiClient({ onUnauthorized: () => controller.sessionEnded() });
  const controller: ConsoleController = new ConsoleController({
    api,
    store,
    sessions: new SessionKeeper(sessionStorage),
    cue: new AudioCue(),
    announce: (text) => announcer.announce(text),
    onSignedOut: (reason) => showLogin(reason),
    pageVisible: () => document.visibilityState === 'visible',
    settings: readConsoleSettings(root.dataset['settings']),
  });

  const showConsole = () => {
    consoleView?.dispose();
    consoleView = new ConsoleView({ store, controller, announcer });
    root.replaceChildren(consoleView.element);
  };
  const showLogin = (reason?: SignOutReason) => {
    consoleView?.dispose();
    consoleView = undefined;
    const notice =
      reason === 'sessionEnded' ? t.sessionEnded : reason === 'loggedOut' ? t.loggedOut : undefined;
    root.replaceChildren(
      loginView({
        ...(notice === undefined ? {} : { notice }),
        onSubmit: async (agentId, password) => {
          await controller.login(agentId, password);
          showConsole();
        },
      }),
    );
  };

  // The page title counts what waits for the agent, so it shows in the browser's tab strip.
  const renderTitle = () => {
    const waiting = store.offers.size + store.totalUnread;
    document.title = waiting === 0 ? t.pageTitle : fill(t.pageTitleWithCount, waiting);
  };
  store.subscribe((change) => {
    if (change.type === 'offers' || change.type === 'unread' || change.type === 'chats')
      renderTitle();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && store.activeChatId !== null)
      store.markRead(store.activeChatId);
  });

  controller.restore().then(
    (restored) => (restored ? showConsole() : showLogin()),
    () => showLogin(),
  );
}

const root = document.getElementById('app');
if (root !== null) start(root);
