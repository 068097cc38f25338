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
 * The toolbox in Chromium on a host page of another origin (strict CSP), with a real agent on the
 * agent API: the pages of a chat from request to post-chat, both ways, and back after navigation.
 */

jest.setTimeout(60_000);

let bed: ToolboxTestBed;
let alice: TestAgent;
// A second of send window: a message the cut keeps from the Chat Service is refused soon after.
useToolboxTestBed(
  (started) => ({ bed, alice } = started),
  () => ({ web: { upstreamSendRetrySeconds: 1 } }),
);

/** The texts of the conversation's lines, in order. */
const linesOf = (page: Page) =>
  toolboxOn(page).lines.evaluateAll((items) => items.map((item) => item.textContent ?? ''));

/** A visitor on a new page in a chat that alice has accepted. */
const chatWithAlice = (pageName: string, customizePage = '', question = 'Hello') =>
  chatWith(bed, alice, pageName, { customizePage }, question);

describe('The chat toolbox in a conversation', () => {
  test('When a visitor asks for a chat and an agent answers, then messages go both ways with sender and time, as text, links safe, typing shown', async () => {
    const { page } = await bed.visitor();
    const toolbox = toolboxOn(page);
    await page.goto(bed.site.page('chat'));
    await toolbox.tab.click();
    await toolbox.card.getByText('Expected wait: less than a minute').waitFor();
    await screenshot(page, 'prechat');

    await toolbox.card.getByLabel('Your name').fill('Ann');
    await toolbox.card.getByLabel('Email address').fill('ann@example.com');
    await toolbox.card.getByLabel('How can we help you today?').fill('Do you ship to Norway?');
    await toolbox.card.getByRole('button', { name: 'Start chat' }).click();
    await toolbox.card.getByText('Welcome to Sales').waitFor();
    await toolbox.card.getByText('Your place in the queue: 1').waitFor();
    await toolbox.card.getByText('Expected wait: less than a minute').waitFor();
    await screenshot(page, 'waiting');

    const offer = await alice.waitFor('ChatOffered', (event) => event.Data.CustomerName === 'Ann');
    expect(offer.Data).toMatchObject({
      ServiceGroupID: 1,
      InitialMessage: 'Do you ship to Norway?',
    });
    const chatId = await alice.acceptOffer('Ann');
    await toolbox.card.getByText('Alice has joined the chat.').waitFor();

    await alice.say(chatId, 'Yes, in 3 to 5 days. Our rates: https://example.com/ship?to=no.');
    await toolbox.log.getByText('Yes, in 3 to 5 days.', { exact: false }).waitFor();
    const link = toolbox.log.getByRole('link');
    expect(await link.getAttribute('href')).toBe('https://example.com/ship?to=no');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await link.getAttribute('target')).toBe('_blank');
    const agentLine = toolbox.lines.filter({ hasText: 'Yes, in 3 to 5 days.' });
    expect(await agentLine.locator('.meta').textContent()).toMatch(/^Alice\s*\d\d:\d\d$/);

    // Typing both ways: the agent's shows on the page, the visitor's reaches the agent.
    await alice.call('SendTyping', { ChatID: chatId });
    await toolbox.card.getByText('Alice is writing…').waitFor();
    await toolbox.message.pressSequentially('Great, thanks!');
    await alice.waitFor('CustomerTyping', (event) => event.Data.ChatID === chatId);
    await toolbox.message.press('Enter');
    await alice.waitFor('MessageReceived', (event) => event.Data.Message === 'Great, thanks!');
    await toolbox.log.locator('li.me:not(.pending)', { hasText: 'Great, thanks!' }).waitFor();
    await alice.call('SendTyping', { ChatID: chatId });
    await toolbox.card.getByText('Alice is writing…').waitFor();
    await screenshot(page, 'conversation');

    // Markup and other schemes from an agent stay text.
    await alice.say(
      chatId,
      '<img src=x onerror="window.hacked=1"> javascript:alert(1) <b>bold</b>',
    );
    await toolbox.log.getByText('<img src=x', { exact: false }).waitFor();
    expect(await toolbox.log.locator('img, b').count()).toBe(0);
    expect(await page.evaluate('"hacked" in window')).toBe(false);
    expect(await toolbox.log.getByRole('link').count()).toBe(1);
    expect(await linesOf(page)).toEqual([
      expect.stringContaining('Do you ship to Norway?'),
      'Alice has joined the chat.',
      expect.stringContaining('Yes, in 3 to 5 days.'),
      expect.stringMatching(/^Ann\s*\d\d:\d\dGreat, thanks!$/),
      expect.stringContaining(
        '<img src=x onerror="window.hacked=1"> javascript:alert(1) <b>bold</b>',
      ),
    ]);
  });

  test('When visitors wait in the queue, then each sees its place and the estimate move live; closing asks ReallyClose and leads to the post-chat page', async () => {
    // Bob is logged in but not ready, and so is Alice for now: Support is open, its chats wait.
    await bed.h.chatService.login('bob');
    await alice.call('SetReady', { Ready: false });
    const first = await bed.visitor();
    const second = await bed.visitor();
    const url = bed.site.page('queue', { customizePage: 'config.ServiceGroupID = 2;' });
    for (const { page } of [first, second]) {
      await page.goto(url);
      await toolboxOn(page).requestChat({ name: 'Queued' });
    }
    const behind = toolboxOn(second.page);
    await behind.card.getByText('Your place in the queue: 2').waitFor();

    const ahead = toolboxOn(first.page);
    await ahead.card.getByRole('button', { name: 'Do you want to end this chat?' }).click();
    const confirm = ahead.card.getByRole('alertdialog', { name: 'Do you want to end this chat?' });
    await confirm.waitFor();
    await screenshot(first.page, 'really-close');
    await confirm.getByRole('button', { name: 'No' }).click();
    await ahead.card.getByText('Your place in the queue: 1').waitFor();

    await ahead.card.getByRole('button', { name: 'Do you want to end this chat?' }).click();
    await confirm.getByRole('button', { name: 'Yes' }).click();
    await ahead.card.getByText('Thank you for chatting with us. We hope we could help.').waitFor();
    const link = ahead.card.getByRole('link', { name: 'Back to our website' });
    expect(await link.getAttribute('href')).toBe('https://www.example.com/');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    await screenshot(first.page, 'postchat');

    // The one behind moves up without asking.
    await behind.card.getByText('Your place in the queue: 1').waitFor();
    await ahead.card.getByRole('button', { name: 'New chat' }).click();
    await ahead.card.getByRole('button', { name: 'Start chat' }).waitFor();

    // The one behind leaves too, so that no chat is left waiting for the next tests' agent.
    await behind.card.getByRole('button', { name: 'Do you want to end this chat?' }).click();
    await behind.card.getByRole('button', { name: 'Yes' }).click();
    await behind.card.getByRole('button', { name: 'New chat' }).waitFor();
    await alice.call('SetReady', { Ready: true });
  });

  test('When ShowPostChat is false and the visitor ends the chat, then the card goes away and opens again on a new pre-chat page', async () => {
    const { page, toolbox } = await chatWithAlice('no-postchat', 'config.ShowPostChat = false;');
    await toolbox.card.getByRole('button', { name: 'Do you want to end this chat?' }).click();
    await toolbox.card.getByRole('button', { name: 'Yes' }).click();
    await toolbox.card.waitFor({ state: 'hidden' });
    await toolbox.tab.click();
    await toolbox.card.getByRole('button', { name: 'Start chat' }).waitFor();
    expect(await toolbox.card.getByText('Thank you for chatting', { exact: false }).count()).toBe(
      0,
    );
    // The ended chat's token is forgotten: the next page does not resume it.
    expect(await page.evaluate("localStorage.getItem('customerchat.chat')")).toBeNull();
  });

  test('When the agent ends the chat, then the page says so, offers a new chat, and shows the post-chat page after TimeoutAfterConversation', async () => {
    const { page, toolbox, chatId } = await chatWithAlice(
      'ended',
      'config.TimeoutAfterConversation = 1;',
    );
    await alice.call('LeaveChat', { ChatID: chatId });
    await toolbox.card.getByText('Alice has left the chat.').waitFor();
    await toolbox.card.getByText('The agent ended the chat.').waitFor();
    await toolbox.card.getByRole('button', { name: 'New chat' }).waitFor();
    expect(await toolbox.message.isVisible()).toBe(false);
    await screenshot(page, 'ended');
    await toolbox.card.getByText('Thank you for chatting with us.', { exact: false }).waitFor();
  });

  test('When the visitor moves to another page and reloads during a chat, then the same conversation comes back, nothing doubled or missing', async () => {
    const { page, toolbox, chatId } = await chatWithAlice('resume', '', 'First question');
    await toolbox.say('Second line');
    await alice.waitFor('MessageReceived', (event) => event.Data.Message === 'Second line');
    await alice.say(chatId, 'Answer one');
    await toolbox.log.getByText('Answer one').waitFor();
    const before = await linesOf(page);

    // The agent writes while the visitor is between pages.
    await page.getByRole('link', { name: 'Another page of the shop' }).click();
    await alice.say(chatId, 'Sent while you moved');
    await page.waitForURL(/\?again$/);
    await toolbox.log.getByText('Sent while you moved').waitFor();
    expect(await linesOf(page)).toEqual([
      ...before,
      expect.stringContaining('Sent while you moved'),
    ]);

    await page.reload();
    await toolbox.log.getByText('Sent while you moved').waitFor();
    await toolbox.say('Back again');
    await alice.waitFor('MessageReceived', (event) => event.Data.Message === 'Back again');
    await toolbox.log.locator('li.me:not(.pending)', { hasText: 'Back again' }).waitFor();
    expect(await linesOf(page)).toEqual([
      ...before,
      expect.stringContaining('Sent while you moved'),
      expect.stringContaining('Back again'),
    ]);
    // The first question went with the request (the offer's InitialMessage).
    expect(await alice.customerMessages(chatId)).toEqual(['Second line', 'Back again']);
  });

  test('When a message cannot reach the Chat Service within the send window, then it is marked with ErrorSendingMessage and its retry delivers it once', async () => {
    const { page, toolbox, chatId } = await chatWithAlice('retry');
    await bed.h.proxy.cut();
    await toolbox.say('Are you there?');
    const failed = toolbox.log.locator('li.failed', { hasText: 'Are you there?' });
    await failed.getByText('Your message could not be sent. Please try again.').waitFor();
    await screenshot(page, 'send-failed');

    await bed.h.proxy.restore();
    // CustomerChat's pump waits on its (manual) clock before asking the service again.
    bed.h.time.advance(10_000);
    await failed.getByRole('button', { name: 'Send your message' }).click();
    await alice.waitFor('MessageReceived', (event) => event.Data.Message === 'Are you there?');
    await toolbox.log.locator('li.me:not(.pending)', { hasText: 'Are you there?' }).waitFor();
    expect(await toolbox.lines.filter({ hasText: 'Are you there?' }).count()).toBe(1);
    expect(await alice.customerMessages(chatId)).toEqual(['Are you there?']);
  });

  test('When files go both ways, then the visitor sees the upload progress and each side gets the same bytes; files beyond the limits are refused in the browser and by the server', async () => {
    const { page, toolbox, chatId } = await chatWithAlice(
      'files',
      'config.MaxAttachmentSize = 3000; config.RestrictedAttachmentTypes = ["exe"];',
    );
    const choose = async (name: string, buffer: Buffer) => {
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        toolbox.card.getByRole('button', { name: 'Browse…' }).click(),
      ]);
      await chooser.setFiles({ name, mimeType: 'application/octet-stream', buffer });
    };
    const bar = toolbox.card.locator('.bar');

    // Refused at once, in the browser: the type, then the size (the page's 3000 KB is the lesser).
    await choose('setup.exe', Buffer.from('MZ'));
    await bar.getByText('Files of type "exe" cannot be sent.').waitFor();
    await choose('huge.txt', Buffer.alloc(3001 * 1024, 'a'));
    await bar.getByText('This file is too large. Files can be at most 3000 KB.').waitFor();
    expect(await bar.getByRole('button', { name: 'Upload' }).count()).toBe(0);

    // Refused by CustomerChat: a "pdf" that is not one.
    await choose('invoice.pdf', Buffer.from('plain text'));
    await bar.getByRole('button', { name: 'Upload' }).click();
    await bar
      .getByText(
        'The file could not be sent. This file cannot be sent: its content does not match its type "pdf".',
      )
      .waitFor();

    // A slow line, so the progress has steps to show.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 1024 * 1024,
    });
    const bytes = Buffer.alloc(1536 * 1024, 'order 4711\n');
    await choose('order.txt', bytes);
    // Every text the file bar shows, as it changes.
    await page.evaluate(`(() => {
      const bar = document.querySelector('[data-customer-chat]').shadowRoot.querySelector('.bar');
      window.progressSeen = [];
      new MutationObserver(() => window.progressSeen.push(bar.textContent))
        .observe(bar, { subtree: true, childList: true, characterData: true });
    })()`);
    await bar.getByRole('button', { name: 'Upload' }).click();
    await bar.getByText(/^Sending file: [1-9]\d?%$/).waitFor();
    await screenshot(page, 'upload-progress');
    await bar.getByText('File sent.').waitFor();
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    const seen = (await page.evaluate('window.progressSeen')) as string[];
    const percents = seen
      .flatMap((text) => /Sending file: (\d+)%/.exec(text)?.[1] ?? [])
      .map(Number);
    expect(percents.some((percent) => percent > 0 && percent < 100)).toBe(true);

    const received = await alice.waitFor(
      'MessageReceived',
      (event) => event.Data.Attachment?.FileName === 'order.txt',
    );
    const stored = await alice.call('GetAttachment', {
      ChatID: chatId,
      AttachmentID: received.Data.Attachment?.AttachmentID,
    });
    expect(Buffer.from(String(stored['Data']), 'base64').equals(bytes)).toBe(true);
    await toolbox.log.getByRole('link', { name: 'order.txt' }).waitFor();

    // And back: the agent's file is a link on the page that fetches the same bytes.
    const receipt = Buffer.from('Receipt: two chairs, paid.\n');
    await alice.call('SendMessage', {
      ChatID: chatId,
      Message: 'receipt.txt',
      Attachment: receipt.toString('base64'),
    });
    const link = toolbox.log.getByRole('link', { name: 'receipt.txt' });
    await link.waitFor();
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    const href = String(await link.getAttribute('href'));
    expect(href.startsWith(`${bed.h.url}/CustomerChat/Chat/Attachment/`)).toBe(true);
    const download = await fetch(href);
    expect(Buffer.from(await download.arrayBuffer()).equals(receipt)).toBe(true);
    await screenshot(page, 'files');
  });
});
