import { parseConfig } from '../../server/config/load-config-file';
import {
  ChatServiceConfigSchema,
  type ChatServiceConfig,
} from '../../server/config/chat-service-config';
import {
  ChatServiceServer,
  type ChatServiceServerOptions,
} from '../../server/chat-service/chat-service-server';
import { hashPassword, type HashParams } from '../../server/chat-service/auth/password-hash';
import { ManualTime } from '../../server/shared/manual-time';

/** Cheap argon2id (1 MiB, one pass), so the suite's log-ins cost next to nothing. */
export const testPasswordHashing: HashParams = { scheme: 'argon2id', m: 1024, t: 1, p: 1 };
const hashOf = (password: string) => hashPassword(password, testPasswordHashing);
/** The key the test CustomerChat shows the test Chat Service (its notices to agents). */
export const testRelayKey = 'test-relay-key-0123456789';
export const testPasswords = { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw' } as const;
const hashes = Object.fromEntries(
  Object.entries(testPasswords).map(([id, pw]) => [id, hashOf(pw)]),
);

/**
 * A config for tests: Sales (1) and Support (2) in tenant -1, Tenant7Group (3) in tenant 7;
 * alice in Sales and Support, bob in Support, carol in Tenant7Group. `overrides` is merged on top.
 */
export function testConfig(overrides: Record<string, unknown> = {}): ChatServiceConfig {
  return parseConfig(
    'test config',
    {
      Host: '127.0.0.1',
      Port: 0,
      // Each test starts with an empty archive; the durable one has tests of its own.
      ArchiveFile: ':memory:',
      // These tests move the clock by minutes without polling as a console would; presence has
      // tests of its own that set these.
      AgentPresenceTimeoutSeconds: 86_400,
      AgentAbsenceRequeueSeconds: 86_400,
      Tenants: [
        { TenantID: -1, Name: 'Default' },
        { TenantID: 7, Name: 'Seven' },
      ],
      ServiceGroups: [
        {
          ServiceGroupID: 1,
          Name: 'Sales',
          QueueMessage: 'Welcome to Sales',
          ClosedMessage: 'Sales is closed',
          OfferTimeoutSeconds: 20,
          Transcript: { SenderAddress: 'sales@example.com' },
          Responses: [{ Name: 'Greetings', Children: [{ Name: 'Hello', Text: 'Hello there!' }] }],
        },
        {
          ServiceGroupID: 2,
          Name: 'Support',
          QueueMessage: 'Welcome to Support',
          ClosedMessage: 'Support is closed',
        },
        { ServiceGroupID: 3, Name: 'Tenant7Group', TenantID: 7, ClosedMessage: 'Closed' },
      ],
      Agents: [
        {
          AgentID: 'alice',
          Name: 'Alice Andersson',
          FirstName: 'Alice',
          LastName: 'Andersson',
          ChatName: 'Alice',
          PasswordHash: hashes['alice'],
          ServiceGroupIDs: [1, 2],
          MaxConcurrentChats: 2,
        },
        {
          AgentID: 'bob',
          Name: 'Bob Berg',
          PasswordHash: hashes['bob'],
          ServiceGroupIDs: [2],
          MaxConcurrentChats: 2,
        },
        {
          AgentID: 'carol',
          Name: 'Carol Chen',
          PasswordHash: hashes['carol'],
          ServiceGroupIDs: [3],
        },
      ],
      ...overrides,
    },
    ChatServiceConfigSchema,
  );
}

export interface CallResult<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export interface ChatServiceHarness {
  server: ChatServiceServer;
  time: ManualTime;
  url: string;
  /** POST /ChatService/<method> with the body wrapped as {"request": …} unless `bare`. */
  customer<T = Record<string, unknown>>(
    method: string,
    request?: unknown,
    options?: { bare?: boolean },
  ): Promise<CallResult<T>>;
  /** POST /AgentService/<method> with the agent's token. */
  agent<T = Record<string, unknown>>(
    token: string | null,
    method: string,
    request?: unknown,
  ): Promise<CallResult<T>>;
  /** Logs in (and optionally sets ready), returning the token. */
  login(agentId: keyof typeof testPasswords, options?: { ready?: boolean }): Promise<string>;
  stop(): Promise<void>;
}

export async function startChatService(
  overrides: Record<string, unknown> = {},
  options: Partial<ChatServiceServerOptions> = {},
): Promise<ChatServiceHarness> {
  const time = new ManualTime();
  const server = new ChatServiceServer({
    config: testConfig(overrides),
    time,
    relayKey: testRelayKey,
    passwordHashing: testPasswordHashing,
    ...options,
  });
  await server.start();
  const url = server.url;
  const post = async <T>(path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body ?? {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T };
  };
  const harness: ChatServiceHarness = {
    server,
    time,
    url,
    customer: (method, request = {}, callOptions = {}) =>
      post(`/ChatService/${method}`, callOptions.bare === true ? request : { request }),
    agent: (token, method, request = {}) =>
      post(
        `/AgentService/${method}`,
        request,
        token === null ? {} : { authorization: `Bearer ${token}` },
      ),
    async login(agentId, loginOptions = {}) {
      const result = await post<{ Token: string }>('/AgentService/Login', {
        AgentID: agentId,
        Password: testPasswords[agentId],
      });
      if (result.status !== 200)
        throw new Error(`login of ${agentId} failed: ${JSON.stringify(result.body)}`);
      if (loginOptions.ready === true)
        await harness.agent(result.body.Token, 'SetReady', { Ready: true });
      return result.body.Token;
    },
    stop: () => server.stop(),
  };
  return harness;
}

/**
 * Waits (without sleeping for a fixed time) until the server side reaches a state, e.g. a
 * long-poll is being held; fails after a bounded number of event-loop turns.
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
): Promise<void> {
  for (let turn = 0; turn < 2000; turn += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`Timed out waiting until ${what}`);
}
