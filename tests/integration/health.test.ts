import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { useChatService } from '../support/agent-api-test-kit';
import { useCustomerChat } from '../support/customer-chat-test-kit';

const chatService = useChatService();
const customerChat = useCustomerChat();

async function get(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  expect(response.headers.get('cache-control')).toBe('no-store');
  return { status: response.status, body: await response.json() };
}

/** A server that takes connections and never answers: a Chat Service that hangs. */
async function silentServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('CustomerChat health', () => {
  test('When the Chat Service answers, then live and ready are 200, and /CustomerChat/health stays the readiness check', async () => {
    const h = await customerChat.start();
    expect(await get(`${h.url}/CustomerChat/health/live`)).toEqual({
      status: 200,
      body: { status: 'live' },
    });
    const ready = { status: 200, body: { status: 'ok', upstream: 'up', liveChats: 0 } };
    expect(await get(`${h.url}/CustomerChat/health/ready`)).toEqual(ready);
    expect(await get(`${h.url}/CustomerChat/health`)).toEqual(ready);
  });

  test('When the Chat Service is down, then ready is 503 and live stays 200', async () => {
    const h = await customerChat.start();
    await h.proxy.cut();
    expect(await get(`${h.url}/CustomerChat/health/ready`)).toEqual({
      status: 503,
      body: { status: 'degraded', upstream: 'down', liveChats: 0 },
    });
    expect((await get(`${h.url}/CustomerChat/health/live`)).status).toBe(200);
    await h.proxy.restore();
    expect((await get(`${h.url}/CustomerChat/health/ready`)).status).toBe(200);
  });

  test('When the Chat Service takes connections but never answers, then ready answers 503 within about a second', async () => {
    const h = await customerChat.start({ inFrontOfChatService: () => silentServer() });
    const started = performance.now();
    const ready = await get(`${h.url}/CustomerChat/health/ready`);
    const elapsed = performance.now() - started;
    expect(ready).toMatchObject({ status: 503, body: { upstream: 'down' } });
    expect(elapsed).toBeGreaterThanOrEqual(900);
    // Bounded by the 1 s readiness timeout; the slack is for a loaded machine, not the goal.
    expect(elapsed).toBeLessThan(5000);
  });

  test('When a shutdown begins, then ready turns 503 at once while live stays 200', async () => {
    const h = await customerChat.start();
    h.customerChat.beginShutdown();
    expect(await get(`${h.url}/CustomerChat/health/ready`)).toEqual({
      status: 503,
      body: { status: 'stopping', upstream: 'up', liveChats: 0 },
    });
    expect((await get(`${h.url}/CustomerChat/health`)).status).toBe(503);
    expect((await get(`${h.url}/CustomerChat/health/live`)).status).toBe(200);
  });
});

describe('Chat Service health', () => {
  test('When the service runs, then /health/live and /health/ready are 200', async () => {
    const h = await chatService.start();
    expect(await get(`${h.url}/health/live`)).toEqual({ status: 200, body: { status: 'live' } });
    expect(await get(`${h.url}/health/ready`)).toEqual({
      status: 200,
      body: { status: 'ready', database: 'writable', shuttingDown: false },
    });
  });

  test('When another connection holds the database’s write lock, then ready is 503 until it lets go', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'health-'));
    try {
      const file = join(folder, 'archive.sqlite');
      const h = await chatService.start({ ArchiveFile: file });
      expect((await get(`${h.url}/health/ready`)).status).toBe(200);
      const other = new Database(file);
      other.exec('BEGIN IMMEDIATE');
      expect(await get(`${h.url}/health/ready`)).toEqual({
        status: 503,
        body: { status: 'unavailable', database: 'unwritable', shuttingDown: false },
      });
      other.exec('ROLLBACK');
      other.close();
      expect((await get(`${h.url}/health/ready`)).status).toBe(200);
      await h.stop();
      chatService.forget();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('When a shutdown begins, then ready turns 503 at once while live stays 200', async () => {
    const h = await chatService.start();
    h.server.beginShutdown();
    expect(await get(`${h.url}/health/ready`)).toEqual({
      status: 503,
      body: { status: 'unavailable', shuttingDown: true },
    });
    expect((await get(`${h.url}/health/live`)).status).toBe(200);
  });
});
