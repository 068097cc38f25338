import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import type { ChatDetails } from '../../server/protocol/agent-api';
import { ChatState } from '../../server/protocol/enums';
import type { LoggedEvent } from '../../server/customer-chat/session/visitor-events';
import { until } from '../support/chat-service-harness';
import { RedisServer } from '../support/redis-server';
import {
  recordEvents,
  startCustomerChat,
  type CustomerChatHarness,
  type VisitorSocket,
} from '../support/customer-chat-harness';

/**
 * The reconnect property (DESIGN.md §5, CustomerDisconnectTimeoutSeconds): random sequences of
 * visitor sends (with retries of the same clientMessageId), agent sends, socket drops, reconnects,
 * second tabs and clock advances across the grace period. The visitor's view (every page's events,
 * merged by seq) must equal the Chat Service's transcript: every message exactly once, in order;
 * and the chat ends if and only if the visitor stayed away for the whole grace period.
 *
 * One harness serves every run; each run is a fresh chat that alice accepts, ended before the next.
 */

const graceSeconds = 60;
const warningSeconds = 20;
const maxTabs = 2;

/**
 * How the visitor's message goes: once; again after the answer (from the other tab, if any); twice
 * at once (a retry while the first is unanswered); sent and the tab drops at once, or once the Chat
 * Service has it (the answer still on its way): in both the page comes back and sends it again.
 */
type Retry = 'none' | 'again' | 'concurrent' | 'afterDrop' | 'dropInFlight';
type Step =
  | { kind: 'visitorSend'; tab: number; retry: Retry }
  | { kind: 'agentSend' }
  | { kind: 'dropTab'; tab: number }
  | { kind: 'openTab'; page: 'fresh' | number }
  | { kind: 'advance'; seconds: number };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('visitorSend' as const),
      tab: fc.nat(3),
      retry: fc.constantFrom<Retry>(
        'none',
        'none',
        'again',
        'concurrent',
        'afterDrop',
        'dropInFlight',
      ),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('agentSend' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('dropTab' as const), tab: fc.nat(3) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('openTab' as const),
      page: fc.oneof(fc.constant('fresh' as const), fc.nat(3)),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      seconds: fc.integer({ min: 1, max: 70 }),
    }),
  },
);

interface AnyReply {
  ok: boolean;
  error?: { code: string; message: string };
  [field: string]: unknown;
}

function ask(socket: VisitorSocket, event: string, ...args: unknown[]): Promise<AnyReply> {
  return socket.timeout(5_000).emitWithAck(event, ...args) as Promise<AnyReply>;
}

/** One line of the conversation, as the transcript and the visitor's view both give it. */
interface Line {
  from: 'Customer' | 'Agent';
  text: string;
}

/** A page of the visitor: a tab open now (socket) or closed, and everything it has shown. */
interface Page {
  name: string;
  socket: VisitorSocket | null;
  /** Each socket's live events, and each resume's answer. */
  shown: LoggedEvent[][];
}

const seqsOf = (page: Page) => page.shown.flat().map((event) => event.seq);
const lastSeqOf = (page: Page) => Math.max(0, ...seqsOf(page));

/** The model of one run, next to the real chat it drives. */
class Run {
  readonly pages: Page[] = [];
  readonly expected: Line[] = [];
  /** Time away so far in ms, while no tab is open; null while one is. */
  awayMs: number | null = null;
  /** expected.length when the last tab closed: what the visitor can have seen if it never returns. */
  seenBeforeAway = 0;
  endedByGrace = false;
  lastClosed: Page | undefined;
  token = '';
  chatId = '';
  sent = 0;

  constructor(readonly id: number) {}

  get open(): Page[] {
    return this.pages.filter((page) => page.socket !== null);
  }

  newPage(): Page {
    const page: Page = { name: `page${this.pages.length}`, socket: null, shown: [] };
    this.pages.push(page);
    return page;
  }

  describe(): string {
    const tabs = this.pages.map((page) => `${page.name}${page.socket ? '(open)' : ''}`).join(' ');
    return `run ${this.id} [${tabs}] away=${this.awayMs} endedByGrace=${this.endedByGrace}`;
  }
}

