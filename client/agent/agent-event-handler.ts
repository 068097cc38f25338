import type { AgentEvent } from '../../server/protocol/agent-api';
import { ChatState, assertNever } from '../../server/protocol/enums';
import { consoleText, fill } from './console-text';
import { fromTranscript, type ConsoleStore } from './console-store';

/** What applying an event may do beyond the store. */
export interface AgentEventEffects {
  store: ConsoleStore;
  /** The sound of a new offer. */
  playCue: () => void;
  announce: (text: string) => void;
  /** Shows a chat the agent now holds (loading its details once). */
  openChat: (chatId: string, activate: boolean) => void;
  /** The chat went to someone else (a transfer, or the service took it back). */
  handOver: (chatId: string) => void;
  refreshOverview: () => void;
  /** Whether the agent can see the page: messages to a hidden page count as unread. */
  pageVisible: () => boolean;
  /** Until when "… is typing" shows after a typing notice arriving now. */
  typingUntil: () => number;
}

/** Applies one event of the agent's stream, in Seq order; applying one twice changes nothing. */
export function applyAgentEvent(event: AgentEvent, effects: AgentEventEffects): void {
  const { store } = effects;
  switch (event.EventType) {
    case 'ChatOffered': {
      // A reload may replay an offer the agent has since accepted.
      const held = store.chats.get(event.Data.ChatID);
      if (held !== undefined && held.ended === null) return;
      if (store.addOffer(event.Data)) effects.playCue();
      effects.refreshOverview();
      return;
    }
    case 'ChatOfferWithdrawn': {
      const offer = store.removeOffer(event.Data.ChatID);
      if (offer !== undefined) {
        const name = offer.CustomerName || consoleText.anonymous;
        effects.announce(fill(consoleText.offerWithdrawn, name));
      }
      return;
    }
    case 'ChatAssigned':
      store.removeOffer(event.Data.ChatID);
      effects.openChat(event.Data.ChatID, store.activeChatId === null);
      return;
    case 'ChatUnassigned':
      effects.handOver(event.Data.ChatID);
      return;
    case 'MessageReceived': {
      const { ChatID, ...message } = event.Data;
      const countUnread = ChatID !== store.activeChatId || !effects.pageVisible();
      store.addLine(ChatID, fromTranscript(message), countUnread);
      return;
    }
    case 'CustomerTyping':
      store.customerTyping(event.Data.ChatID, effects.typingUntil());
      return;
    case 'ChatRated':
      store.setRating(event.Data.ChatID, event.Data.Rating);
      effects.refreshOverview();
      return;
    case 'ChatState':
      if (event.Data.State === ChatState.Terminated) {
        store.endChat(event.Data.ChatID, event.Data.EndedBy);
        effects.refreshOverview();
      }
      return;
    default:
      assertNever(event);
  }
}
