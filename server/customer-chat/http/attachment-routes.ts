import { Router, type Request, type Response } from 'express';
import busboy from 'busboy';
import { ServiceFault } from '../../protocol/faults';
import {
  checkAttachment,
  checkAttachmentName,
  type AttachmentLimits,
} from '../../shared/attachment-policy';
import type { Logger } from '../../shared/logger';
import type { ChatRelay } from '../relay/chat-relay';
import { errorReply } from '../relay/relay-errors';
import type { ErrorCode, ErrorReply } from '../session/visitor-events';

export interface AttachmentRoutesOptions {
  relay: ChatRelay;
  /** The Chat Service's limits (cached by the caller); the lesser limits of a page are the page's business. */
  limits: () => Promise<AttachmentLimits>;
  logger: Logger;
}

const tokenHeader = 'x-chat-token';

/**
 * Files over HTTP rather than the socket, so the browser can show upload progress. An upload is
 * counted while it streams and cut off as soon as it passes the limit; its type is checked by name
 * before the bytes arrive and by content after. A file is only ever given to its chat's visitor.
 */
export function attachmentRoutes(options: AttachmentRoutesOptions): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const token = req.get(tokenHeader) ?? '';
    const known = await options.relay.isLive(token).catch(() => undefined);
    if (known === undefined)
      return sendError(
        res,
        503,
        errorReply('ServiceUnavailable', 'The chat is unavailable for now.'),
      );
    if (!known)
      return sendError(res, 404, errorReply('UnknownSession', 'That chat is over or unknown.'));
    options.limits().then(
      (limits) =>
        receiveFile(req, limits).then(
          async ({ name, data }) => {
            const reply = await options.relay.sendAttachment(token, name, data);
            if (reply.ok) res.json(reply);
            else sendError(res, statusOf(reply.error.code), reply);
          },
          (error: unknown) => sendError(res, ...uploadError(error, options.logger)),
        ),
      () =>
        sendError(
          res,
          503,
          errorReply('ServiceUnavailable', 'The chat service cannot be reached right now.'),
        ),
    );
  });

  router.get('/:id', async (req, res) => {
    const token = typeof req.query['token'] === 'string' ? req.query['token'] : '';
    const file = await options.relay.file(token, String(req.params['id'])).catch(() => undefined);
    if (file === undefined)
      return sendError(res, 404, errorReply('BadRequest', 'No such file in this chat.'));
    res.set({
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    });
    res.send(file.data);
  });

  return router;
}

function receiveFile(
  req: Request,
  limits: AttachmentLimits,
): Promise<{ name: string; data: Buffer }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      // busboy stops a file when it reaches fileSize: one byte over the limit is the first refused.
      parser = busboy({
        headers: req.headers,
        limits: { files: 1, fileSize: limits.maxBytes + 1, fields: 0 },
      });
    } catch {
      reject(new ServiceFault('BadRequest', 'Send the file as multipart/form-data.'));
      return;
    }
    let received: { name: string; data: Buffer } | undefined;
    let failed: unknown;
    parser.on('file', (_field, stream, info) => {
      const chunks: Buffer[] = [];
      const name = info.filename ?? '';
      try {
        checkAttachmentName(name, limits);
        if (limits.maxBytes === 0)
          throw new ServiceFault('AttachmentTooLarge', 'Attachments are disabled.');
      } catch (error) {
        failed = error;
        stream.resume();
        return;
      }
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        failed = new ServiceFault(
          'AttachmentTooLarge',
          `The file is larger than ${Math.floor(limits.maxBytes / 1024)} KB.`,
        );
        // Stop reading: the rest of an oversized upload is not wanted.
        req.unpipe(parser);
        reject(failed);
      });
      stream.on('end', () => {
        if (failed === undefined) received = { name, data: Buffer.concat(chunks) };
      });
    });
    parser.on('error', () =>
      reject(new ServiceFault('BadRequest', 'The upload could not be read.')),
    );
    parser.on('close', () => {
      if (failed !== undefined) return reject(failed);
      if (received === undefined)
        return reject(new ServiceFault('BadRequest', 'No file in the upload.'));
      try {
        checkAttachment(received.name, received.data, limits);
        resolve(received);
      } catch (error) {
        reject(error);
      }
    });
    req.pipe(parser);
  });
}

function uploadError(error: unknown, logger: Logger): [number, ErrorReply] {
  if (error instanceof ServiceFault) {
    const code: ErrorCode =
      error.code === 'AttachmentTooLarge' || error.code === 'AttachmentTypeNotAllowed'
        ? error.code
        : 'BadRequest';
    return [statusOf(code), errorReply(code, error.message)];
  }
  logger.error({ err: error }, 'upload failed');
  return [500, errorReply('Internal', 'The upload failed; try again.')];
}

function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'AttachmentTooLarge':
      return 413;
    case 'AttachmentTypeNotAllowed':
      return 415;
    case 'RateLimited':
      return 429;
    case 'ServiceUnavailable':
      return 503;
    case 'UnknownSession':
    case 'ChatEnded':
      return 404;
    case 'Internal':
      return 500;
    default:
      return 400;
  }
}

function sendError(res: Response, status: number, reply: ErrorReply): void {
  if (!res.headersSent) res.status(status).set('Connection', 'close').json(reply);
}
