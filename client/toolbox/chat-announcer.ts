import type { ConversationEvent } from '../../server/customer-chat/session/visitor-events';
import { assertNever } from './chat-phase';
import type { ChatEndReason } from './chat-toolbox';
import type { PageApi } from './page-api';

/**
 * Tells the page's handlers what happens in the visitor's chat, in the page API's terms: only
 * what the visitor sees (no token, no ChatID), and each chat's end once, however it came.
 */
/** The page API's reasons are fewer: the others are the contact center's ('general'). */
function pageReason(event: Extract<ConversationEvent, { type: 'ended' }>): ChatEndReason {
  if (event.by === 'visitor') return 'visitorClosed';
  if (event.by === 'idle') return 'idleTimeout';
  return event.cause === 'groupClosed' || event.by === 'groupClosed' ? 'groupClosed' : 'general';
}

export class ChatAnnouncer {
  private endTold = false;

  constructor(
    private readonly api: PageApi,
    private readonly hideAgentName: () => boolean,
  ) {}

  started(resumed: boolean): void {
    this.endTold = false;
    this.api.emit('chatStarted', { resumed });
  }

  event(event: ConversationEvent): void {
    switch (event.type) {
      case 'queued':
        return this.api.emit('queuePosition', {
          position: event.position,
          estimatedWaitSeconds: event.estimatedWaitSeconds,
        });
      case 'agentJoined':
        return this.api.emit('agentJoined', this.hideAgentName() ? {} : { name: event.name });
      case 'agentLeft':
        return;
      case 'message':
        return this.api.emit('message', {
          from: event.from,
          text: event.text,
          at: new Date(event.at).toISOString(),
        });
      case 'ended':
        return this.ended(pageReason(event));
      default:
        return assertNever(event);
    }
  }

  ended(reason: ChatEndReason): void {
    if (this.endTold) return;
    this.endTold = true;
    this.api.emit('chatEnded', { reason });
  }
}
