import {
  chatWith,
  startToolboxTestBed,
  TestAgent,
  toolboxOn,
  useToolboxTestBed,
  type ToolboxTestBed,
} from '../support/toolbox-host';

/**
 * Settings the toolbox showed wrongly, each reproduced in Chromium on a host page of another
 * origin as the issue found it: a form asking for details that IgnoreCustomerDetails drops, a
 * group of ServiceGroupIDsToReject that looked "not available", a closed group without its own
 * ClosedMessage, "1 minute" for a wait of 0 s, a bare "#1" for the place in the queue, and a
 * disguised program refused as if its claimed type were not allowed.
 */

jest.setTimeout(60_000);

const groups = [
  { ServiceGroupID: 1, Name: 'Sales', QueueMessage: 'Welcome to Sales' },
  { ServiceGroupID: 2, Name: 'Support', QueueMessage: 'Welcome to Support' },
  {
    ServiceGroupID: 3,
    Name: 'Tenant7Group',
    TenantID: 7,
    ClosedMessage: 'We are closed until Monday 9:00.',
  },
];

describe('The toolbox shows what the settings say', () => {
  let bed: ToolboxTestBed;
  let alice: TestAgent;
  useToolboxTestBed(
    (started) => ({ bed, alice } = started),
    () => ({
      web: { appSettings: { ServiceGroupIDsToReject: '2' } },
      chatService: { ServiceGroups: groups },
    }),
  );

  test('When the page is for a group in ServiceGroupIDsToReject, then the card shows the RequestRejected text, not "not available"', async () => {
    const { page } = await bed.visitor();
    const toolbox = toolboxOn(page);
    await page.goto(bed.site.page('rejected', { customizePage: 'config.ServiceGroupID = 2;' }));
    await toolbox.tab.click();

    await toolbox.card
      .getByText('Sorry, we cannot take your chat right now. Please try again later.')
      .waitFor();
    expect(await toolbox.card.getByText('not available', { exact: false }).count()).toBe(0);
    // Nor is a message left for a group this CustomerChat refuses.
    expect(await toolbox.card.getByRole('button', { name: 'Send message' }).count()).toBe(0);
  });

  test('When the group is closed, then the card shows its own ClosedMessage, with the offline form and without', async () => {
    const closed = 'config.TenantID = 7; config.ServiceGroupID = 3;';
    for (const [name, extra] of [
      ['closed-offline', ''],
      ['closed-plain', ' config.OfflineMessages = false;'],
    ] as const) {
      const { page } = await bed.visitor();
      const toolbox = toolboxOn(page);
      await page.goto(bed.site.page(name, { customizePage: closed + extra }));
      await toolbox.tab.click();

      await toolbox.card.getByText('We are closed until Monday 9:00.').waitFor();
      expect(await toolbox.card.getByText('not available', { exact: false }).count()).toBe(0);
    }
  });

  test('When the estimated wait is 0 seconds, then it reads "less than a minute", not "1 minute"', async () => {
    const { page } = await bed.visitor();
    const toolbox = toolboxOn(page);
    await page.goto(bed.site.page('estimate'));
    await toolbox.tab.click();

    await toolbox.card.getByText('Expected wait: less than a minute').waitFor();
    expect(await toolbox.card.getByText('1 minute', { exact: false }).count()).toBe(0);
  });

  test('When the visitor waits in the queue, then the page labels the place: "Your place in the queue: 1", not a bare "#1"', async () => {
    const { page } = await bed.visitor();
    const toolbox = toolboxOn(page);
    await page.goto(bed.site.page('queue'));
    await toolbox.requestChat({ name: 'Queued Quentin', question: 'Hi' });

    await toolbox.card.getByText('Welcome to Sales').waitFor();
    await toolbox.card.getByText('Your place in the queue: 1', { exact: true }).waitFor();
    expect(await toolbox.card.getByText('#1').count()).toBe(0);
    await alice.acceptOffer('Queued Quentin');
  });

  test('When a program is renamed .png, then the refusal says its content does not match its type', async () => {
    const { page, toolbox } = await chatWith(bed, alice, 'disguised');
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      toolbox.card.getByRole('button', { name: 'Browse…' }).click(),
    ]);
    const program = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510)]);
    await chooser.setFiles({ name: 'photo.png', mimeType: 'image/png', buffer: program });
    const bar = toolbox.card.locator('.bar');
    await bar.getByRole('button', { name: 'Upload' }).click();

    await bar
      .getByText(
        'The file could not be sent. This file cannot be sent: its content does not match its type "png".',
      )
      .waitFor();
    expect(await bar.getByText('Files of type', { exact: false }).count()).toBe(0);
  });
});

describe('With IgnoreCustomerDetails', () => {
  let bed: ToolboxTestBed;
  let alice: TestAgent;
  beforeAll(async () => {
    bed = await startToolboxTestBed({ web: { appSettings: { IgnoreCustomerDetails: true } } });
    alice = await TestAgent.login(bed.h, 'alice');
  });
  afterAll(() => bed?.stop());

  test('When CustomerChat drops name, e-mail and phone, then the pre-chat form does not ask for them, and the chat starts with the question alone', async () => {
    const { page } = await bed.visitor();
    const toolbox = toolboxOn(page);
    await page.goto(bed.site.page('no-details'));
    await toolbox.tab.click();
    await toolbox.card.getByLabel('How can we help you today?').fill('Where is my order?');

    for (const label of ['Your name', 'Email address', 'Phone number'])
      expect(await toolbox.card.getByLabel(label).count()).toBe(0);
    await toolbox.card.getByRole('button', { name: 'Start chat' }).click();
    const offer = await alice.waitFor(
      'ChatOffered',
      (event) => event.Data.InitialMessage === 'Where is my order?',
    );
    expect(offer.Data.CustomerName).toBe('');
    await alice.call('AcceptChat', { ChatID: offer.Data.ChatID });
    await alice.call('LeaveChat', { ChatID: offer.Data.ChatID });
  });
});
