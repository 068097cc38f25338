import { performance } from 'node:perf_hooks';
import { benchAgentId, benchPassword } from './bench-configs';
import { ErrorLog, JsonClient } from './http';
import { forEachLimited, sleep } from './stats';

interface AgentEventWire {
  EventType: string;
  Seq: number;
  Data: { ChatID: string; From?: string; Message?: string; CustomerName?: string };
}

interface Agent {
  id: string;
  token: string;
  lastSeq: number;
  held: AbortController | undefined;
}

export interface AgentCrewOptions {
  chatServiceUrl: string;
  agents: number;
  /** The crew stops polling by itself at this time (epoch ms), whatever happens. */
  deadline: number;
  /** A customer's message read by an agent; `at` is performance.now() when the answer came. */
  onCustomerMessage?: (chatId: string, text: string, at: number) => void;
  /** A chat was offered to an agent (before it is accepted). */
  onOffered?: (chatId: string, customerName: string) => void;
  /** A chat was accepted (AcceptChat answered). */
  onAccepted?: (chatId: string) => void;
}

const loginsInFlight = 16;

/**
 * The agents of the Chat Service's agent API, all played by the bench process: each logs in, turns
 * ready, keeps one GetEvents long-poll open (acknowledging with AfterSeq, as the console does),
 * accepts every chat offered at once and writes when the scenario asks.
 */
export class AgentCrew {
  readonly errors = new ErrorLog();
  acceptFailures = 0;
  private readonly client: JsonClient;
  private readonly agents: Agent[] = [];
  private readonly owner = new Map<string, Agent>();
  private readonly loops: Promise<void>[] = [];
  private stopped = false;

  constructor(private readonly options: AgentCrewOptions) {
    this.client = new JsonClient(options.chatServiceUrl);
  }

  get accepted(): number {
    return this.owner.size;
  }

  /** Logs every agent in and sets it ready; throws when one cannot. */
  async start(): Promise<void> {
    const ids = Array.from({ length: this.options.agents }, (_unused, index) =>
      benchAgentId(index),
    );
    // The service checks two passwords at a time (argon2id at OWASP's cost) and queues 32 more
    // (LoginGuard): this many in flight keeps both checks busy without ever being refused for a
    // full queue; the bench's loopback address is exempt from the per-address limit
    // (RateLimits.ExemptAddresses).
    await forEachLimited(ids, loginsInFlight, async (id) => {
      // Stopped while agents still logged in (a ramp paced by them ended early).
      if (this.stopped) return;
      const login = await this.logIn(id);
      const token = (login.body as { Token?: string }).Token;
      if (login.status !== 200 || token === undefined)
        throw new Error(`login of ${id}: HTTP ${login.status} ${JSON.stringify(login.body)}`);
      const ready = await this.client.post('/AgentService/SetReady', { Ready: true }, { token });
      if (ready.status !== 200) throw new Error(`SetReady of ${id}: HTTP ${ready.status}`);
      const agent: Agent = { id, token, lastSeq: 0, held: undefined };
      this.agents.push(agent);
      // Polling at once: a scenario may start its chats while later agents still log in.
      this.loops.push(this.poll(agent));
    });
  }

  /** One agent's log-in, tried again after a timeout or a refusal to queue (429, 503). */
  private async logIn(id: string): Promise<{ status: number; body: unknown }> {
    for (let attempt = 1; ; attempt += 1) {
      const answer = await this.client
        .post(
          '/AgentService/Login',
          { AgentID: id, Password: benchPassword },
          { timeoutMs: 120_000 },
        )
        .catch((error: unknown) => {
          if (attempt >= 3) throw error;
          return undefined;
        });
      const busy = answer === undefined || answer.status === 429 || answer.status === 503;
      if (!busy || attempt >= 3) return answer ?? { status: 0, body: null };
      await sleep(1000 * attempt);
    }
  }

  /** Agents logged in, ready and polling so far. */
  get ready(): number {
    return this.agents.length;
  }

  /** The agent holding the chat writes to the customer. */
  async send(chatId: string, text: string, clientMessageId: string): Promise<void> {
    const agent = this.owner.get(chatId);
    if (agent === undefined) throw new Error(`no agent holds chat ${chatId}`);
    const answer = await this.client.post(
      '/AgentService/SendMessage',
      { ChatID: chatId, Message: text, ClientMessageID: clientMessageId },
      { token: agent.token, timeoutMs: 15_000 },
    );
    if (answer.status !== 200)
      throw new Error(`SendMessage: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const agent of this.agents) agent.held?.abort();
    await Promise.all(this.loops);
    await this.client.close();
  }

  private async poll(agent: Agent): Promise<void> {
    while (!this.stopped && Date.now() < this.options.deadline) {
      const held = new AbortController();
      agent.held = held;
      let events: AgentEventWire[];
      try {
        const answer = await this.client.post(
          '/AgentService/GetEvents',
          { Timeout: 20_000, AfterSeq: agent.lastSeq },
          { token: agent.token, signal: held.signal, timeoutMs: 40_000 },
        );
        if (answer.status !== 200) throw new Error(`GetEvents: HTTP ${answer.status}`);
        events = (answer.body as { Events: AgentEventWire[] }).Events;
      } catch (error) {
        if (this.stopped) break;
        this.errors.add(`agent poll`, error);
        await sleep(200);
        continue;
      } finally {
        agent.held = undefined;
      }
      const at = performance.now();
      for (const event of events) {
        if (event.Seq <= agent.lastSeq) continue;
        agent.lastSeq = event.Seq;
        this.handle(agent, event, at);
      }
    }
  }

  private handle(agent: Agent, event: AgentEventWire, at: number): void {
    const chatId = event.Data.ChatID;
    if (event.EventType === 'ChatOffered') {
      this.options.onOffered?.(chatId, event.Data.CustomerName ?? '');
      this.client
        .post('/AgentService/AcceptChat', { ChatID: chatId }, { token: agent.token })
        .then((answer) => {
          if (answer.status !== 200) throw new Error(`HTTP ${answer.status}`);
          this.owner.set(chatId, agent);
          this.options.onAccepted?.(chatId);
        })
        .catch((error: unknown) => {
          this.acceptFailures += 1;
          this.errors.add('AcceptChat', error);
        });
    } else if (event.EventType === 'MessageReceived' && event.Data.From === 'Customer') {
      this.options.onCustomerMessage?.(chatId, event.Data.Message ?? '', at);
    }
  }
}
