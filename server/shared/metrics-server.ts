import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Logger } from './logger';

/**
 * A server's own Prometheus registry (never prom-client's global one: both servers share a
 * process under `npm start`, and each shows only its own metrics), with the process's default
 * metrics in it.
 */
export function newRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * `GET /metrics` in Prometheus's text format on a listener of its own, apart from the port that
 * faces browsers, so an operator can keep it on loopback or an internal interface.
 */
export class MetricsServer {
  private readonly server: Server;

  constructor(
    private readonly registry: Registry,
    private readonly logger: Logger,
  ) {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' || path !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Metrics are at GET /metrics.\n');
        return;
      }
      this.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': this.registry.contentType });
          res.end(text);
        },
        (error: unknown) => {
          this.logger.error({ err: error }, 'metrics could not be collected');
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('Metrics could not be collected.\n');
        },
      );
    });
  }

  async start(host: string, port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    this.logger.info({ host: address.address, port: address.port }, 'metrics listening');
  }

  get url(): string {
    const address = this.server.address() as AddressInfo | null;
    if (address === null) throw new Error('The metrics listener is not listening.');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}/metrics`;
  }

  async stop(): Promise<void> {
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
