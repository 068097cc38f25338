// Which socket.io Redis adapter CustomerChat uses, by measurement (the sharded adapter with one
// channel per namespace, 'sharded-static', or per room, 'sharded'; or the streams adapter): three socket.io servers in this
// process share one redis-server (started here on a free port); visitors' sockets, each in a room
// of its own (one chat), are spread over them; one server broadcasts to the rooms at a fixed rate
// (as the pump holder of every chat would). Reported per adapter: delivery latency p50/p99, what
// was delivered, and the CPU Redis spent.
//   node bench/adapter-choice.mjs [--rooms 600] [--rate 1000] [--seconds 5]
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { parseArgs } from 'node:util';
import { createShardedAdapter } from '@socket.io/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import Redis from 'ioredis';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';

const { values } = parseArgs({
  options: {
    rooms: { type: 'string', default: '600' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '5' },
  },
});
const rooms = Number(values.rooms);
const rate = Number(values.rate);
const seconds = Number(values.seconds);

const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

async function redisCpu(client) {
  const info = await client.info('cpu');
  const field = (name) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return field('used_cpu_sys') + field('used_cpu_user');
}

async function measure(kind, redisUrl) {
  const clients = [];
  const servers = [];
  for (let index = 0; index < 3; index += 1) {
    const http = createServer();
    const pub = new Redis(redisUrl);
    // A subscribed connection cannot answer the ready check's INFO when it reconnects.
    const sub = pub.duplicate({ enableReadyCheck: false });
    for (const client of [pub, sub])
      client.on('error', (error) => process.stderr.write(`${kind}: ${error.message}\n`));
    clients.push(pub, sub);
    const adapter =
      kind === 'streams'
        ? createStreamsAdapter(pub, { streamName: `choice-${kind}` })
        : createShardedAdapter(pub, sub, {
            channelPrefix: `choice-${kind}`,
            subscriptionMode: kind === 'sharded-static' ? 'static' : 'dynamic',
          });
    const io = new Server(http, { adapter });
    io.on('connection', (socket) => socket.join(String(socket.handshake.query.room)));
    const port = await freePort();
    await new Promise((resolve) => http.listen(port, '127.0.0.1', resolve));
    servers.push({ io, http, port });
  }
  const latencies = [];
  let received = 0;
  const sockets = [];
  for (let room = 0; room < rooms; room += 1) {
    const { port } = servers[room % servers.length];
    const socket = connect(`http://127.0.0.1:${port}`, {
      transports: ['websocket'],
      forceNew: true,
      query: { room: `r${room}` },
    });
    socket.on('chat:event', (sentAt) => {
      received += 1;
      latencies.push(performance.now() - sentAt);
    });
    sockets.push(socket);
  }
  await Promise.all(
    sockets.map((s) => (s.connected ? null : new Promise((r) => s.once('connect', r)))),
  );
  await sleep(500);
  const monitor = new Redis(redisUrl);
  const cpuBefore = await redisCpu(monitor);
  const sender = servers[0].io;
  const total = rate * seconds;
  const started = performance.now();
  for (let sent = 0; sent < total; sent += 1) {
    const due = started + (sent * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 2) await sleep(wait);
    sender.to(`r${sent % rooms}`).emit('chat:event', performance.now());
  }
  await sleep(1500);
  const cpu = (await redisCpu(monitor)) - cpuBefore;
  latencies.sort((a, b) => a - b);
  for (const socket of sockets) socket.disconnect();
  for (const { io } of servers) await io.close();
  for (const client of [...clients, monitor]) client.disconnect();
  return {
    adapter: kind,
    sent: total,
    received,
    p50Ms: Number(percentile(latencies, 0.5).toFixed(2)),
    p99Ms: Number(percentile(latencies, 0.99).toFixed(2)),
    redisCpuSeconds: Number(cpu.toFixed(2)),
  };
}

const port = await freePort();
const redis = spawn(
  'redis-server',
  ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
  { stdio: 'ignore' },
);
// Whatever ends this process ends its redis-server too.
process.on('exit', () => redis.kill('SIGKILL'));
await sleep(300);
const url = `redis://127.0.0.1:${port}`;
try {
  const results = [];
  for (const kind of ['sharded-static', 'sharded', 'streams']) {
    process.stderr.write(`measuring ${kind}\n`);
    results.push(await measure(kind, url));
  }
  process.stdout.write(`${JSON.stringify({ rooms, rate, seconds, results }, null, 2)}\n`);
} finally {
  redis.kill('SIGKILL');
}
