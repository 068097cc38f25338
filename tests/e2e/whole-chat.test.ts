import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { screenshotDir } from '../support/browser';
import {
  startToolboxTestBed,
  TestAgent,
  toolboxOn,
  type ToolboxTestBed,
} from '../support/toolbox-host';
import { buildAgentConsole } from '../support/agent-console-page';

/**
 * One whole chat in one browser, both sides real: a visitor on the toolbox (a host page of another
 * origin, through CustomerChat) and alice on the agent console (the Chat Service's /Agent). Offer,
 * accept, messages and typing both ways, a file each way, a response, the e-mailed transcript, a
 * transfer to Support (bob, on the agent API), the end and the post-chat page.
 */

jest.setTimeout(60_000);

let bed: ToolboxTestBed;
let outbox: string;
beforeAll(async () => {
  await buildAgentConsole();
  outbox = mkdtempSync(join(tmpdir(), 'whole-chat-outbox-'));
  bed = await startToolboxTestBed({ chatService: { OutboxFolder: outbox } });
  mkdirSync(screenshotDir, { recursive: true });
}, 60_000);
afterAll(async () => {
  await bed?.stop();
  if (outbox !== undefined) rmSync(outbox, { recursive: true, force: true });
});

/** Page errors and failed console logs of a page, to be empty at the end. */
function problemsOf(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  return problems;
}

