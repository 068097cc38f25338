import type { Page } from 'playwright-core';
import { contrast, themeCss } from '../../client/toolbox/theme-colors';
import { checkToolboxConfig } from '../../server/customer-chat/gateway/toolbox-boot';
import {
  useToolboxTestBed,
  TestAgent,
  toolboxOn,
  type ToolboxTestBed,
} from '../support/toolbox-host';
import { seriousViolations } from '../support/axe';

/**
 * Theming: AccentColor and ColorScheme, on the strict-CSP host page of another origin (no inline
 * style anywhere), with axe-core finding no serious or critical problem (contrast included) in
 * the dark scheme, the system's, and with accents light and dark.
 */

jest.setTimeout(60_000);

let bed: ToolboxTestBed;
let alice: TestAgent;
useToolboxTestBed((started) => ({ bed, alice } = started));

/** The colour of a part of the toolbox as the browser computed it. */
const computed = (page: Page, selector: string, property: string) =>
  page.evaluate(
    `getComputedStyle(document.querySelector('[data-customer-chat=toolbox]').shadowRoot.querySelector(${JSON.stringify(selector)})).getPropertyValue(${JSON.stringify(property)})`,
  ) as Promise<string>;

/** A chat through every page a visitor sees, axe run on each; the findings by page. */
async function axeThroughAChat(page: Page, name: string): Promise<Record<string, string[]>> {
  const toolbox = toolboxOn(page);
  const findings: Record<string, string[]> = {};
  await toolbox.tab.waitFor();
  await toolbox.tab.click();
  await toolbox.card.getByText('Expected wait', { exact: false }).waitFor();
  findings['prechat'] = await seriousViolations(page);
  await toolbox.card.getByLabel('Your name').fill(name);
  await toolbox.card.getByRole('button', { name: 'Start chat' }).click();
  await toolbox.card.getByText('Your place in the queue: 1').waitFor();
  findings['waiting'] = await seriousViolations(page);
  const chatId = await alice.acceptOffer(name);
  await alice.say(chatId, 'Our terms: https://example.com/terms');
  await toolbox.say('Thanks, reading them now');
  await toolbox.log.getByText('Thanks, reading them now').waitFor();
  await toolbox.log.getByRole('link', { name: 'https://example.com/terms' }).waitFor();
  findings['conversation'] = await seriousViolations(page);
  await toolbox.card.getByRole('button', { name: 'Do you want to end this chat?' }).click();
  await toolbox.card.getByRole('button', { name: 'Yes' }).click();
  await toolbox.card.getByRole('button', { name: 'Send rating' }).waitFor();
  findings['postchat'] = await seriousViolations(page);
  const violations = (await page.evaluate('window.cspViolations')) as string[];
  findings['csp'] = violations.filter((violation) => !violation.startsWith('connect-src ws:'));
  return findings;
}

const clean = { prechat: [], waiting: [], conversation: [], postchat: [], csp: [] };

describe('Theming in the browser', () => {
  test('When the site picks the dark scheme and its own accent, then the card is dark, the accent shows, and axe finds nothing serious on any page', async () => {
    const { page } = await bed.visitor();
    await page.goto(
      bed.site.page('dark', {
        customizePage: "config.ColorScheme = 'dark'; config.AccentColor = '#7b2cbf';",
      }),
    );
    expect(await axeThroughAChat(page, 'dark')).toEqual(clean);
    expect(await computed(page, '.card', 'background-color')).toBe('rgb(27, 31, 38)');
    expect(await computed(page, '.head', 'background-color')).toBe('rgb(123, 44, 191)');
    expect(await computed(page, '.head', 'color')).toBe('rgb(255, 255, 255)');
  });

  test('When the accent is too light for white text, then its text turns dark and axe still finds nothing serious, also in the system’s dark scheme', async () => {
    const { page } = await bed.visitor({ colorScheme: 'dark' });
    await page.goto(
      bed.site.page('light-accent', {
        customizePage: "config.ColorScheme = 'system'; config.AccentColor = '#ffd166';",
      }),
    );
    expect(await axeThroughAChat(page, 'light-accent')).toEqual(clean);
    expect(await computed(page, '.card', 'background-color')).toBe('rgb(27, 31, 38)');
    expect(await computed(page, '.tab', 'color')).toBe('rgb(0, 0, 0)');
  });

  test('When the accent is not a colour, then the page is told on the console and the default accent is used', async () => {
    const { page } = await bed.visitor();
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    await page.goto(
      bed.site.page('bad-accent', {
        customizePage:
          "config.AccentColor = 'url(https://evil.example/x)'; config.ColorScheme = 'pink';",
      }),
    );
    await toolboxOn(page).tab.waitFor();
    expect(warnings).toEqual(
      expect.arrayContaining([
        'Mitel.ChatToolbox.Config.AccentColor must be a colour as #rrggbb or #rgb: ignored.',
        'Mitel.ChatToolbox.Config.ColorScheme must be one of light, dark, system: ignored.',
      ]),
    );
    expect(await computed(page, '.tab', 'background-color')).toBe('rgb(10, 88, 168)');
  });
});

describe('Theme colours', () => {
  const tokens = (css: string) =>
    Object.fromEntries([...css.matchAll(/--([a-z-]+):(#[0-9a-f]{6})/g)].map((m) => [m[1], m[2]]));

  test.each(['#0a58a8', '#ffd166', '#7b2cbf', '#00ff00', '#777777', '#000000', '#ffffff', '#f80'])(
    'When the accent is %s, then text on it and the accent as text reach 4.5:1 in both schemes',
    (accent) => {
      for (const scheme of ['light', 'dark'] as const) {
        const t = tokens(themeCss(accent, scheme));
        expect(contrast(t['on-ac'] ?? '', t['ac'] ?? '')).toBeGreaterThanOrEqual(4.5);
        expect(contrast(t['on-ac'] ?? '', t['ac-hover'] ?? '')).toBeGreaterThanOrEqual(4.5);
        expect(contrast(t['ac-ink'] ?? '', t['bg'] ?? '')).toBeGreaterThanOrEqual(4.5);
        expect(contrast(t['ac-ink'] ?? '', t['soft'] ?? '')).toBeGreaterThanOrEqual(4.5);
        for (const text of ['ink', 'mute', 'err'])
          for (const ground of ['bg', 'soft', 'field', 'alert'])
            expect(contrast(t[text] ?? '', t[ground] ?? '')).toBeGreaterThanOrEqual(4.5);
      }
    },
  );

  test('When the page gives AccentColor and ColorScheme, then only #rgb / #rrggbb and light, dark, system pass', () => {
    const { config, problems } = checkToolboxConfig({
      AccentColor: '#ABC',
      ColorScheme: 'system',
      AskForRating: false,
    });
    expect(config).toEqual({ AccentColor: '#ABC', ColorScheme: 'system', AskForRating: false });
    expect(problems).toEqual([]);
    expect(
      checkToolboxConfig({ AccentColor: 'red;}', ColorScheme: 'sepia' }).problems.map(
        (p) => p.name,
      ),
    ).toEqual(['AccentColor', 'ColorScheme']);
  });
});
