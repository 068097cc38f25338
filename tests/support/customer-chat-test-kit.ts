import type { AgentEvent } from '../../server/protocol/agent-api';
import { ChatState } from '../../server/protocol/enums';
import type { LoggedEvent } from '../../server/customer-chat/session/visitor-events';
import { until } from './chat-service-harness';
import {
  recordEvents,
  startCustomerChat,
  type CustomerChatHarness,
  type CustomerChatHarnessOptions,
  type VisitorSocket,
} from './customer-chat-harness';

/** What {@link useCustomerChat} gives a test file. */
export interface CustomerChatLifecycle {
  /** Starts CustomerChat (with its Chat Service); it is stopped after the test. */
  start(options?: CustomerChatHarnessOptions): Promise<CustomerChatHarness>;
  /** Stops the running harness now (the after-each stop then has nothing to do). */
  stopNow(): Promise<void>;
  /** Forgets the running harness, for a test that stops it itself. */
  forget(): void;
}

/**
 * The harness lifecycle for a CustomerChat test file: call once at the top of the file. It
 * registers an afterEach that stops whatever `start(options)` started; with `restoreMocks`,
 * jest.restoreAllMocks() runs first, before the stop.
 */
export function useCustomerChat(lifecycle: { restoreMocks?: boolean } = {}): CustomerChatLifecycle {
  let running: CustomerChatHarness | undefined;
  afterEach(async () => {
    if (lifecycle.restoreMocks === true) jest.restoreAllMocks();
    await running?.stop();
    running = undefined;
  });
  return {
    async start(options = {}) {
      running = await startCustomerChat(options);
      return running;
    },
    async stopNow() {
      await running?.stop();
      running = undefined;
    },
    forget() {
      running = undefined;
    },
  };
}

/** A socket.io ack from CustomerChat: `ok`, an error when not, and any other fields. */
export interface AnyReply {
  ok: boolean;
  error?: { code: string; message: string };
  [field: string]: unknown;
}

/** An `ask` that emits an event and resolves with its ack (rejects if none comes in time). */
export function askWithin(
  timeoutMs: number,
): (socket: VisitorSocket, event: string, ...args: unknown[]) => Promise<AnyReply> {
  return (socket, event, ...args) =>
    socket.timeout(timeoutMs).emitWithAck(event, ...args) as Promise<AnyReply>;
}

/** Emits an event and resolves with its ack (rejects if none comes within 10 s). */
export const ask = askWithin(10_000);

/** An agent on the Chat Service's agent API, keeping every event it has read. */
export class AgentFeed {
  readonly events: AgentEvent[] = [];
  constructor(
    private readonly h: CustomerChatHarness,
    readonly token: string,
  ) {}

  call(method: string, request: Record<string, unknown> = {}) {
    return this.h.chatService.agent(this.token, method, request);
  }

  async read(): Promise<void> {
    const result = await this.call('GetEvents', { Timeout: 0 });
    expect(result.status).toBe(200);
    this.events.push(...(result.body as { Events: AgentEvent[] }).Events);
  }

  /** Reads until an event matches, polling without a fixed sleep. */
  async waitFor(predicate: (event: AgentEvent) => boolean, what: string): Promise<AgentEvent> {
    for (let turn = 0; turn < 3000; turn += 1) {
      await this.read();
      const found = this.events.find(predicate);
      if (found !== undefined) return found;
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error(`The agent never got ${what}`);
  }

  /** The MessageReceived events read so far, in order. */
  messages() {
    return this.events.filter((event) => event.EventType === 'MessageReceived');
  }

  /** The texts of the customer's messages read so far, in order. */
  customerTexts(): string[] {
    return this.events.flatMap((event) =>
      event.EventType === 'MessageReceived' && event.Data.From === 'Customer'
        ? [event.Data.Message]
        : [],
    );
  }

  /** The texts of the system notices read so far, in order. */
  notices(): string[] {
    return this.events.flatMap((event) =>
      event.EventType === 'MessageReceived' && event.Data.From === 'System'
        ? [event.Data.Message]
        : [],
    );
  }

  /** Reads until the system notice with this text comes. */
  waitForNotice(text: string): Promise<AgentEvent> {
    return this.waitFor(
      (event) =>
        event.EventType === 'MessageReceived' &&
        event.Data.From === 'System' &&
        event.Data.Message === text,
      `the notice "${text}"`,
    );
  }

  /** Reads until the chat's state is Terminated. */
  waitForEnd(): Promise<AgentEvent> {
    return this.waitFor(
      (event) => event.EventType === 'ChatState' && event.Data.State === ChatState.Terminated,
      'the end of the chat',
    );
  }
}

/** What {@link agentHandledChat} may change about the chat it makes. */
export interface HandledChatOptions {
  /** Fields merged over the chat:request (group from the agent, customerName 'Ann'). */
  request?: Record<string, unknown>;
  /** The ask used for chat:request (default: {@link ask}, 10 s). */
  ask?: (socket: VisitorSocket, event: string, ...args: unknown[]) => Promise<AnyReply>;
  /** Called with the new page before it requests the chat (to listen to it from the start). */
  preparePage?: (page: VisitorSocket) => void;
}

/**
 * A chat of a new page accepted by the agent (alice for Sales, bob for Support), logged in ready
 * as an {@link AgentFeed}; returns once the page has seen the agent join.
 */
export async function agentHandledChat(
  h: CustomerChatHarness,
  agentId: 'alice' | 'bob' = 'alice',
  options: HandledChatOptions = {},
): Promise<{
  agent: AgentFeed;
  page: VisitorSocket;
  events: LoggedEvent[];
  token: string;
  chatId: string;
}> {
  const askFor = options.ask ?? ask;
  const agent = new AgentFeed(h, await h.chatService.login(agentId, { ready: true }));
  const page = await h.visitor();
  const events = recordEvents(page);
  options.preparePage?.(page);
  const reply = await askFor(page, 'chat:request', {
    serviceGroupId: agentId === 'alice' ? 1 : 2,
    customerName: 'Ann',
    ...options.request,
  });
  expect(reply).toMatchObject({ ok: true });
  const offer = await agent.waitFor((event) => event.EventType === 'ChatOffered', 'an offer');
  const chatId = offer.Data.ChatID;
  expect((await agent.call('AcceptChat', { ChatID: chatId })).status).toBe(200);
  await until(() => events.some((event) => event.type === 'agentJoined'), 'the agent joins');
  return { agent, page, events, token: String(reply['token']), chatId };
}