/** Polls the outbox (the Chat Service writes the .eml) until one is there. */
async function firstEml(timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const eml = readdirSync(outbox).find((name) => name.endsWith('.eml'));
    if (eml !== undefined) return readFileSync(join(outbox, eml), 'utf8');
    if (Date.now() > deadline) throw new Error('No .eml in the outbox');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('When a visitor on the toolbox chats with an agent on the console, then the whole chat works from offer to transfer, end, post-chat page and e-mailed transcript', async () => {
  // Alice on the console, with the browser's clock at the Chat Service's (manual) time.
  const consoleContext = await bed.browser.newContext({ viewport: { width: 1360, height: 860 } });
  const agentPage = await consoleContext.newPage();
  const agentProblems = problemsOf(agentPage);
  await agentPage.clock.install({ time: bed.h.chatService.time.now() });
  await agentPage.clock.resume();
  await agentPage.goto(`${bed.h.chatService.url}/Agent`);
  await agentPage.getByLabel('Agent ID').fill('alice');
  await agentPage.getByLabel('Password').fill('alice-pw');
  await agentPage.getByLabel('Password').press('Enter');
  const ready = agentPage.getByRole('switch', { name: 'Ready for chats' });
  await ready.click();
  await agentPage.getByRole('switch', { name: 'Ready for chats', checked: true }).waitFor();

  // The visitor asks Sales a question on the toolbox.
  const { page } = await bed.visitor();
  const visitorErrors: string[] = [];
  page.on('pageerror', (error) => visitorErrors.push(error.message));
  const toolbox = toolboxOn(page);
  await page.goto(
    bed.site.page('whole-chat', { customizePage: 'config.TimeoutAfterConversation = 1;' }),
  );
  await toolbox.tab.click();
  await toolbox.card.getByLabel('Your name').fill('Ann');
  await toolbox.card.getByLabel('Email address').fill('ann@example.com');
  await toolbox.card.getByLabel('How can we help you today?').fill('Do you ship to Norway?');
  await toolbox.card.getByRole('button', { name: 'Start chat' }).click();

  // The console offers it; alice accepts with Alt+A and sees the question.
  await agentPage.getByRole('button', { name: 'Accept (Alt+A)' }).waitFor();
  expect(await agentPage.locator('.offer').innerText()).toContain('New chat: Ann');
  expect(await agentPage.locator('.offer').innerText()).toContain('Do you ship to Norway?');
  await agentPage.keyboard.press('Alt+A');
  await agentPage.getByRole('tab', { name: /Ann/ }).waitFor();
  const panel = agentPage.locator('.chat-panel:not([hidden])');
  const composer = panel.locator('textarea');
  await panel.locator('.message.from-customer', { hasText: 'Do you ship to Norway?' }).waitFor();
  await toolbox.card.getByText('Alice has joined the chat.').waitFor();

  // Typing and a message from the visitor, seen on the console.
  await toolbox.message.pressSequentially('Can I pay by invoice?');
  await agentPage.getByText('Ann is typing…').waitFor();
  await toolbox.message.press('Enter');
  await panel.locator('.message.from-customer', { hasText: 'Can I pay by invoice?' }).waitFor();
  await toolbox.log.locator('li.me:not(.pending)', { hasText: 'Can I pay by invoice?' }).waitFor();

  // Typing and a message from alice, seen on the toolbox.
  await composer.click();
  await agentPage.keyboard.type('Yes, invoices are fine');
  await toolbox.card.getByText('Alice is writing…').waitFor();
  await agentPage.keyboard.press('Enter');
  await toolbox.log.getByText('Yes, invoices are fine').waitFor();
  await panel.locator('.message.from-agent', { hasText: 'Yes, invoices are fine' }).waitFor();

  // A file from the visitor (the toolbox's file button), downloaded on the console.
  const order = Buffer.from('order 4711: two chairs\n');
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    toolbox.card.getByRole('button', { name: 'Browse…' }).click(),
  ]);
  await chooser.setFiles({ name: 'order.txt', mimeType: 'text/plain', buffer: order });
  const bar = toolbox.card.locator('.bar');
  await bar.getByRole('button', { name: 'Upload' }).click();
  await bar.getByText('File sent.').waitFor();
  const orderButton = panel.getByRole('button', { name: /order\.txt/ });
  await orderButton.waitFor();
  const [download] = await Promise.all([agentPage.waitForEvent('download'), orderButton.click()]);
  expect(download.suggestedFilename()).toBe('order.txt');
  expect(readFileSync(await download.path())).toEqual(order);

  // A file from alice (the console's attach input), fetched through the toolbox's link.
  const address = Buffer.from('Invoice address: Storgata 1, Oslo\n');
  await panel
    .locator('input[type="file"]')
    .setInputFiles({ name: 'address.txt', mimeType: 'text/plain', buffer: address });
  const addressLink = toolbox.log.getByRole('link', { name: 'address.txt' });
  await addressLink.waitFor();
  const fetched = await fetch(String(await addressLink.getAttribute('href')));
  expect(Buffer.from(await fetched.arrayBuffer())).toEqual(address);
  await panel.locator('.message.from-agent', { hasText: 'address.txt' }).waitFor();

  // A response from Sales' tree, inserted with a click and sent with Enter.
  await panel.locator('.responses-tree summary', { hasText: 'Greetings' }).click();
  await panel.getByRole('button', { name: /^Hello/ }).click();
  expect(await composer.inputValue()).toBe('Hello there!');
  await composer.press('Enter');
  await toolbox.log.getByText('Hello there!').waitFor();

  // The transcript, e-mailed from the console while alice holds the chat (a transfer hands it on).
  await panel.getByRole('button', { name: 'E-mail transcript…' }).click();
  const transcript = agentPage.getByRole('dialog', { name: /E-mail the transcript/ });
  await transcript.waitFor();
  expect(await agentPage.getByLabel('Send to (e-mail address)').inputValue()).toBe(
    'ann@example.com',
  );
  await agentPage.getByRole('button', { name: 'Send transcript' }).click();
  await transcript.waitFor({ state: 'hidden' });
  const mail = await firstEml();
  expect(mail).toMatch(/^To: ann@example\.com$/m);
  for (const line of [
    'Do you ship to Norway?',
    'Can I pay by invoice?',
    'Yes, invoices are fine',
    'Hello there!',
  ])
    expect(mail).toContain(line);

  await agentPage.screenshot({ path: join(screenshotDir, 'whole-chat-console.png') });

  // Bob is ready in Support; alice goes not ready (so the queue can only pick bob) and transfers.
  const bob = await TestAgent.login(bed.h, 'bob');
  await ready.click();
  await agentPage.getByRole('switch', { name: 'Ready for chats', checked: false }).waitFor();
  await panel.getByRole('button', { name: 'Transfer…' }).click();
  const transfer = agentPage.getByRole('dialog', { name: /Transfer the chat with Ann/ });
  await transfer.waitFor();
  await agentPage.getByLabel('To a service group').check();
  await transfer.getByLabel('Service group', { exact: true }).selectOption({ label: 'Support' });
  await agentPage.getByRole('button', { name: 'Transfer', exact: true }).click();
  await agentPage.getByRole('tab', { name: /Ann/ }).waitFor({ state: 'detached' });
  await agentPage.getByText('The chat with Ann was handed over.').waitFor();
  await toolbox.card
    .getByText('You are being transferred to another agent. Please wait a moment.')
    .waitFor();

  const offer = await bob.waitFor('ChatOffered', (event) => event.Data.CustomerName === 'Ann');
  expect(offer.Data).toMatchObject({ ServiceGroupID: 2, Transferred: true });
  const chatId = await bob.acceptOffer('Ann');
  await toolbox.card.getByText('Bob Berg has joined the chat.').waitFor();
  await bob.say(chatId, 'Bob from Support here.');
  await toolbox.log.getByText('Bob from Support here.').waitFor();
  await toolbox.say('Thanks, Bob');
  await bob.waitFor('MessageReceived', (event) => event.Data.Message === 'Thanks, Bob');

  // Bob ends it: the visitor sees the end, then the post-chat page.
  await bob.call('LeaveChat', { ChatID: chatId });
  await toolbox.card.getByText('The agent ended the chat.').waitFor();
  await page.screenshot({ path: join(screenshotDir, 'whole-chat-visitor-ended.png') });
  await toolbox.card.getByText('Thank you for chatting with us.', { exact: false }).waitFor();
  await page.screenshot({ path: join(screenshotDir, 'whole-chat-visitor.png') });

  expect(agentProblems).toEqual([]);
  // The host page's strict CSP refuses the toolbox's first WebSocket (it falls back to polling).
  expect(visitorErrors).toEqual([]);
  for (const violation of (await page.evaluate('window.cspViolations')) as string[])
    expect(violation).toMatch(/^connect-src ws:\/\//);
});
