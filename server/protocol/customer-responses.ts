import { z } from 'zod';
import { ChatEventType } from './enums';
import { faultCodes } from './faults';

/**
 * The answers of the customer API as zod schemas, for the API description (OpenAPI) and for the
 * tests that hold real answers against them. Strict: an answer with a field not described here
 * fails them. customer-api.ts keeps the TypeScript types the code builds answers with;
 * response-schemas.test.ts checks at compile time that both say the same.
 */

const count = z.number().int();
/** ChatState: 0 Queued, 1 Handling, 2 Terminated. */
export const ChatStateSchema = z.literal([0, 1, 2]).describe('0 Queued, 1 Handling, 2 Terminated');
/** TerminationCause: 0 General, 1 GroupClosed. */
export const TerminationCauseSchema = z.literal([0, 1]).describe('0 General, 1 GroupClosed');
const timestamp = z.iso.datetime().describe('ISO 8601, UTC');

export const FaultBodySchema = z.strictObject({
  Fault: z.strictObject({
    Code: z.enum(faultCodes),
    Message: z.string(),
  }),
});

export const EmptyResponseSchema = z.strictObject({});

export const RequestChatResponseSchema = z.strictObject({
  ChatID: z.string().nullable().describe('null: the group is closed, Message says so'),
  Message: z.string().nullable(),
  SessionID: count,
  QueuePosition: count,
  EstimatedWaitTime: count.describe('seconds; -1 unknown'),
});

export const LeaveMessageResponseSchema = z.strictObject({
  MessageID: z.string().describe('the stored message, in the archive'),
  Mailed: z
    .boolean()
    .describe('false: kept, but the group has no e-mail address or the mail failed'),
});
export type LeaveMessageResponse = z.infer<typeof LeaveMessageResponseSchema>;

export const RateChatResponseSchema = z.strictObject({
  RatedAt: timestamp.describe('when the rating was stored with the archived chat'),
});
export type RateChatResponse = z.infer<typeof RateChatResponseSchema>;

export const MessageReceivedEventSchema = z.strictObject({
  ChatID: z.string(),
  Name: z.string(),
  Message: z.string(),
  System: z.boolean().describe('a notice rather than a message of a person'),
  TimeStamp: timestamp,
  Attachment: z.string().nullable().describe('base64'),
});

export const AgentJoinedEventSchema = z.strictObject({ ChatID: z.string(), Name: z.string() });

export const AgentLeftReasonSchema = z.enum(['Transferred', 'HandedOn']);

export const AgentLeftEventSchema = z.strictObject({
  ChatID: z.string(),
  Name: z.string(),
  Reason: AgentLeftReasonSchema.optional().describe(
    'Extension: Transferred (to another group or agent), HandedOn (the agent logged out or was away: back to the queue); absent: the agent left the chat',
  ),
});

/** Who or what ended a chat (the agent API's ChatDetails and, as an extension, the customer's ChatState). */
export const ChatEndedBySchema = z.enum([
  'Customer',
  'CustomerIdle',
  'CustomerGone',
  'Agent',
  'IdleTimeout',
  'GroupClosed',
  'Service',
]);

export const ChatStateEventSchema = z.strictObject({
  ChatID: z.string(),
  State: ChatStateSchema,
  QueuePosition: count,
  EstimatedWaitTime: count,
  TerminationCause: TerminationCauseSchema,
  EndedBy: ChatEndedBySchema.optional().describe(
    'Extension, with State Terminated: who or what ended the chat',
  ),
});

const seq = count.min(1).describe('Extension: 1, 2, 3 … per chat; send the highest as AfterSeq');
const eventOf = <T extends number, D extends z.ZodType>(type: T, data: D) =>
  z.strictObject({ EventType: z.literal(type), Data: data, Seq: seq });

export const ChatEventSchema = z.discriminatedUnion('EventType', [
  eventOf(ChatEventType.MessageReceived, MessageReceivedEventSchema),
  eventOf(ChatEventType.AgentJoined, AgentJoinedEventSchema),
  eventOf(ChatEventType.AgentLeft, AgentLeftEventSchema),
  eventOf(ChatEventType.AgentTyping, AgentJoinedEventSchema),
  eventOf(ChatEventType.ChatState, ChatStateEventSchema),
]);

export const GetEventsResponseSchema = z.strictObject({ Events: z.array(ChatEventSchema) });

export const GetEventsBatchEntrySchema = z.union([
  z.strictObject({ ChatID: z.string(), Events: z.array(ChatEventSchema) }),
  z.strictObject({ ChatID: z.string(), Fault: FaultBodySchema.shape.Fault }),
]);

export const GetEventsBatchResponseSchema = z.strictObject({
  Chats: z
    .array(GetEventsBatchEntrySchema)
    .describe('only the chats that have something; none when the Timeout passed first'),
});

export const GetChatInfoResponseSchema = z.strictObject({
  State: ChatStateSchema,
  QueuePosition: count,
});

export const GetQueueInfoResponseSchema = z.strictObject({
  EstimatedWaitTime: count,
  Open: z.boolean(),
  ServiceGroupID: count.describe('Extension: the group’s ID, also when asked for by name'),
  ClosedMessage: z
    .string()
    .nullable()
    .describe('Extension: while the group is closed, its closed message; null when none or open'),
});

export const GetChatConfigurationResponseSchema = z.strictObject({
  MaxMessageLength: count,
  MaxAttachmentSize: count.describe('bytes; 0: attachments cannot be sent'),
  AllowedAttachmentTypes: z.array(z.string()),
  RestrictedAttachmentTypes: z.array(z.string()),
});

export const GetVersionResponseSchema = z.string();
