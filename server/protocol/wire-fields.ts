import { z } from 'zod';

/**
 * Field shapes shared by the request schemas of both APIs. Optional fields are also accepted as
 * null, since .NET and jQuery clients send null for "not set".
 */
export const chatId = z.string().min(1).max(64);
export const optionalText = (max: number) => z.string().max(max).nullish();
export const serviceGroupId = z.number().int().nullish();
export const serviceGroupName = z.string().max(256).nullish();
export const tenantId = z.number().int().nullish();
/** An attachment travels as base64 text; .NET serialisers may send a byte array instead. */
export const attachmentData = z
  .union([z.string(), z.array(z.number().int().min(0).max(255))])
  .nullish();
export const clientMessageId = z
  .string()
  .min(1)
  .max(100)
  .nullish()
  .describe('Extension: a repeat with an id already seen in the chat delivers nothing twice');
export const eventsTimeout = z
  .number()
  .int()
  .min(0)
  .nullish()
  .describe('milliseconds to hold the request while no event is pending (capped by the service)');
export const afterSeq = z
  .number()
  .int()
  .min(0)
  .nullish()
  .describe('Extension: acknowledges every event up to this Seq; later ones are sent again');
