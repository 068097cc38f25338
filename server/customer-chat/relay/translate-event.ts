import { ChatEventType, ChatState, TerminationCause, assertNever } from '../../protocol/enums';
import type { DecodedChatEvent } from '../upstream/wire-decoding';
import type { ChatEndedBy } from '../../protocol/agent-api';
import type { ConversationEvent, EndReason } from '../session/visitor-events';

export type TranslatedEvent =
  | { kind: 'conversation'; event: ConversationEvent; attachment: Buffer | null }
  | { kind: 'typing'; name: string }
  | { kind: 'none' };

const endReasons = {
  Customer: 'visitor',
  CustomerIdle: 'idle',
  IdleTimeout: 'idle',
  CustomerGone: 'gone',
  Agent: 'agent',
  GroupClosed: 'groupClosed',
  Service: 'service',
} as const satisfies Record<ChatEndedBy, EndReason>;

/** Turns an event of the Chat Service into what the visitor's page is told. */
export function translateEvent(event: DecodedChatEvent): TranslatedEvent {
  switch (event.EventType) {
    case ChatEventType.MessageReceived: {
      const { Name, Message, System, TimeStamp, Attachment } = event.Data;
      return {
        kind: 'conversation',
        event: {
          type: 'message',
          from: System ? 'system' : 'agent',
          name: Name,
          text: Message,
          at: TimeStamp,
        },
        attachment: Attachment,
      };
    }
    case ChatEventType.AgentJoined:
      return {
        kind: 'conversation',
        event: { type: 'agentJoined', name: event.Data.Name },
        attachment: null,
      };
    case ChatEventType.AgentLeft:
      return {
        kind: 'conversation',
        event: {
          type: 'agentLeft',
          name: event.Data.Name,
          ...(event.Data.Reason === undefined
            ? {}
            : { reason: event.Data.Reason === 'Transferred' ? 'transferred' : 'handedOn' }),
        },
        attachment: null,
      };
    case ChatEventType.AgentTyping:
      return { kind: 'typing', name: event.Data.Name };
    case ChatEventType.ChatState:
      return translateState(event.Data);
    default:
      return assertNever(event);
  }
}

function translateState(
  data: Extract<DecodedChatEvent, { EventType: 4 }>['Data'],
): TranslatedEvent {
  switch (data.State) {
    case ChatState.Queued:
      return {
        kind: 'conversation',
        event: {
          type: 'queued',
          position: data.QueuePosition,
          estimatedWaitSeconds: data.EstimatedWaitTime,
        },
        attachment: null,
      };
    case ChatState.Handling:
      // AgentJoined already says it.
      return { kind: 'none' };
    case ChatState.Terminated:
      return {
        kind: 'conversation',
        event: {
          type: 'ended',
          cause: data.TerminationCause === TerminationCause.GroupClosed ? 'groupClosed' : 'general',
          ...(data.EndedBy === undefined ? {} : { by: endReasons[data.EndedBy] }),
        },
        attachment: null,
      };
    default:
      return assertNever(data.State);
  }
}
