import { buildAgentConsole, openReadyConsole } from '../support/agent-console-page';
import { startToolboxTestBed, toolboxOn, type ToolboxTestBed } from '../support/toolbox-host';

/**
 * Ratings end to end in Chromium, on a host page of another origin: the visitor ends a chat with
 * an agent of the console, rates it on the post-chat page, and the rating reaches the archive,
 * the console's chat details and its overview's average. CustomerChat refuses bad ratings.
 */

jest.setTimeout(60_000);

let bed: ToolboxTestBed;
beforeAll(async () => {
  await buildAgentConsole();
  bed = await startToolboxTestBed();
}, 60_000);
afterAll(() => bed?.stop());

test('When a visitor rates the chat it ended, then the rating reaches the archive and shows in the console’s details and overview', async () => {
  const agentConsole = await openReadyConsole(bed);
  const { page } = await bed.visitor();
  const toolbox = toolboxOn(page);
  await page.goto(bed.site.page('rating'));
  await toolbox.requestChat({ name: 'Rita', question: 'Do you deliver on Sundays?' });
  await agentConsole.getByRole('button', { name: 'Accept (Alt+A)' }).click();
  const shown = (detail: string) =>
    agentConsole.locator(`.chat-panel:not([hidden]) [data-detail="${detail}"] dd`);
  await shown('name').filter({ hasText: 'Rita' }).waitFor();
  await toolbox.message.waitFor();

  await toolbox.card.getByRole('button', { name: 'Do you want to end this chat?' }).click();
  await toolbox.card.getByRole('button', { name: 'Yes' }).click();
  const form = toolbox.card.getByRole('region', { name: 'How was your chat?' });
  await form.getByRole('button', { name: 'Send rating' }).click();
  await form.getByText('Choose a rating from 1 to 5 first.').waitFor();
  await form.getByRole('radio', { name: '4' }).check();
  await form.getByLabel('Anything you would like to add?').fill('Friendly, <b>fast</b>.');
  await form.getByRole('button', { name: 'Send rating' }).click();
  await toolbox.card.getByText('Thank you for your rating.').waitFor();
  // The WebSocket is refused by the page's connect-src (long-polling takes over); nothing else is.
  const violations = (await page.evaluate('window.cspViolations')) as string[];
  expect(violations.filter((violation) => !violation.startsWith('connect-src ws:'))).toEqual([]);

  const [archived] = bed.h.chatService.server.center.archive.search({
    serviceGroupIds: [1],
    limit: 1,
  });
  expect(archived).toMatchObject({
    CustomerName: 'Rita',
    Rating: { Rating: 4, Comment: 'Friendly, <b>fast</b>.' },
  });

  await shown('rating').filter({ hasText: '4 of 5' }).waitFor();
  expect(await shown('rating-comment').innerText()).toBe('Friendly, <b>fast</b>.');
  await agentConsole
    .locator('[data-group="1"] .figure.rating dd')
    .filter({ hasText: '4.0 of 5 (1 ratings)' })
    .waitFor();
});

test('When the site turns AskForRating off, then the post-chat page asks for none', async () => {
  const { page } = await bed.visitor();
  const toolbox = toolboxOn(page);
  await page.goto(bed.site.page('no-rating', { customizePage: 'config.AskForRating = false;' }));
  await toolbox.requestChat({ name: 'Nora' });
  await toolbox.card.getByText('Your place in the queue: 1').waitFor();
  await toolbox.card.getByRole('button', { name: 'Do you want to end this chat?' }).click();
  await toolbox.card.getByRole('button', { name: 'Yes' }).click();
  await toolbox.card.getByRole('button', { name: 'New chat' }).waitFor();
  expect(await toolbox.card.getByRole('button', { name: 'Send rating' }).count()).toBe(0);
});

test('When a page sends a rating out of range, for an unknown chat or for a chat rated already, then CustomerChat refuses it clearly', async () => {
  const visitor = await bed.h.visitor();
  const ask = (event: string, payload: object) =>
    visitor.timeout(10_000).emitWithAck(event, payload) as Promise<{
      ok: boolean;
      token?: string;
      error?: { code: string; message: string };
    }>;
  expect(await ask('chat:rate', { token: 'nope', rating: 6 })).toMatchObject({
    ok: false,
    error: { code: 'BadRequest' },
  });
  expect(await ask('chat:rate', { token: 'nope', rating: 3 })).toMatchObject({
    ok: false,
    error: { code: 'UnknownSession' },
  });
  const started = await ask('chat:request', { serviceGroupId: 1, customerName: 'Raw' });
  const token = started.token ?? '';
  expect(await ask('chat:rate', { token, rating: 3 })).toMatchObject({
    ok: false,
    error: { code: 'BadRequest', message: 'A chat is rated once it has ended.' },
  });
  expect((await visitor.timeout(10_000).emitWithAck('chat:leave')) as object).toEqual({ ok: true });
  expect(await ask('chat:rate', { token, rating: 2 })).toEqual({ ok: true });
  expect(await ask('chat:rate', { token, rating: 5 })).toMatchObject({
    ok: false,
    error: { code: 'AlreadyRated', message: 'This chat has been rated already.' },
  });
});
