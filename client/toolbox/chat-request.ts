import type { ToolboxConfig } from '../../server/customer-chat/gateway/toolbox-boot';
import { chatRequestOf, requestConfig } from './config';
import type { ChatToolboxNamespace } from './namespace';
import type { SavedChat } from './session-store';
import type { ChatConnection } from './socket-client';
import type { Texts } from './texts';
import type { PrechatEntries } from './views/prechat-view';

export type RequestOutcome =
  | { kind: 'refused'; text: string }
  | { kind: 'closed'; message: string | null }
  | { kind: 'started'; chat: SavedChat; queuePosition: number; estimatedWaitSeconds: number };

/**
 * Asks CustomerChat for a chat with the pre-chat page's entries (after customizeRequest): the chat
 * to keep, the group's closed message, or the text of the refusal.
 */
export async function requestChat(
  connection: ChatConnection,
  texts: Texts,
  namespace: ChatToolboxNamespace,
  page: ToolboxConfig,
  entries: PrechatEntries,
): Promise<RequestOutcome> {
  const config = requestConfig(namespace, page, entries);
  const reply = await connection.request(chatRequestOf(config));
  if (!reply.ok) {
    const rejected = reply.error.code === 'RequestRejected';
    return { kind: 'refused', text: texts.t(rejected ? 'RequestRejected' : 'ErrorRequestingChat') };
  }
  if ('closed' in reply) return { kind: 'closed', message: reply.message };
  return {
    kind: 'started',
    chat: { token: reply.token, queueMessage: reply.message, config },
    queuePosition: reply.queuePosition,
    estimatedWaitSeconds: reply.estimatedWaitSeconds,
  };
}
