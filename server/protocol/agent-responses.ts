import { z } from 'zod';
import { ChatEndedBySchema, ChatStateSchema, TerminationCauseSchema } from './customer-responses';

export { ChatEndedBySchema };

/**
 * The answers of the agent API as zod schemas (see customer-responses.ts for why they are
 * strict, and response-schemas.test.ts for the check against agent-api.ts's types).
 */

const count = z.number().int();
const timestamp = z.iso.datetime().describe('ISO 8601, UTC');
const chatId = z.string();

export const AgentProfileSchema = z.strictObject({
  AgentID: z.string(),
  Name: z.string(),
  ChatName: z.string(),
  FirstName: z.string(),
  LastName: z.string(),
  ServiceGroupIDs: z.array(count),
});

export const LoginResponseSchema = z.strictObject({
  Token: z.string().describe('send as Authorization: Bearer <Token>'),
  ExpiresAfterSeconds: count.describe('without a request, the token ends after this long'),
  Agent: AgentProfileSchema,
});

export const AgentStateSchema = z.strictObject({
  Ready: z.boolean(),
  ActiveChatIDs: z.array(chatId),
  OfferedChatIDs: z.array(chatId),
});

export const AttachmentInfoSchema = z.strictObject({
  AttachmentID: z.string(),
  FileName: z.string(),
  Size: count,
});

const transcriptMessageFields = {
  From: z.enum(['Customer', 'Agent', 'System']),
  Name: z.string(),
  Message: z.string(),
  TimeStamp: timestamp,
  Attachment: AttachmentInfoSchema.nullable(),
  AgentOnly: z.boolean().describe('a notice for the agent only'),
};
export const TranscriptMessageSchema = z.strictObject(transcriptMessageFields);

export const ChatRatingSchema = z.strictObject({
  Rating: count.min(1).max(5),
  Comment: z.string().describe('blank: no comment'),
  RatedAt: timestamp,
});

const chatDetailsFields = {
  ChatID: chatId,
  State: ChatStateSchema,
  TerminationCause: TerminationCauseSchema.nullable(),
  EndedBy: ChatEndedBySchema.nullable(),
  TenantID: count,
  ServiceGroupID: count,
  ServiceGroupName: z.string(),
  AgentID: z.string().nullable(),
  InternalSessionID: count,
  SessionID: z.string(),
  CustomerID: z.string(),
  CustomerIDVerified: z
    .boolean()
    .describe("Extension: CustomerChat checked the CustomerID against the website's hash of it"),
  CustomerName: z.string(),
  EmailAddress: z.string(),
  PhoneNumber: z.string(),
  From: z.string(),
  PrivateData: z.string(),
  InitialMessage: z.string(),
  InitialMessageToAgent: z.string(),
  TimeZoneOffset: count.nullable(),
  RequestedAt: timestamp,
  AnsweredAt: timestamp.nullable(),
  EndedAt: timestamp.nullable(),
  QueuePosition: count,
  Transcript: z.array(TranscriptMessageSchema),
  Rating: ChatRatingSchema.nullable().describe(
    "Extension: the customer's rating (RateChat), once given after the chat ended",
  ),
};
export const ChatDetailsSchema = z.strictObject(chatDetailsFields);
export const ArchivedChatSchema = z.strictObject({
  ...chatDetailsFields,
  AgentIDs: z.array(z.string()).describe('every agent that handled the chat, in order'),
});

export const ChatOfferedDataSchema = z.strictObject({
  ChatID: chatId,
  ServiceGroupID: count,
  ServiceGroupName: z.string(),
  CustomerName: z.string(),
  InitialMessage: z.string(),
  ExpiresAt: timestamp,
  Transferred: z.boolean(),
});

const seq = count.min(1).describe('1, 2, 3 … per agent; send the highest as AfterSeq');
const agentEvent = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.strictObject({ EventType: z.literal(type), Data: data, Seq: seq });
const aboutChat = z.strictObject({ ChatID: chatId });

export const AgentEventSchema = z.discriminatedUnion('EventType', [
  agentEvent('ChatOffered', ChatOfferedDataSchema),
  agentEvent(
    'ChatOfferWithdrawn',
    z.strictObject({
      ChatID: chatId,
      Reason: z.enum(['Timeout', 'ChatEnded', 'NotReady', 'LoggedOut']),
    }),
  ),
  agentEvent('ChatAssigned', aboutChat),
  agentEvent('ChatUnassigned', aboutChat),
  agentEvent('MessageReceived', z.strictObject({ ChatID: chatId, ...transcriptMessageFields })),
  agentEvent('CustomerTyping', aboutChat),
  agentEvent('ChatRated', z.strictObject({ ChatID: chatId, Rating: ChatRatingSchema })),
  agentEvent(
    'ChatState',
    z.strictObject({
      ChatID: chatId,
      State: ChatStateSchema,
      TerminationCause: TerminationCauseSchema.nullable(),
      EndedBy: ChatEndedBySchema.nullable(),
    }),
  ),
]);

export const AgentGetEventsResponseSchema = z.strictObject({ Events: z.array(AgentEventSchema) });

export const GetAttachmentResponseSchema = z.strictObject({
  FileName: z.string(),
  ImageType: z
    .enum(['png', 'jpeg', 'gif', 'webp'])
    .nullable()
    .describe('Extension: the image the data is, by its content (a thumbnail); null: no image'),
  Data: z.string().describe('base64'),
});

export interface ResponseNodeShape {
  Name: string;
  Text?: string | undefined;
  Children?: ResponseNodeShape[] | undefined;
}
export const ResponseNodeSchema: z.ZodType<ResponseNodeShape> = z.lazy(() =>
  z.strictObject({
    Name: z.string(),
    Text: z.string().optional(),
    Children: z.array(ResponseNodeSchema).optional(),
  }),
);

export const GetResponsesResponseSchema = z.strictObject({
  Responses: z.array(ResponseNodeSchema),
});

export const SendTranscriptResponseSchema = z.strictObject({ To: z.string() });

export const TranscriptSettingsSchema = z.strictObject({
  Available: z.boolean().describe('the group has a sender address'),
  OpenOnClose: z.boolean(),
  Subject: z.string(),
});

export const SearchArchiveResponseSchema = z.strictObject({
  Chats: z.array(ArchivedChatSchema).describe('newest first'),
});

export const GroupOverviewSchema = z.strictObject({
  ServiceGroupID: count,
  Name: z.string(),
  Open: z.boolean(),
  ChatsWaiting: count,
  LongestWaitSeconds: count,
  EstimatedWaitSeconds: count.describe('-1: closed or unknown'),
  AgentsReady: count,
  AgentsLoggedIn: count,
  Ratings: count.describe("Extension: the group's archived chats with a rating"),
  AverageRating: z.number().nullable().describe('their average, 1 to 5; null with none'),
});

export const GetOverviewResponseSchema = z.strictObject({ Groups: z.array(GroupOverviewSchema) });
