import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { checkFile, fileLimits } from '../../client/toolbox/attachment-check';
import { nextPhase, type Phase, type PhaseInput } from '../../client/toolbox/chat-phase';
import { pageConfig, postedMessageOrigin, requestConfig } from '../../client/toolbox/config';
import { ConversationLog } from '../../client/toolbox/conversation-log';
import { IdleTimer } from '../../client/toolbox/idle-timer';
import { splitLinks } from '../../client/shared/linkify';
import type { ChatToolboxNamespace } from '../../client/toolbox/namespace';
import {
  builtInConfig,
  checkToolboxConfig,
  type ToolboxConfig,
} from '../../server/customer-chat/gateway/toolbox-boot';
import { loadToolboxConfigFile } from '../../server/customer-chat/http/toolbox-script';
import { loadResourceCatalog } from '../../server/resources/resource-catalog';
import type { LoggedEvent } from '../../server/customer-chat/session/visitor-events';
import { startCustomerChat } from '../support/customer-chat-harness';
import { buildToolbox } from '../support/toolbox-host';

/**
 * The toolbox's rules that need no browser (the parts of client/toolbox without DOM), the admin
 * defaults file, and the size budget of the script as served. Browser behaviour is in the other
 * toolbox-*.test.ts files.
 */

const root = join(__dirname, '..', '..');

describe('Links in messages', () => {
  test('When text holds http(s) addresses, then only those become links, without the punctuation after them', () => {
    expect(splitLinks('See https://example.com/a?b=1, or http://x.org/p). Bye')).toEqual([
      { text: 'See ' },
      { url: 'https://example.com/a?b=1', text: 'https://example.com/a?b=1' },
      { text: ', or ' },
      { url: 'http://x.org/p', text: 'http://x.org/p' },
      { text: '). Bye' },
    ]);
  });

  test('When text holds other schemes or look-alikes, then it stays text', () => {
    for (const text of [
      'javascript:alert(1)',
      'data:text/html,x',
      'mailto:a@b.c',
      'xhttps://a.b',
      '<a href="x">',
    ])
      expect(splitLinks(text)).toEqual([{ text }]);
  });
});

describe('Attachment checks in the browser', () => {
  const page = {
    MaxAttachmentSize: 100,
    AllowedAttachmentTypes: [],
    RestrictedAttachmentTypes: ['exe'],
  };
  const service = {
    maxMessageLength: 1024,
    maxAttachmentBytes: 50 * 1024,
    allowedAttachmentTypes: [],
    restrictedAttachmentTypes: ['BAT'],
  };

  test('When page and service both limit the size, then the lesser applies, and 0 turns files off', () => {
    expect(checkFile('a.txt', 50 * 1024, fileLimits(page, service))).toEqual({ ok: true });
    expect(checkFile('a.txt', 50 * 1024 + 1, fileLimits(page, service))).toEqual({
      ok: false,
      problem: 'size',
      limitKb: 50,
    });
    expect(fileLimits({ ...page, MaxAttachmentSize: 0 }, service).maxBytes).toBe(0);
  });

  test('When type lists are set, then the page and the service each refuse theirs; restricted counts only without an allowed list', () => {
    const limits = fileLimits(page, service);
    expect(checkFile('run.EXE', 1, limits)).toEqual({
      ok: false,
      problem: 'type',
      extension: 'exe',
    });
    expect(checkFile('run.bat. ', 1, limits)).toEqual({
      ok: false,
      problem: 'type',
      extension: 'bat',
    });
    const allowed = fileLimits({ ...page, AllowedAttachmentTypes: ['exe', 'png'] }, service);
    expect(checkFile('photo.png', 1, allowed)).toEqual({ ok: true });
    expect(checkFile('run.exe', 1, allowed)).toEqual({ ok: true });
    expect(checkFile('notes.txt', 1, allowed)).toEqual({
      ok: false,
      problem: 'type',
      extension: 'txt',
    });
    expect(checkFile('README', 1, allowed)).toEqual({ ok: false, problem: 'type', extension: '' });
  });
});

