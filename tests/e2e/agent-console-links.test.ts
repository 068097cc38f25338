import { startChatService, type ChatServiceHarness } from '../support/chat-service-harness';
import { useConsoleBrowser } from '../support/agent-console-page';

/**
 * Addresses in the customer's messages are links on the agent console, as in the toolbox: only
 * http and https, opening a new tab without handing it the console (noopener noreferrer); anything
 * else, and any markup, stays text.
 */

const browser = useConsoleBrowser();
let h: ChatServiceHarness | undefined;
afterAll(async () => {
  await h?.stop();
});

test('when the customer writes addresses, then the console shows the http(s) ones as safe links and a javascript: address as plain text', async () => {
  h = await startChatService();
  const context = await browser().newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(`${h.url}/Agent`);
  await page.getByLabel('Agent ID').fill('alice');
  await page.getByLabel('Password').fill('alice-pw');
  await page.getByLabel('Password').press('Enter');
  await page.getByRole('switch', { name: 'Ready for chats' }).click();

  const chat = await h.customer<{ ChatID: string }>('RequestChat', {
    ServiceGroupID: 1,
    CustomerName: 'Ann',
  });
  await page.getByRole('button', { name: 'Accept (Alt+A)' }).click();
  await page.getByRole('tab', { name: /Ann/ }).waitFor();
  const text =
    'See https://shop.example/order?id=7, or http://example.org/help. ' +
    'Not javascript:alert(1) nor <a href="javascript:alert(2)">this</a>.';
  await h.customer('SendMessage', { ChatID: chat.body.ChatID, Message: text });

  const message = page.locator('.chat-panel:not([hidden]) .message.from-customer', {
    hasText: 'shop.example',
  });
  await message.waitFor();
  const links = await message.locator('a').evaluateAll((anchors) =>
    anchors.map((a) => ({
      href: a.getAttribute('href'),
      text: a.textContent,
      target: a.getAttribute('target'),
      rel: a.getAttribute('rel'),
    })),
  );
  expect(links).toEqual([
    {
      href: 'https://shop.example/order?id=7',
      text: 'https://shop.example/order?id=7',
      target: '_blank',
      rel: 'noopener noreferrer',
    },
    {
      href: 'http://example.org/help',
      text: 'http://example.org/help',
      target: '_blank',
      rel: 'noopener noreferrer',
    },
  ]);
  // The whole text is there as the customer wrote it, markup included, as text.
  expect(await message.locator('p.text').innerText()).toBe(text);
  // A click opens the address in a tab of its own (answered here: the test has no internet).
  await context.route('http://example.org/**', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<title>Help</title>' }),
  );
  const [opened] = await Promise.all([
    context.waitForEvent('page'),
    message.getByRole('link', { name: 'http://example.org/help' }).click(),
  ]);
  await opened.waitForLoadState();
  expect(opened.url()).toBe('http://example.org/help');
  expect(page.url()).toBe(`${h.url}/Agent`);
  expect(await opened.evaluate('window.opener === null')).toBe(true);
  expect(problems).toEqual([]);
});
