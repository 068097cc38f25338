import type {
  AttachmentInfo,
  ChatEndedBy,
  ChatRating,
  TranscriptSender,
} from '../../protocol/agent-api';
import type { ChatState, TerminationCause } from '../../protocol/enums';
import type { ArchivedChat } from './chat-archive';

/** A row of `chats` as read and written (archive-schema.ts). */
export interface ChatRow {
  chat_id: string;
  state: ChatState;
  termination_cause: TerminationCause | null;
  ended_by: ChatEndedBy | null;
  tenant_id: number;
  service_group_id: number;
  service_group_name: string;
  agent_id: string | null;
  agent_ids: string;
  internal_session_id: number;
  session_id: string;
  customer_id: string;
  customer_id_verified: 0 | 1;
  customer_name: string;
  email_address: string;
  email_key: string;
  phone_number: string;
  from_field: string;
  private_data: string;
  initial_message: string;
  initial_message_to_agent: string;
  time_zone_offset: number | null;
  requested_at: number;
  answered_at: number | null;
  ended_at: number | null;
  rating: number | null;
  rating_comment: string | null;
  rated_at: number | null;
}

/** A row of `messages`: one line of a transcript. */
export interface MessageRow {
  chat_id: string;
  position: number;
  sent_at: number;
  sender: TranscriptSender;
  name: string;
  message: string;
  attachment_id: string | null;
  attachment_name: string | null;
  attachment_size: number | null;
  agent_only: 0 | 1;
}

const epochMs = (iso: string) => Date.parse(iso);
const epochMsOrNull = (iso: string | null) => (iso === null ? null : Date.parse(iso));
const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toChatRow(chat: ArchivedChat): ChatRow {
  return {
    chat_id: chat.ChatID,
    state: chat.State,
    termination_cause: chat.TerminationCause,
    ended_by: chat.EndedBy,
    tenant_id: chat.TenantID,
    service_group_id: chat.ServiceGroupID,
    service_group_name: chat.ServiceGroupName,
    agent_id: chat.AgentID,
    agent_ids: JSON.stringify(chat.AgentIDs),
    internal_session_id: chat.InternalSessionID,
    session_id: chat.SessionID,
    customer_id: chat.CustomerID,
    customer_id_verified: chat.CustomerIDVerified ? 1 : 0,
    customer_name: chat.CustomerName,
    email_address: chat.EmailAddress,
    email_key: chat.EmailAddress.toLowerCase(),
    phone_number: chat.PhoneNumber,
    from_field: chat.From,
    private_data: chat.PrivateData,
    initial_message: chat.InitialMessage,
    initial_message_to_agent: chat.InitialMessageToAgent,
    time_zone_offset: chat.TimeZoneOffset,
    requested_at: epochMs(chat.RequestedAt),
    answered_at: epochMsOrNull(chat.AnsweredAt),
    ended_at: epochMsOrNull(chat.EndedAt),
    rating: chat.Rating?.Rating ?? null,
    rating_comment: chat.Rating?.Comment ?? null,
    rated_at: chat.Rating === null ? null : epochMs(chat.Rating.RatedAt),
  };
}

export function toMessageRows(chat: ArchivedChat): MessageRow[] {
  return chat.Transcript.map((line, position) => ({
    chat_id: chat.ChatID,
    position,
    sent_at: epochMs(line.TimeStamp),
    sender: line.From,
    name: line.Name,
    message: line.Message,
    attachment_id: line.Attachment?.AttachmentID ?? null,
    attachment_name: line.Attachment?.FileName ?? null,
    attachment_size: line.Attachment?.Size ?? null,
    agent_only: line.AgentOnly ? 1 : 0,
  }));
}

export function fromRows(chat: ChatRow, messages: readonly MessageRow[]): ArchivedChat {
  return {
    ChatID: chat.chat_id,
    State: chat.state,
    TerminationCause: chat.termination_cause,
    EndedBy: chat.ended_by,
    TenantID: chat.tenant_id,
    ServiceGroupID: chat.service_group_id,
    ServiceGroupName: chat.service_group_name,
    AgentID: chat.agent_id,
    InternalSessionID: chat.internal_session_id,
    SessionID: chat.session_id,
    CustomerID: chat.customer_id,
    CustomerIDVerified: chat.customer_id_verified === 1,
    CustomerName: chat.customer_name,
    EmailAddress: chat.email_address,
    PhoneNumber: chat.phone_number,
    From: chat.from_field,
    PrivateData: chat.private_data,
    InitialMessage: chat.initial_message,
    InitialMessageToAgent: chat.initial_message_to_agent,
    TimeZoneOffset: chat.time_zone_offset,
    RequestedAt: new Date(chat.requested_at).toISOString(),
    AnsweredAt: isoOrNull(chat.answered_at),
    EndedAt: isoOrNull(chat.ended_at),
    // An archived chat is never in a queue.
    QueuePosition: 0,
    Transcript: messages.map((line) => ({
      From: line.sender,
      Name: line.name,
      Message: line.message,
      TimeStamp: new Date(line.sent_at).toISOString(),
      Attachment: attachmentOf(line),
      AgentOnly: line.agent_only === 1,
    })),
    AgentIDs: JSON.parse(chat.agent_ids) as string[],
    Rating: ratingOf(chat),
  };
}

function ratingOf(chat: ChatRow): ChatRating | null {
  const { rating, rating_comment: comment, rated_at: ratedAt } = chat;
  // RateChat sets the three together.
  return rating === null || ratedAt === null
    ? null
    : { Rating: rating, Comment: comment ?? '', RatedAt: new Date(ratedAt).toISOString() };
}

function attachmentOf(line: MessageRow): AttachmentInfo | null {
  const { attachment_id: id, attachment_name: fileName, attachment_size: size } = line;
  // The schema's CHECK keeps the three columns all set or all null.
  return id === null || fileName === null || size === null
    ? null
    : { AttachmentID: id, FileName: fileName, Size: size };
}