describe('The pages as a state machine', () => {
  const run = (start: Phase, ...inputs: PhaseInput[]) =>
    inputs.reduce((phase, input) => nextPhase(phase, input), start);

  test('When a chat runs its course, then the pages follow prechat → waiting → conversation → postchat → prechat', () => {
    expect(
      run(
        'prechat',
        { type: 'started' },
        { type: 'agentJoined' },
        { type: 'ended' },
        { type: 'dismissed', showPostChat: true },
        { type: 'restart' },
      ),
    ).toBe('prechat');
    expect(run('prechat', { type: 'started' }, { type: 'ended' })).toBe('conversation');
    expect(run('waiting', { type: 'dismissed', showPostChat: false })).toBe('prechat');
  });

  test('When availability changes, then only the pages without a chat follow it', () => {
    expect(run('prechat', { type: 'availability', open: false })).toBe('unavailable');
    expect(run('unavailable', { type: 'availability', open: true })).toBe('prechat');
    for (const phase of ['waiting', 'conversation', 'postchat'] as const)
      expect(run(phase, { type: 'availability', open: false })).toBe(phase);
  });
});

describe('The conversation log', () => {
  const event = (seq: number): LoggedEvent => ({ type: 'agentJoined', name: 'Alice', seq });

  test('When events come twice or out of turn, then repeats are dropped and a gap is reported', () => {
    const log = new ConversationLog();
    expect([1, 2, 2, 1, 4, 3].map((seq) => log.accept(event(seq)))).toEqual([
      'new',
      'new',
      'seen',
      'seen',
      'gap',
      'new',
    ]);
    expect(log.lastSeq).toBe(3);
  });
});

describe('Mitel.ChatToolbox.Config', () => {
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  test('When the admin file, the page and customizePage set values, then they win in that order and wrong ones are refused', () => {
    const namespace: ChatToolboxNamespace = {
      Config: { HideAgentName: true },
      customizePage() {
        const config = (namespace.Config ?? {}) as Record<string, unknown>;
        config['ToolboxPosition'] = 'bottom-left';
        config['IdleTimeout'] = 'soon';
        config['AllowedAttachmentTypes'] = '["PNG", ".jpg"]';
      },
    };
    const config = pageConfig(namespace, { ToolboxPosition: 'top-left', StatePollInterval: 5 });
    expect(config).toMatchObject({
      HideAgentName: true,
      ToolboxPosition: 'bottom-left',
      StatePollInterval: 5,
      IdleTimeout: 300,
      AllowedAttachmentTypes: ['png', 'jpg'],
    });
    expect(warn).toHaveBeenCalledWith(
      'Mitel.ChatToolbox.Config.IdleTimeout must be a number, 0 or more: ignored.',
    );
  });

  test('When customizeRequest changes page-only properties, then they are put back with a warning; the rest applies', () => {
    const namespace: ChatToolboxNamespace = {
      customizeRequest() {
        Object.assign(namespace.Config as object, {
          TenantID: 7,
          MaxMessageLength: 5,
          PrivateData: 'x',
        });
      },
    };
    const page = pageConfig(namespace, {});
    const request = requestConfig(namespace, page, { CustomerName: 'Ann' });
    expect(request).toMatchObject({
      TenantID: -1,
      MaxMessageLength: 0,
      PrivateData: 'x',
      CustomerName: 'Ann',
    });
    expect((namespace.Config as ToolboxConfig).TenantID).toBe(-1);
    expect(warn.mock.calls.map(([text]) => text)).toEqual([
      'Mitel.ChatToolbox.Config.MaxMessageLength cannot change in customizeRequest: ignored.',
      'Mitel.ChatToolbox.Config.TenantID cannot change in customizeRequest: ignored.',
    ]);
  });

  test('When a hook throws, then the error is reported and the toolbox goes on with the defaults', () => {
    const namespace: ChatToolboxNamespace = {
      customizePage() {
        throw new Error('page bug');
      },
    };
    expect(pageConfig(namespace, {})).toEqual(builtInConfig);
    expect(error).toHaveBeenCalledWith(
      'Mitel.ChatToolbox.customizePage failed:',
      expect.any(Error),
    );
  });

  test('When the allowed origin is set in either spelling, then the other spelling wins when set, and the default means the page itself', () => {
    const page = 'https://shop.example';
    expect(postedMessageOrigin(builtInConfig, page)).toBe(page);
    expect(
      postedMessageOrigin(
        { ...builtInConfig, PostedMessageAllowedOrigin: 'https://a.example' },
        page,
      ),
    ).toBe('https://a.example');
    expect(
      postedMessageOrigin(
        {
          ...builtInConfig,
          PostedMessageAllowedOrigin: 'https://a.example',
          PostedMessagesAllowedOrigin: 'https://b.example',
        },
        page,
      ),
    ).toBe('https://b.example');
  });

  test('When values are checked, then unknown names and wrong types are reported by name', () => {
    expect(
      checkToolboxConfig({
        ToolboxPosition: 'middle',
        Colour: 'red',
        TenantID: -1,
        MaxAttachmentSize: -1,
      }),
    ).toEqual({
      config: { TenantID: -1 },
      problems: [
        { name: 'ToolboxPosition', reason: expect.stringContaining('top-left') },
        { name: 'Colour', reason: 'is not a Mitel.ChatToolbox.Config property' },
        { name: 'MaxAttachmentSize', reason: 'must be a number, 0 or more' },
      ],
    });
  });
});