/** Merges the pages by seq (a seq shown twice must be the same event) into the conversation. */
function visitorView(run: Run): Line[] {
  const bySeq = new Map<number, LoggedEvent>();
  for (const page of run.pages) {
    for (const event of page.shown.flat()) {
      const known = bySeq.get(event.seq);
      if (known !== undefined && !isDeepStrictEqual(known, event)) {
        throw new Error(
          `seq ${event.seq} is two events: ${JSON.stringify(known)} and ${JSON.stringify(event)}`,
        );
      }
      bySeq.set(event.seq, event);
    }
  }
  return [...bySeq.values()]
    .sort((a, b) => a.seq - b.seq)
    .flatMap((event): Line[] =>
      event.type === 'message' && event.from !== 'system'
        ? [{ from: event.from === 'visitor' ? 'Customer' : 'Agent', text: event.text }]
        : [],
    );
}

function transcriptOf(details: ChatDetails): Line[] {
  return details.Transcript.filter(
    (entry) => !entry.AgentOnly && (entry.From === 'Customer' || entry.From === 'Agent'),
  ).map((entry) => ({ from: entry.From as Line['from'], text: entry.Message }));
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let turn = 0; turn < 500; turn += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`Timed out waiting until ${what}`);
}

let h: CustomerChatHarness;
let alice: string;

let redis: RedisServer | undefined;

async function startHarness(engine: Engine): Promise<void> {
  if (engine === 'redis') redis = await RedisServer.start();
  h = await startCustomerChat({
    web: {
      appSettings: {
        CustomerDisconnectTimeoutSeconds: graceSeconds,
        AgentWarningCustomerDisconnectTimeoutSeconds: warningSeconds,
      },
      // Hundreds of chats from one address within one minute of CustomerChat's clock, and up to
      // two sends per step: the rate limits are not what this property is about.
      rateLimits: { requestChatPerMinute: 100_000, messagesPerMinute: 100_000 },
    },
    redisUrl: redis?.url,
  });
  alice = await h.chatService.login('alice', { ready: true });
}

async function stopHarness(): Promise<void> {
  await h?.stop();
  await redis?.stop();
  redis = undefined;
}

const getChat = async (chatId: string) => {
  const result = await h.chatService.agent<ChatDetails>(alice, 'GetChat', { ChatID: chatId });
  if (result.status !== 200) throw new Error(`GetChat: ${JSON.stringify(result.body)}`);
  return result.body;
};

/** Waits until CustomerChat has the visitor's tabs counted and every open tab shows everything. */
async function settle(run: Run): Promise<void> {
  if (run.endedByGrace) return;
  const open = run.open;
  let seen = '';
  await until(async () => {
    const session = await h.customerChat.relay.inspect(run.token);
    seen = `${session?.pages ?? 0} tab(s), seq ${session?.lastSeq ?? 0}`;
    // Away exactly while no tab is open: the clock may only move once the change is in the state.
    return (
      session?.pages === open.length &&
      session.isAway === (open.length === 0) &&
      open.every((page) => lastSeqOf(page) === session.lastSeq)
    );
  }, `CustomerChat counts ${open.length} tab(s) and each shows its last seq (has ${seen}; ${run.describe()})`);
}

async function connect(run: Run, page: Page): Promise<void> {
  const socket = await h.visitor();
  page.socket = socket;
  page.shown.push(recordEvents(socket));
}

function drop(run: Run, page: Page): void {
  page.socket?.disconnect();
  page.socket = null;
  run.lastClosed = page;
  if (run.open.length === 0) {
    run.awayMs = 0;
    run.seenBeforeAway = run.expected.length;
  }
}

/** A tab comes back: a reconnecting page asks after the last seq it shows (a fresh one after 0). */
async function reopen(run: Run, page: Page): Promise<void> {
  const afterSeq = lastSeqOf(page);
  await connect(run, page);
  const reply = await ask(page.socket as VisitorSocket, 'chat:resume', {
    token: run.token,
    afterSeq,
  });
  if (!reply.ok || reply['ended'] !== false) {
    throw new Error(
      `${page.name} resuming after seq ${afterSeq} got ${JSON.stringify(reply)} (${run.describe()})`,
    );
  }
  page.shown.push(reply['events'] as LoggedEvent[]);
  run.awayMs = null;
}

