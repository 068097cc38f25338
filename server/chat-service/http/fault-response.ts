import type { ErrorRequestHandler, Response } from 'express';
import { ServiceFault } from '../../protocol/faults';
import type { Logger } from '../../shared/logger';

/** Writes a fault in the wire shape `{"Fault": {"Code", "Message"}}`: the only place that does. */
export function sendFault(res: Response, fault: ServiceFault): void {
  res.status(fault.status).json(fault.toBody());
}

interface BodyParserError {
  type: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as BodyParserError).type === 'string'
  );
}

/**
 * Turns any error into a fault. Faults raised on purpose pass through; body-parser's errors become
 * BadRequest (or AttachmentTooLarge for a message too big to read); anything else is logged and
 * answered as Internal, with no detail for the client.
 */
export function toFault(error: unknown, path: string, logger: Logger): ServiceFault {
  if (error instanceof ServiceFault) return error;
  if (isBodyParserError(error)) {
    if (error.type === 'entity.too.large') {
      return /sendmessage$/i.test(path)
        ? new ServiceFault(
            'AttachmentTooLarge',
            'The message is larger than the attachment limit allows.',
          )
        : new ServiceFault('BadRequest', 'The request body is too large.');
    }
    if (error.type === 'entity.parse.failed')
      return new ServiceFault('BadRequest', 'The request body is not valid JSON.');
    return new ServiceFault('BadRequest', 'The request body cannot be read.');
  }
  logger.error({ err: error, path }, 'request failed');
  return new ServiceFault('Internal', 'The service could not complete the request.');
}

export function faultMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendFault(res, toFault(error, req.path, logger));
  };
}
