import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  chatWith,
  screenshot,
  useToolboxTestBed,
  TestAgent,
  toolboxOn,
  type ToolboxTestBed,
} from '../support/toolbox-host';

/**
 * Mitel.ChatToolbox.Config in a real browser: the admin's defaults file, the page's hooks, the
 * positions, availability, and a toolbox that neither takes the page's styles nor gives it its own.
 */

jest.setTimeout(60_000);

let bed: ToolboxTestBed;
let alice: TestAgent;
let folder: string;
let adminFile: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'toolbox-config-'));
  adminFile = join(folder, 'toolbox.config.js');
  writeFileSync(
    adminFile,
    `/* global Mitel */
Mitel.ChatToolbox.Config = { ToolboxPosition: 'top-left', CustomerName: 'Guest', ShowEstimatedWaitTime: false };`,
  );
});
useToolboxTestBed(
  (started) => ({ bed, alice } = started),
  () => ({ toolboxConfigFile: adminFile }),
);
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

const box = async (page: Page, selector: string) => {
  const found = await page.locator(selector).boundingBox();
  if (found === null) throw new Error(`${selector} is not shown`);
  return found;
};

/** Waits until the toolbox has run the page's customizePage (which sets window.customized). */
const customized = 'window.customized = true;';

describe('The chat toolbox configuration', () => {
  test('When the admin file sets defaults, then every page starts from them and customizePage sees and overrides them', async () => {
    const { page } = await bed.visitor();
    await page.goto(
      bed.site.page('admin-defaults', {
        customizePage: 'window.seenPosition = config.ToolboxPosition;',
      }),
    );
    const toolbox = toolboxOn(page);
    await toolbox.tab.waitFor();
    // Reported, not asserted: timing belongs to the benchmark, not to a test on a busy machine.
    const timing = (await page.evaluate(`(() => {
      const script = performance.getEntriesByType('resource')
        .find((entry) => entry.name.endsWith('/CustomerChat/Chat/Toolbox'));
      return performance.getEntriesByName('customerchat:tab')[0].startTime - script.responseEnd;
    })()`)) as number;
    process.stdout.write(`toolbox tab shown ${timing.toFixed(1)} ms after its script arrived\n`);
    expect(await page.evaluate('window.seenPosition')).toBe('top-left');
    const tab = await box(page, 'button.tab');
    expect(tab.x).toBe(16);
    expect(tab.y).toBe(16);
    // ShowEstimatedWaitTime false from the file: no estimate on the pre-chat page.
    await toolbox.tab.click();
    await toolbox.card.getByRole('button', { name: 'Start chat' }).waitFor();
    expect(await toolbox.card.getByText('Expected wait', { exact: false }).count()).toBe(0);
  });

  test('When the page sets ToolboxPosition, then the tab and the card sit at each of the six places', async () => {
    const { page } = await bed.visitor();
    const viewport = { width: 1280, height: 720 };
    const positions = [
      'top-left',
      'top-right',
      'bottom-left',
      'bottom-right',
      'center-left',
      'center-right',
    ];
    for (const position of positions) {
      await page.goto(
        bed.site.page(`position-${position}`, {
          customizePage: `config.ToolboxPosition = '${position}';`,
        }),
      );
      await toolboxOn(page).tab.waitFor();
      const tab = await box(page, 'button.tab');
      const [vertical, horizontal] = position.split('-');
      const inset = vertical === 'center' ? 0 : 16;
      if (horizontal === 'left') expect(tab.x).toBe(inset);
      else expect(Math.round(tab.x + tab.width)).toBe(viewport.width - inset);
      if (vertical === 'top') expect(tab.y).toBe(16);
      if (vertical === 'bottom') expect(Math.round(tab.y + tab.height)).toBe(viewport.height - 16);
      if (vertical === 'center')
        expect(Math.abs(tab.y + tab.height / 2 - viewport.height / 2)).toBeLessThanOrEqual(1);
      if (position === 'bottom-left') await screenshot(page, 'tab-bottom-left');

      await toolboxOn(page).tab.click();
      const card = await box(page, 'section.card');
      if (horizontal === 'left') expect(card.x).toBe(16);
      else expect(Math.round(card.x + card.width)).toBe(viewport.width - 16);
    }
  });

  test('When ToolboxAvailable is false, then nothing is shown and no connection is made', async () => {
    const { page } = await bed.visitor();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(
      bed.site.page('not-available', {
        customizePage: `config.ToolboxAvailable = false; ${customized}`,
      }),
    );
    await page.waitForFunction('"customized" in window');
    expect(await toolboxOn(page).host.count()).toBe(0);
    expect(requests.filter((url) => url.includes('socket.io'))).toEqual([]);
  });

  test('When the group has no agent, then ShowWhenUnavailable decides whether the tab shows, and both follow the group once it opens', async () => {
    // Tenant 7's group has only carol, who is not logged in yet.
    const group = 'config.TenantID = 7; config.ServiceGroupID = 3;';
    const hidden = await bed.visitor();
    await hidden.page.goto(
      bed.site.page('hide-unavailable', {
        customizePage: `${group} config.ShowWhenUnavailable = false; ${customized}`,
      }),
    );
    const shown = await bed.visitor();
    await shown.page.goto(bed.site.page('show-unavailable', { customizePage: group }));
    const open = toolboxOn(shown.page);
    await open.tab.click();
    // The group's own ClosedMessage (the test Chat Service's "Closed").
    await open.card.getByText('Closed', { exact: true }).waitFor();
    await screenshot(shown.page, 'unavailable');
    expect(await toolboxOn(hidden.page).tab.isVisible()).toBe(false);

    const carol = await bed.h.chatService.login('carol');
    try {
      // StatePollInterval is 1 second on these pages.
      await toolboxOn(hidden.page).tab.waitFor();
      await open.card.getByRole('button', { name: 'Start chat' }).waitFor();
    } finally {
      await bed.h.chatService.agent(carol, 'Logout');
    }
    await open.card.getByText('Closed', { exact: true }).waitFor();
    await toolboxOn(hidden.page).tab.waitFor({ state: 'hidden' });
  });

  test('When customizeRequest changes page-only properties, then they are ignored with a warning, while HideAgentName, PrivateData and InitialMessageToAgent apply to the chat', async () => {
    const warnings: string[] = [];
    const { page } = await bed.visitor();
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    const toolbox = toolboxOn(page);
    await page.goto(
      bed.site.page('request-hook', {
        customizePage: 'config.MaxMessageLength = 20;',
        customizeRequest: `config.ServiceGroupID = 2; config.StatePollInterval = 99;
          config.HideAgentName = true; config.PrivateData = 'cart=3';
          config.InitialMessageToAgent = 'Asked for ' + config.CustomerName;`,
      }),
    );
    await toolbox.requestChat({ name: 'request-hook' });
    const chatId = await alice.acceptOffer('request-hook');
    expect(warnings).toEqual([
      'Mitel.ChatToolbox.Config.StatePollInterval cannot change in customizeRequest: ignored.',
      'Mitel.ChatToolbox.Config.ServiceGroupID cannot change in customizeRequest: ignored.',
    ]);
    const chat = await alice.call('GetChat', { ChatID: chatId });
    expect(chat).toMatchObject({
      ServiceGroupID: 1,
      PrivateData: 'cart=3',
      // customizeRequest ran after the pre-chat entries were in Config.
      InitialMessageToAgent: 'Asked for request-hook',
    });
    // The lesser of the page's MaxMessageLength and the Chat Service's 1024.
    await toolbox.message.waitFor();
    expect(await toolbox.message.getAttribute('maxlength')).toBe('20');

    await toolbox.card.getByText('An agent has joined the chat.').waitFor();
    await alice.call('SendTyping', { ChatID: chatId });
    await toolbox.card.getByText('The agent is writing…').waitFor();
    await alice.say(chatId, 'How can I help?');
    await toolbox.log.getByText('How can I help?').waitFor();
    await alice.call('LeaveChat', { ChatID: chatId });
    await toolbox.card.getByText('The agent has left the chat.').waitFor();
    expect(await toolbox.card.textContent()).not.toContain('Alice');
    await screenshot(page, 'hide-agent-name');
  });

  test('When the page defined Mitel.ChatToolbox before the toolbox, then its values and members stay, and the missing defaults are added', async () => {
    const { page } = await bed.visitor();
    await page.goto(
      bed.site.page('namespace', {
        preamble: `window.Mitel = { ChatToolbox: { version: 'mine', Config: { CustomerName: 'Preset' } } };`,
        customizePage: customized,
      }),
    );
    await page.waitForFunction('"customized" in window');
    const namespace = await page.evaluate(`({
      version: Mitel.ChatToolbox.version,
      name: Mitel.ChatToolbox.Config.CustomerName,
      available: Mitel.ChatToolbox.Config.ToolboxAvailable,
    })`);
    expect(namespace).toEqual({ version: 'mine', name: 'Preset', available: true });
    await toolboxOn(page).tab.click();
    expect(await toolboxOn(page).card.getByLabel('Your name').inputValue()).toBe('Preset');
  });

  test("When the host page's CSS is hostile, then the toolbox keeps its look, and the page keeps its own with no style added", async () => {
    const { page } = await bed.visitor();
    await page.goto(
      bed.site.page('hostile-css', {
        css: `* { font-family: serif !important; color: rgb(255, 0, 0) !important;
                  background: rgb(0, 255, 0) !important; }
              div, section, button { display: block !important; position: static !important;
                  margin: 40px !important; border: 5px dotted red !important; }`,
      }),
    );
    const toolbox = toolboxOn(page);
    await toolbox.tab.waitFor();
    // The page's rules for divs do not reach the toolbox's host element either.
    const host = await toolbox.host.evaluate((element) => {
      const style = element.ownerDocument.defaultView?.getComputedStyle(element);
      return { position: style?.position, margin: style?.marginTop, border: style?.borderTopStyle };
    });
    expect(host).toEqual({ position: 'fixed', margin: '0px', border: 'none' });
    const tab = await toolbox.tab.evaluate((element) => {
      const style = element.ownerDocument.defaultView?.getComputedStyle(element);
      return { background: style?.backgroundColor, font: style?.fontFamily };
    });
    expect(tab.background).toBe('rgb(10, 88, 168)');
    expect(tab.font).not.toMatch(/^serif/);
    // The admin file's top-left, whatever the page says of divs and buttons.
    const placed = await box(page, 'button.tab');
    expect(placed).toMatchObject({ x: 16, y: 16 });

    const hostPage = await page.evaluate(`({
      sheets: document.styleSheets.length,
      adopted: document.adoptedStyleSheets.length,
      styled: document.querySelectorAll('[style]').length,
      bodyChildren: [...document.body.children].map((child) => child.tagName),
      heading: getComputedStyle(document.querySelector('h1')).color,
    })`);
    expect(hostPage).toEqual({
      sheets: 1,
      adopted: 0,
      styled: 0,
      bodyChildren: ['MAIN', 'DIV'],
      heading: 'rgb(255, 0, 0)',
    });
    await screenshot(page, 'hostile-css');
  });

  test('When the host page has the strict CSP of the issue, then the toolbox runs with nothing refused but its first WebSocket, and later pages go straight to long-polling', async () => {
    const { page, toolbox, chatId } = await chatWith(bed, alice, 'strict-csp', {
      customizePage: "config.ToolboxPosition = 'bottom-right';",
    });
    await alice.say(chatId, 'Works under CSP');
    await toolbox.log.getByText('Works under CSP').waitFor();
    const violations = () => page.evaluate('window.cspViolations') as Promise<string[]>;
    for (const violation of await violations()) expect(violation).toMatch(/^connect-src ws:\/\//);

    await page.getByRole('link', { name: 'Another page of the shop' }).click();
    await toolbox.log.getByText('Works under CSP').waitFor();
    await toolbox.say('Still fine');
    await alice.waitFor('MessageReceived', (event) => event.Data.Message === 'Still fine');
    expect(await violations()).toEqual([]);
  });

  test('When the screen is a 360 px wide phone, then the card fills it and the conversation fits', async () => {
    const { page } = await bed.visitor({ viewport: { width: 360, height: 740 }, hasTouch: true });
    const toolbox = toolboxOn(page);
    await page.goto(bed.site.page('phone'));
    await toolbox.requestChat({ name: 'phone', question: 'Can I order by phone?' });
    const chatId = await alice.acceptOffer('phone');
    await alice.say(chatId, 'Yes: call 555-0100, or order at https://shop.example.com/order.');
    await toolbox.log.getByText('call 555-0100', { exact: false }).waitFor();
    const card = await box(page, 'section.card');
    expect(card).toEqual({ x: 0, y: 0, width: 360, height: 740 });
    const input = await box(page, 'textarea');
    expect(input.x).toBeGreaterThanOrEqual(0);
    expect(input.x + input.width).toBeLessThanOrEqual(360);
    expect(input.y + input.height).toBeLessThanOrEqual(740);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(360);
    await screenshot(page, 'phone');
  });
});
