import type { BrowserContext, Page } from 'playwright-core';
import {
  startToolboxTestBed,
  TestAgent,
  toolboxOn,
  type HostPageOptions,
  type ToolboxTestBed,
} from '../support/toolbox-host';
import { buildAgentConsole } from '../support/agent-console-page';

/**
 * What the visitor (the toolbox) and the agent (the console) are told, in Chromium on both sides:
 * page navigations that tell the agent nothing while a real absence is told once, and each way a
 * chat ends or changes hands, each with its own words on each side.
 */

jest.setTimeout(60_000);

let bed: ToolboxTestBed;
let agentPage: Page;
beforeAll(async () => {
  await buildAgentConsole();
  bed = await startToolboxTestBed();
  const context = await bed.browser.newContext({ viewport: { width: 1360, height: 860 } });
  agentPage = await context.newPage();
  await agentPage.clock.install({ time: bed.h.chatService.time.now() });
  await agentPage.clock.resume();
  await agentPage.goto(`${bed.h.chatService.url}/Agent`);
  await logIn();
}, 60_000);
afterAll(() => bed?.stop());
// alice takes two chats at once: each test ends its chats on the console and closes their tabs.
afterEach(async () => {
  for (;;) {
    const tabs = agentPage.getByRole('tab');
    if ((await tabs.count()) === 0) return;
    await tabs.first().click();
    const panel = agentPage.locator('.chat-panel:not([hidden])');
    const end = panel.getByRole('button', { name: 'End chat' });
    if (await end.isVisible()) await end.click();
    await panel.getByRole('button', { name: 'Close tab' }).click();
  }
});

async function logIn(): Promise<void> {
  await agentPage.getByLabel('Agent ID').fill('alice');
  await agentPage.getByLabel('Password').fill('alice-pw');
  await agentPage.getByLabel('Password').press('Enter');
  await agentPage.getByRole('switch', { name: 'Ready for chats' }).click();
  await agentPage.getByRole('switch', { name: 'Ready for chats', checked: true }).waitFor();
}

/** The console's panel of the chat with this customer, brought to the front. */
async function panelOf(name: string) {
  await agentPage.getByRole('tab', { name: new RegExp(name) }).click();
  return agentPage.locator('.chat-panel:not([hidden])');
}

/** A visitor named `name` on a new page, in a chat alice has accepted on the console. */
async function chat(
  name: string,
  options: { group?: number; page?: HostPageOptions } = {},
): Promise<{ context: BrowserContext; page: Page; toolbox: ReturnType<typeof toolboxOn> }> {
  const { context, page } = await bed.visitor();
  const toolbox = toolboxOn(page);
  const group = options.group ?? 1;
  await page.goto(
    bed.site.page(name, {
      ...options.page,
      customizePage: `config.ServiceGroupID = ${group}; ${options.page?.customizePage ?? ''}`,
    }),
  );
  await toolbox.requestChat({ name, question: `Hello from ${name}` });
  const offer = agentPage.locator('.offer', { hasText: name });
  await offer.getByRole('button', { name: 'Accept (Alt+A)' }).click();
  await agentPage.getByRole('tab', { name: new RegExp(name) }).waitFor();
  await toolbox.message.waitFor();
  await toolbox.card.getByText('Alice has joined the chat.').waitFor();
  return { context, page, toolbox };
}

const noticeTexts = async (name: string) =>
  (await panelOf(name)).locator('.notice .notice-text').allInnerTexts();

describe('presence notices', () => {
  test('when the visitor navigates three times in quick succession, then the agent gets no notice; a real absence gets one CustomerLeft, and the return one CustomerBack', async () => {
    const { page, toolbox } = await chat('Nora');
    const panel = await panelOf('Nora');
    for (let navigation = 0; navigation < 3; navigation += 1) {
      await page.getByRole('link', { name: 'Another page of the shop' }).click();
      await page.waitForLoadState('load');
      await toolbox.log.getByText('Hello from Nora').waitFor();
    }
    // A message after the navigations: had any notice been sent, it would be there before it.
    await toolbox.say('Still here after three pages');
    await panel.locator('.message.from-customer', { hasText: 'Still here' }).waitFor();
    expect(await noticeTexts('Nora')).toEqual([]);

    // Away for real: to another site, and CustomerChat's clock past CustomerLeftNoticeDelaySeconds.
    const back = page.url();
    const watched = bed.h.customerChat.relay.visitorsAway;
    await page.goto('about:blank');
    await waitUntilAway(bed, watched);
    bed.h.time.advance(5_000);
    await panel
      .locator('.notice-text', { hasText: 'The customer has left the chat page for now.' })
      .waitFor();
    await page.goto(back);
    await panel
      .locator('.notice-text', { hasText: 'The customer is back on the chat page.' })
      .waitFor();
    expect(await noticeTexts('Nora')).toEqual([
      'The customer has left the chat page for now.',
      'The customer is back on the chat page.',
    ]);
  });
});

