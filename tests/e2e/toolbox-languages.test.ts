import type { Page } from 'playwright-core';
import {
  screenshot,
  useToolboxTestBed,
  TestAgent,
  toolboxOn,
  type ToolboxTestBed,
} from '../support/toolbox-host';

/**
 * The toolbox in the visitor's language: the culture served with the script from the browser's
 * languages (each text falling back fr-BE → fr → neutral on its own), right-to-left for Arabic,
 * and the page's Language, fetched from the Strings route when it differs.
 */

jest.setTimeout(60_000);

let bed: ToolboxTestBed;
let alice: TestAgent;
useToolboxTestBed((started) => ({ bed, alice } = started));

describe('The chat toolbox in other languages', () => {
  test('When the browser asks for fr-BE, then the texts are fr-BE where it has them, fr where not, and neutral where fr has none', async () => {
    const { page } = await bed.visitor({ locale: 'fr-BE' });
    const toolbox = toolboxOn(page);
    await page.goto(
      bed.site.page('fr-be', { customizePage: 'config.TimeoutAfterConversation = 1;' }),
    );
    await toolbox.tab.getByText('Discutez avec nous').waitFor();
    await toolbox.tab.click();
    await toolbox.card.getByLabel('Numéro de GSM ou de téléphone').waitFor(); // fr-BE
    await toolbox.card.getByLabel('Adresse e-mail').waitFor(); // fr
    expect(await toolbox.card.locator('xpath=..').getAttribute('lang')).toBe('fr-BE');
    await screenshot(page, 'fr-BE-prechat');

    await toolbox.card.getByLabel('Votre nom').fill('fr-be');
    await toolbox.card.getByRole('button', { name: 'Démarrer le chat' }).click();
    const chatId = await alice.acceptOffer('fr-be');
    await toolbox.card.getByText('Alice a rejoint la conversation.').waitFor();
    await alice.call('LeaveChat', { ChatID: chatId });
    await toolbox.card.getByText("L'agent a clôturé la conversation.").waitFor(); // fr-BE
    await toolbox.card.getByText('Merci pour votre visite et à une prochaine fois !').waitFor(); // fr-BE
    const link = toolbox.card.getByRole('link', { name: 'Retour à notre site' }); // fr
    expect(await link.getAttribute('href')).toBe('https://www.example.com/'); // neutral
    await toolbox.card.getByRole('button', { name: 'Nouvelle conversation' }).waitFor(); // fr
    await screenshot(page, 'fr-BE-postchat');
  });

  test('When the browser asks for Arabic, then the toolbox is laid out right to left', async () => {
    const { page } = await bed.visitor({ locale: 'ar' });
    const toolbox = toolboxOn(page);
    await page.goto(
      bed.site.page('ar', { customizePage: "config.ToolboxPosition = 'bottom-left';" }),
    );
    await toolbox.tab.getByText('تحدث معنا').waitFor();
    expect(await toolbox.card.locator('xpath=..').getAttribute('dir')).toBe('rtl');
    await toolbox.tab.click();
    await toolbox.card.getByLabel('اسمك').fill('ar');
    await toolbox.card.getByRole('button', { name: 'ابدأ المحادثة' }).click();
    const chatId = await alice.acceptOffer('ar');
    await alice.say(chatId, 'مرحبا! كيف يمكنني مساعدتك؟');
    await toolbox.log.getByText('مرحبا!', { exact: false }).waitFor();
    const message = toolbox.card.getByRole('textbox', { name: 'اكتب رسالتك هنا' });
    await message.fill('أريد تتبع طلبي');
    await message.press('Enter');
    await toolbox.log.locator('li.me:not(.pending)', { hasText: 'أريد تتبع طلبي' }).waitFor();

    // The visitor's lines sit at the inline end: the left, in Arabic.
    const mine = await toolbox.log.locator('li.me').last().boundingBox();
    const theirs = await toolbox.log.locator('li.msg:not(.me)').last().boundingBox();
    const card = await toolbox.card.boundingBox();
    if (mine === null || theirs === null || card === null) throw new Error('not shown');
    expect(mine.x - card.x).toBeLessThan(20);
    expect(card.x + card.width - (theirs.x + theirs.width)).toBeLessThan(20);
    await screenshot(page, 'ar-conversation');
  });

  test('When the page sets Language, then its texts are fetched once from the Strings route, and not at all when the script came in that culture', async () => {
    const fetched = (page: Page) => {
      const urls: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('/Toolbox/Strings')) urls.push(request.url());
      });
      return urls;
    };
    const english = await bed.visitor({ locale: 'en-GB' });
    const germanTexts = fetched(english.page);
    await english.page.goto(
      bed.site.page('language-de', { customizePage: "config.Language = 'de';" }),
    );
    await toolboxOn(english.page).tab.getByText('Chatten Sie mit uns').waitFor();
    await toolboxOn(english.page).tab.click();
    await toolboxOn(english.page).card.getByRole('button', { name: 'Chat starten' }).waitFor();
    expect(germanTexts).toEqual([`${bed.h.url}/CustomerChat/Chat/Toolbox/Strings?culture=de`]);

    const belgian = await bed.visitor({ locale: 'fr-BE' });
    const noTexts = fetched(belgian.page);
    await belgian.page.goto(
      bed.site.page('language-fr-be', { customizePage: "config.Language = 'fr-BE';" }),
    );
    await toolboxOn(belgian.page).tab.getByText('Discutez avec nous').waitFor();
    expect(noTexts).toEqual([]);
  });

  test('When the Strings route is asked for a culture, then it answers the nearest one as cacheable JSON, to allowed origins only', async () => {
    const url = `${bed.h.url}/CustomerChat/Chat/Toolbox/Strings?culture=fr-CH`;
    const response = await fetch(url, { headers: { origin: bed.site.url } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(response.headers.get('access-control-allow-origin')).toBe(bed.site.url);
    const body = (await response.json()) as {
      culture: string;
      rightToLeft: boolean;
      strings: Record<string, string>;
    };
    expect(body).toMatchObject({ culture: 'fr', rightToLeft: false });
    expect(body.strings['Send']).toBe('Envoyer');
    expect(body.strings['PostUrl']).toBe('https://www.example.com/');
    // The agents' notices are not the page's business.
    expect(body.strings['CustomerLeft']).toBeUndefined();

    const etag = response.headers.get('etag') ?? '';
    // fetch() would add "Cache-Control: no-cache" to a conditional request, as browsers do.
    const again = await fetch(url, {
      headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' },
    });
    expect(again.status).toBe(304);
    const arabic = await fetch(`${bed.h.url}/CustomerChat/Chat/Toolbox/Strings?culture=ar`);
    expect(await arabic.json()).toMatchObject({ culture: 'ar', rightToLeft: true });
    const wrong = await fetch(
      `${bed.h.url}/CustomerChat/Chat/Toolbox/Strings?culture=%3Cscript%3E`,
    );
    expect(wrong.status).toBe(400);
    const stranger = await fetch(url, { headers: { origin: 'http://evil.example' } });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });
});
