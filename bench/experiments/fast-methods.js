// Prototype for measurement only (applied to a copy of the bench's build, never to server/):
// the Chat Service's /ChatService/<Method> and /AgentService/<Method> calls answered straight on
// node:http, with the same method tables, schemas, callers and fault shape as the express
// method router, and everything else (CORS pre-flights, browser origins, GET, the console, bad
// bodies) left to express.
const { Buffer } = require('node:buffer');
const { ServiceFault } = require('../../protocol/faults');

function unwrap(body) {
  if (body === undefined || body === null) return {};
  if (typeof body === 'object' && !Array.isArray(body)) {
    const keys = Object.keys(body);
    const wrapped = body.request;
    if (
      keys.length === 1 &&
      keys[0] === 'request' &&
      typeof wrapped === 'object' &&
      wrapped !== null
    )
      return wrapped;
  }
  return body;
}

function send(res, status, value) {
  const text = JSON.stringify(value ?? {});
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function fastMethods({ customer, agent, limit, logger }) {
  const byName = (table) =>
    new Map(Object.entries(table).map(([name, spec]) => [name.toLowerCase(), spec]));
  const services = [
    { prefix: '/chatservice/', table: byName(customer.table), identify: customer.identify },
    { prefix: '/agentservice/', table: byName(agent.table), identify: agent.identify },
  ];
  return (req, res) => {
    if (req.method !== 'POST' || req.headers.origin !== undefined) return false;
    const type = req.headers['content-type'] ?? '';
    if (!type.startsWith('application/json')) return false;
    const path = (req.url ?? '').toLowerCase();
    const service = services.find((entry) => path.startsWith(entry.prefix));
    if (service === undefined) return false;
    const spec = service.table.get(path.slice(service.prefix.length));
    if (spec === undefined) return false;
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => {
      let gone = false;
      res.on('close', () => {
        gone = !res.writableFinished;
      });
      (async () => {
        if (size > limit) throw new ServiceFault('BadRequest', 'The request body is too large.');
        let body;
        try {
          body = size === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          throw new ServiceFault('BadRequest', 'The request body is not valid JSON.');
        }
        const shim = {
          ip: req.socket.remoteAddress,
          socket: req.socket,
          get: (name) => req.headers[name.toLowerCase()],
          headers: req.headers,
        };
        const caller = service.identify(shim);
        let request;
        if (spec.schema !== null) {
          const parsed = spec.schema.safeParse(unwrap(body));
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            const field =
              issue === undefined || issue.path.length === 0 ? 'request' : issue.path.join('.');
            throw new ServiceFault('BadRequest', `${field}: ${issue?.message ?? 'invalid'}`);
          }
          request = parsed.data;
        }
        const result = await spec.handle(request, caller, {
          req: shim,
          stillWanted: () => !gone && !req.socket.destroyed,
        });
        if (!gone) send(res, 200, result ?? {});
      })().catch((error) => {
        if (res.headersSent || gone) return;
        if (error instanceof ServiceFault) return send(res, error.status, error.toBody());
        logger.error({ err: error }, 'request failed');
        send(res, 500, {
          Fault: { Code: 'Internal', Message: 'The service could not complete the request.' },
        });
      });
    });
    return true;
  };
}

module.exports = { fastMethods };
