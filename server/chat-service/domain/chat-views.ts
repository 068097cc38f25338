import type { ChatDetails, TranscriptMessage } from '../../protocol/agent-api';
import type { ArchivedChat } from '../archive/chat-archive';
import type { Chat, CustomerDetails, TranscriptEntry } from './chat';

export type FromField = 'phone' | 'email' | 'id';

/** The customer detail shown as "From" in the archive: the first present by FromPriority. */
export function fromField(customer: CustomerDetails, priority: readonly FromField[]): string {
  for (const field of priority) {
    const value =
      field === 'phone' ? customer.phone : field === 'email' ? customer.email : customer.customerId;
    if (value !== '') return value;
  }
  return '';
}

export function toTranscriptMessage(entry: TranscriptEntry): TranscriptMessage {
  return {
    From: entry.from,
    Name: entry.name,
    Message: entry.message,
    TimeStamp: new Date(entry.at).toISOString(),
    Attachment:
      entry.attachment === null
        ? null
        : {
            AttachmentID: entry.attachment.id,
            FileName: entry.attachment.fileName,
            Size: entry.attachment.data.length,
          },
    AgentOnly: entry.agentOnly,
  };
}

const isoOrNull = (epochMs: number | null) =>
  epochMs === null ? null : new Date(epochMs).toISOString();

export function toChatDetails(
  chat: Chat,
  groupName: string,
  queuePosition: number,
  priority: readonly FromField[],
): ChatDetails {
  const { customer } = chat;
  return {
    ChatID: chat.id,
    State: chat.state,
    TerminationCause: chat.terminationCause,
    EndedBy: chat.endedBy,
    TenantID: chat.tenantId,
    ServiceGroupID: chat.groupId,
    ServiceGroupName: groupName,
    AgentID: chat.agentId,
    InternalSessionID: chat.internalSessionId,
    SessionID: customer.sessionId,
    CustomerID: customer.customerId,
    CustomerIDVerified: customer.customerIdVerified === true,
    CustomerName: customer.name,
    EmailAddress: customer.email,
    PhoneNumber: customer.phone,
    From: fromField(customer, priority),
    PrivateData: customer.privateData,
    InitialMessage: customer.initialMessage,
    InitialMessageToAgent: customer.initialMessageToAgent,
    TimeZoneOffset: customer.timeZoneOffset,
    RequestedAt: new Date(chat.requestedAt).toISOString(),
    AnsweredAt: isoOrNull(chat.answeredAt),
    EndedAt: isoOrNull(chat.endedAt),
    QueuePosition: queuePosition,
    Transcript: chat.transcript.map(toTranscriptMessage),
    // Given after the end, to the archive (RateChat).
    Rating: null,
  };
}

export function toArchivedChat(
  chat: Chat,
  groupName: string,
  priority: readonly FromField[],
): ArchivedChat {
  // An ended chat has no current agent; the archive names the last one that handled it.
  return {
    ...toChatDetails(chat, groupName, 0, priority),
    AgentID: chat.agentIds.at(-1) ?? null,
    AgentIDs: [...chat.agentIds],
  };
}
