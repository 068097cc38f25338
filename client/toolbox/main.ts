import type { ToolboxBoot } from '../../server/customer-chat/gateway/toolbox-boot';
import { fillConfig, pageConfig } from './config';
import { chatToolboxNamespace } from './namespace';
import { PageApi } from './page-api';
import { loadTexts } from './texts';
import { Toolbox } from './toolbox';

/** Put in front of the bundle by CustomerChat (server/customer-chat/http/toolbox-script.ts). */
declare const __customerChatBoot: ToolboxBoot;

const boot = __customerChatBoot;
const started = Symbol.for('customerchat.toolbox');
const api = new PageApi();

async function init(): Promise<void> {
  const namespace = chatToolboxNamespace(window);
  const page = pageConfig(namespace, boot.defaults);
  if (!page.ToolboxAvailable) return;
  const texts = await loadTexts(boot, page.Language);
  new Toolbox({ boot, texts, page, namespace, api }).start();
}

const globals = window as unknown as Record<symbol, boolean>;
// A page that includes the script twice still gets one toolbox, and one page API.
if (!globals[started]) {
  globals[started] = true;
  // Mitel.ChatToolbox.Config (with every default) and the page API's methods exist as soon as the
  // script has run, for the page's scripts; the hooks run once the document's own scripts have run.
  fillConfig(chatToolboxNamespace(window), boot.defaults);
  api.install(chatToolboxNamespace(window));
  if (document.readyState === 'loading')
    document.addEventListener('DOMContentLoaded', () => void init(), { once: true });
  else setTimeout(() => void init(), 0);
}