async function startRun(run: Run): Promise<void> {
  const page = run.newPage();
  await connect(run, page);
  const reply = await ask(page.socket as VisitorSocket, 'chat:request', {
    serviceGroupId: 1,
    customerName: 'Vic',
  });
  if (!reply.ok || typeof reply['token'] !== 'string') {
    throw new Error(`chat:request: ${JSON.stringify(reply)}`);
  }
  run.token = reply['token'];
  const chat = await h.customerChat.relay.inspect(run.token);
  if (chat === undefined) throw new Error('CustomerChat does not know the chat it started');
  run.chatId = chat.chatId;
  await eventually(
    async () =>
      (await h.chatService.agent(alice, 'AcceptChat', { ChatID: run.chatId })).status === 200,
    'alice accepts the chat',
  );
  await until(
    async () =>
      (await h.customerChat.relay.conversation(run.token)).some(
        (event) => event.type === 'agentJoined',
      ),
    'the agent joins',
  );
  await settle(run);
}

async function visitorSend(run: Run, tab: number, retry: Retry): Promise<void> {
  const open = run.open;
  const page = open[tab % open.length];
  if (page?.socket == null) return;
  run.sent += 1;
  const payload = { clientMessageId: `m${run.sent}`, text: `visitor ${run.id}.${run.sent}` };
  let reply: AnyReply;
  const other = open[(tab + 1) % open.length] ?? page;
  if (retry === 'afterDrop' || retry === 'dropInFlight') {
    page.socket.emit('message:send', payload, () => undefined);
    if (retry === 'dropInFlight') {
      const upstream = h.chatService.server.center.chats.get(run.chatId);
      await until(
        () => upstream?.transcript.some((entry) => entry.message === payload.text) === true,
        'the Chat Service has the message',
      );
    }
    drop(run, page);
    await reopen(run, page);
    reply = await ask(page.socket as VisitorSocket, 'message:send', payload);
  } else if (retry === 'concurrent') {
    const [first, second] = await Promise.all([
      ask(page.socket, 'message:send', payload),
      ask(other.socket as VisitorSocket, 'message:send', payload),
    ]);
    reply = first.ok ? second : first;
  } else {
    reply = await ask(page.socket, 'message:send', payload);
    if (reply.ok && retry === 'again') {
      reply = await ask(other.socket as VisitorSocket, 'message:send', payload);
    }
  }
  if (!reply.ok) throw new Error(`message:send answered ${JSON.stringify(reply)}`);
  run.expected.push({ from: 'Customer', text: payload.text });
}

async function agentSend(run: Run): Promise<void> {
  run.sent += 1;
  const text = `agent ${run.id}.${run.sent}`;
  const result = await h.chatService.agent(alice, 'SendMessage', {
    ChatID: run.chatId,
    Message: text,
  });
  if (result.status !== 200) throw new Error(`agent SendMessage: ${JSON.stringify(result.body)}`);
  run.expected.push({ from: 'Agent', text });
  await until(
    async () =>
      (await h.customerChat.relay.conversation(run.token)).some(
        (event) => event.type === 'message' && event.text === text,
      ),
    `CustomerChat records "${text}" (${run.describe()})`,
  );
}

async function openTab(run: Run, choice: 'fresh' | number): Promise<void> {
  if (run.open.length >= maxTabs) return;
  const closed = run.pages.filter((page) => page.socket === null);
  const page =
    choice === 'fresh' || closed.length === 0
      ? run.newPage()
      : (closed[choice % closed.length] as Page);
  await reopen(run, page);
}

async function advance(run: Run, seconds: number): Promise<void> {
  h.time.advance(seconds * 1000);
  if (run.awayMs !== null) {
    run.awayMs += seconds * 1000;
    if (run.awayMs >= graceSeconds * 1000) run.endedByGrace = true;
  }
  if (run.endedByGrace) {
    await until(
      async () => (await h.customerChat.relay.inspect(run.token))?.isEnded !== false,
      `away ${run.awayMs} ms, the chat ends in CustomerChat (${run.describe()})`,
    );
    await eventually(
      async () => (await getChat(run.chatId)).State === ChatState.Terminated,
      'the chat ends upstream',
    );
  } else if ((await h.customerChat.relay.inspect(run.token))?.isEnded !== false) {
    throw new Error(`the chat ended though the visitor never stayed away (${run.describe()})`);
  }
}

async function execute(run: Run, step: Step): Promise<boolean> {
  if (run.endedByGrace) return false;
  switch (step.kind) {
    case 'visitorSend':
      if (run.open.length === 0) return false;
      await visitorSend(run, step.tab, step.retry);
      break;
    case 'agentSend':
      await agentSend(run);
      break;
    case 'dropTab': {
      const open = run.open;
      const page = open[step.tab % Math.max(1, open.length)];
      if (page === undefined) return false;
      drop(run, page);
      break;
    }
    case 'openTab':
      if (run.open.length >= maxTabs) return false;
      await openTab(run, step.page);
      break;
    case 'advance':
      await advance(run, step.seconds);
      break;
  }
  await settle(run);
  return true;
}

