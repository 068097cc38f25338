import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggedEvent } from '../../server/customer-chat/session/visitor-events';
import { until } from '../support/chat-service-harness';
import type { CustomerChatHarness } from '../support/customer-chat-harness';
import {
  agentHandledChat,
  ask,
  useCustomerChat,
  type AnyReply,
} from '../support/customer-chat-test-kit';
import { multipartRequest, sendRaw } from '../support/raw-http';

/**
 * Issue 13's findings 1, 6 and 7: uploads a hostile or merely unusual client sends. Each
 * malformed request gets its own answer and leaves CustomerChat serving every chat; the site's
 * limits hold for a file posted past the toolbox; real names from any script come back as sent.
 */

const { start } = useCustomerChat();

// Upload folders go under the temp folder: one of this file's own, so other test files' uploads
// running at the same time are not counted as left over.
const ownTemp = mkdtempSync(join(tmpdir(), 'hostile-uploads-'));
const systemTemp = process.env['TMPDIR'];
beforeAll(() => {
  process.env['TMPDIR'] = ownTemp;
});
afterAll(() => {
  if (systemTemp === undefined) delete process.env['TMPDIR'];
  else process.env['TMPDIR'] = systemTemp;
  rmSync(ownTemp, { recursive: true, force: true });
});
const root = join(__dirname, '..', '..');

