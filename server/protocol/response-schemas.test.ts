import type { z } from 'zod';
import type {
  AgentEvent,
  AgentProfile,
  AgentState,
  ChatDetails,
  GroupOverview,
  LoginResponse,
  TranscriptMessage,
} from './agent-api';
import * as agent from './agent-responses';
import type {
  ChatEvent,
  GetChatConfigurationResponse,
  GetChatInfoResponse,
  GetEventsBatchResponse,
  GetEventsResponse,
  GetQueueInfoResponse,
  RequestChatResponse,
} from './customer-api';
import * as customer from './customer-responses';
import type { FaultBody } from './faults';
import type { ArchivedChat } from '../chat-service/archive/chat-archive';
import type { TranscriptSettings } from '../chat-service/domain/agent-desk';

/** Compiles only when A and B are the same type: a response schema and the type answers are built with. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Described<S extends z.ZodType, T> = Same<z.output<S>, T>;

const matches = {
  FaultBody: true satisfies Described<typeof customer.FaultBodySchema, FaultBody>,
  RequestChatResponse: true satisfies Described<
    typeof customer.RequestChatResponseSchema,
    RequestChatResponse
  >,
  ChatEvent: true satisfies Described<typeof customer.ChatEventSchema, ChatEvent>,
  GetEventsResponse: true satisfies Described<
    typeof customer.GetEventsResponseSchema,
    GetEventsResponse
  >,
  GetEventsBatchResponse: true satisfies Described<
    typeof customer.GetEventsBatchResponseSchema,
    GetEventsBatchResponse
  >,
  GetChatInfoResponse: true satisfies Described<
    typeof customer.GetChatInfoResponseSchema,
    GetChatInfoResponse
  >,
  GetQueueInfoResponse: true satisfies Described<
    typeof customer.GetQueueInfoResponseSchema,
    GetQueueInfoResponse
  >,
  GetChatConfigurationResponse: true satisfies Described<
    typeof customer.GetChatConfigurationResponseSchema,
    GetChatConfigurationResponse
  >,
  AgentProfile: true satisfies Described<typeof agent.AgentProfileSchema, AgentProfile>,
  LoginResponse: true satisfies Described<typeof agent.LoginResponseSchema, LoginResponse>,
  AgentState: true satisfies Described<typeof agent.AgentStateSchema, AgentState>,
  TranscriptMessage: true satisfies Described<
    typeof agent.TranscriptMessageSchema,
    TranscriptMessage
  >,
  ChatDetails: true satisfies Described<typeof agent.ChatDetailsSchema, ChatDetails>,
  ArchivedChat: true satisfies Described<typeof agent.ArchivedChatSchema, ArchivedChat>,
  AgentEvent: true satisfies Described<typeof agent.AgentEventSchema, AgentEvent>,
  GroupOverview: true satisfies Described<typeof agent.GroupOverviewSchema, GroupOverview>,
  TranscriptSettings: true satisfies Described<
    typeof agent.TranscriptSettingsSchema,
    TranscriptSettings
  >,
};

test('When the response schemas and the answer types are compiled, then each pair is the same type', () => {
  expect(Object.values(matches).every(Boolean)).toBe(true);
});
