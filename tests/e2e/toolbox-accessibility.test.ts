import type { Page } from 'playwright-core';
import {
  screenshot,
  useToolboxTestBed,
  TestAgent,
  toolboxOn,
  type ToolboxTestBed,
} from '../support/toolbox-host';
import { seriousViolations } from '../support/axe';

/**
 * The toolbox for everyone: axe-core on each of its pages, a whole chat with the keyboard alone,
 * and the chat card moved by pointer and by keyboard.
 */

jest.setTimeout(60_000);

let bed: ToolboxTestBed;
let alice: TestAgent;
useToolboxTestBed((started) => ({ bed, alice } = started));

/** What has the focus, through the toolbox's shadow root: its label or its text. */
const focused = (page: Page) =>
  page.evaluate(`(() => {
    let element = document.activeElement;
    while (element && element.shadowRoot && element.shadowRoot.activeElement)
      element = element.shadowRoot.activeElement;
    return element ? (element.getAttribute('aria-label') ?? element.textContent.trim()) : '';
  })()`) as Promise<string>;

async function tabUntil(page: Page, label: string, key = 'Tab'): Promise<void> {
  for (let presses = 0; presses < 15; presses += 1) {
    if ((await focused(page)) === label) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${label} never got the focus (last: ${await focused(page)})`);
}

describe('The chat toolbox for everyone', () => {
  test('When axe-core checks every page of the toolbox, then it finds nothing serious or critical', async () => {
    const findings: Record<string, string[]> = {};
    const { page } = await bed.visitor();
    const toolbox = toolboxOn(page);
    await page.goto(bed.site.page('axe', { customizePage: 'config.MaxAttachmentSize = 1;' }));
    await toolbox.tab.waitFor();
    findings['tab'] = await seriousViolations(page);
    await toolbox.tab.click();
    await toolbox.card.getByText('Expected wait', { exact: false }).waitFor();
    findings['prechat'] = await seriousViolations(page);

    await toolbox.card.getByLabel('Your name').fill('axe');
    await toolbox.card.getByRole('button', { name: 'Start chat' }).click();
    await toolbox.card.getByText('Your place in the queue: 1').waitFor();
    findings['waiting'] = await seriousViolations(page);

    const chatId = await alice.acceptOffer('axe');
    await alice.say(chatId, 'Our terms: https://example.com/terms');
    await alice.call('SendMessage', {
      ChatID: chatId,
      Message: 'terms.txt',
      Attachment: 'dGVybXM=',
    });
    await alice.call('SendTyping', { ChatID: chatId });
    await toolbox.log.getByRole('link', { name: 'terms.txt' }).waitFor();
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      toolbox.card.getByRole('button', { name: 'Browse…' }).click(),
    ]);
    await chooser.setFiles({ name: 'big.txt', mimeType: 'text/plain', buffer: Buffer.alloc(2048) });
    await toolbox.card.getByText('This file is too large.', { exact: false }).waitFor();
    findings['conversation'] = await seriousViolations(page);

    await toolbox.card.getByRole('button', { name: 'Do you want to end this chat?' }).click();
    await toolbox.card.getByRole('alertdialog').waitFor();
    findings['confirmation'] = await seriousViolations(page);
    await toolbox.card.getByRole('button', { name: 'Yes' }).click();
    await toolbox.card.getByRole('button', { name: 'New chat' }).waitFor();
    findings['postchat'] = await seriousViolations(page);

    const closed = await bed.visitor();
    await closed.page.goto(
      bed.site.page('axe-closed', {
        customizePage: 'config.TenantID = 7; config.ServiceGroupID = 3;',
      }),
    );
    await toolboxOn(closed.page).tab.click();
    // The group's own ClosedMessage (the test Chat Service's "Closed").
    await toolboxOn(closed.page).card.getByText('Closed', { exact: true }).waitFor();
    findings['unavailable'] = await seriousViolations(closed.page);

    expect(findings).toEqual({
      tab: [],
      prechat: [],
      waiting: [],
      conversation: [],
      confirmation: [],
      postchat: [],
      unavailable: [],
    });
  });

  test('When a visitor uses the keyboard alone, then a whole chat works: open, ask, talk, put away, come back, end', async () => {
    const { page } = await bed.visitor();
    const toolbox = toolboxOn(page);
    await page.goto(bed.site.page('keyboard'));
    await toolbox.tab.waitFor();
    await tabUntil(page, 'Chat with us');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('');
    expect(
      await toolbox.card.getByLabel('Your name').evaluate((input) => input.matches(':focus')),
    ).toBe(true);
    await page.keyboard.type('keyboard');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Typed without a mouse');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Start chat');
    await page.keyboard.press('Enter');

    const chatId = await alice.acceptOffer('keyboard');
    await toolbox.message.waitFor();
    expect(await focused(page)).toBe('Write your message here');
    await page.keyboard.type('Hello from the keyboard');
    await page.keyboard.press('Enter');
    await alice.waitFor(
      'MessageReceived',
      (event) => event.Data.Message === 'Hello from the keyboard',
    );

    await page.keyboard.press('Escape');
    await toolbox.card.waitFor({ state: 'hidden' });
    expect(await focused(page)).toBe('Chat with us');
    await alice.say(chatId, 'Are you still with us?');
    await page.locator('.tab .dot').waitFor();
    await page.keyboard.press('Enter');
    await toolbox.log.getByText('Are you still with us?').waitFor();
    expect(await focused(page)).toBe('Write your message here');

    await tabUntil(page, 'Do you want to end this chat?', 'Shift+Tab');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('No');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('Yes');
    await page.keyboard.press('Enter');
    await toolbox.card.getByRole('button', { name: 'New chat' }).waitFor();
    expect(await focused(page)).toBe('Back to our website');
  });

  test('When AllowMovingChatCard is on, then the card moves by dragging its title bar and by arrow keys, stays in the window, and keeps its place on the next page', async () => {
    const { page } = await bed.visitor();
    const toolbox = toolboxOn(page);
    await page.goto(
      bed.site.page('move', { customizePage: "config.ToolboxPosition = 'bottom-right';" }),
    );
    await toolbox.tab.click();
    const title = toolbox.card.getByRole('heading', { name: 'Chat with us' });
    const at = async () => {
      const found = await toolbox.card.boundingBox();
      if (found === null) throw new Error('no card');
      return { x: Math.round(found.x), y: Math.round(found.y) };
    };
    const start = await at();

    const handle = await title.boundingBox();
    if (handle === null) throw new Error('no title');
    await page.mouse.move(handle.x + 20, handle.y + 10);
    await page.mouse.down();
    await page.mouse.move(handle.x - 180, handle.y - 90, { steps: 5 });
    await page.mouse.up();
    expect(await at()).toEqual({ x: start.x - 200, y: start.y - 100 });

    await title.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowUp');
    expect(await at()).toEqual({ x: start.x - 232, y: start.y - 116 });
    await page.keyboard.press('Shift+ArrowLeft');
    expect(await at()).toEqual({ x: start.x - 296, y: start.y - 116 });
    await screenshot(page, 'moved');

    // Never out of the window.
    for (let press = 0; press < 30; press += 1) await page.keyboard.press('Shift+ArrowUp');
    expect((await at()).y).toBe(0);

    await page.getByRole('link', { name: 'Another page of the shop' }).click();
    await page.waitForURL(/\?again$/);
    await toolbox.tab.click();
    expect(await at()).toEqual({ x: start.x - 296, y: 0 });
    await title.focus();
    await page.keyboard.press('Home');
    expect(await at()).toEqual(start);
  });

  test('When AllowMovingChatCard is off, then the title bar neither takes the focus nor moves the card', async () => {
    const { page } = await bed.visitor();
    const toolbox = toolboxOn(page);
    await page.goto(
      bed.site.page('fixed', { customizePage: 'config.AllowMovingChatCard = false;' }),
    );
    await toolbox.tab.click();
    const title = toolbox.card.getByRole('heading', { name: 'Chat with us' });
    expect(await title.getAttribute('tabindex')).toBeNull();
    const before = await toolbox.card.boundingBox();
    const handle = await title.boundingBox();
    if (handle === null || before === null) throw new Error('no card');
    await page.mouse.move(handle.x + 20, handle.y + 10);
    await page.mouse.down();
    await page.mouse.move(handle.x - 180, handle.y + 90, { steps: 5 });
    await page.mouse.up();
    expect(await toolbox.card.boundingBox()).toEqual(before);
  });
});