async function upload(h: CustomerChatHarness, token: string, name: string, data: Uint8Array) {
  const form = new FormData();
  form.append('file', new Blob([data]), name);
  const response = await fetch(`${h.url}/CustomerChat/Chat/Attachment`, {
    method: 'POST',
    headers: { 'X-Chat-Token': token },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as AnyReply };
}

const part = (name: string, body: string) =>
  `--b\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n${body}`;

/** The malformed shapes, as bytes on the wire. */
const malformed: Array<{ shape: string; body: Buffer; contentLength?: number; abort?: boolean }> = [
  { shape: 'no final boundary', body: Buffer.from(part('a.txt', 'hello')) },
  {
    shape: 'truncated part headers',
    body: Buffer.from('--b\r\nContent-Disposition: form-data; name="file"; filena'),
  },
  {
    shape: 'an oversize part header',
    body: Buffer.from(
      `--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nX-Pad: ${'x'.repeat(40_000)}\r\n\r\nhi\r\n--b--\r\n`,
    ),
  },
  {
    shape: 'a client gone mid-file',
    body: Buffer.from(part('a.txt', 'half of the ')),
    contentLength: 100_000,
    abort: true,
  },
  {
    shape: 'two files',
    body: Buffer.from(`${part('a.txt', 'one')}\r\n${part('b.txt', 'two')}\r\n--b--\r\n`),
  },
  { shape: 'no file at all', body: Buffer.from('--b--\r\n') },
  {
    shape: 'a field instead of a file',
    body: Buffer.from('--b\r\nContent-Disposition: form-data; name="note"\r\n\r\nhi\r\n--b--\r\n'),
  },
  { shape: 'no parts, only garbage', body: Buffer.from('\x00\xff garbage \r\n\r\n--') },
];

describe('Hostile uploads (issue 13: 1, 6, 7)', () => {
  test.each(malformed)(
    'when an upload has $shape, then it is refused and CustomerChat and the chat go on',
    async ({ body, contentLength, abort }) => {
      const h = await start();
      const { agent, token } = await agentHandledChat(h);

      const answer = await sendRaw(
        h.url,
        multipartRequest(token, body, contentLength === undefined ? {} : { contentLength }),
        { abortAfter: abort === true },
      );
      if (abort !== true) {
        expect(answer.status).toBe(400);
        expect(answer.text).toContain('"code":"BadRequest"');
        expect(answer.text).not.toMatch(/at \S+ \(|node:internal|busboy/);
      }

      expect((await fetch(`${h.url}/CustomerChat/health`)).status).toBe(200);
      const fine = await upload(h, token, 'after.txt', new TextEncoder().encode('still here'));
      expect(fine).toMatchObject({ status: 200, body: { ok: true } });
      await agent.waitFor(
        (event) => event.EventType === 'MessageReceived' && event.Data.Message === 'after.txt',
        'the file sent after the malformed one',
      );
      expect(agent.messages().map((event) => event.Data.Message)).toEqual(['after.txt']);
    },
  );

  test('when the site restricts .js in toolbox.config.js, then a .js posted straight to the route is refused', async () => {
    const h = await start({ toolboxConfigFile: join(root, 'toolbox.config.js') });
    const { agent, token } = await agentHandledChat(h);
    const script = new TextEncoder().encode('alert(1)');
    for (const name of ['x.js', 'X.JS', 'x.js.', 'setup.msi', 'screen.scr']) {
      const refused = await upload(h, token, name, script);
      expect(refused).toMatchObject({
        status: 415,
        body: { ok: false, error: { code: 'AttachmentTypeNotAllowed' } },
      });
    }
    expect(await upload(h, token, 'notes.txt', script)).toMatchObject({ status: 200 });
    await agent.waitFor(
      (event) => event.EventType === 'MessageReceived' && event.Data.Message === 'notes.txt',
      'the allowed file',
    );
    expect(agent.messages().map((event) => event.Data.Message)).toEqual(['notes.txt']);
  });

  test('when the site allows less than the Chat Service, then the lesser size is the limit', async () => {
    const h = await start({
      toolboxConfigFile: join(root, 'tests', 'support', 'small-uploads.config.js'),
    });
    const { token } = await agentHandledChat(h);
    expect(await upload(h, token, 'fits.txt', new Uint8Array(1024).fill(65))).toMatchObject({
      status: 200,
    });
    expect(await upload(h, token, 'big.txt', new Uint8Array(1025).fill(65))).toMatchObject({
      status: 413,
      body: { error: { code: 'AttachmentTooLarge' } },
    });
  });

  test('when names are Cyrillic, CJK or accented, as a browser sends them, then the agent and the download get them intact', async () => {
    const h = await start();
    const { agent, token, events } = await agentHandledChat(h);
    const names = ['Отчёт за май.txt', '報告書.txt', 'résumé.txt', '😀 smile.txt'];
    for (const name of names) {
      const result = await upload(h, token, name, new TextEncoder().encode(name));
      expect(result).toMatchObject({ status: 200, body: { ok: true } });
      const response = await fetch(
        `${h.url}/CustomerChat/Chat/Attachment/${String(result.body['id'])}?token=${token}`,
      );
      const disposition = response.headers.get('content-disposition') ?? '';
      expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent(name)}`);
      expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; /);
    }
    for (const name of names)
      await agent.waitFor(
        (event) => event.EventType === 'MessageReceived' && event.Data.Message === name,
        name,
      );
    await until(() => files(events).length === names.length, 'the page shows every file');
    expect(files(events)).toEqual(names);
  });

  test('when names carry paths, bidi overrides, control characters or Windows device names, then they are defused, not refused', async () => {
    const h = await start();
    const { agent, token } = await agentHandledChat(h);
    const cases: Array<[string, string]> = [
      ['..\\..\\windows\\evil.txt', 'evil.txt'],
      ['../../etc/passwd.txt', 'passwd.txt'],
      ['photo\u202Egnp.txt', 'photognp.txt'],
      ['tab\there.txt', 'tabhere.txt'],
      ['CON.txt', '_CON.txt'],
      ['lpt1', '_lpt1'],
      ['run.bat::$DATA.txt', 'run.bat__$DATA.txt'],
      ['notes.txt...', 'notes.txt'],
    ];
    for (const [sent] of cases) {
      expect(await upload(h, token, sent, new TextEncoder().encode('x'))).toMatchObject({
        status: 200,
      });
    }
    for (const [, kept] of cases)
      await agent.waitFor(
        (event) => event.EventType === 'MessageReceived' && event.Data.Message === kept,
        kept,
      );
  });

  test('when a chat has uploads in flight up to its limit, then one more is refused at once, and no temp file is left', async () => {
    const before = uploadFolders();
    const h = await start({ web: { uploads: { maxConcurrentPerChat: 1 } } });
    const { token } = await agentHandledChat(h);
    // Half an upload, kept open, holds the chat's one slot.
    const { port } = new URL(h.url);
    const slow = connect(Number(port), '127.0.0.1');
    slow.on('error', () => undefined);
    slow.write(
      multipartRequest(token, Buffer.from(part('slow.txt', 'sl')), { contentLength: 10_000 }),
    );
    await until(() => leftoverFiles(before).length === 1, 'the slow upload is being written');
    const refused = await upload(h, token, 'second.txt', new TextEncoder().encode('2'));
    expect(refused).toMatchObject({ status: 429, body: { error: { code: 'RateLimited' } } });

    slow.destroy();
    let third = refused;
    for (let turn = 0; turn < 200 && third.status !== 200; turn += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      third = await upload(h, token, 'third.txt', new Uint8Array([51]));
    }
    expect(third.status).toBe(200);
    expect(leftoverFiles(before)).toEqual([]);
  });

  test('when a visitor stays within the chat total, then files pass; past it, they are refused with AttachmentTooLarge', async () => {
    const h = await start({ web: { uploads: { maxBytesPerChat: 3000 } } });
    const { token } = await agentHandledChat(h);
    expect(await upload(h, token, 'a.txt', new Uint8Array(2000).fill(65))).toMatchObject({
      status: 200,
    });
    expect(await upload(h, token, 'b.txt', new Uint8Array(2000).fill(65))).toMatchObject({
      status: 413,
      body: { error: { code: 'AttachmentTooLarge' } },
    });
    expect(await upload(h, token, 'c.txt', new Uint8Array(900).fill(65))).toMatchObject({
      status: 200,
    });
    const reply = await ask(await h.visitor(), 'chat:resume', { token });
    expect(reply.ok).toBe(true);
  });
});

function files(events: LoggedEvent[]): string[] {
  return events.flatMap((event) =>
    event.type === 'message' && event.attachment !== undefined ? [event.attachment.name] : [],
  );
}

function uploadFolders(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith('customerchat-uploads-'));
}

/** Files left in the upload folders that were not there before. */
function leftoverFiles(before: string[]): string[] {
  return uploadFolders()
    .filter((folder) => !before.includes(folder))
    .flatMap((folder) =>
      readdirSync(join(tmpdir(), folder), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => entry.name),
    );
}
