import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentEvent } from '../../server/protocol/agent-api';
import { systemTime } from '../../server/shared/clock';
import { startChatService, type ChatServiceHarness } from '../support/chat-service-harness';
import { ClusterVisitor } from '../support/cluster-visitor';
import { CustomerChatProcess, NginxFront, httpGet } from '../support/customer-chat-cluster';
import { untilWithin } from '../support/wait-within';
import { RedisServer, freePort } from '../support/redis-server';
import { buildServers } from '../support/server-build';

/**
 * Three real CustomerChat processes on the Redis engine behind real nginx (configured from
 * docs/deploy/nginx.conf), the Chat Service behind them: a visitor's chat survives the loss of
 * any instance. Visitors are socket.io clients that behave as the toolbox does, each from a
 * loopback address of its own (nginx routes by address).
 */

jest.setTimeout(60_000);

const root = join(__dirname, '..', '..');
let chatService: ChatServiceHarness;
let redis: RedisServer;
let nginx: NginxFront;
let instances: CustomerChatProcess[] = [];
let configDir: string;
let main: string;
let build: { dir: string; env: Record<string, string> };
let alice: string;
const visitors: ClusterVisitor[] = [];

beforeAll(async () => {
  const built = await buildServers('cluster-build');
  main = built.main;
  build = built;
  chatService = await startChatService(
    { RateLimits: { ExemptAddresses: ['127.0.0.1', '::ffff:127.0.0.1', '::1'] } },
    { time: systemTime() },
  );
  redis = await RedisServer.start();
  configDir = mkdtempSync(join(tmpdir(), 'cluster-config-'));
  // One web.config.json for every instance; each gets its port (and Redis) from the environment.
  writeFileSync(
    join(configDir, 'web.config.json'),
    JSON.stringify({
      upstreamUrl: chatService.url,
      host: '127.0.0.1',
      trustProxy: true,
      resourcesFolder: join(root, 'resources'),
      appSettings: {
        CustomerDisconnectTimeoutSeconds: 60,
        AgentWarningCustomerDisconnectTimeoutSeconds: 20,
      },
      rateLimits: { requestChatPerMinute: 1000, messagesPerMinute: 1000 },
    }),
  );
  const env = {
    ...build.env,
    CUSTOMERCHAT_CONFIG: join(configDir, 'web.config.json'),
    CUSTOMERCHAT_REDIS_URL: redis.url,
  };
  const ports = [await freePort(), await freePort(), await freePort()];
  instances = ports.map(
    (port, index) => new CustomerChatProcess(`cc${index + 1}`, port, main, env),
  );
  await Promise.all(instances.map((instance) => instance.start()));
  nginx = await NginxFront.start(ports);
  alice = await chatService.login('alice', { ready: true });
});

/** Real processes take real time: waits up to `ms` for the condition, checking every 10 ms. */
const until = (condition: () => boolean | Promise<boolean>, what: string, ms = 15_000) =>
  untilWithin(condition, what, ms);

const chats: string[] = [];

afterEach(async () => {
  for (const visitor of visitors.splice(0)) visitor.close();
  // alice takes two chats at once: whatever a test left running ends here.
  for (const chatId of chats.splice(0)) await endChat(chatId);
  // Every test starts with three instances up, and nginx sending to each of them again: an
  // instance counted out still (fail_timeout) would come back in the middle of the next test, and
  // the instance nginx names for a visitor would no longer be the one holding its socket.
  const stopped = instances.filter((i) => !i.running);
  await Promise.all(stopped.map((instance) => instance.start()));
  if (stopped.length > 0) await addressesOnEveryInstance();
});

afterAll(async () => {
  await nginx?.stop();
  await Promise.all(instances.filter((i) => i.running).map((instance) => instance.kill('SIGKILL')));
  await redis?.stop();
  await chatService?.stop();
  rmSync(configDir, { recursive: true, force: true });
  rmSync(build.dir, { recursive: true, force: true });
});

/** The instance nginx sends this address to now. */
async function instanceFor(address: string): Promise<CustomerChatProcess> {
  const answer = await httpGet(`${nginx.url}/CustomerChat/health`, address);
  const upstream = String(answer.headers['x-test-upstream'] ?? '');
  const port = Number(upstream.split(',').at(-1)?.trim().split(':').at(-1));
  const found = instances.find((instance) => instance.port === port);
  if (found === undefined) throw new Error(`no instance behind ${address} (${upstream})`);
  return found;
}

