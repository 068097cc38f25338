import type { Page } from 'playwright-core';
import { ChatState } from '../../server/protocol/enums';
import { startChatService, type ChatServiceHarness } from '../support/chat-service-harness';
import { useConsoleBrowser } from '../support/agent-console-page';
import { seriousViolations } from '../support/axe';

/**
 * Logging out of the agent console in Chromium: at once with no chat open; with chats open only
 * after the agent confirms, since their customers are handed to another agent.
 */

const browser = useConsoleBrowser();

let h: ChatServiceHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function openConsole(
  harness: ChatServiceHarness,
): Promise<{ page: Page; problems: string[] }> {
  const context = await browser().newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.goto(`${harness.url}/Agent`);
  await page.getByLabel('Agent ID').fill('alice');
  await page.getByLabel('Password').fill('alice-pw');
  await page.getByLabel('Password').press('Enter');
  await page.getByRole('switch', { name: 'Ready for chats' }).waitFor();
  return { page, problems };
}

const aliceLoggedIn = (harness: ChatServiceHarness) =>
  harness.server.center.agents.get('alice')?.loggedIn;

/** A Sales chat offered to alice and accepted on the console. */
async function acceptChat(harness: ChatServiceHarness, page: Page, name: string): Promise<string> {
  const result = await harness.customer<{ ChatID: string }>('RequestChat', {
    ServiceGroupID: 1,
    CustomerName: name,
  });
  await page.getByRole('button', { name: 'Accept (Alt+A)' }).click();
  await page.getByRole('tab', { name: new RegExp(name) }).waitFor();
  return result.body.ChatID;
}

const focusedText = (page: Page) => page.evaluate('document.activeElement.textContent');

describe('logging out of the agent console', () => {
  test('when no chat is open, then Log out logs out at once', async () => {
    h = await startChatService();
    const { page, problems } = await openConsole(h);

    await page.getByRole('button', { name: 'Log out' }).click();

    await page.getByText('You are logged out.').waitFor();
    expect(await page.locator('dialog[open]').count()).toBe(0);
    expect(aliceLoggedIn(h)).toBe(false);
    expect(problems).toEqual([]);
  });

  test('when chats are open, then Log out asks first: Cancel keeps the agent and its chats, confirming logs out', async () => {
    h = await startChatService();
    const { page, problems } = await openConsole(h);
    await page.getByRole('switch').click();
    const annChat = await acceptChat(h, page, 'Ann Visitor');
    await acceptChat(h, page, 'Ben Visitor');

    await page.getByRole('button', { name: 'Log out' }).click();
    const dialog = page.getByRole('dialog', { name: 'Log out with 2 chats open?' });
    await dialog.waitFor();
    expect(await dialog.getAttribute('aria-describedby')).toBe('logout-dialog-text');
    expect(await dialog.innerText()).toContain(
      'their customers are told they are being handed to another agent',
    );
    expect(await focusedText(page)).toBe('Cancel');
    expect(await seriousViolations(page)).toEqual([]);

    // Enter on the focused Cancel, as a stray key press would: nothing happens.
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focusedText(page)).toBe('Log out');
    expect(aliceLoggedIn(h)).toBe(true);
    expect(await page.getByRole('tab').count()).toBe(2);

    // Escape closes it too.
    await page.getByRole('button', { name: 'Log out' }).click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(aliceLoggedIn(h)).toBe(true);

    await page.getByRole('button', { name: 'Log out' }).click();
    await dialog.getByRole('button', { name: 'Log out' }).click();

    await page.getByText('You are logged out.').waitFor();
    expect(aliceLoggedIn(h)).toBe(false);
    const info = await h.customer<{ State: number }>('GetChatInfo', { ChatID: annChat });
    expect(info.body.State).not.toBe(ChatState.Handling);
    expect(problems).toEqual([]);
  });

  test('when only one chat is open, then the question says so', async () => {
    h = await startChatService();
    const { page } = await openConsole(h);
    await page.getByRole('switch').click();
    await acceptChat(h, page, 'Ann Visitor');

    await page.getByRole('button', { name: 'Log out' }).click();

    await page.getByRole('dialog', { name: 'Log out with a chat open?' }).waitFor();
  });
});
