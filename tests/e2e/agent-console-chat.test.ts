import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { AgentEvent } from '../../server/protocol/agent-api';
import type { LoggedEvent } from '../../server/customer-chat/session/visitor-events';
import { screenshotDir } from '../support/browser';
import {
  recordEvents,
  startCustomerChat,
  type CustomerChatHarness,
  type VisitorSocket,
} from '../support/customer-chat-harness';
import { useConsoleBrowser } from '../support/agent-console-page';

/**
 * The agent console in Chromium against the real Chat Service, with visitors talking through the
 * real CustomerChat (socket.io and the HTTP upload): a whole chat from offer to e-mailed
 * transcript, two chats at once, notices, and a reload.
 */

const root = join(__dirname, '..', '..');
const docsDir = join(root, 'docs', 'screenshots');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const browser = useConsoleBrowser();
beforeAll(() => mkdirSync(screenshotDir, { recursive: true }));

let h: CustomerChatHarness | undefined;
let outbox: string | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
  if (outbox !== undefined) rmSync(outbox, { recursive: true, force: true });
  outbox = undefined;
});

const responses = [
  {
    Name: 'Greetings',
    Children: [
      { Name: 'Hello', Text: 'Hello! How can I help you today?' },
      { Name: 'Goodbye', Text: 'Thanks for chatting with us. Have a nice day!' },
    ],
  },
  {
    Name: 'Shipping',
    Children: [
      { Name: 'Norway', Text: 'Yes, we ship to Norway within 3 days.' },
      { Name: 'Returns', Text: 'Returns are free within 30 days.' },
    ],
  },
];

async function start(): Promise<CustomerChatHarness> {
  outbox = mkdtempSync(join(tmpdir(), 'agent-console-outbox-'));
  h = await startCustomerChat({
    chatService: {
      ArchiveFile: ':memory:',
      OutboxFolder: outbox,
      ServiceGroups: [
        {
          ServiceGroupID: 1,
          Name: 'Sales',
          OfferTimeoutSeconds: 300,
          Transcript: { SenderAddress: 'sales@example.com', OpenOnClose: true },
          Responses: responses,
        },
        { ServiceGroupID: 2, Name: 'Support', OfferTimeoutSeconds: 300 },
        { ServiceGroupID: 3, Name: 'Tenant7Group', TenantID: 7 },
      ],
    },
  });
  return h;
}

interface Reply {
  ok: boolean;
  token?: string;
  [field: string]: unknown;
}

const ask = (socket: VisitorSocket, event: string, ...args: unknown[]) =>
  socket.timeout(10_000).emitWithAck(event, ...args) as Promise<Reply>;

