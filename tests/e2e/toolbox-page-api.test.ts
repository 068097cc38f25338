import type { Page } from 'playwright-core';
import {
  useToolboxTestBed,
  TestAgent,
  toolboxOn,
  type ToolboxTestBed,
} from '../support/toolbox-host';

/**
 * Mitel.ChatToolbox's page API in Chromium on a host page of another origin (strict CSP): the
 * page's own button opens the card, its handlers hear a real chat with an agent of the reference
 * Chat Service, calls made before the toolbox loaded run in order, and nothing it hears holds the
 * chat's token or ChatID.
 */

jest.setTimeout(60_000);

let bed: ToolboxTestBed;
let alice: TestAgent;
useToolboxTestBed((started) => ({ bed, alice } = started));

interface Heard {
  event: string;
  payload: Record<string, unknown>;
}

/**
 * Runs above the toolbox's script line, where Mitel.ChatToolbox has no methods yet: its calls go
 * into the queue. The page's button and a later handler are set up once the document is there.
 */
const preamble = `
window.heard = [];
window.calls = [];
function hear(event) {
  return function (payload) { window.heard.push({ event: event, payload: payload }); };
}
window.Mitel = { ChatToolbox: { queue: [
  ['on', 'message', function () { throw new Error('a broken handler of the page'); }],
  ['on', 'ready', function () { window.calls.push('ready'); }],
  ['setUser', { name: 'Queued Ann', email: 'ann@example.com' }],
  ['on', 'ready', function () { window.calls.push('ready, after setUser'); }],
  ['no such method'],
] } };
['availability', 'chatStarted', 'queuePosition', 'agentJoined', 'message', 'unread', 'chatEnded']
  .forEach(function (event) { Mitel.ChatToolbox.queue.push(['on', event, hear(event)]); });
document.addEventListener('DOMContentLoaded', function () {
  document.getElementById('contact').addEventListener('click', function () {
    Mitel.ChatToolbox.open();
  });
  window.stopHearingMessages = Mitel.ChatToolbox.on('message', hear('message (later handler)'));
});`;

/** Calls one of Mitel.ChatToolbox's methods without arguments, as a page script would. */
const callApi = (page: Page, method: 'open' | 'close' | 'toggle' | 'show' | 'hide') =>
  page.evaluate(`Mitel.ChatToolbox.${method}()`);

/** A value of the page's own script (the browser's globals are not typed in node's tests). */
const pageValue = <T>(page: Page, expression: string) => page.evaluate<T>(expression);

const heard = (page: Page) => pageValue<Heard[]>(page, 'window.heard');

