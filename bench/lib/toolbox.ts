import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import type { ServerHandle, ServerLauncher } from './servers';
import { kib, median, round } from './stats';

export interface ToolboxOptions {
  runs: number;
  log: (line: string) => void;
}

export interface ToolboxRun {
  /** Toolbox script fully received → its first element on screen. */
  loadToVisibleMs: number;
  /** Navigation start → toolbox element on screen. */
  navigationToVisibleMs: number;
  /** Request → last byte of the toolbox script. */
  scriptFetchMs: number;
}

export interface ToolboxResult {
  /** The script as CustomerChat serves it (bundle plus the boot data of one culture). */
  servedBytes: number;
  servedGzipBytes: number;
  servedKiB: number;
  servedGzipKiB: number;
  /** Whether CustomerChat itself compressed the answer (Content-Encoding). */
  servedEncoding: string | null;
  runs: ToolboxRun[];
  medianLoadToVisibleMs: number | null;
  medianNavigationToVisibleMs: number | null;
  firstRunLoadToVisibleMs: number | null;
  browser: string | null;
  skipped: string | null;
}

export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * Runs in the page before any of its scripts: notes when the toolbox's first element (anything the
 * page did not have: not html, head, body, script …) has a box on screen, in the animation frame
 * before the one that paints it. A string, since the bench compiles without the DOM library.
 */
const watchForToolbox = `(() => {
  const state = { visibleAt: null, tag: null };
  Object.defineProperty(window, '__benchToolbox', { value: state });
  const pageOwn = new Set(['HTML', 'HEAD', 'BODY', 'SCRIPT', 'META', 'TITLE', 'LINK', 'STYLE']);
  const added = [];
  let looking = false;
  const shown = (element) => {
    if (!element.isConnected) return false;
    const box = element.getBoundingClientRect();
    if (box.width <= 0 || box.height <= 0) return false;
    const style = getComputedStyle(element);
    return style.visibility !== 'hidden' && style.display !== 'none' && style.opacity !== '0';
  };
  const look = () => {
    const element = added.find(shown);
    if (element !== undefined) {
      state.visibleAt = performance.now();
      state.tag = element.tagName;
      observer.disconnect();
      return;
    }
    requestAnimationFrame(look);
  };
  const observer = new MutationObserver((records) => {
    for (const record of records)
      for (const node of record.addedNodes)
        if (node.nodeType === 1 && !pageOwn.has(node.tagName)) added.push(node);
    if (!looking && added.length > 0) {
      looking = true;
      requestAnimationFrame(look);
    }
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

const readTimings = `(() => {
  const script = performance
    .getEntriesByType('resource')
    .find((entry) => entry.name.includes('/CustomerChat/Chat/Toolbox'));
  return {
    visibleAt: window.__benchToolbox.visibleAt,
    responseEnd: script ? script.responseEnd : null,
    fetchStart: script ? script.startTime : null,
  };
})()`;

/** The host page of another site with the one line of the README, on its own port. */
async function startHostPage(toolboxUrl: string): Promise<Server> {
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host page</title>' +
    `<script src="${toolboxUrl}"></script></head><body><main><h1>Host page</h1></main></body></html>`;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function measureInBrowser(
  toolboxUrl: string,
  runs: number,
): Promise<{ runs: ToolboxRun[]; browser: string }> {
  const host = await startHostPage(toolboxUrl);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'],
  });
  try {
    const results: ToolboxRun[] = [];
    const url = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`;
    for (let run = 0; run < runs; run += 1) {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.addInitScript({ content: watchForToolbox });
        await page.goto(url, { waitUntil: 'load', timeout: 15_000 });
        await page.waitForFunction('window.__benchToolbox.visibleAt !== null', null, {
          timeout: 10_000,
        });
        const timings = (await page.evaluate(readTimings)) as {
          visibleAt: number;
          responseEnd: number | null;
          fetchStart: number | null;
        };
        results.push({
          loadToVisibleMs: round(timings.visibleAt - (timings.responseEnd ?? 0)),
          navigationToVisibleMs: round(timings.visibleAt),
          scriptFetchMs: round((timings.responseEnd ?? 0) - (timings.fetchStart ?? 0)),
        });
      } finally {
        await context.close();
      }
    }
    return { runs: results, browser: `Chromium ${browser.version()}` };
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => host.close(() => resolve()));
  }
}

/**
 * The toolbox script's size as served (raw and gzip -9) and, in headless Chromium, the time from
 * the script being loaded to its first element being on screen, on a host page of another origin.
 */
export async function runToolbox(
  launcher: ServerLauncher,
  options: ToolboxOptions,
): Promise<ToolboxResult> {
  const servers = await launcher.start({
    chats: 1,
    chatsPerAgent: 1,
    customerChat: true,
    label: 'toolbox',
  });
  try {
    const customerChat = servers.customerChat as ServerHandle;
    const toolboxUrl = `${customerChat.url}/CustomerChat/Chat/Toolbox`;
    const response = await fetch(toolboxUrl, {
      headers: { 'accept-language': 'en', 'accept-encoding': 'identity' },
    });
    const body = Buffer.from(await response.arrayBuffer());
    const servedGzipBytes = gzipSync(body, { level: 9 }).length;
    const sizes = {
      servedBytes: body.length,
      servedGzipBytes,
      servedKiB: kib(body.length),
      servedGzipKiB: kib(servedGzipBytes),
      servedEncoding: response.headers.get('content-encoding'),
    };
    options.log(`toolbox ${sizes.servedKiB} KiB, ${sizes.servedGzipKiB} KiB gzip'd`);
    const none = {
      runs: [],
      medianLoadToVisibleMs: null,
      medianNavigationToVisibleMs: null,
      firstRunLoadToVisibleMs: null,
      browser: null,
    };
    if (options.runs === 0) return { ...sizes, ...none, skipped: 'no browser runs asked for' };
    if (!existsSync(chromiumPath))
      return { ...sizes, ...none, skipped: `no Chromium at ${chromiumPath}` };
    const measured = await measureInBrowser(toolboxUrl, options.runs);
    const result = {
      ...sizes,
      runs: measured.runs,
      medianLoadToVisibleMs: round(median(measured.runs.map((run) => run.loadToVisibleMs))),
      medianNavigationToVisibleMs: round(
        median(measured.runs.map((run) => run.navigationToVisibleMs)),
      ),
      firstRunLoadToVisibleMs: measured.runs[0]?.loadToVisibleMs ?? null,
      browser: measured.browser,
      skipped: null,
    };
    options.log(`toolbox visible ${result.medianLoadToVisibleMs} ms after load (median)`);
    return result;
  } finally {
    await servers.stop();
  }
}
