import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An HTTP proxy that plays a Chat Service without one of the reference service's methods. */
export interface MethodHidingProxy {
  url: string;
  /** How many calls of the hidden method it refused. */
  readonly refused: number;
  stop(): Promise<void>;
}

/**
 * Forwards every request to the Chat Service at targetUrl except `/ChatService/<method>`, which
 * it answers as a service without that method would: 404 with the fault UnknownMethod, or (as a
 * WCF host does) 404 with a page and no fault.
 */
export async function hideMethod(
  targetUrl: string,
  method: string,
  answer: 'fault' | 'page' = 'fault',
): Promise<MethodHidingProxy> {
  const target = new URL(targetUrl);
  const hiddenPath = `/chatservice/${method.toLowerCase()}`;
  let refused = 0;
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]?.toLowerCase();
    if (path === hiddenPath) {
      refused += 1;
      req.resume();
      const fault = { Code: 'UnknownMethod', Message: `There is no method ${method} here.` };
      if (answer === 'page') res.writeHead(404, { 'content-type': 'text/html' });
      else res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        answer === 'page' ? '<html>Endpoint not found.</html>' : JSON.stringify({ Fault: fault }),
      );
      return;
    }
    const upstream = forward(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    // A caller that gives up (an aborted long-poll) ends the forwarded request too.
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get refused() {
      return refused;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
