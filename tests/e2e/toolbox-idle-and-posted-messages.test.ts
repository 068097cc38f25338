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
 * The idle timeout (short, as customizePage may set it) and the postMessage API, which takes the
 * specification's message only from the allowed origin and only during a conversation.
 */

jest.setTimeout(60_000);

let bed: ToolboxTestBed;
let alice: TestAgent;
useToolboxTestBed((started) => ({ bed, alice } = started));

const sendMessage = (message: unknown, hideLocal?: boolean) => ({
  apiType: 'ChatToolbox',
  apiVersion: '2.2.0',
  methodName: 'SendMessage',
  arguments: hideLocal === undefined ? { message } : { message, hideLocal },
});

/** The page posts to itself, as the specification's example does. */
const postFromPage = (page: Page, data: unknown) =>
  page.evaluate(`window.postMessage(${JSON.stringify(data)}, window.location.origin)`);

/** A frame of another origin posts to the page; resolves once the frame has loaded. */
const postFromFrame = (page: Page, frameUrl: string) =>
  page.evaluate(`new Promise((resolve) => {
    const frame = document.createElement('iframe');
    frame.addEventListener('load', () => resolve(), { once: true });
    frame.title = 'partner';
    frame.src = ${JSON.stringify(frameUrl)};
    document.body.append(frame);
  })`);

describe('The chat toolbox, idle and posted messages', () => {
  test('When the visitor stays idle, then SessionWillSoonBeClosed warns before IdleTimeout, activity starts the wait over, and the chat then ends with SessionTimeout', async () => {
    const { page, toolbox, chatId } = await chatWith(bed, alice, 'idle', {
      customizePage: 'config.IdleTimeout = 4; config.WarningBeforeIdleTimeout = 2;',
    });
    const warning = toolbox.alert.getByText(
      'Are you still there? This chat will close in 2 seconds unless you reply.',
    );
    await warning.waitFor({ timeout: 5000 });
    await screenshot(page, 'idle-warning');

    // Typing is activity: the warning goes and the full wait starts again.
    await toolbox.message.pressSequentially('still here');
    const activeAt = Date.now();
    await warning.waitFor({ state: 'hidden' });
    await warning.waitFor({ timeout: 5000 });
    expect(Date.now() - activeAt).toBeGreaterThanOrEqual(1800);
    expect(await toolbox.message.isVisible()).toBe(true);

    await toolbox.card
      .getByText('This chat was closed because it was inactive for too long.')
      .waitFor({ timeout: 5000 });
    expect(await toolbox.card.getByText('The chat has ended.').count()).toBe(0);
    await toolbox.card.getByRole('button', { name: 'New chat' }).waitFor();
    await alice.waitFor(
      'ChatState',
      (event) => event.Data.ChatID === chatId && event.Data.EndedBy === 'CustomerIdle',
    );
    await screenshot(page, 'idle-timeout');
  });

  test('When messages are posted, then only the specification shape from the page origin during the conversation is sent, hideLocal ones to the agent alone', async () => {
    const { page } = await bed.visitor();
    const toolbox = toolboxOn(page);
    await page.goto(bed.site.page('posted', { frameSources: [bed.site.otherOrigin] }));
    await toolbox.requestChat({ name: 'posted' });
    // Not yet in a conversation: ignored.
    await postFromPage(page, sendMessage('too early'));
    const chatId = await alice.acceptOffer('posted');
    await toolbox.message.waitFor();

    await postFromPage(page, sendMessage('from the page'));
    await toolbox.log.getByText('from the page').waitFor();
    await postFromPage(page, sendMessage('for the agent only', true));
    for (const wrong of [
      'SendMessage',
      { ...sendMessage('wrong method'), methodName: 'Eval' },
      { ...sendMessage('wrong api'), apiType: 'Other' },
      sendMessage(42),
      sendMessage('hideLocal not a boolean', 'yes' as unknown as boolean),
    ])
      await postFromPage(page, wrong);
    await postFromFrame(page, bed.site.poster('stranger', sendMessage('from another origin')));
    await postFromPage(page, sendMessage('last one'));

    await alice.waitFor('MessageReceived', (event) => event.Data.Message === 'last one');
    expect(await alice.customerMessages(chatId)).toEqual([
      'from the page',
      'for the agent only',
      'last one',
    ]);
    await toolbox.log.locator('li.me:not(.pending)', { hasText: 'last one' }).waitFor();
    const shown = await toolbox.log.textContent();
    expect(shown).toContain('from the page');
    expect(shown).not.toContain('for the agent only');
    expect(shown).not.toContain('from another origin');
  });

  test("When PostedMessagesAllowedOrigin (the specification's other spelling) names a partner origin, then its frame may post and the page itself may not", async () => {
    const partner = bed.site.otherOrigin;
    const { page, chatId } = await chatWith(bed, alice, 'partner', {
      customizePage: `config.PostedMessagesAllowedOrigin = ${JSON.stringify(partner)};`,
      frameSources: [partner],
    });
    await postFromFrame(page, bed.site.poster('partner-1', sendMessage('from the partner')));
    await postFromPage(page, sendMessage('from the page itself'));
    await postFromFrame(page, bed.site.poster('partner-2', sendMessage('partner again')));
    await alice.waitFor('MessageReceived', (event) => event.Data.Message === 'partner again');
    expect(await alice.customerMessages(chatId)).toEqual(['from the partner', 'partner again']);
  });
});
