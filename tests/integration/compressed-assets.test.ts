import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { useChatService } from '../support/agent-api-test-kit';
import { useCustomerChat } from '../support/customer-chat-test-kit';

const chatService = useChatService();
const customerChat = useCustomerChat();

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET as a browser sends it, the answer's bytes as they travelled (fetch would unpack them). */
function rawGet(url: string, headers: Record<string, string>): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const decoders: Record<string, (bytes: Buffer) => Buffer> = {
  br: brotliDecompressSync,
  gzip: gunzipSync,
  identity: (bytes) => bytes,
};

/** Each encoding: served in it, with its own ETag, and 304 to that ETag; the texts agree. */
async function expectCompressedAndRevalidated(url: string, type: RegExp): Promise<string> {
  const asked = { br: 'gzip, deflate, br', gzip: 'gzip, deflate', identity: 'identity' };
  const texts = new Set<string>();
  const etags = new Map<string, string>();
  for (const [encoding, acceptEncoding] of Object.entries(asked)) {
    const answer = await rawGet(url, { 'accept-encoding': acceptEncoding });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(type);
    expect(answer.headers['content-encoding']).toBe(encoding === 'identity' ? undefined : encoding);
    expect(String(answer.headers['vary'])).toMatch(/Accept-Encoding/i);
    const text = (decoders[encoding] as (bytes: Buffer) => Buffer)(answer.body).toString('utf8');
    texts.add(text);
    if (encoding !== 'identity') expect(answer.body.length).toBeLessThan(text.length / 2);
    const etag = String(answer.headers['etag']);
    etags.set(encoding, etag);
    const again = await rawGet(url, { 'accept-encoding': acceptEncoding, 'if-none-match': etag });
    expect({ encoding, status: again.status, bytes: again.body.length }).toEqual({
      encoding,
      status: 304,
      bytes: 0,
    });
  }
  expect(texts.size).toBe(1);
  expect(new Set(etags.values()).size).toBe(3);
  // A cache holding the gzip'd copy never revalidates it as the plain one.
  const crossed = await rawGet(url, {
    'accept-encoding': 'identity',
    'if-none-match': etags.get('gzip') ?? '',
  });
  expect(crossed.status).toBe(200);
  return [...texts][0] as string;
}

describe('Compressed assets', () => {
  test('When a browser loads the toolbox, then it gets it brotli or gzip compressed, and 304 to a matching If-None-Match for every encoding', async () => {
    const h = await customerChat.start({ toolboxBundle: `/* ${'toolbox '.repeat(2000)} */` });
    const text = await expectCompressedAndRevalidated(
      `${h.url}/CustomerChat/Chat/Toolbox`,
      /^text\/javascript/,
    );
    expect(text).toContain('__customerChatBoot');
  });

  test('When a browser loads the agent console, then its script and stylesheet come compressed and revalidate per encoding, and a rebuild shows at the next load', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'console-'));
    try {
      const bundle = join(folder, 'agent.js');
      const stylesheet = join(folder, 'agent-console.css');
      writeFileSync(bundle, `console.log(${JSON.stringify('console '.repeat(3000))});\n`);
      writeFileSync(stylesheet, '.app { display: grid; }\n'.repeat(500));
      const h = await chatService.start(
        {},
        {
          agentConsole: {
            pageTemplate: join(__dirname, '..', '..', 'views', 'agent-console.ejs'),
            bundle,
            stylesheet,
          },
        },
      );
      const script = `${h.url}/Agent/app.js`;
      await expectCompressedAndRevalidated(script, /^text\/javascript/);
      const css = await expectCompressedAndRevalidated(
        `${h.url}/Agent/static/agent-console.css`,
        /^text\/css/,
      );
      expect(css).toContain('.app { display: grid; }');
      expect((await fetch(`${h.url}/Agent/static/other.css`)).status).toBe(404);

      const before = String((await rawGet(script, { 'accept-encoding': 'br' })).headers['etag']);
      writeFileSync(bundle, 'console.log("rebuilt");\n');
      const after = await rawGet(script, { 'accept-encoding': 'br', 'if-none-match': before });
      expect(after.status).toBe(200);
      expect(brotliDecompressSync(after.body).toString('utf8')).toBe('console.log("rebuilt");\n');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('When the sample page loads, then its icon is served (no 404 in the browser console) and the toolbox line defers', async () => {
    const h = await customerChat.start();
    const page = await (await fetch(`${h.url}/CustomerChat/Chat`)).text();
    const icon = /<link rel="icon" href="([^"]+)"/.exec(page)?.[1] ?? '';
    expect(icon).not.toBe('');
    const response = await fetch(`${h.url}${icon}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(page).toContain('<script src="/CustomerChat/Chat/Toolbox" defer></script>');
  });
});
