import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { AgentEvent } from '../../server/protocol/agent-api';
import { launchBrowser, screenshotDir } from './browser';
import {
  startCustomerChat,
  type CustomerChatHarness,
  type CustomerChatHarnessOptions,
} from './customer-chat-harness';

const root = join(__dirname, '..', '..');

/** The real toolbox bundle, built by the project's build script into a temporary folder. */
export function buildToolbox(): string {
  const folder = mkdtempSync(join(tmpdir(), 'toolbox-build-'));
  try {
    const outfile = join(folder, 'toolbox.js');
    execFileSync(process.execPath, ['scripts/build-toolbox.mjs', '--outfile', outfile], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return readFileSync(outfile, 'utf8');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export interface HostPageOptions {
  /** The body of Mitel.ChatToolbox.customizePage; `config` is Mitel.ChatToolbox.Config. */
  customizePage?: string;
  customizeRequest?: string;
  /** Origins the page may frame, beyond the strict policy (the postMessage tests). */
  frameSources?: string[];
  /** More of the page's own markup, inside <main>. */
  body?: string;
  /** A stylesheet of the page (served from the host's origin). */
  css?: string;
  /** Script of the page that runs before anything else of it. */
  preamble?: string;
}

/**
 * A website that embeds the toolbox, on another origin than CustomerChat: it answers on
 * http://localhost:<port> (CustomerChat is at 127.0.0.1), and the same server on
 * http://127.0.0.1:<port> is a third origin, for frames that must not be trusted. Every page has
 * the strict CSP of the issue: no inline script or style, scripts and connections to itself and
 * CustomerChat only.
 */
export class HostSite {
  private readonly files = new Map<string, { type: string; body: string; csp?: string }>();
  private server: Server | undefined;
  private port = 0;

  constructor(private readonly customerChatUrl: string) {}

  get url(): string {
    return `http://localhost:${this.port}`;
  }

  get otherOrigin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const file = this.files.get(new URL(req.url ?? '/', 'http://x').pathname);
      if (file === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        'Content-Type': `${file.type}; charset=utf-8`,
        'Cache-Control': 'no-store',
        ...(file.csp === undefined ? {} : { 'Content-Security-Policy': file.csp }),
      });
      res.end(file.body);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }

  /** Adds /<name>.html with its own script (the hooks) and the toolbox; returns its URL. */
  page(name: string, options: HostPageOptions = {}): string {
    const cc = this.customerChatUrl;
    const csp = [
      "default-src 'self'",
      `script-src 'self' ${cc}`,
      "style-src 'self'",
      `connect-src 'self' ${cc}`,
      ...(options.frameSources ? [`frame-src ${options.frameSources.join(' ')}`] : []),
    ].join('; ');
    this.files.set(`/${name}.js`, {
      type: 'text/javascript',
      body: `
${options.preamble ?? ''}
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
window.Mitel = window.Mitel || {};
Mitel.ChatToolbox = Mitel.ChatToolbox || {};
Mitel.ChatToolbox.customizePage = function () {
  var config = Mitel.ChatToolbox.Config;
  config.ServiceGroupID = 1;
  config.StatePollInterval = 1;
  ${options.customizePage ?? ''}
};
Mitel.ChatToolbox.customizeRequest = function () {
  var config = Mitel.ChatToolbox.Config;
  ${options.customizeRequest ?? ''}
};`,
    });
    if (options.css !== undefined)
      this.files.set(`/${name}.css`, { type: 'text/css', body: options.css });
    this.files.set(`/${name}.html`, {
      type: 'text/html',
      csp,
      body: `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Host page ${name}</title>
${options.css === undefined ? '' : `<link rel="stylesheet" href="/${name}.css">`}
<script src="/${name}.js"></script>
<script src="${cc}/CustomerChat/Chat/Toolbox"></script>
</head>
<body>
<main>
<h1>Example shop</h1>
<p>Everything for the garden, delivered in three days.</p>
<p><a href="/${name}.html?again">Another page of the shop</a></p>
${options.body ?? ''}
</main>
</body>
</html>`,
    });
    return `${this.url}/${name}.html`;
  }

  /**
   * A page on the third origin that posts `message` to the page framing it, targeted at that
   * page's origin, as a partner's widget would.
   */
  poster(name: string, message: unknown): string {
    this.files.set(`/${name}-poster.js`, {
      type: 'text/javascript',
      body: `parent.postMessage(${JSON.stringify(message)}, ${JSON.stringify(this.url)});`,
    });
    this.files.set(`/${name}-poster.html`, {
      type: 'text/html',
      csp: "default-src 'self'",
      body: `<!doctype html><html lang="en"><head><title>poster</title><script src="/${name}-poster.js"></script></head><body></body></html>`,
    });
    return `${this.otherOrigin}/${name}-poster.html`;
  }
}

/** Where a TestAgent reaches the agent API: the in-process Chat Service, or one in its own process. */
export interface AgentApiHost {
  chatService: Pick<CustomerChatHarness['chatService'], 'agent' | 'login'>;
}

/** An agent on the Chat Service's agent API, as the console would act. */
export class TestAgent {
  readonly events: AgentEvent[] = [];

  private constructor(
    private readonly h: AgentApiHost,
    readonly token: string,
  ) {}

  static async login(h: AgentApiHost, agentId: 'alice' | 'bob' = 'alice') {
    return new TestAgent(h, await h.chatService.login(agentId, { ready: true }));
  }

  async call(method: string, request: Record<string, unknown> = {}) {
    const result = await this.h.chatService.agent(this.token, method, request);
    if (result.status !== 200)
      throw new Error(`${method} failed: ${result.status} ${JSON.stringify(result.body)}`);
    return result.body;
  }

  /** Waits (real time: the browser's side runs on it) until an event matches. */
  async waitFor<T extends AgentEvent['EventType']>(
    type: T,
    predicate: (event: Extract<AgentEvent, { EventType: T }>) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<Extract<AgentEvent, { EventType: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(
        (event): event is Extract<AgentEvent, { EventType: T }> =>
          event.EventType === type && predicate(event as Extract<AgentEvent, { EventType: T }>),
      );
      if (found !== undefined) return found;
      if (Date.now() > deadline) {
        const state = await this.call('GetState');
        throw new Error(`The agent never got ${type}; its state: ${JSON.stringify(state)}`);
      }
      const body = await this.call('GetEvents', { Timeout: 0 });
      this.events.push(...(body as { Events: AgentEvent[] }).Events);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Accepts the chat offered for this customer, returning its ChatID. */
  async acceptOffer(customerName: string): Promise<string> {
    const offer = await this.waitFor(
      'ChatOffered',
      (event) => event.Data.CustomerName === customerName && !this.accepted.has(event.Data.ChatID),
    );
    this.accepted.add(offer.Data.ChatID);
    await this.call('AcceptChat', { ChatID: offer.Data.ChatID });
    return offer.Data.ChatID;
  }

  private readonly accepted = new Set<string>();

  /** Leaves every chat accepted so far (one test's chats must not fill the next one's slots). */
  async leaveAll(): Promise<void> {
    for (const chatId of this.accepted) {
      // A chat that has ended already answers with a fault: nothing to leave then.
      await this.h.chatService.agent(this.token, 'LeaveChat', { ChatID: chatId });
    }
    this.accepted.clear();
  }

  say(chatId: string, text: string) {
    return this.call('SendMessage', { ChatID: chatId, Message: text });
  }

  /** Everything the customer said in the chat so far (read, not waited for). */
  async customerMessages(chatId: string): Promise<string[]> {
    const body = await this.call('GetEvents', { Timeout: 0 });
    this.events.push(...(body as { Events: AgentEvent[] }).Events);
    return this.events.flatMap((event) =>
      event.EventType === 'MessageReceived' &&
      event.Data.ChatID === chatId &&
      event.Data.From === 'Customer'
        ? [event.Data.Message]
        : [],
    );
  }
}

export interface ToolboxTestBed {
  h: CustomerChatHarness;
  site: HostSite;
  browser: Browser;
  /** A fresh browser profile (its own storage), for one visitor. */
  visitor(options?: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page }>;
  stop(): Promise<void>;
}

/** CustomerChat with the real toolbox, a host site on another origin, and Chromium. */
export async function startToolboxTestBed(
  options: CustomerChatHarnessOptions = {},
): Promise<ToolboxTestBed> {
  const h = await startCustomerChat({
    ...options,
    web: {
      // Every visitor of the tests comes from 127.0.0.1, and CustomerChat's clock stands still.
      rateLimits: { requestChatPerMinute: 1000 },
      ...options.web,
      appSettings: {
        CrossDomainAllowIpAddress: 'localhost',
        ...(options.web?.['appSettings'] as object | undefined),
      },
    },
    toolboxBundle: options.toolboxBundle ?? buildToolbox(),
  });
  const site = new HostSite(h.url);
  await site.start();
  const browser = await launchBrowser();
  const contexts: BrowserContext[] = [];
  return {
    h,
    site,
    browser,
    async visitor(contextOptions = {}) {
      const context = await browser.newContext({ locale: 'en-GB', ...contextOptions });
      contexts.push(context);
      const page = await context.newPage();
      return { context, page };
    },
    async stop() {
      for (const context of contexts) await context.close();
      await browser.close();
      await site.stop();
      await h.stop();
    },
  };
}

/**
 * The shared set-up of a toolbox browser test file: before all its tests, a test bed (started
 * with `options()`, read then) and alice logged in on the agent API, handed to `ready`; after
 * each test alice leaves all her chats, and after all the bed is stopped.
 */
export function useToolboxTestBed(
  ready: (started: { bed: ToolboxTestBed; alice: TestAgent }) => void,
  options: () => CustomerChatHarnessOptions = () => ({}),
): void {
  let bed: ToolboxTestBed | undefined;
  let alice: TestAgent | undefined;
  beforeAll(async () => {
    bed = await startToolboxTestBed(options());
    alice = await TestAgent.login(bed.h, 'alice');
    ready({ bed, alice });
  });
  afterEach(() => alice?.leaveAll());
  afterAll(() => bed?.stop());
}

/** Writes test-results/screenshots/toolbox-<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `toolbox-${name}.png`) });
}

/** The toolbox's parts on a page (playwright's locators reach into its open shadow root). */
export function toolboxOn(page: Page) {
  const card = page.locator('section.card');
  return {
    host: page.locator('[data-customer-chat=toolbox]'),
    tab: page.locator('button.tab'),
    card,
    alert: card.locator('.alert'),
    log: card.getByRole('log'),
    lines: card.locator('.lines > li'),
    message: card.getByRole('textbox', { name: 'Write your message here' }),
    /** Opens the card and asks for a chat with these details. */
    async requestChat(details: { name?: string; question?: string } = {}) {
      await page.locator('button.tab').click();
      if (details.name !== undefined) await card.getByLabel('Your name').fill(details.name);
      if (details.question !== undefined)
        await card.getByLabel('How can we help you today?').fill(details.question);
      await card.getByRole('button', { name: 'Start chat' }).click();
    },
    /** Types and sends a message with the Enter key. */
    async say(text: string) {
      await card.getByRole('textbox', { name: 'Write your message here' }).fill(text);
      await card.getByRole('textbox', { name: 'Write your message here' }).press('Enter');
    },
  };
}

/**
 * A new visitor (named after the page) on a new page of the site, in a chat the agent has
 * accepted; the conversation page is showing.
 */
export async function chatWith(
  bed: ToolboxTestBed,
  agent: TestAgent,
  pageName: string,
  pageOptions: HostPageOptions = {},
  question = 'Hello',
) {
  const { page } = await bed.visitor();
  const toolbox = toolboxOn(page);
  await page.goto(bed.site.page(pageName, pageOptions));
  await toolbox.requestChat({ name: pageName, question });
  const chatId = await agent.acceptOffer(pageName);
  await toolbox.message.waitFor();
  return { page, toolbox, chatId };
}