describe("The admin's toolbox.config.js", () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'toolbox-file-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));
  const file = (text: string) => {
    const path = join(folder, 'toolbox.config.js');
    writeFileSync(path, text);
    return path;
  };

  test('When the shipped file is read, then every value in it is a valid property', () => {
    const defaults = loadToolboxConfigFile(join(root, 'toolbox.config.js'));
    expect(defaults).toMatchObject({ ToolboxPosition: 'center-right', ServiceGroupName: 'Sales' });
  });

  test('When the file is missing, then the built-in defaults stand', () => {
    expect(loadToolboxConfigFile(join(folder, 'none.js'))).toEqual({});
  });

  test('When the file is wrong, then start-up stops naming the file and the property', () => {
    expect(() =>
      loadToolboxConfigFile(file('Mitel.ChatToolbox.Config = { IdleTimeout: "5" };')),
    ).toThrow(/toolbox\.config\.js: IdleTimeout must be a number/);
    expect(() => loadToolboxConfigFile(file('Mitel.ChatToolbox.Config = [];'))).toThrow(
      /to an object/,
    );
    expect(() => loadToolboxConfigFile(file('require("fs")'))).toThrow(/require is not defined/);
  });
});

describe('The idle timer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('When the visitor is idle, then the warning comes WarningBeforeIdleTimeout early, activity starts over, stop leaves no timer', () => {
    const seen: string[] = [];
    const timer = new IdleTimer({
      idleSeconds: 10,
      warningSeconds: 3,
      onWarning: (left) => seen.push(`warning ${left}`),
      onTimeout: () => seen.push('timeout'),
    });
    timer.restart();
    jest.advanceTimersByTime(6999);
    expect(seen).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(seen).toEqual(['warning 3']);
    timer.restart();
    jest.advanceTimersByTime(9999);
    expect(seen).toEqual(['warning 3', 'warning 3']);
    jest.advanceTimersByTime(1);
    expect(seen).toEqual(['warning 3', 'warning 3', 'timeout']);
    timer.restart();
    timer.stop();
    expect(jest.getTimerCount()).toBe(0);
  });

  test('When WarningBeforeIdleTimeout is 0 or IdleTimeout is 0, then there is no warning, or nothing at all', () => {
    const seen: string[] = [];
    const make = (idleSeconds: number, warningSeconds: number) =>
      new IdleTimer({
        idleSeconds,
        warningSeconds,
        onWarning: () => seen.push('warning'),
        onTimeout: () => seen.push('timeout'),
      });
    make(5, 0).restart();
    make(0, 2).restart();
    jest.advanceTimersByTime(60_000);
    expect(seen).toEqual(['timeout']);
  });
});

describe('The toolbox script as served', () => {
  test('When CustomerChat serves it in any culture, then it is at most 34 KB gzip’d, socket client and strings included', async () => {
    const h = await startCustomerChat({
      toolboxBundle: buildToolbox(),
      toolboxConfigFile: join(root, 'toolbox.config.js'),
    });
    try {
      const cultures = ['en', ...loadResourceCatalog(join(root, 'resources')).cultures()];
      const sizes: number[] = [];
      for (const culture of cultures) {
        const response = await fetch(`${h.url}/CustomerChat/Chat/Toolbox`, {
          headers: { 'accept-language': culture },
        });
        // Sent compressed (fetch unpacks it); measured gzip'd here, whatever the transfer.
        expect(['br', 'gzip']).toContain(response.headers.get('content-encoding'));
        sizes.push(gzipSync(Buffer.from(await response.arrayBuffer()), { level: 9 }).length);
      }
      const largest = Math.max(...sizes);
      process.stdout.write(
        `toolbox script as served: at most ${(largest / 1024).toFixed(1)} KB gzip'd\n`,
      );
      expect(largest).toBeLessThanOrEqual(34 * 1024);
    } finally {
      await h.stop();
    }
  });
});
