import { z } from 'zod';
import { decodeAttachment } from '../../protocol/attachment-encoding';
import { ChatEventType, ChatState, TerminationCause } from '../../protocol/enums';
import { ServiceFault } from '../../protocol/faults';
import { AgentLeftReasonSchema, ChatEndedBySchema } from '../../protocol/customer-responses';

/**
 * Schemas that read the Chat Service's answers. The upstream may be the reference service or a
 * contact center's own .NET server, so each field takes every shape such a server produces and
 * turns it into one: times become epoch milliseconds, attachments become bytes. Unknown fields
 * are dropped; a missing string or list is read as empty because .NET writes null for those.
 */

const isoWithOffset = z.iso.datetime({ offset: true });
const isoWithoutOffset = z.iso.datetime({ local: true });
// JSON's "\/" escape arrives as a plain "/"; the offset only says how to show the time, the
// number is already UTC.
const dotNetDate = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/;

export const TimeStampSchema = z.string().transform((text, context) => {
  const dotNet = dotNetDate.exec(text);
  if (dotNet?.[1] !== undefined) return Number(dotNet[1]);
  // A .NET DateTime of unspecified kind is written without an offset; servers keep UTC.
  if (isoWithOffset.safeParse(text).success) return Date.parse(text);
  if (isoWithoutOffset.safeParse(text).success) return Date.parse(`${text}Z`);
  context.addIssue({ code: 'custom', message: `not a time stamp: ${text}` });
  return z.NEVER;
});

export const AttachmentSchema = z
  .union([z.string(), z.array(z.number().int().min(0).max(255))])
  .nullish()
  .transform((data, context): Buffer | null => {
    if (data === null || data === undefined) return null;
    try {
      return decodeAttachment(data);
    } catch (error) {
      if (!(error instanceof ServiceFault)) throw error;
      context.addIssue({ code: 'custom', message: error.message });
      return z.NEVER;
    }
  });

const text = z
  .string()
  .nullish()
  .transform((value) => value ?? '');
const textOrNull = z
  .string()
  .nullish()
  .transform((value) => value ?? null);
const textList = z
  .array(z.string())
  .nullish()
  .transform((value) => value ?? []);
const chatStateValue = z.literal(Object.values(ChatState));
const terminationCauseValue = z.literal(Object.values(TerminationCause));
/** Seq is an extension of the reference service: a plain server sends none. */
const seq = z
  .number()
  .int()
  .positive()
  .nullish()
  .transform((value) => value ?? undefined);

const nameData = z.object({ ChatID: z.string(), Name: text });
/** An extension: a value this relay does not know (a newer service) is taken for none. */
const optionalEnum = <T extends z.ZodEnum>(values: T) =>
  values
    .nullish()
    .catch(null)
    .transform((value) => value ?? undefined);
const agentLeftData = nameData.extend({ Reason: optionalEnum(AgentLeftReasonSchema) });

export const MessageReceivedDataSchema = z.object({
  ChatID: z.string(),
  Name: text,
  Message: text,
  /** Extension: a notice from the service rather than words of the agent. */
  System: z
    .boolean()
    .nullish()
    .transform((value) => value ?? false),
  TimeStamp: TimeStampSchema,
  Attachment: AttachmentSchema,
});

export const ChatStateDataSchema = z.object({
  ChatID: z.string(),
  State: chatStateValue,
  QueuePosition: z.number(),
  EstimatedWaitTime: z.number(),
  TerminationCause: terminationCauseValue,
  EndedBy: optionalEnum(ChatEndedBySchema),
});

const eventOf = <T extends ChatEventType, D extends z.ZodType>(type: T, data: D) =>
  z.object({ EventType: z.literal(type), Data: data, Seq: seq });

export const ChatEventSchema = z.discriminatedUnion('EventType', [
  eventOf(ChatEventType.MessageReceived, MessageReceivedDataSchema),
  eventOf(ChatEventType.AgentJoined, nameData),
  eventOf(ChatEventType.AgentLeft, agentLeftData),
  eventOf(ChatEventType.AgentTyping, nameData),
  eventOf(ChatEventType.ChatState, ChatStateDataSchema),
]);