/** Waits (real time: the browser's side runs on it) until the page has heard a matching event. */
async function waitToHear(page: Page, event: string, match: Record<string, unknown> = {}) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const all = await heard(page);
    const found = all.some(
      (item) =>
        item.event === event &&
        Object.entries(match).every(([key, value]) => item.payload[key] === value),
    );
    if (found) return;
    if (Date.now() > deadline)
      throw new Error(
        `The page never heard ${event} ${JSON.stringify(match)}: ${JSON.stringify(all)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('The page API of Mitel.ChatToolbox', () => {
  test("When a page opens the chat with its own button, then its handlers hear the chat's events, and never its token", async () => {
    const { page } = await bed.visitor();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const toolbox = toolboxOn(page);
    await page.goto(
      bed.site.page('api', {
        preamble,
        body: '<button id="contact" type="button">Contact us</button>',
        customizePage: `Mitel.ChatToolbox.on('ready', function () { window.calls.push('ready, from customizePage'); });`,
      }),
    );
    await waitToHear(page, 'availability');
    expect(await pageValue<string[]>(page, 'window.calls')).toEqual([
      'ready',
      'ready, after setUser',
      'ready, from customizePage',
    ]);
    await waitToHear(page, 'availability', { open: true });

    await page.getByRole('button', { name: 'Contact us' }).click();
    await toolbox.card.waitFor();
    expect(await toolbox.card.getByLabel('Your name').inputValue()).toBe('Queued Ann');
    expect(await toolbox.card.getByLabel('Email address').inputValue()).toBe('ann@example.com');

    await toolbox.card.getByLabel('How can we help you today?').fill('Where is my parcel?');
    await toolbox.card.getByRole('button', { name: 'Start chat' }).click();
    await waitToHear(page, 'chatStarted', { resumed: false });
    await waitToHear(page, 'queuePosition', { position: 1 });
    const chatId = await alice.acceptOffer('Queued Ann');
    await waitToHear(page, 'agentJoined', { name: 'Alice' });
    await alice.say(chatId, 'It leaves the depot today.');
    await waitToHear(page, 'message', { from: 'agent', text: 'It leaves the depot today.' });
    await toolbox.say('Thank you');
    await waitToHear(page, 'message', { from: 'visitor', text: 'Thank you' });
    const agentMessage = (await heard(page)).find((item) => item.payload['from'] === 'agent');
    expect(agentMessage?.payload['at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(errors.some((text) => text.includes('"message" handler failed'))).toBe(true);

    // Unsubscribed, a handler hears no more; put away, the card counts what comes meanwhile.
    await page.evaluate('window.stopHearingMessages()');
    await callApi(page, 'close');
    await toolbox.card.waitFor({ state: 'hidden' });
    await alice.say(chatId, 'Anything else?');
    await waitToHear(page, 'unread', { count: 1 });
    await callApi(page, 'toggle');
    await toolbox.card.waitFor();
    await waitToHear(page, 'unread', { count: 0 });
    const later = (await heard(page)).filter((item) => item.event === 'message (later handler)');
    expect(later.map((item) => item.payload['text'])).toEqual([
      'Where is my parcel?',
      'It leaves the depot today.',
      'Thank you',
    ]);

    // hide() takes the tab and card away until show().
    await callApi(page, 'hide');
    await toolbox.card.waitFor({ state: 'hidden' });
    expect(await toolbox.tab.isHidden()).toBe(true);
    await callApi(page, 'show');
    await toolbox.tab.waitFor();

    await alice.call('LeaveChat', { ChatID: chatId });
    await waitToHear(page, 'chatEnded', { reason: 'general' });

    const saved = await pageValue<string>(page, "localStorage.getItem('customerchat.chat')");
    const token = (JSON.parse(saved) as { token: string }).token;
    const everything = JSON.stringify(await heard(page));
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(chatId);
    const namespace = await pageValue<string>(page, 'JSON.stringify(window.Mitel)');
    expect(namespace).not.toContain(token);
    expect(namespace).not.toContain(chatId);
    // The WebSocket refused by connect-src is expected (long-polling takes over); nothing else is.
    const violations = await pageValue<string[]>(page, 'window.cspViolations');
    expect(violations.filter((line) => !line.startsWith('connect-src'))).toEqual([]);
  });

  test('When the page comes back in a running chat, then chatStarted says resumed and the story so far is not told again', async () => {
    const { page } = await bed.visitor();
    const toolbox = toolboxOn(page);
    const url = bed.site.page('api-again', {
      preamble,
      body: '<button id="contact">Contact us</button>',
    });
    await page.goto(url);
    await toolbox.requestChat({ name: 'Ben', question: 'Hi' });
    const chatId = await alice.acceptOffer('Ben');
    await alice.say(chatId, 'Hello Ben');
    await waitToHear(page, 'message', { text: 'Hello Ben' });

    await page.goto(`${url}?next`);
    await toolbox.log.getByText('Hello Ben').waitFor();
    await waitToHear(page, 'chatStarted', { resumed: true });
    await alice.say(chatId, 'Welcome back');
    await waitToHear(page, 'message', { text: 'Welcome back' });
    const told = (await heard(page)).filter((item) => item.event === 'message');
    expect(told.map((item) => item.payload['text'])).toEqual(['Welcome back']);
  });

  test('When a website asks for the declarations of the page API, then CustomerChat serves them beside the script', async () => {
    const response = await fetch(`${bed.h.url}/CustomerChat/Chat/Toolbox.d.ts`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const text = await response.text();
    expect(text).toContain('export interface ChatToolboxApi');
    expect(text).toContain('export interface ChatToolboxEvents');
  });
});