/** Until CustomerChat has seen the visitor's last page go (its grace period then runs). */
async function waitUntilAway(testBed: ToolboxTestBed, watchedBefore: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (testBed.h.customerChat.relay.visitorsAway <= watchedBefore) {
    if (Date.now() > deadline) throw new Error('CustomerChat never saw the page go');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('how a chat ends, on both sides', () => {
  test('when the visitor closes the chat, then another tab of the visitor reads that the visitor ended it, and the agent that the customer did', async () => {
    const { context, page, toolbox } = await chat('Vera');
    const [other] = await Promise.all([
      context.waitForEvent('page'),
      page.evaluate('window.open(location.href)'),
    ]);
    // The new tab opens with the card open, as the first one was.
    const otherToolbox = toolboxOn(other);
    await otherToolbox.log.getByText('Hello from Vera').waitFor();

    await page.getByRole('button', { name: 'Do you want to end this chat?' }).click();
    await toolbox.card.getByRole('button', { name: 'Yes' }).click();

    await otherToolbox.log.getByText('You ended the chat.').waitFor();
    await (await panelOf('Vera')).getByText('The customer ended the chat.').waitFor();
  });

  test('when the idle timeout ends the chat, then the visitor reads it was inactive, and the agent that the customer was idle', async () => {
    const { toolbox } = await chat('Ivan', {
      page: { customizePage: 'config.IdleTimeout = 2; config.WarningBeforeIdleTimeout = 0;' },
    });
    await toolbox.card
      .getByText('This chat was closed because it was inactive for too long.')
      .waitFor({ timeout: 10_000 });
    await (
      await panelOf('Ivan')
    )
      .getByText('The chat ended: the customer was idle too long.')
      .waitFor();
  });

  test('when the visitor stays away past the grace period, then the agent reads the customer did not come back, and the visitor, on returning, that the chat ended for it', async () => {
    const { page, toolbox } = await chat('Gina');
    const back = page.url();
    const watched = bed.h.customerChat.relay.visitorsAway;
    await page.goto('about:blank');
    await waitUntilAway(bed, watched);
    bed.h.time.advance(60_000);
    await (
      await panelOf('Gina')
    )
      .getByText('The chat ended: the customer left the site and did not come back.')
      .waitFor();

    // Back on the site: the card opens as it was left, and the chat is shown ended.
    await page.goto(back);
    await toolbox.log
      .getByText('The chat ended because you were away from the site for too long.')
      .waitFor();
  });

  test('when the agent ends the chat, then the visitor reads that the agent ended it, and the agent that it did', async () => {
    const { toolbox } = await chat('Axel');
    const panel = await panelOf('Axel');
    await panel.getByRole('button', { name: 'End chat' }).click();
    await toolbox.log.getByText('The agent ended the chat.').waitFor();
    await panel.getByText('You ended the chat.').waitFor();
    expect(await toolbox.log.getByText('The chat has ended.').count()).toBe(0);
  });

  test('when the agent transfers the chat, then the visitor reads that it is being transferred, not only that the agent left', async () => {
    const bob = await TestAgent.login(bed.h, 'bob');
    try {
      const { toolbox } = await chat('Tess', { group: 2 });
      const panel = await panelOf('Tess');
      await panel.getByRole('button', { name: 'Transfer…' }).click();
      const dialog = agentPage.getByRole('dialog', { name: /Transfer the chat with Tess/ });
      await agentPage.getByLabel('To a service group').check();
      await dialog.getByLabel('Service group', { exact: true }).selectOption({ label: 'Support' });
      await agentPage.getByRole('button', { name: 'Transfer', exact: true }).click();
      await agentPage.getByText('The chat with Tess was handed over.').waitFor();

      await toolbox.log
        .getByText('You are being transferred to another agent. Please wait a moment.')
        .waitFor();
      expect(await toolbox.log.getByText('Alice has left the chat.').count()).toBe(0);
      const chatId = await bob.acceptOffer('Tess');
      await toolbox.log.getByText('Bob Berg has joined the chat.').waitFor();
      await bob.call('LeaveChat', { ChatID: chatId });
    } finally {
      await bob.call('Logout');
    }
  });

  test('when the agent logs out with a chat open, then the visitor reads it is handed on to the next free agent, and the chat does not end', async () => {
    const bob = await TestAgent.login(bed.h, 'bob');
    try {
      const { toolbox } = await chat('Hugo', { group: 2 });
      await agentPage.getByRole('button', { name: 'Log out' }).click();
      const dialog = agentPage.getByRole('dialog', { name: 'Log out with a chat open?' });
      await dialog.getByRole('button', { name: 'Log out' }).click();
      await agentPage.getByText('You are logged out.').waitFor();

      await toolbox.log
        .getByText(
          'Your agent had to leave. The next free agent will take over the chat; please wait a moment.',
        )
        .waitFor();
      expect(await toolbox.log.getByText('Alice has left the chat.').count()).toBe(0);
      const chatId = await bob.acceptOffer('Hugo');
      await toolbox.log.getByText('Bob Berg has joined the chat.').waitFor();
      expect(await toolbox.log.getByText('The chat has ended.').count()).toBe(0);
      await bob.call('LeaveChat', { ChatID: chatId });
      await toolbox.log.getByText('The agent ended the chat.').waitFor();
    } finally {
      await bob.call('Logout');
    }
  });
});
