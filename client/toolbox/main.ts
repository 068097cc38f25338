import type { ToolboxBoot } from '../../server/customer-chat/gateway/toolbox-boot';
import { fillConfig, pageConfig } from './config';
import { chatToolboxNamespace } from './namespace';
import { loadTexts } from './texts';
import { Toolbox } from './toolbox';

/** Put in front of the bundle by CustomerChat (server/customer-chat/http/toolbox-script.ts). */
declare const __customerChatBoot: ToolboxBoot;

const boot = __customerChatBoot;
const started = Symbol.for('customerchat.toolbox');

async function init(): Promise<void> {
  const globals = window as unknown as Record<symbol, boolean>;
  // A page that includes the script twice still gets one toolbox.
  if (globals[started]) return;
  globals[started] = true;
  const namespace = chatToolboxNamespace(window);
  const page = pageConfig(namespace, boot.defaults);
  if (!page.ToolboxAvailable) return;
  const texts = await loadTexts(boot, page.Language);
  new Toolbox({ boot, texts, page, namespace }).start();
}

// Mitel.ChatToolbox.Config exists (with every default) as soon as the script has run, for the
// page's scripts to read and change; the hooks run once the document's own scripts have run.
fillConfig(chatToolboxNamespace(window), boot.defaults);
if (document.readyState === 'loading')
  document.addEventListener('DOMContentLoaded', () => void init(), { once: true });
else setTimeout(() => void init(), 0);
