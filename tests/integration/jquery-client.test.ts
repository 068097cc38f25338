import { startChatService, type ChatServiceHarness } from '../support/chat-service-harness';
import type { ChatDetails } from '../../server/protocol/agent-api';

/**
 * The specification's "CUSTOM CHAT CLIENT" example (RequestChatFromService, written with jQuery)
 * replayed with fetch: the same fields and values, the same {'request': requestParam} DTO, the same
 * POST with contentType "application/json; charset=utf-8". Only the host and port differ.
 */

let h: ChatServiceHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** The example's body, line for line; `$.ajax` becomes fetch, `success` the awaited result. */
async function RequestChatFromService(hostAndPort: string): Promise<string | null> {
  const requestParam: Record<string, unknown> = new Object() as Record<string, unknown>;

  requestParam.SessionID = '{50B5D2FF-57BD-4948-A864-B044A6E9FEB7}';
  requestParam.CustomerID = '100';
  requestParam.CustomerName = 'John';
  requestParam.EmailAddress = 'john@somecompany.com';
  requestParam.PhoneNumber = '555-5555';
  requestParam.TenantID = -1;
  requestParam.ServiceGroupID = 0;
  requestParam.ServiceGroupName = 'Sales';
  requestParam.PrivateData = 'SomePrivateData';

  const DTO = { request: requestParam };

  // jQuery sends "Accept: */*" when dataType is not recognised (the example spells it "datatype").
  const response = await fetch(`http://${hostAndPort}/ChatService/RequestChat`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8', Accept: '*/*' },
    body: JSON.stringify(DTO),
  });
  expect(response.status).toBe(200);
  const data = (await response.json()) as { ChatID: string | null };
  return data.ChatID;
}

const hostAndPort = (service: ChatServiceHarness) => new URL(service.url).host;

describe('the specification’s jQuery client', () => {
  it('when an agent of Sales is logged in, then RequestChatFromService gets a ChatID for a Sales chat with the example’s details', async () => {
    h = await startChatService();
    const token = await h.login('alice');
    const chatId = await RequestChatFromService(hostAndPort(h));
    expect(chatId).toEqual(expect.any(String));
    const details = await h.agent<ChatDetails>(token, 'GetChat', { ChatID: chatId });
    expect(details.status).toBe(200);
    expect(details.body).toMatchObject({
      ChatID: chatId,
      State: 0,
      TenantID: -1,
      ServiceGroupID: 1,
      ServiceGroupName: 'Sales',
      SessionID: '{50B5D2FF-57BD-4948-A864-B044A6E9FEB7}',
      CustomerID: '100',
      CustomerName: 'John',
      EmailAddress: 'john@somecompany.com',
      PhoneNumber: '555-5555',
      PrivateData: 'SomePrivateData',
    });
  });

  it('when nobody is logged in to Sales, then the same client is answered with a null ChatID, not a fault', async () => {
    h = await startChatService();
    expect(await RequestChatFromService(hostAndPort(h))).toBeNull();
    expect(h.server.center.chats.size).toBe(0);
  });
});

describe('browser clients (CORS)', () => {
  const shop = 'http://shop.example';
  const preflight = (service: ChatServiceHarness, path: string, origin: string) =>
    fetch(`${service.url}${path}`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
  const allowOrigin = (response: Response) => response.headers.get('access-control-allow-origin');
  const postFrom = (service: ChatServiceHarness, path: string, body: unknown) =>
    fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: { origin: shop, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
    });

  it('when an allowed origin preflights /ChatService/RequestChat, then it gets Access-Control-Allow-Origin; another origin gets none', async () => {
    h = await startChatService({ CorsAllowedOrigins: [shop] });
    await h.login('alice');
    const allowed = await preflight(h, '/ChatService/RequestChat', shop);
    expect(allowed.status).toBeLessThan(300);
    expect(allowOrigin(allowed)).toBe(shop);
    expect(allowed.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/content-type/i);
    const other = await preflight(h, '/ChatService/RequestChat', 'http://evil.example');
    expect(allowOrigin(other)).toBeNull();
    const post = await postFrom(h, '/ChatService/RequestChat', { request: { ServiceGroupID: 1 } });
    expect(post.status).toBe(200);
    expect(allowOrigin(post)).toBe(shop);
  });

  it('when any origin calls /AgentService, then no CORS header is sent', async () => {
    h = await startChatService({ CorsAllowedOrigins: [shop] });
    expect(allowOrigin(await preflight(h, '/AgentService/Login', shop))).toBeNull();
    const login = await postFrom(h, '/AgentService/Login', {
      AgentID: 'alice',
      Password: 'alice-pw',
    });
    expect(login.status).toBe(200);
    expect(allowOrigin(login)).toBeNull();
  });
});
