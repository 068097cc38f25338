import type { Logger } from '../../shared/logger';
import type { RatePayload } from '../gateway/socket-contract';
import { errorReply, replyForError } from '../relay/relay-errors';
import type { Reply } from '../session/visitor-events';
import type { SessionStore } from '../store/session-store';
import type { ChatServiceClient } from '../upstream/chat-service-client';

/**
 * The post-chat page's rating, relayed to the Chat Service's RateChat. The token is the page's
 * proof of the chat (it never learns the ChatID); the service decides whether the chat may still
 * be rated (ended, within its post-chat window, not rated yet) and says why not.
 */
export async function rateEndedChat(
  options: { store: SessionStore; client: Pick<ChatServiceClient, 'rateChat'>; logger: Logger },
  payload: RatePayload,
): Promise<Reply> {
  const { store, client, logger } = options;
  try {
    const session = await store.session(payload.token);
    if (session === undefined)
      return errorReply(
        'UnknownSession',
        'That chat is over or unknown; it can no longer be rated.',
      );
    await client.rateChat({
      ChatID: session.record.chatId,
      Rating: payload.rating,
      Comment: payload.comment ?? null,
    });
    return { ok: true };
  } catch (error) {
    return replyForError(error, logger, { step: 'RateChat' });
  }
}
