import type { ToolboxConfig } from '../../server/customer-chat/gateway/toolbox-boot';
import { postedMessageOrigin } from './config';
import type { ChatToolboxNamespace } from './namespace';
import type { PageApi } from './page-api';
import { userConfig } from './page-user';
import { listenForPostedMessages } from './posted-messages';
import type { ToolboxFrame } from './views/frame';

export interface PageWiringOptions {
  api: PageApi;
  namespace: ChatToolboxNamespace;
  frame: ToolboxFrame;
  /** Config after customizePage (PostedMessageAllowedOrigin). */
  page: ToolboxConfig;
  open: () => void;
  minimise: () => void;
  /** The page's setUser values, merged into the config of the next chat request. */
  userChanged: (values: Partial<ToolboxConfig>) => void;
  /** A message posted by a page of the allowed origin, as if the visitor typed it. */
  posted: (message: string, hideLocal: boolean) => void;
}

/**
 * What the host page may ask of the toolbox: Mitel.ChatToolbox's methods (open, close, toggle,
 * show, hide, setUser) and the specification's postMessage API.
 */
export function wirePage(options: PageWiringOptions): void {
  const { api, frame, page } = options;
  listenForPostedMessages(window, postedMessageOrigin(page, location.origin), (posted) =>
    options.posted(posted.message, posted.hideLocal),
  );
  api.attach({
    open: () => {
      if (frame.tabChosen === 'hidden') frame.chooseTab('auto');
      options.open();
    },
    close: () => frame.isOpen && options.minimise(),
    toggle: () => (frame.isOpen ? options.minimise() : options.open()),
    show: () => frame.chooseTab('shown'),
    hide: () => frame.chooseTab('hidden'),
    setUser: (user) => setUser(options, user),
  });
}

/** Mitel.ChatToolbox.setUser: the details of the next chat request, and of the pre-chat page. */
function setUser(options: PageWiringOptions, user: unknown): void {
  const values = userConfig(user);
  if (typeof values === 'string') return console.warn(`Mitel.ChatToolbox.setUser ${values}.`);
  const { namespace } = options;
  namespace.Config = { ...(namespace.Config as object), ...values };
  options.userChanged(values);
}
