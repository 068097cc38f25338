import type { GetOverviewResponse, GroupOverview } from '../../server/protocol/agent-api';
import { startChatService, type ChatServiceHarness } from '../support/chat-service-harness';
import { buildAgentConsole } from '../support/agent-console-page';

/**
 * The console's page, script and stylesheet as the Chat Service serves them at /Agent, and the
 * GetOverview method behind its queue overview.
 */

let h: ChatServiceHarness | undefined;
beforeAll(async () => {
  await buildAgentConsole();
}, 60_000);
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const start = async (overrides: Record<string, unknown> = {}) => {
  h = await startChatService({ ArchiveFile: ':memory:', ...overrides });
  return h;
};

async function overview(service: ChatServiceHarness, token: string): Promise<GroupOverview[]> {
  const result = await service.agent<GetOverviewResponse>(token, 'GetOverview');
  expect(result.status).toBe(200);
  return result.body.Groups;
}

async function requestChat(service: ChatServiceHarness, groupId: number, name: string) {
  const result = await service.customer<{ ChatID: string | null }>('RequestChat', {
    ServiceGroupID: groupId,
    CustomerName: name,
  });
  expect(result.body.ChatID).toEqual(expect.any(String));
  return String(result.body.ChatID);
}

describe('GET /Agent', () => {
  it('when a browser asks for the console, then it gets the page shell with a strict Content-Security-Policy', async () => {
    const service = await start();
    const response = await fetch(`${service.url}/Agent`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const html = await response.text();
    expect(html).toContain('<script src="/Agent/app.js" defer></script>');
    expect(html).toContain('href="/Agent/static/agent-console.css"');
    expect(html).toContain('<title>Agent console</title>');
    expect(html).not.toMatch(/<script>|style=/);
  });

  it('when the page loads its script and stylesheet, then both are served from /Agent', async () => {
    const service = await start();
    const script = await fetch(`${service.url}/Agent/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect((await script.text()).length).toBeGreaterThan(1000);
    const style = await fetch(`${service.url}/Agent/static/agent-console.css`);
    expect(style.status).toBe(200);
    expect(style.headers.get('content-type')).toMatch(/text\/css/);
    const missing = await fetch(`${service.url}/Agent/static/nothing.css`);
    expect(missing.status).toBe(404);
  });
});

describe('GetOverview', () => {
  it('when chats wait in a group, then the agent sees how many, the longest wait, the estimate and the agents', async () => {
    const service = await start();
    const alice = await service.login('alice');
    const bob = await service.login('bob');
    await requestChat(service, 2, 'Ann');
    service.time.advance(42_000);
    await requestChat(service, 2, 'Bert');
    service.time.advance(3_000);
    const groups = await overview(service, alice);
    expect(groups).toEqual([
      {
        ServiceGroupID: 1,
        Name: 'Sales',
        Open: true,
        ChatsWaiting: 0,
        LongestWaitSeconds: 0,
        EstimatedWaitSeconds: -1,
        AgentsReady: 0,
        AgentsLoggedIn: 1,
        Ratings: 0,
        AverageRating: null,
      },
      {
        ServiceGroupID: 2,
        Name: 'Support',
        Open: true,
        ChatsWaiting: 2,
        LongestWaitSeconds: 45,
        EstimatedWaitSeconds: -1,
        AgentsReady: 0,
        AgentsLoggedIn: 2,
        Ratings: 0,
        AverageRating: null,
      },
    ]);
    // Bob sees his own group only. Ready, he is offered both chats: they wait until accepted, and a
    // third customer would get no estimate (two free slots, no chat handled yet).
    await service.agent(bob, 'SetReady', { Ready: true });
    expect(await overview(service, bob)).toEqual([
      expect.objectContaining({
        ServiceGroupID: 2,
        ChatsWaiting: 2,
        AgentsReady: 1,
        AgentsLoggedIn: 2,
        EstimatedWaitSeconds: -1,
      }),
    ]);
  });

  it('when a group is closed by its opening hours, then it shows closed with no estimate', async () => {
    const service = await start({
      ServiceGroups: [
        { ServiceGroupID: 1, Name: 'Sales', OpeningHours: { TimeZone: 'UTC', Days: {} } },
        { ServiceGroupID: 2, Name: 'Support' },
        { ServiceGroupID: 3, Name: 'Tenant7Group', TenantID: 7 },
      ],
    });
    const alice = await service.login('alice', { ready: true });
    const [sales, support] = await overview(service, alice);
    expect(sales).toMatchObject({ Name: 'Sales', Open: false, EstimatedWaitSeconds: -1 });
    expect(support).toMatchObject({ Name: 'Support', Open: true, EstimatedWaitSeconds: 0 });
    expect(await service.agent(null, 'GetOverview')).toMatchObject({ status: 401 });
  });
});
