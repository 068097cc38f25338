import type { IncomingMessage } from 'node:http';
import { Server } from 'socket.io';
import type { PageBroadcaster } from '../relay/page-broadcaster';
import { originRefusal } from './handshake-refusal';
import { isOriginAllowed } from './origin-policy';
import type { ClientToServerEvents, ServerToClientEvents } from './socket-contract';
import { SocketsPerAddress, visitorAddress } from './sockets-per-address';

export const socketPath = '/CustomerChat/socket.io';

export type VisitorServer = Server<ClientToServerEvents, ServerToClientEvents>;

/**
 * socket.io for visitors' pages, before any event: refuses other sites' pages at the handshake,
 * and a draining instance's, JSONP polling and addresses past their sockets.
 */
export function createVisitorServer(options: {
  allowedHosts: readonly string[];
  maxMessageBytes: number;
  /** Counted once attached (see countSocketsPerAddress). */
  sockets: SocketsPerAddress;
  trustProxy: boolean;
  accepting: () => boolean;
  /** A handshake of a page whose origin is not allowed was refused (for the log). */
  onOriginRefused: (origin: string) => void;
}): VisitorServer {
  const { allowedHosts, trustProxy, sockets } = options;
  // Attached to the HTTP server later (attach()), once the app has it: engine.io then passes
  // every other request on to the app.
  const io = new Server<ClientToServerEvents, ServerToClientEvents>({
    path: socketPath,
    serveClient: false,
    maxHttpBufferSize: options.maxMessageBytes,
    // Runs for every handshake (not for the requests of a session already open).
    allowRequest: (req, callback) => callback(...handshakeVerdict(req)),
    cors: (req, callback) => callback(null, { origin: corsVerdict(req, allowedHosts) }),
  });
  function handshakeVerdict(req: IncomingMessage): [string | null, boolean] {
    // A draining instance takes no new socket: the page reconnects through the load balancer.
    if (!options.accepting()) return ['This instance is shutting down.', false];
    // Cross-site WebSocket hijacking: a page of a site not allowed never gets a socket.
    if (!originAllowed(req, allowedHosts)) {
      options.onOriginRefused(req.headers.origin ?? '');
      return [originRefusal, false];
    }
    // JSONP polling (?j=) answers with script, for browsers long gone; the toolbox never uses it.
    if (new URL(req.url ?? '/', 'http://visitor').searchParams.has('j'))
      return ['JSONP polling is not served.', false];
    if (!sockets.admits(visitorAddress(req, trustProxy)))
      return ['Too many connections from this address.', false];
    return [null, true];
  }
  return io;
}

/**
 * Counts every engine.io connection (a socket.io one or not) against its address until it closes;
 * the engine exists once the server is attached to the HTTP server.
 */
export function countSocketsPerAddress(
  io: VisitorServer,
  sockets: SocketsPerAddress,
  trustProxy: boolean,
): void {
  io.engine.on('connection', (socket: { request: IncomingMessage; once: EngineSocketOnce }) => {
    const address = visitorAddress(socket.request, trustProxy);
    sockets.opened(address);
    socket.once('close', () => sockets.closed(address));
  });
}

type EngineSocketOnce = (event: 'close', listener: () => void) => void;

/** What a visitor's pages are told, through the rooms (and the adapter, across instances). */
export function roomBroadcaster(io: VisitorServer): PageBroadcaster {
  return {
    event: (token, event) => io.to(token).emit('chat:event', event),
    typing: (token, name) => io.to(token).emit('agent:typing', { name }),
  };
}

/**
 * Whether the page may read the answer: an allowed origin always; an origin not allowed only the
 * answer to its handshake, which is then the refusal, so that the toolbox can tell the visitor and
 * the site's owner at once instead of retrying blind. A request of an open session (`sid`) never
 * comes from such a page, which never gets one.
 */
function corsVerdict(
  // engine.io passes the whole IncomingMessage; cors's type names only what cors itself reads.
  req: { headers: IncomingMessage['headers']; url?: string },
  allowedHosts: readonly string[],
): boolean {
  if (isOriginAllowed(req.headers.origin, undefined, allowedHosts)) return true;
  return !new URL(req.url ?? '/', 'http://visitor').searchParams.has('sid');
}

function originAllowed(req: IncomingMessage, allowedHosts: readonly string[]): boolean {
  return isOriginAllowed(req.headers.origin, req.headers.host, allowedHosts);
}
