import { createHmac } from 'node:crypto';
import { buildAgentConsole, openReadyConsole } from '../support/agent-console-page';
import { startToolboxTestBed, toolboxOn, type ToolboxTestBed } from '../support/toolbox-host';

/**
 * Verified identity end to end in Chromium: a host page of another origin passes its logged-in
 * customer with setUser and the hash its server computed; the agent console marks the customer
 * verified, and one whose hash was forged (another customer's) not verified.
 */

jest.setTimeout(60_000);

const secret = 'the-shop-s-own-secret';
const hashOf = (customerId: string) =>
  createHmac('sha256', secret).update(customerId).digest('hex');

let bed: ToolboxTestBed;
beforeAll(async () => {
  await buildAgentConsole();
  bed = await startToolboxTestBed({
    web: { appSettings: { IdentityVerificationSecret: secret } },
  });
}, 60_000);
afterAll(() => bed?.stop());

/** A visitor whose page passes `customerId` with `hash` and asks for a chat. */
async function visitorAs(name: string, customerId: string, hash: string): Promise<void> {
  const { page } = await bed.visitor();
  const user = JSON.stringify({ name, customerId, customerIdHash: hash });
  await page.goto(
    bed.site.page(`user-${customerId}`, { customizePage: `Mitel.ChatToolbox.setUser(${user});` }),
  );
  const toolbox = toolboxOn(page);
  await toolbox.requestChat({ question: 'Where is my order?' });
  await toolbox.card.getByText('Your place in the queue: 1').waitFor();
}

test('When a page passes its customer with the right hash, then the console marks the CustomerID verified, and a forged hash not verified', async () => {
  const agentConsole = await openReadyConsole(bed);
  const shown = (detail: string) =>
    agentConsole.locator(`.chat-panel:not([hidden]) [data-detail="${detail}"] dd`);

  await visitorAs('Vera', 'C-1', hashOf('C-1'));
  await agentConsole.getByRole('button', { name: 'Accept (Alt+A)' }).click();
  await shown('name').filter({ hasText: 'Vera' }).waitFor();
  expect(await shown('customer-id').innerText()).toMatch(/^C-1\s*verified$/);
  expect(await shown('customer-id').locator('.identity.verified').count()).toBe(1);

  await visitorAs('Fred', 'C-2', hashOf('C-1'));
  await agentConsole.getByRole('button', { name: 'Accept (Alt+A)' }).click();
  await shown('name').filter({ hasText: 'Fred' }).waitFor();
  expect(await shown('customer-id').innerText()).toMatch(/^C-2\s*not verified$/);
  expect(await shown('customer-id').locator('.identity.unverified').count()).toBe(1);
});
