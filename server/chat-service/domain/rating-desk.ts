import type { ChatRating } from '../../protocol/agent-api';
import type { RateChatRequest } from '../../protocol/customer-api';
import type { RateChatResponse } from '../../protocol/customer-responses';
import { ServiceFault } from '../../protocol/faults';
import { endedChatRetentionMs } from './chat-timers';
import type { ContactCenter } from './contact-center';

/**
 * The RateChat extension: the customer rates a chat once it has ended, within its post-chat window
 * (as long as the service still holds the ended chat), and once only. The rating is kept with the
 * archived chat, and the agents who handled the chat are told, so their console shows it.
 */
export class RatingDesk {
  constructor(private readonly center: ContactCenter) {}

  rateChat(request: RateChatRequest): RateChatResponse {
    const { center } = this;
    const now = center.time.now();
    const chat = center.chats.get(request.ChatID);
    if (chat === undefined) {
      // Past the window the live chat is gone, and only the archive still knows the ChatID.
      if (center.archive.get(request.ChatID) !== undefined) throw windowClosed();
      throw new ServiceFault('UnknownChat', 'No chat has that ChatID.');
    }
    if (!chat.isTerminated || chat.endedAt === null)
      throw new ServiceFault('BadRequest', 'A chat is rated once it has ended.');
    if (now > chat.endedAt + endedChatRetentionMs) throw windowClosed();
    const rating: ChatRating = {
      Rating: request.Rating,
      Comment: request.Comment ?? '',
      RatedAt: new Date(now).toISOString(),
    };
    const outcome = center.archive.rate(chat.id, rating);
    if (outcome === 'alreadyRated')
      throw new ServiceFault('AlreadyRated', 'This chat has been rated already.');
    if (outcome === 'unknownChat')
      throw new ServiceFault('UnknownChat', 'The archive has no chat with that ChatID.');
    center.logger.info({ chatId: chat.id, rating: rating.Rating }, 'chat rated');
    for (const agentId of new Set(chat.agentIds)) {
      const agent = center.agents.get(agentId.toLowerCase());
      if (agent !== undefined)
        center.toAgent(agent, {
          EventType: 'ChatRated',
          Data: { ChatID: chat.id, Rating: rating },
        });
    }
    return { RatedAt: rating.RatedAt };
  }
}

const windowClosed = () =>
  new ServiceFault('RatingWindowClosed', 'The time to rate this chat is over.');