async function verify(run: Run): Promise<void> {
  let details: ChatDetails;
  if (run.endedByGrace) {
    // A page coming back after the grace period finds the chat over.
    const late = await h.visitor();
    const reply = await ask(late, 'chat:resume', { token: run.token, afterSeq: 0 });
    late.disconnect();
    const over = reply.ok ? reply['ended'] === true : reply.error?.code === 'UnknownSession';
    if (!over) throw new Error(`after the grace period, resume answered ${JSON.stringify(reply)}`);
    details = await getChat(run.chatId);
    expect(details.State).toBe(ChatState.Terminated);
  } else {
    // The visitor comes back (if away) and sees what was said meanwhile.
    if (run.open.length === 0) {
      await reopen(run, run.lastClosed ?? run.newPage());
      await settle(run);
    }
    details = await getChat(run.chatId);
    expect(details.State).toBe(ChatState.Handling);
  }

  expect(transcriptOf(details)).toEqual(run.expected);
  const visible = run.endedByGrace ? run.expected.slice(0, run.seenBeforeAway) : run.expected;
  expect(visitorView(run)).toEqual(visible);
  for (const page of run.pages) {
    const seqs = [...new Set(seqsOf(page))].sort((a, b) => a - b);
    expect({ page: page.name, seqs }).toEqual({
      page: page.name,
      seqs: seqs.map((_seq, index) => index + 1),
    });
  }

  if (!run.endedByGrace) {
    const page = run.open[0] as Page;
    const left = await ask(page.socket as VisitorSocket, 'chat:leave');
    if (!left.ok) throw new Error(`chat:leave answered ${JSON.stringify(left)}`);
    await until(async () => {
      const session = await h.customerChat.relay.inspect(run.token);
      return (
        session?.isEnded === true && run.open.every((open) => lastSeqOf(open) === session.lastSeq)
      );
    }, 'the chat ends and every open tab shows it');
    expect((await getChat(run.chatId)).State).toBe(ChatState.Terminated);
  }
}

/** Ends the chat (whatever happened), closes the tabs and empties alice's event queue. */
async function cleanUp(run: Run): Promise<void> {
  try {
    if (run.chatId !== '' && (await getChat(run.chatId)).State !== ChatState.Terminated) {
      await h.chatService.customer('LeaveChat', { ChatID: run.chatId });
      await until(
        async () => (await h.customerChat.relay.inspect(run.token))?.isEnded !== false,
        'the chat ends',
      ).catch(() => undefined);
    }
  } finally {
    for (const page of run.pages) page.socket?.disconnect();
    await h.chatService.agent(alice, 'GetEvents', { Timeout: 0 });
  }
}

type Engine = 'memory' | 'redis';

/** Runs per engine: Redis answers over the network, so it gets fewer within the same time. */
const runsOf: Record<Engine, number> = { memory: 200, redis: 150 };

describe.each<Engine>(['memory', 'redis'])('with the %s engine', (engine) => {
  beforeAll(() => startHarness(engine));
  afterAll(() => stopHarness());

  test(
    'when a visitor drops, reconnects, opens tabs and waits while both sides write, then the pages show the transcript exactly once and the chat ends only after the grace period',
    async () => {
      const stats = { runs: 0, steps: 0, endedByGrace: 0, kept: 0 };
      await fc.assert(
        fc.asyncProperty(fc.array(stepArbitrary, { maxLength: 40, size: 'max' }), async (steps) => {
          stats.runs += 1;
          const run = new Run(stats.runs);
          try {
            await startRun(run);
            for (const step of steps) {
              if (await execute(run, step)) stats.steps += 1;
            }
            await verify(run);
            if (run.endedByGrace) stats.endedByGrace += 1;
            else stats.kept += 1;
          } finally {
            await cleanUp(run);
          }
        }),
        { numRuns: runsOf[engine] },
      );
      // The runs must have covered both outcomes, not only one.
      expect(stats.endedByGrace).toBeGreaterThan(runsOf[engine] / 20);
      expect(stats.kept).toBeGreaterThan(runsOf[engine] / 20);
    },
    5 * 60_000,
  );
});