/** Polls a condition of the test's own state until it holds (the browser works meanwhile). */
async function eventually(condition: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

type MessageEvent = Extract<LoggedEvent, { type: 'message' }>;
const messagesOf = (events: LoggedEvent[]) =>
  events.filter((event): event is MessageEvent => event.type === 'message');

/** A page of the console with the browser's clock at the Chat Service's (manual) time. */
async function openConsole(
  harness: CustomerChatHarness,
): Promise<{ page: Page; problems: string[] }> {
  const context = await browser().newContext({ viewport: { width: 1360, height: 860 } });
  const page = await context.newPage();
  await page.clock.install({ time: harness.chatService.time.now() });
  await page.clock.resume();
  // Counts the offer's sound: every tone is an oscillator.
  await page.addInitScript({
    content:
      'window.__tones = 0; const create = AudioContext.prototype.createOscillator;' +
      'AudioContext.prototype.createOscillator = function () { window.__tones += 1; return create.call(this); };',
  });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(`${harness.chatService.url}/Agent`);
  return { page, problems };
}

async function logIn(page: Page, agentId: string, password: string): Promise<void> {
  await page.getByLabel('Agent ID').fill(agentId);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
  await page.getByRole('switch', { name: 'Ready for chats' }).waitFor();
}

/** axe-core on the page as it is: no serious or critical violation. */
async function expectAccessible(page: Page, state: string): Promise<void> {
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`,
  )) as string[];
  expect({ state, violations }).toEqual({ state, violations: [] });
}

/** Saves a screenshot; the ones marked for the docs also go to docs/screenshots when asked to. */
async function screenshot(page: Page, name: string, options: { docs?: boolean } = {}) {
  const file = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file });
  if (options.docs === true && process.env['UPDATE_DOCS_SCREENSHOTS'] === '1') {
    mkdirSync(docsDir, { recursive: true });
    copyFileSync(file, join(docsDir, `${name}.png`));
  }
}

const text = (page: Page, selector: string) => page.locator(selector).innerText();

/** An agent of the Chat Service's API (bob), reading its events. */
async function agentEvents(harness: CustomerChatHarness, token: string): Promise<AgentEvent[]> {
  const result = await harness.chatService.agent<{ Events: AgentEvent[] }>(token, 'GetEvents', {
    Timeout: 0,
  });
  return result.body.Events;
}

describe('the agent console in a browser', () => {
  test('when a visitor chats with an agent on the console, then offer, accept, messages, typing, files, a response, notices, a second chat, transfer, end and the e-mailed transcript all work', async () => {
    const harness = await start();
    const { page, problems } = await openConsole(harness);

    // Log in; the group opens; nothing is offered while not ready.
    await page.getByLabel('Agent ID').waitFor();
    await expectAccessible(page, 'log-in');
    await screenshot(page, 'agent-login');
    await logIn(page, 'alice', 'alice-pw');
    await page.locator('[data-group="1"] .group-status', { hasText: 'Open' }).waitFor();
    expect(await page.getByRole('switch').getAttribute('aria-checked')).toBe('false');

    // A visitor asks Sales a question and waits 42 seconds in the queue.
    const ann = await harness.visitor();
    const annEvents = recordEvents(ann);
    let annTyping = 0;
    ann.on('agent:typing', () => (annTyping += 1));
    const request = await ask(ann, 'chat:request', {
      serviceGroupId: 1,
      customerName: 'Ann Visitor',
      email: 'ann@example.com',
      phone: '555-0100',
      customerId: 'C-100',
      sessionId: '{S-4711}',
      privateData: 'Basket: 2 chairs',
      initialMessage: 'Do you ship to Norway?',
      initialMessageToAgent: 'Came from the pricing page',
    });
    expect(request).toMatchObject({ ok: true });
    const annToken = String(request.token);
    harness.chatService.time.advance(42_000);

    // Ready: the offer is shown, heard and focused; the overview shows the wait.
    await page.getByRole('switch').click();
    await page.getByRole('button', { name: 'Accept (Alt+A)' }).waitFor();
    expect(await text(page, '.offer')).toContain('New chat: Ann Visitor');
    expect(await text(page, '.offer')).toContain('Do you ship to Norway?');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Accept (Alt+A)');
    expect(await page.evaluate('window.__tones')).toBeGreaterThan(0);
    await page.locator('[data-group="1"] .longest dd', { hasText: '0:42' }).waitFor();
    expect(await text(page, '[data-group="1"] .waiting dd')).toBe('1');
    expect(await text(page, '[data-group="1"] .agents dd')).toBe('1 / 1');
    expect(await page.title()).toBe('(1) Agent console');
    await screenshot(page, 'agent-offer', { docs: true });

    // Accepted with the keyboard: a tab with the customer's details and question.
    await page.keyboard.press('Alt+A');
    const annTab = page.getByRole('tab', { name: /Ann Visitor/ });
    await annTab.waitFor();
    await page.locator('[data-detail="queue-time"] dd', { hasText: '0:42' }).waitFor();
    const detail = (key: string) =>
      text(page, `.chat-panel:not([hidden]) [data-detail="${key}"] dd`);
    expect(await detail('name')).toBe('Ann Visitor');
    expect(await detail('email')).toBe('ann@example.com');
    expect(await detail('phone')).toBe('555-0100');
    // No IdentityVerificationSecret here: the CustomerID is marked as not verified.
    expect(await detail('customer-id')).toMatch(/^C-100\s*not verified$/);
    expect(await detail('session-id')).toBe('{S-4711}');
    // PrivateData is for integrations: off the panel unless ShowPrivateDataInConsole is set.
    expect(
      await page.locator('.chat-panel:not([hidden]) [data-detail="private-data"]').count(),
    ).toBe(0);
    expect(await detail('to-agent')).toBe('Came from the pricing page');
    expect(await detail('question')).toBe('Do you ship to Norway?');
    await page.locator('.message.from-customer', { hasText: 'Do you ship to Norway?' }).waitFor();
    await eventually(
      () => annEvents.some((event) => event.type === 'agentJoined'),
      'Ann sees Alice join',
    );
    expect(await page.evaluate('document.activeElement.tagName')).toBe('TEXTAREA');

    // Messages and typing both ways.
    ann.emit('typing');
    await page.getByText('Ann Visitor is typing…').waitFor();
    await ask(ann, 'message:send', { clientMessageId: 'ann-1', text: 'Can I pay by invoice?' });
    await page.locator('.message.from-customer', { hasText: 'Can I pay by invoice?' }).waitFor();
    await page.keyboard.type('Yes, invoices are fine');
    await eventually(() => annTyping > 0, 'Ann sees Alice typing');
    await page.keyboard.press('Enter');
    await eventually(
      () => messagesOf(annEvents).some((m) => m.text === 'Yes, invoices are fine'),
      'Ann gets the answer',
    );
    await page.locator('.message.from-agent', { hasText: 'Yes, invoices are fine' }).waitFor();

    // A file from the visitor, downloaded by the agent.
    const annFile = new TextEncoder().encode('order 4711: two chairs\n');
    const form = new FormData();
    form.append('file', new Blob([annFile]), 'order.txt');
    const upload = await fetch(`${harness.url}/CustomerChat/Chat/Attachment`, {
      method: 'POST',
      headers: { 'X-Chat-Token': annToken },
      body: form,
    });
    expect(upload.status).toBe(200);
    const fileButton = page.getByRole('button', { name: /order\.txt/ });
    await fileButton.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), fileButton.click()]);
    expect(download.suggestedFilename()).toBe('order.txt');
    expect(readFileSync(await download.path())).toEqual(Buffer.from(annFile));

    // A file from the agent, downloaded by the visitor.
    const aliceFile = Buffer.from('Invoice address: Storgata 1, Oslo\n');
    await page
      .locator('.chat-panel:not([hidden]) input[type="file"]')
      .setInputFiles({ name: 'address.txt', mimeType: 'text/plain', buffer: aliceFile });
    await eventually(
      () => messagesOf(annEvents).some((m) => m.attachment?.name === 'address.txt'),
      'Ann gets the file',
    );
    const sent = messagesOf(annEvents).find((m) => m.attachment?.name === 'address.txt');
    const fetched = await fetch(
      `${harness.url}/CustomerChat/Chat/Attachment/${encodeURIComponent(String(sent?.attachment?.id))}?token=${encodeURIComponent(annToken)}`,
    );
    expect(Buffer.from(await fetched.arrayBuffer())).toEqual(aliceFile);
    await page.locator('.message.from-agent', { hasText: 'address.txt' }).waitFor();

    // A response found by searching, inserted with one click, sent with Enter.
    await page.getByLabel('Search responses').fill('norway');
    expect(await page.locator('.responses-tree .response').count()).toBe(1);
    await page.getByRole('button', { name: /^Norway/ }).click();
    expect(await page.locator('.chat-panel:not([hidden]) textarea').inputValue()).toBe(
      'Yes, we ship to Norway within 3 days.',
    );
    await page.keyboard.press('Enter');
    await eventually(
      () => messagesOf(annEvents).some((m) => m.text === 'Yes, we ship to Norway within 3 days.'),
      'Ann gets the response',
    );

    // The visitor's page closes and comes back: notices, shown apart from messages.
    ann.disconnect();
    await eventually(() => harness.customerChat.relay.visitorsAway > 0, 'Ann is away');
    // Away past CustomerLeftNoticeDelaySeconds: a real absence, told to the agent.
    harness.time.advance(5_000);
    await page.locator('.notice', { hasText: /left/i }).waitFor();
    harness.time.advance(35_000);
    await page.locator('.notice').nth(1).waitFor();
    const annBack = await harness.visitor();
    const resumed = await ask(annBack, 'chat:resume', { token: annToken, afterSeq: 0 });
    expect(resumed).toMatchObject({ ok: true });
    await page.locator('.notice').nth(2).waitFor();
    expect(await page.locator('.message', { hasText: /left|back/i }).count()).toBe(0);
    const annBackEvents = recordEvents(annBack);
    await screenshot(page, 'agent-chat', { docs: true });

    // A second chat at once, in Support; Ann's messages meanwhile count as unread.
    const bert = await harness.visitor();
    const bertEvents = recordEvents(bert);
    expect(
      await ask(bert, 'chat:request', { serviceGroupId: 2, customerName: 'Bert' }),
    ).toMatchObject({
      ok: true,
    });
    await page.getByRole('button', { name: 'Accept (Alt+A)' }).click();
    const bertTab = page.getByRole('tab', { name: /Bert/ });
    await bertTab.waitFor();
    await page
      .locator('.chat-panel:not([hidden]) [data-detail="name"] dd', { hasText: 'Bert' })
      .waitFor();
    expect(await bertTab.getAttribute('aria-selected')).toBe('true');
    await ask(annBack, 'message:send', { clientMessageId: 'ann-2', text: 'Thanks!' });
    await page.getByRole('tab', { name: /Ann Visitor.*1 unread/ }).waitFor();
    expect(await page.title()).toBe('(1) Agent console');
    await screenshot(page, 'agent-two-chats');

    // Bert is handed to Bob.
    const bob = await harness.chatService.login('bob');
    await page
      .locator('.chat-panel:not([hidden])')
      .getByRole('button', { name: 'Transfer…' })
      .click();
    await page.getByRole('dialog', { name: /Transfer the chat with Bert/ }).waitFor();
    await expectAccessible(page, 'transfer dialog');
    await page.getByLabel('To an agent').check();
    await page.getByLabel('Agent ID').fill('bob');
    await page.getByRole('button', { name: 'Transfer', exact: true }).click();
    await bertTab.waitFor({ state: 'detached' });
    await eventually(
      () => bertEvents.some((event) => event.type === 'agentLeft'),
      'Bert sees Alice go',
    );
    expect((await agentEvents(harness, bob)).map((event) => event.EventType)).toContain(
      'ChatOffered',
    );

    // Back to Ann with Alt+1: read. End the chat: Sales opens the transcript e-mail on close.
    await page.keyboard.press('Alt+1');
    await page.getByRole('tab', { name: 'Ann Visitor', exact: true }).waitFor();
    await page.locator('.message.from-customer', { hasText: 'Thanks!' }).waitFor();
    await page
      .locator('.chat-panel:not([hidden])')
      .getByRole('button', { name: 'End chat' })
      .click();
    const transcript = page.getByRole('dialog', { name: /E-mail the transcript/ });
    await transcript.waitFor();
    expect(await page.getByLabel('Send to (e-mail address)').inputValue()).toBe('ann@example.com');
    await eventually(
      () => annBackEvents.some((event) => event.type === 'ended'),
      'Ann sees the end',
    );
    await expectAccessible(page, 'transcript dialog');
    await screenshot(page, 'agent-transcript', { docs: true });
    await page.getByRole('button', { name: 'Send transcript' }).click();
    await transcript.waitFor({ state: 'hidden' });
    await eventually(
      () => readdirSync(String(outbox)).some((name) => name.endsWith('.eml')),
      'the .eml',
    );
    const eml = readdirSync(String(outbox)).find((name) => name.endsWith('.eml'));
    const mail = readFileSync(join(String(outbox), String(eml)), 'utf8');
    expect(mail).toMatch(/^To: ann@example\.com$/m);
    expect(mail).toContain('Can I pay by invoice?');
    expect(await text(page, '.chat-panel:not([hidden]) .chat-ended')).toBe('You ended the chat.');
    await expectAccessible(page, 'ended chat');

    // Close the tab and log out.
    await page.getByRole('button', { name: 'Close tab' }).click();
    await page.getByText('No chats right now.', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByText('You are logged out.').waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  }, 90_000);

  test('when the agent reloads the page, then it is still logged in with its chat, and nothing shows twice', async () => {
    const harness = await start();
    const { page, problems } = await openConsole(harness);
    await logIn(page, 'alice', 'alice-pw');
    await page.getByRole('switch').click();
    const visitor = await harness.visitor();
    expect(
      await ask(visitor, 'chat:request', {
        serviceGroupId: 1,
        customerName: 'Carl',
        initialMessage: 'Hi there',
      }),
    ).toMatchObject({ ok: true });
    await page.getByRole('button', { name: 'Accept (Alt+A)' }).click();
    await page.locator('.message.from-customer', { hasText: 'Hi there' }).waitFor();
    await ask(visitor, 'message:send', { clientMessageId: 'c-1', text: 'Before the reload' });
    await page.locator('.message', { hasText: 'Before the reload' }).waitFor();

    await page.reload();
    await page.getByRole('tab', { name: /Carl/ }).waitFor();
    await page.locator('.message', { hasText: 'Before the reload' }).waitFor();
    expect(await page.getByRole('switch').getAttribute('aria-checked')).toBe('true');
    await ask(visitor, 'message:send', { clientMessageId: 'c-2', text: 'After the reload' });
    await page.locator('.message', { hasText: 'After the reload' }).waitFor();
    expect(await page.locator('.message').allInnerTexts()).toEqual([
      expect.stringContaining('Hi there'),
      expect.stringContaining('Before the reload'),
      expect.stringContaining('After the reload'),
    ]);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  test('when the agent turns not ready during an offer, then the offer goes; when it logs in elsewhere, then the console says the session ended', async () => {
    const harness = await start();
    const { page, problems } = await openConsole(harness);
    await logIn(page, 'alice', 'alice-pw');
    await page.keyboard.press('Alt+R');
    await page.getByRole('switch', { checked: true }).waitFor();
    const visitor = await harness.visitor();
    expect(
      await ask(visitor, 'chat:request', { serviceGroupId: 1, customerName: 'Dora' }),
    ).toMatchObject({ ok: true });
    await page.getByRole('button', { name: 'Accept (Alt+A)' }).waitFor();
    await page.keyboard.press('Alt+R');
    await page.getByRole('switch', { checked: false }).waitFor();
    await page.locator('.offer').waitFor({ state: 'detached' });
    expect(await page.title()).toBe('Agent console');

    await harness.chatService.login('alice');
    await page.getByText('Your session has ended', { exact: false }).waitFor();
    await page.getByLabel('Agent ID').waitFor();
    await page.reload();
    await page.getByLabel('Agent ID').waitFor();
    // The old token's last long-poll is refused: that, and only that, fails.
    expect(problems.filter((problem) => !/401|status of 401/.test(problem))).toEqual([]);
    await page.context().close();
  }, 60_000);
});