/** Loopback addresses that nginx sends to different instances, one per instance asked for. */
async function addressesOnDistinctInstances(count: number): Promise<string[]> {
  const chosen = new Map<CustomerChatProcess, string>();
  for (let last = 2; last < 250 && chosen.size < count; last += 1) {
    const address = `127.0.0.${last}`;
    const instance = await instanceFor(address);
    if (!chosen.has(instance)) chosen.set(instance, address);
  }
  return [...chosen.values()];
}

/**
 * One address per instance, once nginx sends to all of them: after an instance was killed, nginx
 * counts it out for its fail_timeout (5 s) and hashes its addresses elsewhere meanwhile.
 */
async function addressesOnEveryInstance(): Promise<string[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const addresses = await addressesOnDistinctInstances(instances.length);
    if (addresses.length === instances.length) return addresses;
    if (Date.now() > deadline) throw new Error('nginx does not send to every instance');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * A second tab of the visitor on another instance than the first tab's, and the first tab's
 * instance. nginx counts an instance out for 5 s after one failed request and hashes its addresses
 * elsewhere meanwhile, so the pair is checked after the join and tried again if nginx moved one.
 */
async function secondTabElsewhere(
  tab1: ClusterVisitor,
  first: string,
): Promise<{ tab: ClusterVisitor; holder: CustomerChatProcess }> {
  for (let attempt = 1; ; attempt += 1) {
    const holder = await instanceFor(first);
    const addresses = await addressesOnEveryInstance();
    const elsewhere = [];
    for (const address of addresses)
      if ((await instanceFor(address)) !== holder) elsewhere.push(address);
    const tab = visitorAt(elsewhere[0]);
    await tab.join(tab1.token ?? '');
    const [holderNow, tabInstance] = [
      await instanceFor(first),
      await instanceFor(elsewhere[0] ?? ''),
    ];
    if (holderNow === holder && tabInstance !== holder) return { tab, holder };
    tab.close();
    if (attempt === 5) throw new Error('nginx did not keep two tabs on two instances');
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

let nextAddress = 2;
function visitorAt(
  address = `127.0.0.${(nextAddress += 1)}`,
  transport: 'websocket' | 'polling' = 'websocket',
): ClusterVisitor {
  const visitor = new ClusterVisitor(nginx.url, address, transport);
  visitors.push(visitor);
  return visitor;
}

/** alice on the agent API: every event she has read, and her replies. */
const agentEvents: AgentEvent[] = [];
async function readAgent(): Promise<void> {
  const result = await chatService.agent<{ Events: AgentEvent[] }>(alice, 'GetEvents', {
    Timeout: 0,
  });
  agentEvents.push(...result.body.Events);
}
async function agentWaitFor(what: string, found: () => boolean): Promise<void> {
  for (const end = Date.now() + 15_000; Date.now() < end;) {
    await readAgent();
    if (found()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`alice never got ${what}`);
}
const customerTexts = (chatId: string) =>
  agentEvents.flatMap((event) =>
    event.EventType === 'MessageReceived' &&
    event.Data.ChatID === chatId &&
    event.Data.From === 'Customer'
      ? [event.Data.Message]
      : [],
  );
const systemTexts = (chatId: string) =>
  agentEvents.flatMap((event) =>
    event.EventType === 'MessageReceived' &&
    event.Data.ChatID === chatId &&
    event.Data.From === 'System'
      ? [event.Data.Message]
      : [],
  );

/** A chat of a new visitor at `address`, accepted by alice. */
async function handledChat(visitor: ClusterVisitor): Promise<string> {
  const offered = agentEvents.length;
  await visitor.requestChat(1);
  let chatId = '';
  await agentWaitFor('the offer', () =>
    agentEvents.slice(offered).some((event) => {
      if (event.EventType !== 'ChatOffered') return false;
      chatId = event.Data.ChatID;
      return true;
    }),
  );
  chats.push(chatId);
  expect((await chatService.agent(alice, 'AcceptChat', { ChatID: chatId })).status).toBe(200);
  await until(
    () => visitor.shown.some((event) => event.type === 'agentJoined'),
    'the visitor sees alice join',
  );
  return chatId;
}

/** Both sides write; what each sent is kept, to check the other side shows it once, in order. */
class Exchange {
  readonly byVisitor: string[] = [];
  readonly byAgent: string[] = [];
  constructor(
    private readonly chatId: string,
    private readonly visitor: ClusterVisitor,
  ) {}

  async round(label: string, count = 2): Promise<void> {
    for (let i = 1; i <= count; i += 1) {
      const mine = `${label} visitor ${i}`;
      this.byVisitor.push(mine);
      this.visitor.send(mine);
      const theirs = `${label} agent ${i}`;
      this.byAgent.push(theirs);
      const sent = await chatService.agent(alice, 'SendMessage', {
        ChatID: this.chatId,
        Message: theirs,
      });
      expect(sent.status).toBe(200);
    }
  }

  /** Waits until everything arrived, then checks it arrived exactly once, in order. */
  async delivered(pages: ClusterVisitor[] = [this.visitor]): Promise<void> {
    await agentWaitFor('every visitor message', () =>
      this.byVisitor.every((text) => customerTexts(this.chatId).includes(text)),
    );
    for (const page of pages) {
      await until(
        () =>
          this.byAgent.every((text) => page.texts('agent').includes(text)) &&
          this.byVisitor.every((text) => page.texts('visitor').includes(text)),
        'the page shows every message',
      );
    }
    expect(customerTexts(this.chatId)).toEqual(this.byVisitor);
    for (const page of pages) {
      expect(page.texts('agent')).toEqual(this.byAgent);
      expect(page.texts('visitor')).toEqual(this.byVisitor);
      expect(page.shown.map((event) => event.seq)).toEqual(page.shown.map((_e, i) => i + 1));
    }
  }
}

/** A new visitor's chat with alice, with a first round of messages both ways delivered. */
async function chatUnderWay(): Promise<{
  visitor: ClusterVisitor;
  chatId: string;
  talk: Exchange;
}> {
  const visitor = visitorAt();
  const chatId = await handledChat(visitor);
  const talk = new Exchange(chatId, visitor);
  await talk.round('before');
  await talk.delivered();
  return { visitor, chatId, talk };
}

async function endChat(chatId: string): Promise<void> {
  await chatService.agent(alice, 'LeaveChat', { ChatID: chatId });
}

/** Ms from `since` to the page's first resume after it. */
async function resumedWithin(visitor: ClusterVisitor, since: number): Promise<number> {
  await until(
    () => visitor.resumes.some((at) => at > since),
    'the page resumes through another instance',
  );
  return (visitor.resumes.find((at) => at > since) ?? 0) - since;
}

describe('CustomerChat on three instances with Redis, behind nginx', () => {
  test('when the instance holding the visitor is killed (kill -9), then the page resumes elsewhere within 5 s and every message both ways shows exactly once, in order', async () => {
    const { visitor, chatId, talk } = await chatUnderWay();

    const holder = await instanceFor(visitor.address);
    const killedAt = Date.now();
    await holder.kill('SIGKILL');
    await talk.round('during');
    expect(await resumedWithin(visitor, killedAt)).toBeLessThan(5000);
    await talk.round('after');
    await talk.delivered();
    await endChat(chatId);
  });

  test('when the instance holding the visitor is stopped (SIGTERM), then it drains: exit 0, the page resumes elsewhere, nothing lost or doubled, and the agent hears nothing of it', async () => {
    const { visitor, chatId, talk } = await chatUnderWay();

    const holder = await instanceFor(visitor.address);
    const stoppedAt = Date.now();
    const exit = holder.kill('SIGTERM');
    await talk.round('during');
    expect(await exit).toBe(0);
    expect(await resumedWithin(visitor, stoppedAt)).toBeLessThan(5000);
    await talk.round('after');
    await talk.delivered();
    // Past the handover time: a visitor who came back at once was never reported gone.
    await new Promise((resolve) => setTimeout(resolve, 5500));
    await readAgent();
    expect(systemTexts(chatId)).toEqual([]);
    await endChat(chatId);
  });

  test('when every instance restarts, then the chat resumes where it was, with nothing lost or doubled', async () => {
    const { visitor, chatId, talk } = await chatUnderWay();

    const downAt = Date.now();
    await Promise.all(instances.map((instance) => instance.kill('SIGKILL')));
    await talk.round('while down');
    await Promise.all(instances.map((instance) => instance.start()));
    // nginx counts each instance out for its fail_timeout (5 s) after it refused a connection.
    expect(await resumedWithin(visitor, downAt)).toBeLessThan(15_000);
    await talk.round('after');
    await talk.delivered();
    expect(chatService.server.center.chats.get(chatId)?.isTerminated).toBe(false);
    await endChat(chatId);
  });

  test('when the visitor has a second tab on another instance, then both tabs stay live through the loss of the first one', async () => {
    const [first = ''] = await addressesOnEveryInstance();
    const tab1 = visitorAt(first);
    const chatId = await handledChat(tab1);
    const { tab: tab2, holder } = await secondTabElsewhere(tab1, first);
    const talk = new Exchange(chatId, tab1);
    await talk.round('two tabs');
    await talk.delivered([tab1, tab2]);

    const killedAt = Date.now();
    await holder.kill('SIGKILL');
    await talk.round('one instance down');
    expect(await resumedWithin(tab1, killedAt)).toBeLessThan(5000);
    await talk.delivered([tab1, tab2]);
    await endChat(chatId);
    await until(
      () => [tab1, tab2].every((tab) => tab.shown.some((event) => event.type === 'ended')),
      'both tabs show the end',
    );
  });
});

describe('CustomerChat on three instances, the long-polling fallback', () => {
  test('when a page can only long-poll, then nginx keeps its requests on one instance and the chat works both ways', async () => {
    // Node's long-polling client cannot choose its address: it comes from 127.0.0.1.
    const visitor = visitorAt('127.0.0.1', 'polling');
    const chatId = await handledChat(visitor);
    expect(visitor.socket.io.engine.transport.name).toBe('polling');
    const talk = new Exchange(chatId, visitor);
    await talk.round('polling', 3);
    await talk.delivered();
    await endChat(chatId);
  });
});

describe('CustomerChat and an unreachable Redis', () => {
  test('when Redis stops under three instances, then none of them exits, the page is told the chat is unavailable, and they serve again once Redis is back', async () => {
    const visitor = visitorAt();
    const chatId = await handledChat(visitor);
    const statuses: boolean[] = [];
    visitor.socket.on('service:status', (status: { available: boolean }) =>
      statuses.push(status.available),
    );
    await redis.stop();
    await until(() => statuses.includes(false), 'the page hears the chat is unavailable');
    const refused = (await visitor.socket
      .timeout(5000)
      .emitWithAck('message:send', { clientMessageId: 'down-1', text: 'Anyone?' })) as {
      ok: boolean;
      error?: { code: string };
    };
    expect(refused).toMatchObject({ ok: false, error: { code: 'ServiceUnavailable' } });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(instances.map((instance) => instance.running)).toEqual([true, true, true]);

    // Back, empty (this Redis keeps nothing on disk): the instances serve new chats again.
    await redis.start();
    await until(() => statuses.at(-1) === true, 'the page hears it is back');
    // Each instance reconnects on its own: the next visitor may land on one still reconnecting,
    // which a load balancer would not send it to (its readiness answers 503 meanwhile).
    await until(async () => {
      const answers = await Promise.all(
        instances.map((instance) =>
          httpGet(`${instance.url}/CustomerChat/health/ready`).then(
            (answer) => answer.status === 200,
            () => false,
          ),
        ),
      );
      return answers.every(Boolean);
    }, 'every instance is ready again');
    await endChat(chatId);
    chats.splice(chats.indexOf(chatId), 1);
    const next = visitorAt();
    const nextChat = await handledChat(next);
    const talk = new Exchange(nextChat, next);
    await talk.round('after Redis came back');
    await talk.delivered();
  });

  test('when redisUrl points where no Redis listens, then start-up stops with an error naming redisUrl', async () => {
    const port = await freePort();
    const instance = new CustomerChatProcess('no-redis', await freePort(), main, {
      ...build.env,
      CUSTOMERCHAT_CONFIG: join(configDir, 'web.config.json'),
      CUSTOMERCHAT_REDIS_URL: `redis://127.0.0.1:${port}`,
    });
    await expect(instance.start()).rejects.toThrow(/exited at start-up/);
    expect(await instance.exit()).toBe(1);
    expect(instance.output).toContain(`redisUrl redis://127.0.0.1:${port}`);
    expect(instance.output).toContain('Redis cannot be reached');
  });
});
