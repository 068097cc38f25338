import type { z } from 'zod';
import {
  AgentGetEventsRequest,
  AgentSendMessageRequest,
  ChatRequest,
  GetAttachmentRequest,
  GetResponsesRequest,
  LoginRequest,
  SearchArchiveRequest,
  SendTranscriptRequest,
  SetReadyRequest,
  TransferChatRequest,
} from './agent-api';
import {
  AgentGetEventsResponseSchema,
  AgentStateSchema,
  ChatDetailsSchema,
  GetAttachmentResponseSchema,
  GetOverviewResponseSchema,
  GetResponsesResponseSchema,
  LoginResponseSchema,
  SearchArchiveResponseSchema,
  SendTranscriptResponseSchema,
  TranscriptSettingsSchema,
} from './agent-responses';
import {
  GetChatInfoRequest,
  GetEventsBatchRequest,
  GetEventsRequest,
  GetQueueInfoRequest,
  LeaveChatRequest,
  RequestChatRequest,
  LeaveMessageRequest,
  RateChatRequest,
  SendChatMessageRequest,
  SendTypingRequest,
} from './customer-api';
import {
  EmptyResponseSchema,
  GetChatConfigurationResponseSchema,
  GetChatInfoResponseSchema,
  GetEventsBatchResponseSchema,
  GetEventsResponseSchema,
  GetQueueInfoResponseSchema,
  GetVersionResponseSchema,
  RequestChatResponseSchema,
  LeaveMessageResponseSchema,
  RateChatResponseSchema,
} from './customer-responses';

/** One method of an API as a caller sees it: what it takes, what it answers, what it does. */
export interface MethodContract {
  /** null: the method takes no request. */
  request: z.ZodType | null;
  response: z.ZodType;
  /** Also answered for GET. */
  allowGet?: boolean;
  summary: string;
}

/** `/ChatService/<Method>`: the specification's nine methods and the GetEventsBatch extension. */
export const customerContract = {
  RequestChat: {
    request: RequestChatRequest,
    response: RequestChatResponseSchema,
    summary: 'Queues a chat in a service group (by ID, or by name with ID 0 or absent).',
  },
  LeaveChat: {
    request: LeaveChatRequest,
    response: EmptyResponseSchema,
    summary: 'The customer leaves: the chat ends.',
  },
  SendMessage: {
    request: SendChatMessageRequest,
    response: EmptyResponseSchema,
    summary: 'A message (and optionally a file) from the customer to the agent.',
  },
  SendTyping: {
    request: SendTypingRequest,
    response: EmptyResponseSchema,
    summary: 'The customer is typing.',
  },
  GetEvents: {
    request: GetEventsRequest,
    response: GetEventsResponseSchema,
    summary:
      'Long-poll: held up to Timeout ms, answered as soon as an event is pending. ChatTerminated once the ended chat’s events were read.',
  },
  GetEventsBatch: {
    request: GetEventsBatchRequest,
    response: GetEventsBatchResponseSchema,
    summary:
      'Extension: GetEvents for 1 to 500 chats in one long-poll, each with its AfterSeq; a chat’s fault comes in its entry.',
  },
  GetChatInfo: {
    request: GetChatInfoRequest,
    response: GetChatInfoResponseSchema,
    summary: 'The chat’s state and queue position.',
  },
  GetQueueInfo: {
    request: GetQueueInfoRequest,
    response: GetQueueInfoResponseSchema,
    summary: 'Whether a group is open, and the wait a customer joining now would get.',
  },
  LeaveMessage: {
    request: LeaveMessageRequest,
    response: LeaveMessageResponseSchema,
    summary:
      'Extension: a message for a closed group (name, e-mail, text), kept in the archive and e-mailed to the group’s address.',
  },
  RateChat: {
    request: RateChatRequest,
    response: RateChatResponseSchema,
    summary:
      'Extension: the customer rates an ended chat (1 to 5, an optional comment) within its post-chat window, once; kept with the archived chat.',
  },
  GetChatConfiguration: {
    request: null,
    response: GetChatConfigurationResponseSchema,
    allowGet: true,
    summary: 'The service’s message and attachment limits.',
  },
  GetVersion: {
    request: null,
    response: GetVersionResponseSchema,
    allowGet: true,
    summary: 'The service’s version, as a JSON string.',
  },
} as const satisfies Record<string, MethodContract>;

/** `/AgentService/<Method>`: every method but Login needs `Authorization: Bearer <Token>`. */
export const agentContract = {
  Login: {
    request: LoginRequest,
    response: LoginResponseSchema,
    summary: 'Logs an agent in; the token ends after ExpiresAfterSeconds without a request.',
  },
  Logout: { request: null, response: EmptyResponseSchema, summary: 'Ends the token.' },
  SetReady: {
    request: SetReadyRequest,
    response: EmptyResponseSchema,
    summary: 'Ready agents are offered chats; not ready withdraws the agent’s offers.',
  },
  GetState: {
    request: null,
    response: AgentStateSchema,
    allowGet: true,
    summary: 'The agent’s readiness, chats and offers.',
  },
  GetEvents: {
    request: AgentGetEventsRequest,
    response: AgentGetEventsResponseSchema,
    summary: 'Long-poll of the agent’s events (offers, messages, typing, chat states), with Seq.',
  },
  AcceptChat: {
    request: ChatRequest,
    response: EmptyResponseSchema,
    summary: 'Accepts a chat offered to the agent: the customer gets AgentJoined.',
  },
  SendMessage: {
    request: AgentSendMessageRequest,
    response: EmptyResponseSchema,
    summary: 'A message (and optionally a file) to the customer.',
  },
  SendTyping: {
    request: ChatRequest,
    response: EmptyResponseSchema,
    summary: 'The agent is typing.',
  },
  LeaveChat: {
    request: ChatRequest,
    response: EmptyResponseSchema,
    summary: 'The agent ends the chat: the customer gets AgentLeft.',
  },
  TransferChat: {
    request: TransferChatRequest,
    response: EmptyResponseSchema,
    summary: 'Queues the chat in another group, or offers it to one agent (give one of the two).',
  },
  GetChat: {
    request: ChatRequest,
    response: ChatDetailsSchema,
    summary: 'The chat’s customer details and transcript; ended chats come from the archive.',
  },
  GetAttachment: {
    request: GetAttachmentRequest,
    response: GetAttachmentResponseSchema,
    summary: 'A file of a live chat.',
  },
  GetResponses: {
    request: GetResponsesRequest,
    response: GetResponsesResponseSchema,
    summary: 'The group’s canned responses, as a tree.',
  },
  SendTranscript: {
    request: SendTranscriptRequest,
    response: SendTranscriptResponseSchema,
    summary: 'E-mails the transcript (to the customer’s address unless To is given).',
  },
  GetTranscriptSettings: {
    request: GetResponsesRequest,
    response: TranscriptSettingsSchema,
    summary: 'Whether the group offers transcripts, and their subject.',
  },
  SearchArchive: {
    request: SearchArchiveRequest,
    response: SearchArchiveResponseSchema,
    summary: 'Ended chats of the agent’s groups, newest first.',
  },
  GetOverview: {
    request: null,
    response: GetOverviewResponseSchema,
    allowGet: true,
    summary: 'Queue and staffing of each of the agent’s groups.',
  },
} as const satisfies Record<string, MethodContract>;
