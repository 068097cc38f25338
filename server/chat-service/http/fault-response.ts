import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import { ServiceFault } from '../../protocol/faults';
import type { Logger } from '../../shared/logger';

/** Writes a JSON answer; faults go out in the wire shape `{"Fault": {"Code", "Message"}}`. */
export function writeJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendFault(res: ServerResponse, fault: ServiceFault): void {
  writeJson(res, fault.status, fault.toBody());
}

/** Faults raised on purpose pass through; anything else is logged and answered as Internal. */
export function toFault(error: unknown, path: string, logger: Logger): ServiceFault {
  if (error instanceof ServiceFault) return error;
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
