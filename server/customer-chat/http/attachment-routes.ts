import { Router, type Request, type Response } from 'express';
import { ServiceFault } from '../../protocol/faults';
import type { AttachmentLimits } from '../../shared/attachment-policy';
import { contentDisposition } from '../../shared/file-name';
import { imageMimeTypes, imageTypeOf } from '../../shared/image-type';
import type { Logger } from '../../shared/logger';
import type { ChatRelay } from '../relay/chat-relay';
import { errorReply } from '../relay/relay-errors';
import type { ErrorCode, ErrorReply } from '../session/visitor-events';
import { receiveUpload } from './receive-upload';
import type { UploadDesk, UploadRefusal } from './upload-desk';
import { checkUpload, checkUploadName, maxUploadBytes, type UploadLimits } from './upload-limits';

export interface AttachmentRoutesOptions {
  relay: ChatRelay;
  /** The Chat Service's limits (cached by the caller). */
  limits: () => Promise<AttachmentLimits>;
  /** The site's limits from toolbox.config.js, enforced here as well as in the page. */
  siteLimits: AttachmentLimits | undefined;
  uploads: UploadDesk;
  logger: Logger;
}

const tokenHeader = 'x-chat-token';

const refusals: Record<UploadRefusal, string> = {
  chatBusy: 'Files of this chat are still being sent; wait for them to finish.',
  addressBusy: 'Too many files are being sent from your network; wait for them to finish.',
  chatFull: 'This chat has sent as many bytes of files as it may.',
};

/**
 * Files over HTTP rather than the socket, so the browser can show upload progress. An upload
 * streams to a temp file, is cut off as soon as it passes the lesser of the site's and the Chat
 * Service's size, its type checked by name before the bytes arrive and by content after; only then
 * is it relayed. A file is only ever given to its chat's visitor.
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
    upload(req, token, options).then(
      (reply) =>
        reply.ok
          ? res.json(reply)
          : drainThen(req, () => sendError(res, statusOf(reply.error.code), reply)),
      (error: unknown) => {
        const [status, reply] = uploadError(error, options.logger);
        drainThen(req, () => sendError(res, status, reply));
      },
    );
  });

  router.get('/:id', async (req, res) => {
    const token = typeof req.query['token'] === 'string' ? req.query['token'] : '';
    const file = await options.relay.file(token, String(req.params['id'])).catch(() => undefined);
    if (file === undefined)
      return sendError(res, 404, errorReply('BadRequest', 'No such file in this chat.'));
    // An image by its content is served as one (the toolbox's thumbnail), and shown in the
    // browser when asked (?inline=1); anything else, whatever its name, only as a download.
    const image = imageTypeOf(file.data);
    const inline = image !== null && req.query['inline'] === '1';
    res.set({
      'Content-Type': image === null ? 'application/octet-stream' : imageMimeTypes[image],
      'Content-Disposition': contentDisposition(file.name, inline),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    });
    res.send(file.data);
  });

  return router;
}

async function upload(
  req: Request,
  token: string,
  options: AttachmentRoutesOptions,
): Promise<ErrorReply | { ok: true; id: string }> {
  let limits: UploadLimits;
  try {
    limits = { service: await options.limits(), site: options.siteLimits };
  } catch {
    return errorReply('ServiceUnavailable', 'The chat service cannot be reached right now.');
  }
  const slot = await options.uploads.open(token, req.ip ?? req.socket.remoteAddress ?? '');
  if (typeof slot === 'string') return errorReply('RateLimited', refusals[slot]);
  let kept = false;
  try {
    const file = await receiveUpload(req, {
      path: slot.path,
      maxBytes: maxUploadBytes(limits),
      checkName: (name) => checkUploadName(name, limits),
      take: (bytes) => slot.take(bytes),
    });
    // The type is told by the head kept as it passed; the bytes go on from the file as sent.
    checkUpload(file.name, file.size, file.head, limits);
    const reply = await options.relay.sendAttachment(token, file.name, {
      path: slot.path,
      size: file.size,
    });
    kept = reply.ok;
    return reply;
  } finally {
    await slot.finish(kept);
  }
}

function uploadError(error: unknown, logger: Logger): [number, ErrorReply] {
  if (error instanceof ServiceFault) {
    const code: ErrorCode =
      error.code === 'AttachmentTooLarge' ||
      error.code === 'AttachmentTypeNotAllowed' ||
      error.code === 'AttachmentContentMismatch'
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
    case 'AttachmentContentMismatch':
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

/** The most of a refused upload that is read (and dropped) so that its sender gets the answer. */
const drainLimitBytes = 16 * 1024 * 1024;

/**
 * Reads what is left of a refused upload before answering: a browser still sending its file reads
 * no answer, only a reset connection, so "too many uploads" would look like a network failure. An
 * upload past drainLimitBytes is cut off instead.
 */
function drainThen(req: Request, answer: () => void): void {
  if (req.complete || req.destroyed) return answer();
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > drainLimitBytes) req.destroy();
  });
  req.once('end', answer);
  req.once('close', answer);
  req.resume();
}

function sendError(res: Response, status: number, reply: ErrorReply): void {
  if (!res.headersSent) res.status(status).set('Connection', 'close').json(reply);
}
