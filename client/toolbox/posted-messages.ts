/**
 * The specification's postMessage API: a page of the allowed origin may send a message as if the
 * visitor typed it. Only the exact shape is taken; anything else is not for the toolbox.
 */
export interface PostedSendMessage {
  message: string;
  /** True: the agent gets it, the visitor's conversation does not show it. */
  hideLocal: boolean;
}

export function parsePostedMessage(data: unknown): PostedSendMessage | undefined {
  if (!isRecord(data) || data['apiType'] !== 'ChatToolbox' || data['methodName'] !== 'SendMessage')
    return undefined;
  const version = data['apiVersion'];
  if (version !== undefined && typeof version !== 'string') return undefined;
  const args = data['arguments'];
  if (!isRecord(args)) return undefined;
  const { message, hideLocal = false } = args;
  if (typeof message !== 'string' || message.trim() === '' || typeof hideLocal !== 'boolean')
    return undefined;
  return { message, hideLocal };
}

/**
 * Listens for posted messages from `allowedOrigin` sent by a window related to this one (itself,
 * a frame, its parent or opener), so a worker or an unrelated window's port cannot post. Returns
 * the function that stops listening.
 */
export function listenForPostedMessages(
  win: Window,
  allowedOrigin: string,
  handle: (message: PostedSendMessage) => void,
): () => void {
  const listener = (event: MessageEvent) => {
    if (event.origin !== allowedOrigin || !isRelatedWindow(win, event.source)) return;
    const message = parsePostedMessage(event.data);
    if (message !== undefined) handle(message);
  };
  win.addEventListener('message', listener);
  return () => win.removeEventListener('message', listener);
}

function isRelatedWindow(win: Window, source: MessageEventSource | null): boolean {
  if (source === null) return false;
  if (source === win || source === win.parent || source === win.top || source === win.opener)
    return true;
  for (let index = 0; index < win.frames.length; index += 1) {
    if (win.frames[index] === source) return true;
  }
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
