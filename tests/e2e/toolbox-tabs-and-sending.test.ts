import { startDmzToolboxBed, type DmzToolboxBed } from '../support/dmz-toolbox-bed';
import {
  TestAgent,
  toolboxOn,
  useToolboxTestBed,
  type ToolboxTestBed,
} from '../support/toolbox-host';

/**
 * One chat per visitor in every tab of the site, and sending that tells the truth: reproductions
 * of issue 14's first two findings in Chromium. The stall and offline tests run CustomerChat in
 * front of a Chat Service in its own process (the DMZ deployment), on real time.
 */

const unreachable = 'The chat service is not answering. Still trying…';
const reconnecting = 'Connection lost. Reconnecting…';

describe('The toolbox in several tabs', () => {
  let bed: ToolboxTestBed;
  let alice: TestAgent;
  useToolboxTestBed((started) => ({ bed, alice } = started));

  test('When a second tab of the site is opened by its URL, then it shows the running chat live and never offers a second chat; another profile is another visitor', async () => {
    const { context, page } = await bed.visitor();
    const url = bed.site.page('tabs');
    await page.goto(url);
    // Open before the chat starts: it shows the pre-chat page until the first tab starts one.
    const early = await context.newPage();
    await early.goto(url);
    await toolboxOn(early).tab.click();
    await toolboxOn(early).card.getByRole('button', { name: 'Start chat' }).waitFor();

    const first = toolboxOn(page);
    await first.requestChat({ name: 'Tabby', question: 'Which tab?' });
    const chatId = await alice.acceptOffer('Tabby');
    await first.message.waitFor();
    await toolboxOn(early).message.waitFor();

    // A tab opened by typing the address: no window.open, no copied sessionStorage.
    const typed = await context.newPage();
    await typed.goto(url);
    const second = toolboxOn(typed);
    await second.tab.click();
    await second.message.waitFor();
    expect(await second.card.getByRole('button', { name: 'Start chat' }).count()).toBe(0);

    await alice.say(chatId, 'I see you in every tab');
    for (const tab of [first, second, toolboxOn(early)])
      await tab.log.getByText('I see you in every tab').waitFor();
    await second.say('Written in the second tab');
    await first.log
      .locator('li.me:not(.pending)', { hasText: 'Written in the second tab' })
      .waitFor();
    await alice.waitFor(
      'MessageReceived',
      (event) => event.Data.Message === 'Written in the second tab',
    );
    expect(await alice.customerMessages(chatId)).toEqual(['Written in the second tab']);

    // Another browser profile (or a private window) has its own storage: a visitor of its own.
    const { page: stranger } = await bed.visitor();
    await stranger.goto(url);
    await toolboxOn(stranger).tab.click();
    await toolboxOn(stranger).card.getByRole('button', { name: 'Start chat' }).waitFor();
  });

  test('When two tabs press Start in the same instant, then one chat is opened and both tabs show it', async () => {
    const { context, page } = await bed.visitor();
    const url = bed.site.page('twins');
    const other = await context.newPage();
    const tabs = [toolboxOn(page), toolboxOn(other)];
    for (const [index, tab] of [page, other].entries()) {
      await tab.goto(url);
      const toolbox = tabs[index];
      if (toolbox === undefined) throw new Error('no tab');
      await toolbox.tab.click();
      await toolbox.card.getByLabel('Your name').fill('Twins');
      await toolbox.card.getByLabel('How can we help you today?').fill('Both at once?');
    }
    // Each tab clicks at the same moment of the wall clock: an awaited click in one tab would
    // start its chat before the other's, and the other would show it before being clicked.
    const at = Date.now() + 500;
    await Promise.all(
      tabs.map((tab) =>
        tab.card.getByRole('button', { name: 'Start chat' }).evaluate((button, when) => {
          setTimeout(() => button.click(), when - Date.now());
        }, at),
      ),
    );
    const chatId = await alice.acceptOffer('Twins');
    await alice.say(chatId, 'One chat for both tabs');
    for (const tab of tabs) await tab.log.getByText('One chat for both tabs').waitFor();
    await alice.customerMessages(chatId);
    const offers = alice.events.filter(
      (event) => event.EventType === 'ChatOffered' && event.Data.CustomerName === 'Twins',
    );
    expect(offers).toHaveLength(1);
  });
});

describe('Sending to a Chat Service that stalls, and from a browser that goes offline', () => {
  let dmz: DmzToolboxBed;
  let alice: TestAgent;
  beforeAll(async () => {
    dmz = await startDmzToolboxBed();
    alice = await TestAgent.login({ chatService: dmz.service }, 'alice');
  }, 60_000);
  afterEach(() => alice.leaveAll());
  afterAll(() => dmz?.stop(), 30_000);

  async function chatWithAlice(name: string) {
    const { context, page } = await dmz.visitor();
    const toolbox = toolboxOn(page);
    await page.goto(dmz.site.page(name));
    await toolbox.requestChat({ name, question: 'Hello' });
    const chatId = await alice.acceptOffer(name);
    await toolbox.message.waitFor();
    return { context, page, toolbox, chatId };
  }

  test('When the Chat Service stalls for 15 s, then the visitor is told within seconds, and a message sent meanwhile shows as sending, ends up sent once and reaches the agent once', async () => {
    const { toolbox, chatId } = await chatWithAlice('stall');
    dmz.service.pause();
    try {
      await toolbox.alert.getByText(unreachable).waitFor({ timeout: 12_000 });
      await toolbox.say('Sent during the stall');
      const sending = toolbox.log.locator('li.pending', { hasText: 'Sent during the stall' });
      await sending.getByText('Sending…').waitFor();
      // The rest of the 15 s stall, in real time.
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      expect(await toolbox.log.locator('li.failed').count()).toBe(0);
    } finally {
      dmz.service.resume();
    }
    await toolbox.log.locator('li.me:not(.pending)', { hasText: 'Sent during the stall' }).waitFor({
      timeout: 30_000,
    });
    await toolbox.alert.getByText(unreachable).waitFor({ state: 'detached', timeout: 15_000 });
    expect(await toolbox.lines.filter({ hasText: 'Sent during the stall' }).count()).toBe(1);
    expect(await toolbox.log.locator('li.failed').count()).toBe(0);
    await alice.waitFor(
      'MessageReceived',
      (event) => event.Data.Message === 'Sent during the stall',
    );
    expect(await alice.customerMessages(chatId)).toEqual(['Sent during the stall']);
  }, 90_000);

  test('When the visitor types and sends while the browser is offline, then the message waits as sending and is delivered once the browser is back online', async () => {
    const { context, toolbox, chatId } = await chatWithAlice('offline');
    await context.setOffline(true);
    await toolbox.alert.getByText(reconnecting).waitFor({ timeout: 12_000 });
    await toolbox.say('Typed while offline');
    await toolbox.log
      .locator('li.pending', { hasText: 'Typed while offline' })
      .getByText('Sending…')
      .waitFor();
    await context.setOffline(false);
    await toolbox.log.locator('li.me:not(.pending)', { hasText: 'Typed while offline' }).waitFor({
      timeout: 30_000,
    });
    await toolbox.alert.getByText(reconnecting).waitFor({ state: 'detached', timeout: 15_000 });
    expect(await toolbox.lines.filter({ hasText: 'Typed while offline' }).count()).toBe(1);
    await alice.waitFor('MessageReceived', (event) => event.Data.Message === 'Typed while offline');
    expect(await alice.customerMessages(chatId)).toEqual(['Typed while offline']);
  }, 90_000);
});
