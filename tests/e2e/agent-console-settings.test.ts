import type { Page } from 'playwright-core';
import {
  recordEvents,
  startCustomerChat,
  type CustomerChatHarness,
  type VisitorSocket,
} from '../support/customer-chat-harness';
import type { LoggedEvent } from '../../server/customer-chat/session/visitor-events';
import { useConsoleBrowser } from '../support/agent-console-page';
import { untilWithin } from '../support/wait-within';

/**
 * The agent console in Chromium shows what the Chat Service's settings say, reproduced as the
 * issue found them: PrivateData appeared in the details panel although it is meant for the agent
 * integration interface, and with MaxAttachmentSize 0 "Attach a file" stayed and then failed.
 */

jest.setTimeout(60_000);

const browser = useConsoleBrowser();

let h: CustomerChatHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const ask = (socket: VisitorSocket, event: string, ...args: unknown[]) =>
  socket.timeout(10_000).emitWithAck(event, ...args) as Promise<{ ok: boolean }>;

/**
 * The Chat Service with `settings`, alice on its console and ready, and a visitor's chat with
 * PrivateData that she has accepted there; the chat's panel is showing.
 */
async function acceptedChat(settings: Record<string, unknown>) {
  h = await startCustomerChat({ chatService: settings });
  const context = await browser().newContext({ viewport: { width: 1360, height: 860 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(`${h.chatService.url}/Agent`);
  await page.getByLabel('Agent ID').fill('alice');
  await page.getByLabel('Password').fill('alice-pw');
  await page.getByLabel('Password').press('Enter');
  await page.getByRole('switch', { name: 'Ready for chats' }).click();
  const visitor = await h.visitor();
  const events = recordEvents(visitor);
  expect(
    await ask(visitor, 'chat:request', {
      serviceGroupId: 1,
      customerName: 'Ann Visitor',
      privateData: 'crm-id=4711; basket=2 chairs',
      initialMessage: 'Hello',
    }),
  ).toMatchObject({ ok: true });
  await page.getByRole('button', { name: 'Accept (Alt+A)' }).click();
  await page.getByRole('tab', { name: /Ann Visitor/ }).waitFor();
  await panel(page).locator('[data-detail="name"]').waitFor();
  return { page, visitor, events, problems };
}

const panel = (page: Page) => page.locator('.chat-panel:not([hidden])');

describe('the agent console follows the Chat Service settings', () => {
  test('When ShowPrivateDataInConsole is not set, then the details panel leaves PrivateData out, while GetChat still gives it to integrations', async () => {
    const { page, problems } = await acceptedChat({});
    const details = panel(page).locator('.details');

    expect(await details.innerText()).toContain('Ann Visitor');
    expect(await details.locator('[data-detail="private-data"]').count()).toBe(0);
    expect(await details.innerText()).not.toContain('crm-id=4711');
    // With the console's own log-in, GetChat answers as an integration reads it: PrivateData is there.
    const chatId = ((await panel(page).getAttribute('id')) ?? '').replace(/^panel-/, '');
    const token = String(
      await page.evaluate(
        `Object.values({ ...sessionStorage }).map((value) => JSON.parse(value).token).find(Boolean)`,
      ),
    );
    const viaApi = await (h as CustomerChatHarness).chatService.agent<{ PrivateData: string }>(
      token,
      'GetChat',
      { ChatID: chatId },
    );
    expect(viaApi.body.PrivateData).toBe('crm-id=4711; basket=2 chairs');
    expect(problems).toEqual([]);
  });

  test('When ShowPrivateDataInConsole is true, then the details panel shows PrivateData', async () => {
    const { page } = await acceptedChat({ ShowPrivateDataInConsole: true });

    await panel(page)
      .locator('[data-detail="private-data"] dd', { hasText: 'crm-id=4711; basket=2 chairs' })
      .waitFor();
  });

  test('When the Chat Service has MaxAttachmentSize 0, then the console offers no "Attach a file" control', async () => {
    const { page, problems } = await acceptedChat({ MaxAttachmentSize: 0 });

    await panel(page).getByRole('button', { name: 'Send' }).waitFor();
    expect(await panel(page).getByRole('button', { name: 'Attach a file' }).count()).toBe(0);
    expect(await panel(page).locator('input[type=file]').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  test('When a file is beyond the Chat Service limits, then the console refuses it at once and nothing reaches the visitor', async () => {
    const { page, events } = await acceptedChat({
      MaxAttachmentSize: 1,
      RestrictedAttachmentTypes: ['exe'],
    });
    const choose = async (name: string, buffer: Buffer) => {
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        panel(page).getByRole('button', { name: 'Attach a file' }).click(),
      ]);
      await chooser.setFiles({ name, mimeType: 'application/octet-stream', buffer });
    };

    await choose('big.txt', Buffer.alloc(2048, 'a'));
    await panel(page)
      .getByText('big.txt is too large: files can be at most 1 KB.', { exact: true })
      .waitFor();
    await choose('tool.exe', Buffer.from('MZ'));
    await panel(page).getByText('Files of type “exe” cannot be sent.', { exact: true }).waitFor();

    await choose('small.txt', Buffer.from('within the limit'));
    const isFile = (event: LoggedEvent) => event.type === 'message' && event.text === 'small.txt';
    await until(() => events.some(isFile), 'the visitor gets small.txt');
    const names = events.flatMap((event) => (event.type === 'message' ? [event.text] : []));
    expect(names).not.toContain('big.txt');
    expect(names).not.toContain('tool.exe');
  });
});

/** Polls the test's own state until it holds (the browser works meanwhile). */
const until = (condition: () => boolean, what: string) => untilWithin(condition, what, 10_000, 20);
