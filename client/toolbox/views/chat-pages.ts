import type { ToolboxConfig } from '../../../server/customer-chat/gateway/toolbox-boot';
import type { LoggedEvent } from '../../../server/customer-chat/session/visitor-events';
import { assertNever, type Phase } from '../chat-phase';
import type { SavedChat } from '../session-store';
import type { Texts } from '../texts';
import { attachmentUrl } from '../uploader';
import {
  conversationView,
  type ConversationHandlers,
  type ConversationView,
} from './conversation-view';
import { postchatView, unavailableView } from './ending-views';
import { offlineMessageView, type OfflineEntries } from './offline-message-view';
import { prechatView, type PrechatEntries, type PrechatView } from './prechat-view';
import { ratingView, type SendRating } from './rating-view';
import { waitingView, type WaitingView } from './waiting-view';

/** Everything a page is drawn from. */
export interface PageState {
  phase: Phase;
  texts: Texts;
  origin: string;
  /** False with IgnoreCustomerDetails: the pre-chat page asks for no name, e-mail or phone. */
  asksCustomerDetails: boolean;
  /** Config after customizePage. */
  page: ToolboxConfig;
  chat: SavedChat | undefined;
  events: readonly LoggedEvent[];
  ended: boolean;
  queue: { position: number; wait: number };
  /** The estimated wait from the last availability poll. */
  lastWait: number;
  closedMessage: string | null;
  /** ServiceGroupIDsToReject names the page's group: its chat requests are refused. */
  rejected: boolean;
}

export interface PageActions {
  request: (entries: PrechatEntries) => void;
  restart: () => void;
  /** The closed group's form: resolves true once CustomerChat has the message. */
  leaveMessage: (entries: OfflineEntries) => Promise<boolean>;
  /** The post-chat page's rating of the chat that just ended (AskForRating). */
  rate: SendRating;
  conversation: ConversationHandlers;
}

export interface DrawnPage {
  element: HTMLElement;
  /** Offers the end-chat button. */
  closable: boolean;
  prechat?: PrechatView;
  waiting?: WaitingView;
  conversation?: ConversationView;
}

/** Draws the page of a phase from the state; the conversation from the whole log. */
export function drawPage(state: PageState, actions: PageActions): DrawnPage {
  const { texts, page, chat } = state;
  const config = chat?.config ?? page;
  switch (state.phase) {
    case 'prechat': {
      const prechat = prechatView(texts, page, state.asksCustomerDetails, actions.request);
      prechat.setWait(state.lastWait);
      return { element: prechat.element, closable: false, prechat };
    }
    case 'unavailable':
      return {
        element: state.rejected
          ? unavailableView(texts, texts.t('RequestRejected'))
          : page.OfflineMessages
            ? offlineMessageView(texts, page, state.closedMessage, actions.leaveMessage)
            : unavailableView(texts, state.closedMessage),
        closable: false,
      };
    case 'waiting': {
      const waiting = waitingView(texts, chat?.queueMessage ?? null, config.ShowEstimatedWaitTime);
      waiting.update(state.queue.position, state.queue.wait);
      return { element: waiting.element, closable: true, waiting };
    }
    case 'conversation': {
      const token = chat?.token ?? '';
      const conversation = conversationView(
        texts,
        {
          texts,
          hideAgentName: config.HideAgentName,
          showEstimatedWait: config.ShowEstimatedWaitTime,
          fileUrl: (id) => attachmentUrl(state.origin, token, id),
        },
        actions.conversation,
      );
      // The queue's figures before the agent came were the waiting page's business.
      const joined = state.events.findIndex((event) => event.type === 'agentJoined');
      for (const [index, event] of state.events.entries())
        if (event.type !== 'queued' || (joined >= 0 && index > joined)) conversation.add(event);
      if (state.ended) conversation.end();
      return { element: conversation.element, closable: !state.ended, conversation };
    }
    case 'postchat':
      return {
        element: postchatView(
          texts,
          actions.restart,
          page.AskForRating ? ratingView(texts, actions.rate) : undefined,
        ),
        closable: false,
      };
    default:
      return assertNever(state.phase);
  }
}
