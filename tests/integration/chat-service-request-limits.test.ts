import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { requestChat, expectFault, useChatService } from '../support/agent-api-test-kit';
import type { ChatServiceHarness } from '../support/chat-service-harness';
import { useChatServiceProcesses } from '../support/chat-service-process';

const { start } = useChatService();
const processes = useChatServiceProcesses();
const noExemptions = { RateLimits: { ExemptAddresses: [] } };

/** POSTs a body of any size (a Buffer, sent as it is) and reads the fault or answer. */
function post(
  url: string,
  path: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
) {
  return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text === '' ? {} : JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A SendMessage body with the attachment as a JSON array of numbers, `bytes` long. */
function byteArrayMessage(chatId: string, bytes: number): Buffer {
  const head = Buffer.from(`{"ChatID":"${chatId}","Message":"big.bin","Attachment":[`);
  const numbers = Buffer.alloc(bytes * 4 - 1, '255,');
  return Buffer.concat([head, numbers, Buffer.from(']}')]);
}

function rssMegabytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

describe('Request limits of the Chat Service', () => {
  test('when a client keeps its connection, then the service tells it the connection stays open a minute', async () => {
    const h = await start();
    const response = await fetch(`${h.url}/ChatService/GetVersion`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('keep-alive')).toBe('timeout=65');
  });

  test('when a method that carries no attachment gets a large body, then it is refused as too large', async () => {
    const h = await start();
    const big = JSON.stringify({ padding: 'x'.repeat(1024 * 1024) });
    const answer = await post(h.url, '/ChatService/GetVersion', big);
    expectFault(answer, 400, 'BadRequest');
    expect(String((answer.body['Fault'] as { Message: string }).Message)).toMatch(/too large/);
  });

  test('when a large attachment goes to an unknown chat, then UnknownChat answers before the attachment is checked', async () => {
    const h = await start();
    const answer = await post(
      h.url,
      '/ChatService/SendMessage',
      byteArrayMessage('00000000-0000-4000-8000-000000000000', 4 * 1024 * 1024),
    );
    expectFault(answer, 404, 'UnknownChat');
  });

  test('when an attachment within the limit goes to a live chat, then it is taken', async () => {
    const h = await start();
    await h.login('alice');
    const chatId = await requestChat(h, { ServiceGroupID: 1 });
    const data = Buffer.alloc(300 * 1024, 7).toString('base64');
    const answer = await post(
      h.url,
      '/ChatService/SendMessage',
      JSON.stringify({ ChatID: chatId, Message: 'notes.txt', Attachment: data }),
    );
    expect(answer.status).toBe(200);
  });

  test('when one address has ConcurrentRequestsPerAddress requests open, then the next is refused until one ends', async () => {
    const h: ChatServiceHarness = await start({
      RateLimits: { ExemptAddresses: [], ConcurrentRequestsPerAddress: 2 },
    });
    await h.login('alice');
    const chatId = await requestChat(h, { ServiceGroupID: 1 });
    const poll = () => h.customer('GetEvents', { ChatID: chatId, Timeout: 60_000, AfterSeq: 99 });
    const held = [poll(), poll()];
    await new Promise((resolve) => setTimeout(resolve, 200));
    expectFault(await h.customer('GetChatInfo', { ChatID: chatId }), 429, 'RateLimited');
    await h.customer('LeaveChat', { ChatID: chatId }).catch(() => undefined);
    h.time.advance(60_000);
    await Promise.all(held);
    expect((await h.customer('GetChatInfo', { ChatID: chatId })).status).toBe(200);
  });

  test('when bodies in flight would pass RequestBodiesInFlightKB, then the request is refused as busy', async () => {
    const h = await start({ ...noExemptions, RequestBodiesInFlightKB: 1024 });
    await h.login('alice');
    const chatId = await requestChat(h, { ServiceGroupID: 1 });
    const data = Buffer.alloc(1024 * 1024, 7).toString('base64');
    const answer = await post(
      h.url,
      '/ChatService/SendMessage',
      JSON.stringify({ ChatID: chatId, Message: 'big.bin', Attachment: data }),
    );
    expectFault(answer, 503, 'ServiceBusy');
    expect((await h.customer('GetChatInfo', { ChatID: chatId })).status).toBe(200);
  });

  test('when 48 clients send large generated bodies at once, then the process stays under 400 MB', async () => {
    const service = processes.create({ overrides: noExemptions });
    await service.start();
    const pid = service.pid as number;
    await service.login('alice');
    const chat = await service.customer<{ ChatID: string }>('RequestChat', { ServiceGroupID: 1 });
    const bodies = [
      byteArrayMessage(chat.body.ChatID, 5 * 1024 * 1024),
      byteArrayMessage('00000000-0000-4000-8000-000000000000', 5 * 1024 * 1024),
      Buffer.from(
        JSON.stringify({ ChatID: chat.body.ChatID, Message: 'x'.repeat(8 * 1024 * 1024) }),
      ),
    ];
    const paths = [
      '/ChatService/SendMessage',
      '/ChatService/GetVersion',
      '/ChatService/RequestChat',
    ];
    let peak = rssMegabytes(pid);
    const sampler = setInterval(() => (peak = Math.max(peak, rssMegabytes(pid))), 50);
    const deadline = Date.now() + 6_000;
    const statuses = new Map<number, number>();
    const client = async (index: number) => {
      for (let round = 0; Date.now() < deadline; round += 1) {
        const body = bodies[(index + round) % bodies.length] as Buffer;
        const path = paths[(index * 7 + round) % paths.length] as string;
        const answer = await post(service.url, path, body).catch(() => ({ status: 0 }));
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 48 }, (_unused, index) => client(index)));
    clearInterval(sampler);
    expect(statuses.get(500) ?? 0).toBe(0);
    expect(peak).toBeLessThan(400);
    expect((await service.customer('GetChatInfo', { ChatID: chat.body.ChatID })).status).toBe(200);
  }, 30_000);
});
