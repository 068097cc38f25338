import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * Debian's Chromium, headless, as the project's browser tests use it (playwright gives each launch
 * a fresh, empty profile). A missing browser is an
 * error, never a skipped test: scripts/install-system-deps.sh installs it.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is not installed at ${chromiumPath}: run bash scripts/install-system-deps.sh chromium`,
    );
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Where browser tests write their screenshots (kept out of git; the best ones go to docs/). */
export const screenshotDir = join(__dirname, '..', '..', 'test-results', 'screenshots');
