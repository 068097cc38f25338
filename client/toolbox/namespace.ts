/**
 * Mitel.ChatToolbox on the host page: where the page puts its Config values and its hooks. The
 * toolbox only adds what is missing and never replaces what the page defined, except the page
 * API's methods and `queue` (page-api.ts), which it always installs.
 */
export interface ChatToolboxNamespace {
  Config?: unknown;
  customizePage?: unknown;
  customizeRequest?: unknown;
  /** Calls left by a script above the toolbox (an array), then the toolbox's own queue. */
  queue?: unknown;
}

interface HostGlobals {
  Mitel?: { ChatToolbox?: ChatToolboxNamespace };
}

export function chatToolboxNamespace(host: object): ChatToolboxNamespace {
  const globals = host as HostGlobals;
  globals.Mitel ??= {};
  globals.Mitel.ChatToolbox ??= {};
  return globals.Mitel.ChatToolbox;
}

/**
 * Runs one of the page's hooks, if it defined one. A failing hook is the page's bug: it is reported
 * on the console and the toolbox carries on with the values set so far.
 */
export function runHook(
  namespace: ChatToolboxNamespace,
  name: 'customizePage' | 'customizeRequest',
) {
  const hook = namespace[name];
  if (typeof hook !== 'function') return;
  try {
    (hook as () => unknown).call(namespace);
  } catch (error) {
    console.error(`Mitel.ChatToolbox.${name} failed:`, error);
  }
}
