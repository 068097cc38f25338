/* global fetch, setTimeout, console, performance */
// CPU time of the Chat Service per customer message, measured by the kernel (utime + stime of its
// process), for one or more builds side by side: `node bench/chat-service-cpu.mjs <build dir>…`,
// each a folder laid out as bench/results/.build (npm run bench makes one). Rounds alternate
// between the builds, so load from other processes falls on each alike. Loopback only; bounded.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scryptSync, randomBytes } from 'node:crypto';

const args = process.argv.slice(2);
// `--profile <dir>`: each round writes a V8 CPU profile of the service there (node --cpu-prof).
const profileAt = args.indexOf('--profile');
const profileDir = profileAt === -1 ? null : args.splice(profileAt, 2)[1];
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt === -1 ? 3 : Number(args.splice(roundsAt, 2)[1]);
const builds = args;
if (builds.length === 0) throw new Error('give one or more build folders');
const chats = 50;
const messagesPerRound = 20_000;
const concurrency = 32;
const ticks = 100; // USER_HZ

const salt = randomBytes(16);
// The parameters the older builds shipped; a newer build upgrades them after log-in, before the
// measured part (it waits for its CPU to settle).
const N = 2 ** 14;
const hash = `scrypt$${N}$8$1$${salt.toString('base64')}$${scryptSync('bench', salt, 32, { N, r: 8, p: 1 }).toString('base64')}`;

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticks;
}

/**
 * CPU seconds of the process's event loop (its first thread) and of all its other threads
 * together (the fold thread, libuv's pool, V8's platform threads for the collector and compiler;
 * Node names none of them apart). A thread that ended before the reading is missed.
 */
function threadSeconds(pid) {
  const byThread = { loop: 0, others: 0 };
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      byThread[task === String(pid) ? 'loop' : 'others'] +=
        (Number(fields[11]) + Number(fields[12])) / ticks;
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return byThread;
}

/** CPU seconds the whole machine spent busy (all cores), from /proc/stat. */
function machineBusySeconds() {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (user + nice + system + irq + softirq + steal) / ticks;
}

async function post(url, path, body, token) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function measure(build) {
  const dir = mkdtempSync(join(tmpdir(), 'cs-cpu-'));
  const port = await freePort();
  const agents = Array.from({ length: Math.ceil(chats / 5) }, (_, index) => ({
    AgentID: `a${index}`,
    Name: `A ${index}`,
    PasswordHash: hash,
    ServiceGroupIDs: [1],
    MaxConcurrentChats: 5,
  }));
  const config = {
    Host: '127.0.0.1',
    Port: port,
    ArchiveFile: join(dir, 'archive.sqlite'),
    RateLimits: {
      RequestChatPerMinute: 1e9,
      MessagesPerMinute: 1e9,
      ExemptAddresses: ['127.0.0.1', '::ffff:127.0.0.1'],
    },
    ServiceGroups: [{ ServiceGroupID: 1, Name: 'Bench', OfferTimeoutSeconds: 600 }],
    // The agents do not poll while the customers send: on a loaded machine a round may outlast
    // the presence and session timeouts (older builds ignore the settings they do not know).
    AgentPresenceTimeoutSeconds: 3600,
    AgentAbsenceRequeueSeconds: 3600,
    AgentSessionTimeoutSeconds: 3600,
    Agents: agents,
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const profile = profileDir === null ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir];
  const child = spawn(
    process.execPath,
    [...profile, join(build, 'server', 'chat-service-main.js')],
    {
      env: { ...process.env, CHATSERVICE_CONFIG: join(dir, 'config.json'), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let tries = 0; ; tries += 1) {
      try {
        await fetch(`${url}/ChatService/GetVersion`);
        break;
      } catch {
        if (tries > 600) throw new Error('no start');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const tokens = [];
    for (const agent of agents) {
      const { Token } = await post(url, '/AgentService/Login', {
        AgentID: agent.AgentID,
        Password: 'bench',
      });
      await post(url, '/AgentService/SetReady', { Ready: true }, Token);
      tokens.push(Token);
    }
    const chatIds = [];
    for (let index = 0; index < chats; index += 1)
      chatIds.push((await post(url, '/ChatService/RequestChat', { ServiceGroupID: 1 })).ChatID);
    for (const token of tokens) {
      const { Events } = await post(url, '/AgentService/GetEvents', { Timeout: 0 }, token);
      for (const event of Events)
        if (event.EventType === 'ChatOffered')
          await post(url, '/AgentService/AcceptChat', { ChatID: event.Data.ChatID }, token);
    }
    await new Promise((resolve) => setTimeout(resolve, 6000));
    const before = cpuSeconds(child.pid);
    const threadsBefore = threadSeconds(child.pid);
    const busyBefore = machineBusySeconds();
    const benchBefore = process.cpuUsage();
    const startedAt = performance.now();
    let next = 0;
    const lane = async () => {
      while (next < messagesPerRound) {
        const index = next++;
        await post(url, '/ChatService/SendMessage', {
          ChatID: chatIds[index % chats],
          Message: `m${index}`,
          ClientMessageID: `c${index}`,
        });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    const service = cpuSeconds(child.pid) - before;
    const threadsAfter = threadSeconds(child.pid);
    const threads = Object.fromEntries(
      Object.entries(threadsAfter).map(([name, seconds]) => [
        name,
        ((seconds - threadsBefore[name]) / messagesPerRound) * 1e6,
      ]),
    );
    const benchUsage = process.cpuUsage(benchBefore);
    const bench = (benchUsage.user + benchUsage.system) / 1e6;
    const seconds = (performance.now() - startedAt) / 1000;
    // Other processes' share of the machine during the round, in % of one core.
    const others = ((machineBusySeconds() - busyBefore - service - bench) / seconds) * 100;
    return { perMessage: (service / messagesPerRound) * 1e6, others, threads };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // The profile is written as the process exits: SIGTERM drains and exits.
      child.kill(profileDir === null ? 'SIGKILL' : 'SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = Object.fromEntries(builds.map((build) => [build, []]));
for (let round = 0; round < rounds; round += 1)
  for (const build of builds) {
    const result = await measure(build);
    results[build].push(result);
    console.log(
      `round ${round + 1} ${build}: ${result.perMessage.toFixed(0)} µs (${Object.entries(
        result.threads,
      )
        .map(([name, us]) => `${name} ${us.toFixed(0)}`)
        .join(', ')}), others ${result.others.toFixed(0)} % of a core`,
    );
  }
for (const [build, values] of Object.entries(results)) {
  const sorted = values.map((v) => v.perMessage).sort((a, b) => a - b);
  console.log(
    `${build}: CPU µs per customer message, ${rounds} rounds: ${values.map((v) => v.perMessage.toFixed(0)).join(', ')} (median ${sorted[Math.floor(rounds / 2)].toFixed(0)}; others ${values.map((v) => v.others.toFixed(0)).join(', ')} % of a core)`,
  );
}
