import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import type { ToolboxTestBed } from './toolbox-host';

/** The console's route serves dist/client/agent.js: built by the test so it needs no build first. */
export async function buildAgentConsole(): Promise<void> {
  const root = join(__dirname, '..', '..');
  await promisify(execFile)(process.execPath, [join(root, 'scripts', 'build-agent-console.mjs')], {
    cwd: root,
  });
}

/**
 * A console test file's browser: the console built and Chromium started before its tests,
 * closed after them. Read the browser inside a test or hook, once beforeAll has run.
 */
export function useConsoleBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    await buildAgentConsole();
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (browser === undefined) throw new Error('the browser has not started');
    return browser;
  };
}

/** alice's console on the bed's Chat Service, logged in and ready for chats. */
export async function openReadyConsole(bed: ToolboxTestBed): Promise<Page> {
  const context = await bed.browser.newContext({ viewport: { width: 1360, height: 860 } });
  const page = await context.newPage();
  // The Chat Service's clock is the test's: the console's follows it.
  await page.clock.install({ time: bed.h.chatService.time.now() });
  await page.clock.resume();
  await page.goto(`${bed.h.chatService.url}/Agent`);
  await page.getByLabel('Agent ID').fill('alice');
  await page.getByLabel('Password').fill('alice-pw');
  await page.getByLabel('Password').press('Enter');
  await page.getByRole('switch', { name: 'Ready for chats' }).click();
  await page.getByRole('switch', { checked: true }).waitFor();
  return page;
}
