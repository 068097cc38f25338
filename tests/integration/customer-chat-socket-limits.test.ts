import { io, type Socket } from 'socket.io-client';
import { useCustomerChat } from '../support/customer-chat-test-kit';

/**
 * Sockets per address (maxSocketsPerAddress; IPv6 counts by its /64) are capped at the handshake,
 * refused with a clear 403, and engine.io's JSONP polling is not served.
 */

const { start } = useCustomerChat();

/** A page's socket from `forwardedFor` (CustomerChat behind a trusted proxy): connected or refused. */
function connect(
  url: string,
  forwardedFor: string,
  opened: Socket[],
): Promise<'connected' | string> {
  const socket = io(url, {
    path: '/CustomerChat/socket.io',
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: { 'x-forwarded-for': forwardedFor },
  });
  opened.push(socket);
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (error) => resolve(error.message));
  });
}

/** The polling handshake as a plain HTTP request. */
async function pollingHandshake(url: string, forwardedFor: string, query = '') {
  const response = await fetch(`${url}/CustomerChat/socket.io/?EIO=4&transport=polling${query}`, {
    headers: { 'x-forwarded-for': forwardedFor },
  });
  return { status: response.status, body: await response.text() };
}

describe('CustomerChat sockets per address', () => {
  const opened: Socket[] = [];
  afterEach(() => {
    for (const socket of opened.splice(0)) socket.disconnect();
  });

  test('when one address holds as many sockets as allowed, then its next handshake is refused with 403 until one closes, and other addresses connect', async () => {
    const h = await start({ web: { trustProxy: true, maxSocketsPerAddress: 5 } });
    for (let page = 0; page < 5; page += 1)
      expect(await connect(h.url, '203.0.113.7', opened)).toBe('connected');

    expect(await connect(h.url, '203.0.113.7', opened)).not.toBe('connected');
    const refused = await pollingHandshake(h.url, '203.0.113.7');
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toEqual({
      code: 4,
      message: 'Too many connections from this address.',
    });
    expect(await connect(h.url, '203.0.113.8', opened)).toBe('connected');

    opened[0]?.disconnect();
    let again = 'not tried';
    for (let attempt = 0; attempt < 50 && again !== 'connected'; attempt += 1)
      again = await connect(h.url, '203.0.113.7', opened);
    expect(again).toBe('connected');
  });

  test('when IPv6 addresses of one /64 open sockets, then they share one allowance and another /64 has its own', async () => {
    const h = await start({ web: { trustProxy: true, maxSocketsPerAddress: 3 } });
    for (const host of ['1', 'a:b', '3:4'])
      expect(await connect(h.url, `2001:db8:1:2::${host}`, opened)).toBe('connected');
    expect(await connect(h.url, '2001:db8:1:2:9::9', opened)).not.toBe('connected');
    expect(await connect(h.url, '2001:db8:1:3::1', opened)).toBe('connected');
  });

  test('when the default applies, then an office of a few hundred pages behind one address connects', async () => {
    const h = await start({ web: { trustProxy: true } });
    const results = await Promise.all(
      Array.from({ length: 300 }, () => connect(h.url, '198.51.100.1', opened)),
    );
    expect(results.filter((result) => result !== 'connected')).toEqual([]);
  });

  test('when a page asks for JSONP polling, then the handshake is refused', async () => {
    const h = await start();
    const jsonp = await pollingHandshake(h.url, '203.0.113.9', '&j=0');
    expect(jsonp.status).toBe(403);
    expect(JSON.parse(jsonp.body)).toEqual({ code: 4, message: 'JSONP polling is not served.' });
    // Plain polling still answers its handshake.
    expect((await pollingHandshake(h.url, '203.0.113.9')).status).toBe(200);
  });
});
