import { z } from 'zod';
import type { ChatEventType, ChatState, TerminationCause } from './enums';
import type { ChatEndedBy } from './agent-api';
import type { FaultBody } from './faults';
import {
  afterSeq,
  attachmentData,
  chatId,
  clientMessageId,
  eventsTimeout,
  optionalText,
  serviceGroupId,
  serviceGroupName,
  tenantId,
} from './wire-fields';

/**
 * The customer side of the Chat Service REST API (`/ChatService/<Method>`): one zod schema per
 * request, the TypeScript types derived from them, and the response types.
 */

export const RequestChatRequest = z.object({
  SessionID: optionalText(256),
  CustomerID: optionalText(256),
  CustomerIDVerified: z
    .boolean()
    .nullish()
    .describe(
      "Extension: CustomerChat checked the CustomerID against the site's hash; believed only from a caller showing the relay key",
    ),
  CustomerName: optionalText(256),
  EmailAddress: optionalText(256),
  PhoneNumber: optionalText(64),
  TenantID: tenantId,
  ServiceGroupID: serviceGroupId,
  ServiceGroupName: serviceGroupName,
  PrivateData: optionalText(8192),
  TimeZoneOffset: z.number().int().min(-1440).max(1440).nullish(),
  /** Extension: the customer's first question, recorded as the first message of the chat. */
  InitialMessage: optionalText(8192),
  /** Extension: a note for the agent only, never shown to the customer. */
  InitialMessageToAgent: optionalText(8192),
});
export type RequestChatRequest = z.infer<typeof RequestChatRequest>;

/** Extension: a message left while the group is closed, stored and e-mailed to the group. */
export const LeaveMessageRequest = z.object({
  TenantID: tenantId,
  ServiceGroupID: serviceGroupId,
  ServiceGroupName: serviceGroupName,
  CustomerName: z.string().trim().min(1).max(256),
  EmailAddress: z.email().max(256).describe('where the group replies'),
  Message: z.string().trim().min(1).max(8192),
});
export type LeaveMessageRequest = z.infer<typeof LeaveMessageRequest>;

/** Extension: the customer's rating of an ended chat, within its post-chat window, once. */
export const RateChatRequest = z.object({
  ChatID: chatId,
  Rating: z.number().int().min(1).max(5).describe('1 (poor) to 5 (excellent)'),
  Comment: z.string().trim().max(2000).nullish().describe('optional words of the customer'),
});
export type RateChatRequest = z.infer<typeof RateChatRequest>;

/**
 * Extension: why the customer's side ends the chat, for the agent's note; Closed by default.
 * Service: the relay itself stopped and could not keep the chat.
 */
export const LeaveReason = z.enum(['Closed', 'Idle', 'Gone', 'Service']);
export type LeaveReason = z.infer<typeof LeaveReason>;

export const LeaveChatRequest = z.object({
  ChatID: chatId,
  /** Extension: Closed (the customer closed it), Idle (its page's idle timeout), Gone (never came back), Service (the relay stopped). */
  Reason: LeaveReason.nullish(),
});
export type LeaveChatRequest = z.infer<typeof LeaveChatRequest>;

export const SendChatMessageRequest = z.object({
  ChatID: chatId,
  Message: z.string().nullish(),
  Attachment: attachmentData,
  /** Extension: makes a retried send harmless. */
  ClientMessageID: clientMessageId,
  /** Extension: a notice for the agent from the relay (customer left, back, closing). */
  System: z
    .boolean()
    .nullish()
    .describe('Extension: a notice for the agent from the relay (customer left, back, closing)'),
});
export type SendChatMessageRequest = z.infer<typeof SendChatMessageRequest>;

export const SendTypingRequest = z.object({ ChatID: chatId });
export type SendTypingRequest = z.infer<typeof SendTypingRequest>;

export const GetEventsRequest = z.object({
  ChatID: chatId,
  Timeout: eventsTimeout,
  /** Extension: acknowledges every event up to this Seq; later ones are sent again. */
  AfterSeq: afterSeq,
});
export type GetEventsRequest = z.infer<typeof GetEventsRequest>;

