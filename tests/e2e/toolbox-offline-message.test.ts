import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startToolboxTestBed, toolboxOn, type ToolboxTestBed } from '../support/toolbox-host';

/**
 * Offline messages in Chromium on a host page of another origin: while the group is closed (no
 * agent logged in) the toolbox offers a form; the message reaches the archive and the group's
 * address through the outbox, and the visitor is thanked. Bad input is refused in the browser and
 * again by CustomerChat.
 */

jest.setTimeout(60_000);

let bed: ToolboxTestBed;
let outbox: string;
beforeAll(async () => {
  outbox = mkdtempSync(join(tmpdir(), 'offline-outbox-'));
  bed = await startToolboxTestBed({
    chatService: {
      OutboxFolder: outbox,
      ServiceGroups: [
        {
          ServiceGroupID: 1,
          Name: 'Sales',
          Email: 'sales@example.com',
          Transcript: { SenderAddress: 'chat@example.com' },
        },
        { ServiceGroupID: 2, Name: 'Support' },
        { ServiceGroupID: 3, Name: 'Tenant7Group', TenantID: 7 },
      ],
    },
  });
}, 60_000);
afterAll(async () => {
  await bed?.stop();
  rmSync(outbox, { recursive: true, force: true });
});

test('When the group is closed, then a visitor leaves a message that reaches the archive and the group by mail, and is thanked', async () => {
  const { page } = await bed.visitor();
  const toolbox = toolboxOn(page);
  await page.goto(
    bed.site.page('offline', { customizePage: "config.CustomerEmail = 'not an address';" }),
  );
  await toolbox.tab.click();
  await toolbox.card.getByText('Leave us a message', { exact: false }).waitFor();
  await toolbox.card.getByLabel('Your name').fill('Olga');
  await toolbox.card.getByLabel('Your message').fill('Do you sell <b>hoses</b>?\nCall me back.');
  await toolbox.card.getByRole('button', { name: 'Send message' }).click();
  await toolbox.card.getByText('Please enter a valid e-mail address.').waitFor();
  expect(bed.h.chatService.server.center.archive.offlineMessages([1], 10)).toEqual([]);

  await toolbox.card.getByLabel('Email address').fill('olga@example.com');
  await toolbox.card.getByRole('button', { name: 'Send message' }).click();
  await toolbox.card.getByText('Thank you. We have your message', { exact: false }).waitFor();

  const [stored, ...more] = bed.h.chatService.server.center.archive.offlineMessages([1], 10);
  expect(more).toEqual([]);
  expect(stored).toMatchObject({
    ServiceGroupID: 1,
    ServiceGroupName: 'Sales',
    CustomerName: 'Olga',
    EmailAddress: 'olga@example.com',
    Message: 'Do you sell <b>hoses</b>?\nCall me back.',
  });
  const files = readdirSync(outbox);
  expect(files).toHaveLength(1);
  const mail = readFileSync(join(outbox, files[0] ?? ''), 'utf8');
  expect(mail).toMatch(/^To: sales@example\.com$/m);
  expect(mail).toMatch(/^From: chat@example\.com$/m);
  expect(mail).toMatch(/^Reply-To: olga@example\.com$/m);
  expect(mail).toContain('Do you sell <b>hoses</b>?');
});

test('When the site turns OfflineMessages off, then a closed group shows only that it is not available', async () => {
  const { page } = await bed.visitor();
  const toolbox = toolboxOn(page);
  await page.goto(
    bed.site.page('no-offline', { customizePage: 'config.OfflineMessages = false;' }),
  );
  await toolbox.tab.click();
  await toolbox.card.getByText('Chat is not available at the moment', { exact: false }).waitFor();
  expect(await toolbox.card.getByRole('button', { name: 'Send message' }).count()).toBe(0);
});

test('When a page sends a message without a valid e-mail or for an unknown group, then CustomerChat refuses it and nothing is stored', async () => {
  const visitor = await bed.h.visitor();
  const ask = (payload: object) =>
    visitor.timeout(10_000).emitWithAck('message:leave', payload) as Promise<{
      ok: boolean;
      error?: { code: string };
    }>;
  const before = bed.h.chatService.server.center.archive.offlineMessages([1, 2], 10).length;
  const base = { serviceGroupId: 1, name: 'Ivan', email: 'ivan@example.com', message: 'Hi' };
  expect(await ask({ ...base, email: 'ivan' })).toMatchObject({
    ok: false,
    error: { code: 'BadRequest' },
  });
  expect(await ask({ ...base, message: '   ' })).toMatchObject({ ok: false });
  expect(await ask({ ...base, serviceGroupId: 99 })).toMatchObject({
    ok: false,
    error: { code: 'UnknownServiceGroup' },
  });
  expect(await ask({ ...base, serviceGroupId: 2 })).toEqual({ ok: true });
  const after = bed.h.chatService.server.center.archive.offlineMessages([1, 2], 10);
  expect(after.length).toBe(before + 1);
  // Support has no e-mail address: the message is kept, and no mail is made for it.
  expect(readdirSync(outbox)).toHaveLength(1);
});
