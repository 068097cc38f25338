import { ServiceFault } from '../../protocol/faults';

/**
 * What SendMessage's handlers look at in a body before its schema does. The schema still checks
 * everything after; these only make the costly parts cheap.
 */

const isObject = (body: unknown): body is Record<string, unknown> =>
  typeof body === 'object' && body !== null && !Array.isArray(body);

/** The ChatID of a body not yet validated; a missing or odd one is left to the schema. */
export function chatIdOf(body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  const chatId = body['ChatID'];
  return typeof chatId === 'string' ? chatId : undefined;
}

/**
 * The body with an attachment sent as an array of bytes (as .NET serialisers do) turned into
 * base64, checked byte by byte in one pass: the schema then checks one string, not millions of
 * numbers, and the array can go at once.
 */
export function withBase64Attachment(body: unknown): unknown {
  if (!isObject(body)) return body;
  const attachment = body['Attachment'];
  if (!Array.isArray(attachment)) return body;
  const bytes = Buffer.allocUnsafe(attachment.length);
  for (let index = 0; index < attachment.length; index += 1) {
    const value: unknown = attachment[index];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 255) {
      throw new ServiceFault('BadRequest', `Attachment.${index}: expected a byte (0 to 255).`);
    }
    bytes[index] = value;
  }
  return { ...body, Attachment: bytes.toString('base64') };
}
