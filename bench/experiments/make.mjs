// Makes copies of the bench's server build with one proposed change each, so the change can be
// measured before anyone edits server/ (run `npm run bench` once first, to build):
//   node bench/experiments/make.mjs
//   npm run bench -- --servers bench/results/exp/cs-fast-methods --scenarios latency --rates 1000
// Each copy goes to bench/results/exp/<name>/ (server/ and client/ as in dist/). A change whose
// anchor text is no longer in the build is reported, and that copy is not made.
import { cpSync, copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const build = join(root, 'bench', 'results', '.build');
const out = join(root, 'bench', 'results', 'exp');
const here = join(root, 'bench', 'experiments');

const changes = {
  // CustomerChat: each logged event built without `{ ...event, seq }`, which gives every event a
  // hidden class of its own in V8 here (about 450 bytes of maps and caches per event).
  'cc-session-assign': [
    {
      file: 'server/customer-chat/session/visitor-session.js',
      from: 'const logged = { ...event, seq: this.log.length + 1 };',
      to: 'const logged = Object.assign({}, event, { seq: this.log.length + 1 });',
    },
  ],
  // Chat Service: the API's method calls answered on node:http, express kept for the rest.
  'cs-fast-methods': [
    { copy: 'fast-methods.js', to: 'server/chat-service/http/fast-methods.js' },
    {
      file: 'server/chat-service/http/chat-service-app.js',
      from: '(0, import_method_router.methodRouter)((0, import_customer_methods.customerMethods)(options.customerDesk, options.version), import_customer_methods.customerCaller)',
      to: '(0, import_method_router.methodRouter)(customerTable, import_customer_methods.customerCaller)',
    },
    {
      file: 'server/chat-service/http/chat-service-app.js',
      from: `(0, import_method_router.methodRouter)(
      (0, import_agent_methods.agentMethods)(options.agentPresence, options.agentDesk, options.roster),
      (0, import_agent_methods.agentCaller)(options.agentPresence)
    )`,
      to: '(0, import_method_router.methodRouter)(agentTable, agentIdentify)',
    },
    {
      file: 'server/chat-service/http/chat-service-app.js',
      from: '  const allowed = new Set(',
      to: `  const customerTable = (0, import_customer_methods.customerMethods)(options.customerDesk, options.version);
  const agentTable = (0, import_agent_methods.agentMethods)(options.agentPresence, options.agentDesk, options.roster);
  const agentIdentify = (0, import_agent_methods.agentCaller)(options.agentPresence);
  if (!options.trustProxy)
    app.locals.fast = require('./fast-methods').fastMethods({
      customer: { table: customerTable, identify: import_customer_methods.customerCaller },
      agent: { table: agentTable, identify: agentIdentify },
      limit: options.bodyLimitBytes,
      logger: options.logger,
    });
  const allowed = new Set(`,
    },
    {
      file: 'server/chat-service/chat-service-server.js',
      from: 'this.server = (0, import_node_http.createServer)(app);',
      to: `const fast = app.locals.fast;
    this.server = (0, import_node_http.createServer)(
      fast === void 0 ? app : (req, res) => { if (!fast(req, res)) app(req, res); });`,
    },
  ],
};
// CustomerChat: each chat's long-poll on a connection of its own (an undici Client), short
// calls on their own pool: undici's Pool looks for a free connection by walking all of them, and
// every live chat's long-poll keeps one busy, so each call cost O(live chats).
changes['cc-poll-clients'] = [
  {
    file: 'server/customer-chat/upstream/chat-service-client.js',
    from: '    this.pool = new import_undici.Pool(url.origin, { connections: null, pipelining: 1 });',
    to: `    this.pool = new import_undici.Pool(url.origin, { connections: null, pipelining: 1 });
    this.origin = url.origin;
    this.pollClients = new Map();
    // One connector for all of them, as a Pool shares one among its clients.
    this.connector = import_undici.buildConnector({});`,
  },
  {
    file: 'server/customer-chat/upstream/chat-service-client.js',
    from: `    return this.call("GetEvents", request, import_wire_decoding.GetEventsResponseSchema, {`,
    to: `    let dispatcher = this.pollClients.get(chatId);
    if (dispatcher === void 0) {
      dispatcher = new import_undici.Client(this.origin, { pipelining: 1, connect: this.connector });
      this.pollClients.set(chatId, dispatcher);
    }
    return this.call("GetEvents", request, import_wire_decoding.GetEventsResponseSchema, {
      dispatcher,`,
  },
  {
    file: 'server/customer-chat/upstream/chat-service-client.js',
    from: '      const response = await this.pool.request({',
    to: '      const response = await (policy.dispatcher ?? this.pool).request({',
  },
  {
    file: 'server/customer-chat/upstream/chat-service-client.js',
    from: `  async close() {
    await this.pool.destroy();`,
    to: `  async close() {
    await Promise.all([...this.pollClients.values()].map((client) => client.destroy()));
    await this.pool.destroy();`,
  },
];
// The same, keeping undici's Pool: long-polls spread over 64 pools by chat, so the walk is 1/64
// as long, and short calls on a pool of their own.
changes['cc-poll-shards'] = [
  {
    file: 'server/customer-chat/upstream/chat-service-client.js',
    from: '    this.pool = new import_undici.Pool(url.origin, { connections: null, pipelining: 1 });',
    to: `    this.pool = new import_undici.Pool(url.origin, { connections: null, pipelining: 1 });
    this.pollPools = Array.from(
      { length: 64 },
      () => new import_undici.Pool(url.origin, { connections: null, pipelining: 1 }),
    );`,
  },
  {
    file: 'server/customer-chat/upstream/chat-service-client.js',
    from: `    return this.call("GetEvents", request, import_wire_decoding.GetEventsResponseSchema, {`,
    to: `    let hash = 0;
    for (let index = 0; index < chatId.length; index += 1) hash = (hash * 31 + chatId.charCodeAt(index)) | 0;
    const dispatcher = this.pollPools[(hash >>> 0) % this.pollPools.length];
    return this.call("GetEvents", request, import_wire_decoding.GetEventsResponseSchema, {
      dispatcher,`,
  },
  {
    file: 'server/customer-chat/upstream/chat-service-client.js',
    from: '      const response = await this.pool.request({',
    to: '      const response = await (policy.dispatcher ?? this.pool).request({',
  },
  {
    file: 'server/customer-chat/upstream/chat-service-client.js',
    from: `  async close() {
    await this.pool.destroy();`,
    to: `  async close() {
    await Promise.all(this.pollPools.map((pool) => pool.destroy()));
    await this.pool.destroy();`,
  },
];
changes['cc-assign-and-shards'] = [...changes['cc-session-assign'], ...changes['cc-poll-shards']];
changes.all = [
  ...changes['cc-session-assign'],
  ...changes['cc-poll-shards'],
  ...changes['cs-fast-methods'],
];

if (!existsSync(join(build, 'server'))) {
  process.stderr.write('run `npm run bench` once first: it builds bench/results/.build\n');
  process.exit(1);
}
let failed = 0;
for (const [name, steps] of Object.entries({ base: [], ...changes })) {
  const dir = join(out, name);
  rmSync(dir, { recursive: true, force: true });
  for (const part of ['server', 'client'])
    cpSync(join(build, part), join(dir, part), { recursive: true });
  const missing = [];
  for (const step of steps) {
    if (step.copy !== undefined) {
      copyFileSync(join(here, step.copy), join(dir, step.to));
      continue;
    }
    const file = join(dir, step.file);
    const text = readFileSync(file, 'utf8');
    if (!text.includes(step.from)) missing.push(`${step.file}: ${step.from.split('\n')[0]}`);
    else writeFileSync(file, text.replace(step.from, step.to));
  }
  if (missing.length > 0) {
    failed += 1;
    rmSync(dir, { recursive: true, force: true });
    process.stderr.write(`${name}: not made, the build has changed:\n  ${missing.join('\n  ')}\n`);
  } else process.stdout.write(`bench/results/exp/${name}\n`);
}
process.exit(failed > 0 ? 1 : 0);
