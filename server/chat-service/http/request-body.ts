import type { IncomingMessage } from 'node:http';
import { ServiceFault } from '../../protocol/faults';
import type { BodyBudget } from './request-limits';

/** application/json, anything+json, and text/plain (what a browser may send without a pre-flight). */
const jsonType = /^(application\/json|text\/plain|[^;\s]+\+json)\s*(;|$)/i;

/**
 * Reads a request's JSON body. A body of another type reads as absent, as express's parser left
 * it; a body past the limit is read to its end but not kept, so the connection stays usable for
 * the fault that answers it.
 */
export function readJsonBody(
  req: IncomingMessage,
  options: {
    limitBytes: number;
    carriesAttachment: boolean;
    /** This request's share of what all requests may hold; past it, it is refused as busy. */
    budget: BodyBudget;
  },
): Promise<unknown> {
  const { limitBytes, carriesAttachment, budget } = options;
  const typed = jsonType.test(req.headers['content-type'] ?? '');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let overBudget = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (!typed || size > limitBytes || overBudget) return;
      if (!budget.take(chunk.length)) {
        overBudget = true;
        chunks.length = 0;
        budget.releaseAll();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (overBudget) {
        return reject(
          new ServiceFault('ServiceBusy', 'The service is taking in too much at once; try again.'),
        );
      }
      if (!typed || size === 0) return resolve(undefined);
      if (size > limitBytes) {
        return reject(
          carriesAttachment
            ? new ServiceFault(
                'AttachmentTooLarge',
                'The message is larger than the attachment limit allows.',
              )
            : new ServiceFault('BadRequest', 'The request body is too large.'),
        );
      }
      if (!isIdentityEncoded(req)) {
        return reject(new ServiceFault('BadRequest', 'Compressed request bodies are not taken.'));
      }
      try {
        resolve(parseJson(Buffer.concat(chunks, size).toString('utf8')));
      } catch (error) {
        reject(error);
      }
    });
  });
}

function isIdentityEncoded(req: IncomingMessage): boolean {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  return encoding === 'identity';
}

function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ServiceFault('BadRequest', 'The request body is not valid JSON.');
  }
  // As express's parser: a request is an object (or an array, refused later by its schema).
  if (typeof value !== 'object' || value === null) {
    throw new ServiceFault('BadRequest', 'The request body must be a JSON object.');
  }
  return value;
}
