import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { z } from 'zod';
import { chatServiceVersion } from '../../server/chat-service/chat-service-server';
import { agentMethods } from '../../server/chat-service/http/agent-methods';
import { customerMethods } from '../../server/chat-service/http/customer-methods';
import type { MethodTable } from '../../server/chat-service/http/method-router';
import { openApiText } from '../../server/chat-service/openapi/openapi-document';
import { agentContract, customerContract } from '../../server/protocol/api-contract';
import { FaultBodySchema } from '../../server/protocol/customer-responses';
import { useChatService } from '../support/agent-api-test-kit';
import type { CallResult } from '../support/chat-service-harness';

const root = join(__dirname, '..', '..');
const { start } = useChatService();

describe('The OpenAPI description of the Chat Service', () => {
  test('When the committed docs/openapi.json is compared with the one the schemas make, then they are the same (else run `npm run openapi`)', () => {
    const committed = readFileSync(join(root, 'docs', 'openapi.json'), 'utf8');
    const fresh = openApiText(chatServiceVersion);
    if (committed !== fresh) {
      throw new Error('docs/openapi.json is stale: run `npm run openapi` and commit the result.');
    }
  });

  test('When a real OpenAPI validator reads it, then it is a valid OpenAPI 3.1 document', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'openapi-'));
    try {
      const file = join(folder, 'openapi.json');
      writeFileSync(file, openApiText(chatServiceVersion));
      const cli = join(
        root,
        'node_modules',
        '@seriousme',
        'openapi-schema-validator',
        'bin',
        'validate-api-cli.js',
      );
      const { stdout } = await promisify(execFile)(process.execPath, [cli, file]);
      expect(JSON.parse(stdout)).toEqual({ valid: true });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('When a client fetches /ChatService/openapi.json, then it gets the document, which names every method of both APIs', async () => {
    const h = await start();
    const response = await fetch(`${h.url}/ChatService/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await response.text();
    expect(text).toBe(openApiText(chatServiceVersion));
    const document = JSON.parse(text) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        ...Object.keys(customerContract).map((method) => `/ChatService/${method}`),
        ...Object.keys(agentContract).map((method) => `/AgentService/${method}`),
      ].sort(),
    );
    // The methods stay case-insensitive next to it.
    expect((await fetch(`${h.url}/chatservice/getversion`)).status).toBe(200);
  });

  test('When the contract is held against the service’s method tables, then each method validates with the very schema described', async () => {
    const h = await start();
    const same = (table: MethodTable<unknown>, contract: Record<string, object>) => {
      expect(Object.keys(table).sort()).toEqual(Object.keys(contract).sort());
      for (const [name, spec] of Object.entries(table)) {
        const described = contract[name] as { request: unknown; allowGet?: boolean };
        expect({ name, same: spec.schema === described.request }).toEqual({ name, same: true });
        expect({ name, get: spec.allowGet === true }).toEqual({
          name,
          get: described.allowGet === true,
        });
      }
    };
    same(
      customerMethods(
        h.server.customerDesk,
        h.server.offlineDesk,
        h.server.ratingDesk,
        chatServiceVersion,
      ),
      customerContract,
    );
    same(agentMethods(h.server.agentPresence, h.server.agentDesk), agentContract);
  });
});

describe('Real answers against their described schemas', () => {
  test('When every method of both APIs is called in a chat’s life, then each answer fits its response schema exactly', async () => {
    const outbox = mkdtempSync(join(tmpdir(), 'openapi-outbox-'));
    try {
      const h = await start({ OutboxFolder: outbox });
      const seen = new Set<string>();
      const fits = async <T>(
        api: 'customer' | 'agent',
        method: string,
        call: Promise<CallResult<unknown>>,
      ): Promise<T> => {
        const contract = (api === 'customer' ? customerContract : agentContract) as Record<
          string,
          { response: z.ZodType }
        >;
        const result = await call;
        expect({ method, status: result.status }).toEqual({ method, status: 200 });
        const parsed = contract[method]?.response.safeParse(result.body);
        expect({ method, issues: parsed?.success === true ? [] : parsed?.error.issues }).toEqual({
          method,
          issues: [],
        });
        seen.add(`${api}.${method}`);
        return result.body as T;
      };
      const get = async (path: string, token?: string): Promise<CallResult<unknown>> => {
        const response = await fetch(`${h.url}${path}`, {
          headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
        });
        return { status: response.status, body: await response.json() };
      };

      await fits('customer', 'GetVersion', h.customer('GetVersion'));
      await fits('customer', 'GetVersion', get('/ChatService/GetVersion'));
      await fits('customer', 'GetChatConfiguration', get('/ChatService/GetChatConfiguration'));
      await fits('customer', 'GetQueueInfo', h.customer('GetQueueInfo', { ServiceGroupID: 1 }));
      const login = await fits<{ Token: string }>(
        'agent',
        'Login',
        h.agent(null, 'Login', { AgentID: 'alice', Password: 'alice-pw' }),
      );
      const alice = login.Token;
      const agent = (method: string, request: Record<string, unknown> = {}) =>
        fits<Record<string, unknown>>('agent', method, h.agent(alice, method, request));
      const customer = (method: string, request: Record<string, unknown> = {}) =>
        fits<Record<string, unknown>>('customer', method, h.customer(method, request));
      await agent('SetReady', { Ready: true });
      await customer('LeaveMessage', {
        ServiceGroupID: 1,
        CustomerName: 'Olga',
        EmailAddress: 'olga@example.com',
        Message: 'Do you sell hoses?',
      });
      const { ChatID } = await customer('RequestChat', {
        ServiceGroupID: 1,
        CustomerName: 'Ann',
        EmailAddress: 'ann@example.com',
        InitialMessage: 'Do you ship to Norway?',
      });
      await customer('GetChatInfo', { ChatID });
      await fits('agent', 'GetState', get('/AgentService/GetState', alice));
      await agent('GetEvents', { Timeout: 0 });
      await agent('AcceptChat', { ChatID });
      await customer('SendMessage', { ChatID, Message: 'Hello', ClientMessageID: 'c-1' });
      await customer('SendTyping', { ChatID });
      await agent('SendTyping', { ChatID });
      await agent('SendMessage', {
        ChatID,
        Message: 'invoice.txt',
        Attachment: Buffer.from('Your invoice').toString('base64'),
        ClientMessageID: 'a-1',
      });
      await customer('GetEvents', { ChatID, Timeout: 0, AfterSeq: 0 });
      await customer('GetEventsBatch', { Chats: [{ ChatID, AfterSeq: 0 }], Timeout: 0 });
      await agent('GetEvents', { Timeout: 0, AfterSeq: 0 });
      const details = await agent('GetChat', { ChatID });
      const transcript = details['Transcript'] as Array<{
        Attachment: { AttachmentID: string } | null;
      }>;
      const attachment = transcript.find((message) => message.Attachment !== null)?.Attachment;
      await agent('GetAttachment', { ChatID, AttachmentID: attachment?.AttachmentID });
      await agent('GetResponses', { ServiceGroupID: 1 });
      await agent('GetTranscriptSettings', { ServiceGroupID: 1 });
      await fits('agent', 'GetOverview', get('/AgentService/GetOverview', alice));
      await agent('SendTranscript', { ChatID });
      await agent('LeaveChat', { ChatID });
      await customer('RateChat', { ChatID, Rating: 5, Comment: 'Thank you' });
      await agent('GetEvents', { Timeout: 0 });
      await agent('GetChat', { ChatID });
      await agent('SearchArchive', { CustomerID: null });

      const second = await customer('RequestChat', { ServiceGroupID: 1, CustomerName: 'Bo' });
      await agent('GetEvents', { Timeout: 0 });
      await agent('AcceptChat', { ChatID: second['ChatID'] });
      await agent('TransferChat', { ChatID: second['ChatID'], ServiceGroupID: 2 });
      await customer('LeaveChat', { ChatID: second['ChatID'] });
      await agent('Logout');

      const every = [
        ...Object.keys(customerContract).map((method) => `customer.${method}`),
        ...Object.keys(agentContract).map((method) => `agent.${method}`),
      ];
      expect(every.filter((method) => !seen.has(method))).toEqual([]);

      const fault = await h.customer('GetChatInfo', { ChatID: 'no-such-chat' });
      expect(fault.status).toBe(404);
      expect(FaultBodySchema.safeParse(fault.body).success).toBe(true);
      const unauthorized = await h.agent('not-a-token', 'GetState');
      expect(unauthorized.status).toBe(401);
      expect(FaultBodySchema.safeParse(unauthorized.body).success).toBe(true);
    } finally {
      rmSync(outbox, { recursive: true, force: true });
    }
  });
});
