import type { AgentEvent } from '../../server/protocol/agent-api';
import type { ChatEvent, RequestChatResponse } from '../../server/protocol/customer-api';
import { startChatService, type CallResult, type ChatServiceHarness } from './chat-service-harness';

/** What {@link useChatService} gives a test file. */
export interface ChatServiceLifecycle {
  /** Starts the Chat Service (startChatService's arguments); it is stopped after the test. */
  start(...args: Parameters<typeof startChatService>): Promise<ChatServiceHarness>;
  /** Forgets the running harness, for a test that stops it itself. */
  forget(): void;
}

/**
 * The harness lifecycle for a Chat Service test file: call once at the top of the file. It
 * registers an afterEach that stops whatever `start(...)` started.
 */
export function useChatService(): ChatServiceLifecycle {
  let running: ChatServiceHarness | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });
  return {
    async start(...args) {
      running = await startChatService(...args);
      return running;
    },
    forget() {
      running = undefined;
    },
  };
}

/** Expects a fault reply: this HTTP status and a Fault with this code and some message. */
export function expectFault(result: CallResult<unknown>, status: number, code: string): void {
  expect(result.status).toBe(status);
  expect(result.body).toEqual({ Fault: { Code: code, Message: expect.any(String) } });
}

/** Requests a chat on the customer API (expecting 200) and returns its ChatID. */
export async function requestChat(
  h: ChatServiceHarness,
  fields: Record<string, unknown>,
): Promise<string> {
  const result = await h.customer<RequestChatResponse>('RequestChat', fields);
  expect(result.status).toBe(200);
  if (result.body.ChatID === null) throw new Error(`no chat: ${JSON.stringify(result.body)}`);
  return result.body.ChatID;
}

/** Reads (and so drains) a chat's pending customer events, expecting 200. */
export async function customerEvents(h: ChatServiceHarness, chatId: string): Promise<ChatEvent[]> {
  const result = await h.customer<{ Events: ChatEvent[] }>('GetEvents', {
    ChatID: chatId,
    Timeout: 0,
  });
  expect(result.status).toBe(200);
  return result.body.Events;
}

/** Reads (and so drains) an agent's pending events, expecting 200. */
export async function agentEvents(h: ChatServiceHarness, token: string): Promise<AgentEvent[]> {
  const result = await h.agent<{ Events: AgentEvent[] }>(token, 'GetEvents', { Timeout: 0 });
  expect(result.status).toBe(200);
  return result.body.Events;
}
