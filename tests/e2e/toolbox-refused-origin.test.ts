import type { Logger } from '../../server/shared/logger';
import { startToolboxTestBed, toolboxOn, type ToolboxTestBed } from '../support/toolbox-host';

/**
 * A website whose host is missing from CrossDomainAllowIpAddress embeds the toolbox: the toolbox
 * sees the refusal at once (no 15 s wait, no stream of retries), tells the visitor that chat is
 * not available on this page, and gives the site's owner one console error naming the setting;
 * CustomerChat logs the refused origin once a minute, however often its pages try.
 */

jest.setTimeout(60_000);

/** The warnings CustomerChat logs, kept. */
const warnings: { data: object; message: string }[] = [];
const logger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (data, message) => warnings.push({ data, message }),
  error: () => undefined,
};
const refusalsLogged = () =>
  warnings.filter(
    (entry) => 'setting' in entry.data && entry.data.setting === 'CrossDomainAllowIpAddress',
  );

let bed: ToolboxTestBed;
beforeAll(async () => {
  // The host site answers on localhost (allowed) and 127.0.0.1 (not allowed).
  bed = await startToolboxTestBed({ logger });
}, 60_000);
afterAll(() => bed?.stop());

test('when a page of an origin not allowed loads the toolbox, then the visitor reads that chat is not available here, the console has one error naming CrossDomainAllowIpAddress, and the server logs the origin once a minute', async () => {
  const url = bed.site.page('refused').replace(bed.site.url, bed.site.otherOrigin);
  const { page } = await bed.visitor();
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const handshakes: number[] = [];
  page.on('response', (response) => {
    if (response.url().includes('/CustomerChat/socket.io/')) handshakes.push(response.status());
  });
  const toolbox = toolboxOn(page);

  await page.goto(url);
  await toolbox.tab.click();
  // The refusal comes with the first handshake: far within the 15 s a request would wait.
  await toolbox.card.getByText('Chat is not available on this page.').waitFor({ timeout: 5_000 });
  expect(await toolbox.card.getByRole('button', { name: 'Start chat' }).count()).toBe(0);

  // The toolbox's own word for the site's owner, once; beside it only the browser's lines for the
  // refused handshake itself (the page's CSP refuses the WebSocket, then the polling one is
  // refused with 403), and no CORS error, since the refusal is readable.
  const ours = consoleErrors.filter((text) => text.includes('CrossDomainAllowIpAddress'));
  expect(ours).toHaveLength(1);
  expect(ours[0]).toContain('"127.0.0.1"');
  expect(consoleErrors.filter((text) => /CORS|Access-Control/.test(text))).toEqual([]);
  expect(pageErrors).toEqual([]);
  // No retries (socket.io would try again within 1.5 s): one refused handshake, and no more.
  await page.waitForTimeout(2_000);
  expect(handshakes).toEqual([403]);
  expect(consoleErrors.filter((text) => text.includes('403'))).toHaveLength(1);

  expect(refusalsLogged()).toHaveLength(1);
  expect(refusalsLogged()[0]?.data).toMatchObject({ origin: bed.site.otherOrigin });

  // Two more page loads within the minute: the visitor is told again, the log stays at one line.
  for (let load = 0; load < 2; load += 1) {
    await page.reload();
    await toolbox.tab.click();
    await toolbox.card.getByText('Chat is not available on this page.').waitFor();
  }
  expect(refusalsLogged()).toHaveLength(1);

  // A minute on (CustomerChat's clock): the next refusal is logged again.
  bed.h.time.advance(60_000);
  await page.reload();
  await toolbox.card
    .getByText('Chat is not available on this page.')
    .waitFor({ state: 'attached' });
  expect(refusalsLogged()).toHaveLength(2);
});

test('when the page is of an allowed origin, then nothing is refused and nothing is logged', async () => {
  const before = refusalsLogged().length;
  const { page } = await bed.visitor();
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  const toolbox = toolboxOn(page);
  await page.goto(bed.site.page('allowed'));
  await toolbox.tab.click();
  // No agent is logged in: the group's own closed message shows that the socket was served.
  await toolbox.card.getByText('Sales is closed').waitFor();
  expect(await toolbox.card.getByText('Chat is not available on this page.').count()).toBe(0);
  expect(consoleErrors.filter((text) => text.includes('CrossDomainAllowIpAddress'))).toEqual([]);
  expect(refusalsLogged()).toHaveLength(before);
});