/** Most chats one GetEventsBatch may follow. */
export const maxEventsBatchChats = 500;

/**
 * Extension: GetEvents for many chats in one long-poll, for a relay that follows thousands of
 * chats and cannot hold a connection for each. Every chat acknowledges its AfterSeq.
 */
export const GetEventsBatchRequest = z.object({
  Chats: z
    .array(z.object({ ChatID: chatId, AfterSeq: z.number().int().min(0) }))
    .min(1)
    .max(maxEventsBatchChats)
    .refine(
      (chats) => new Set(chats.map((chat) => chat.ChatID)).size === chats.length,
      'each ChatID may be listed once',
    ),
  Timeout: eventsTimeout,
});
export type GetEventsBatchRequest = z.infer<typeof GetEventsBatchRequest>;

export const GetChatInfoRequest = z.object({ ChatID: chatId });
export type GetChatInfoRequest = z.infer<typeof GetChatInfoRequest>;

export const GetQueueInfoRequest = z.object({
  TenantID: tenantId,
  ServiceGroupID: serviceGroupId,
  ServiceGroupName: serviceGroupName,
});
export type GetQueueInfoRequest = z.infer<typeof GetQueueInfoRequest>;

export interface RequestChatResponse {
  ChatID: string | null;
  Message: string | null;
  SessionID: number;
  QueuePosition: number;
  EstimatedWaitTime: number;
}

export interface MessageReceivedEvent {
  ChatID: string;
  Name: string;
  Message: string;
  System: boolean;
  TimeStamp: string;
  Attachment: string | null;
}

export interface AgentJoinedEvent {
  ChatID: string;
  Name: string;
}
export interface AgentLeftEvent extends AgentJoinedEvent {
  /** Extension: why the agent went; absent, it left the chat (which then ends). */
  Reason?: AgentLeftReason;
}
/** Transferred: to another group or agent; HandedOn: its agent logged out or was away. */
export type AgentLeftReason = 'Transferred' | 'HandedOn';
export type AgentTypingEvent = AgentJoinedEvent;

export interface ChatStateEvent {
  ChatID: string;
  State: ChatState;
  QueuePosition: number;
  EstimatedWaitTime: number;
  TerminationCause: TerminationCause;
  /** Extension, with State Terminated: who or what ended the chat. */
  EndedBy?: ChatEndedBy;
}

interface EventOf<T extends ChatEventType, D> {
  EventType: T;
  Data: D;
  /** Extension: 1, 2, 3 … per chat, for AfterSeq. */
  Seq: number;
}

export type ChatEvent =
  | EventOf<typeof ChatEventType.MessageReceived, MessageReceivedEvent>
  | EventOf<typeof ChatEventType.AgentJoined, AgentJoinedEvent>
  | EventOf<typeof ChatEventType.AgentLeft, AgentLeftEvent>
  | EventOf<typeof ChatEventType.AgentTyping, AgentTypingEvent>
  | EventOf<typeof ChatEventType.ChatState, ChatStateEvent>;

export interface GetEventsResponse {
  Events: ChatEvent[];
}

/** One chat of a GetEventsBatch answer: its events, or the fault GetEvents would have raised. */
export type GetEventsBatchEntry =
  { ChatID: string; Events: ChatEvent[] } | { ChatID: string; Fault: FaultBody['Fault'] };

export interface GetEventsBatchResponse {
  /** Only the chats that have something; none when the Timeout passed first. */
  Chats: GetEventsBatchEntry[];
}

export interface GetChatInfoResponse {
  State: ChatState;
  QueuePosition: number;
}

export interface GetQueueInfoResponse {
  EstimatedWaitTime: number;
  Open: boolean;
  /** Extension: the group's ID, also when it was asked for by name. */
  ServiceGroupID: number;
  /** Extension: while the group is closed, its closed message (null when it has none or is open). */
  ClosedMessage: string | null;
}

export interface GetChatConfigurationResponse {
  MaxMessageLength: number;
  /** Bytes (the service's setting is in KB). 0: attachments cannot be sent. */
  MaxAttachmentSize: number;
  AllowedAttachmentTypes: string[];
  RestrictedAttachmentTypes: string[];
}
