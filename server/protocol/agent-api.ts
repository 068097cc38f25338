import { z } from 'zod';
import type { ChatState, TerminationCause } from './enums';
import { afterSeq, attachmentData, chatId, clientMessageId, eventsTimeout } from './wire-fields';

/**
 * The agent API of the reference Chat Service (`/AgentService/<Method>`, bearer token after Login).
 * Same conventions as the customer API; its events are named by strings, not integers, because no
 * specification fixes them.
 */

export const LoginRequest = z.object({
  AgentID: z.string().min(1).max(64),
  Password: z.string().min(1).max(1024),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const SetReadyRequest = z.object({ Ready: z.boolean() });
export const AgentGetEventsRequest = z.object({ Timeout: eventsTimeout, AfterSeq: afterSeq });
export const ChatRequest = z.object({ ChatID: chatId });
export const AgentSendMessageRequest = z.object({
  ChatID: chatId,
  Message: z.string().nullish(),
  Attachment: attachmentData,
  ClientMessageID: clientMessageId,
});
export const TransferChatRequest = z
  .object({
    ChatID: chatId,
    ServiceGroupID: z.number().int().positive().nullish(),
    AgentID: z.string().min(1).max(64).nullish(),
  })
  .refine(
    (request) => (request.ServiceGroupID == null) !== (request.AgentID == null),
    'give either ServiceGroupID or AgentID',
  );
export const GetResponsesRequest = z.object({ ServiceGroupID: z.number().int().positive() });
export const SendTranscriptRequest = z.object({ ChatID: chatId, To: z.email().nullish() });
export const GetAttachmentRequest = z.object({
  ChatID: chatId,
  AttachmentID: z.string().min(1).max(64),
});
export const SearchArchiveRequest = z.object({
  CustomerID: z.string().max(256).nullish(),
  SessionID: z.string().max(256).nullish(),
  EmailAddress: z.string().max(256).nullish(),
  PhoneNumber: z.string().max(64).nullish(),
  From: z.iso.datetime({ offset: true }).nullish(),
  To: z.iso.datetime({ offset: true }).nullish(),
  Limit: z.number().int().min(1).max(500).nullish(),
});
export type SearchArchiveRequest = z.infer<typeof SearchArchiveRequest>;

export interface AgentProfile {
  AgentID: string;
  Name: string;
  ChatName: string;
  FirstName: string;
  LastName: string;
  ServiceGroupIDs: number[];
}

export interface LoginResponse {
  Token: string;
  /** Seconds without a request before the token ends. */
  ExpiresAfterSeconds: number;
  Agent: AgentProfile;
}

export interface AttachmentInfo {
  AttachmentID: string;
  FileName: string;
  Size: number;
}

export type TranscriptSender = 'Customer' | 'Agent' | 'System';

export interface TranscriptMessage {
  From: TranscriptSender;
  Name: string;
  Message: string;
  TimeStamp: string;
  Attachment: AttachmentInfo | null;
  /** A system notice meant for the agent only. */
  AgentOnly: boolean;
}

/**
 * Who or what ended a chat. CustomerIdle: the toolbox's idle timeout; CustomerGone: the visitor left
 * the site and did not come back within the relay's grace period; IdleTimeout: the service's own
 * CustomerTimeout.
 */
export type ChatEndedBy =
  | 'Customer'
  | 'CustomerIdle'
  | 'CustomerGone'
  | 'Agent'
  | 'IdleTimeout'
  | 'GroupClosed'
  | 'Service';

/** Extension (RateChat): the customer's rating of an ended chat. */
export interface ChatRating {
  /** 1 (poor) to 5 (excellent). */
  Rating: number;
  /** The customer's words; blank when none. */
  Comment: string;
  RatedAt: string;
}

export interface ChatDetails {
  ChatID: string;
  State: ChatState;
  TerminationCause: TerminationCause | null;
  EndedBy: ChatEndedBy | null;
  TenantID: number;
  ServiceGroupID: number;
  ServiceGroupName: string;
  AgentID: string | null;
  InternalSessionID: number;
  SessionID: string;
  CustomerID: string;
  /** Extension: CustomerChat checked the CustomerID against the website's hash of it. */
  CustomerIDVerified: boolean;
  CustomerName: string;
  EmailAddress: string;
  PhoneNumber: string;
  From: string;
  PrivateData: string;
  InitialMessage: string;
  InitialMessageToAgent: string;
  TimeZoneOffset: number | null;
  RequestedAt: string;
  AnsweredAt: string | null;
  EndedAt: string | null;
  QueuePosition: number;
  Transcript: TranscriptMessage[];
  /** Extension: the customer's rating, once given (after the chat ended). */
  Rating: ChatRating | null;
}

export interface AgentState {
  Ready: boolean;
  ActiveChatIDs: string[];
  OfferedChatIDs: string[];
}

export interface ChatOfferedData {
  ChatID: string;
  ServiceGroupID: number;
  ServiceGroupName: string;
  CustomerName: string;
  InitialMessage: string;
  ExpiresAt: string;
  Transferred: boolean;
}

export type OfferWithdrawnReason = 'Timeout' | 'ChatEnded' | 'NotReady' | 'LoggedOut';

export type AgentEvent =
  | { EventType: 'ChatOffered'; Data: ChatOfferedData; Seq: number }
  | {
      EventType: 'ChatOfferWithdrawn';
      Data: { ChatID: string; Reason: OfferWithdrawnReason };
      Seq: number;
    }
  | { EventType: 'ChatAssigned'; Data: { ChatID: string }; Seq: number }
  | { EventType: 'ChatUnassigned'; Data: { ChatID: string }; Seq: number }
  | { EventType: 'MessageReceived'; Data: { ChatID: string } & TranscriptMessage; Seq: number }
  | { EventType: 'CustomerTyping'; Data: { ChatID: string }; Seq: number }
  | { EventType: 'ChatRated'; Data: { ChatID: string; Rating: ChatRating }; Seq: number }
  | {
      EventType: 'ChatState';
      Data: {
        ChatID: string;
        State: ChatState;
        TerminationCause: TerminationCause | null;
        EndedBy: ChatEndedBy | null;
      };
      Seq: number;
    };

export type AgentEventType = AgentEvent['EventType'];

/** GetOverview: one service group of the agent's, as a supervisor's wallboard would show it. */
export interface GroupOverview {
  ServiceGroupID: number;
  Name: string;
  /** Open now (opening hours and, with ClosedWhenNoAgentsLoggedIn, an agent logged in). */
  Open: boolean;
  /** Chats in the queue, offered ones included. */
  ChatsWaiting: number;
  /** Seconds the longest-waiting chat has been waiting since it was requested; 0 with none. */
  LongestWaitSeconds: number;
  /** The estimate a customer joining now would get (GetQueueInfo's); -1 when closed or unknown. */
  EstimatedWaitSeconds: number;
  AgentsReady: number;
  AgentsLoggedIn: number;
  /** Extension: the group's archived chats with a rating, and their average (null with none). */
  Ratings: number;
  AverageRating: number | null;
}

export interface GetOverviewResponse {
  Groups: GroupOverview[];
}