const knownEventTypes: readonly number[] = Object.values(ChatEventType);
// An event type added by a newer server is skipped rather than failing the whole batch, which
// would make every later GetEvents fail the same way.
const eventOfNewerServer = z
  .object({ EventType: z.number().refine((type) => !knownEventTypes.includes(type)) })
  .transform(() => null);

const EventListSchema = z
  .array(z.union([ChatEventSchema, eventOfNewerServer]))
  .transform((events) => events.filter((event) => event !== null));

export const GetEventsResponseSchema = z.object({ Events: EventListSchema });

const BatchEntrySchema = z.union([
  z.object({ ChatID: z.string(), Fault: z.object({ Code: z.string(), Message: text }) }),
  z.object({ ChatID: z.string(), Events: EventListSchema }),
]);

/**
 * GetEventsBatch (an extension of the reference service): each chat's events or its fault. An
 * entry that cannot be read becomes a fault of its chat alone (`Unreadable`), so the other chats
 * of the batch still get theirs; one that does not even name its chat is dropped.
 */
export const GetEventsBatchResponseSchema = z.object({
  Chats: z.array(z.unknown()).transform((entries) =>
    entries.flatMap((entry) => {
      const decoded = BatchEntrySchema.safeParse(entry);
      if (decoded.success) return [decoded.data];
      const chatId = z.object({ ChatID: z.string() }).safeParse(entry);
      if (!chatId.success) return [];
      const Fault = { Code: 'Unreadable', Message: 'The events of this chat could not be read.' };
      return [{ ChatID: chatId.data.ChatID, Fault }];
    }),
  ),
});

export const RequestChatResponseSchema = z.object({
  /** Null when the group is closed: Message then says so. */
  ChatID: textOrNull,
  Message: textOrNull,
  SessionID: z.number(),
  QueuePosition: z.number(),
  EstimatedWaitTime: z.number(),
});

export const GetChatInfoResponseSchema = z.object({
  State: chatStateValue,
  QueuePosition: z.number(),
});

export const GetQueueInfoResponseSchema = z.object({
  EstimatedWaitTime: z.number(),
  Open: z.boolean(),
  /** Extension of the reference service: the group's ID, also when it was asked for by name. */
  ServiceGroupID: z
    .number()
    .int()
    .nullish()
    .transform((value) => value ?? undefined),
  /** Extension of the reference service: the closed group's own message; a server without it, null. */
  ClosedMessage: z
    .string()
    .nullish()
    .transform((value) => value || null),
});

export const GetChatConfigurationResponseSchema = z.object({
  MaxMessageLength: z.number(),
  /** Bytes; 0 means attachments cannot be sent. */
  MaxAttachmentSize: z.number(),
  AllowedAttachmentTypes: textList,
  RestrictedAttachmentTypes: textList,
});

export const GetVersionResponseSchema = z.string();

/** The methods that answer nothing answer `{}`; whatever object comes is accepted. */
export const EmptyResponseSchema = z.object({}).transform((): void => undefined);

export type DecodedMessageReceived = z.output<typeof MessageReceivedDataSchema>;
export type DecodedChatState = z.output<typeof ChatStateDataSchema>;
export type DecodedChatEvent = z.output<typeof ChatEventSchema>;
export type DecodedGetEventsResponse = z.output<typeof GetEventsResponseSchema>;
export type DecodedGetEventsBatchResponse = z.output<typeof GetEventsBatchResponseSchema>;
export type DecodedBatchEntry = DecodedGetEventsBatchResponse['Chats'][number];
export type DecodedRequestChatResponse = z.output<typeof RequestChatResponseSchema>;
export type DecodedChatInfo = z.output<typeof GetChatInfoResponseSchema>;
export type DecodedQueueInfo = z.output<typeof GetQueueInfoResponseSchema>;
export type DecodedChatConfiguration = z.output<typeof GetChatConfigurationResponseSchema>;
