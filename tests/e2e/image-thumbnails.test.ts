import { deflateSync } from 'node:zlib';
import { buildAgentConsole, openReadyConsole } from '../support/agent-console-page';
import { startToolboxTestBed, toolboxOn, type ToolboxTestBed } from '../support/toolbox-host';

/**
 * Image attachments as thumbnails, in Chromium: in the toolbox on the strict-CSP host page of
 * another origin, and in the agent console. A real PNG shows one, linked to the full image; a
 * disguised file (a PNG's first bytes, then something else, under an image name) shows none, and
 * is served as a download only.
 */

jest.setTimeout(60_000);

/** A real PNG of `size`×`size` pixels, all one colour. */
function png(size: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = (crcTable[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, 0x3c)]);
  return Buffer.concat([
    Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: size }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const realImage = png(40);
/** Passes the content check of its name (it starts as a PNG does), yet is no image. */
const disguised = Buffer.concat([
  Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
  Buffer.from('<html><script>alert(1)</script></html>'),
]);

let bed: ToolboxTestBed;
beforeAll(async () => {
  await buildAgentConsole();
  bed = await startToolboxTestBed();
}, 60_000);
afterAll(() => bed?.stop());

test('When an image and a disguised file are sent both ways, then the toolbox and the console show a thumbnail for the image only, which opens the full image', async () => {
  const agentConsole = await openReadyConsole(bed);
  const { page } = await bed.visitor();
  const toolbox = toolboxOn(page);
  await page.goto(bed.site.page('thumbnails'));
  await toolbox.requestChat({ name: 'Ivy', question: 'Is this the right part?' });
  await agentConsole.getByRole('button', { name: 'Accept (Alt+A)' }).click();
  await toolbox.message.waitFor();

  // From the visitor: the console shows the image's thumbnail, and none for the disguised file.
  const upload = async (name: string, buffer: Buffer) => {
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      toolbox.card.getByRole('button', { name: 'Browse…' }).click(),
    ]);
    await chooser.setFiles({ name, mimeType: 'image/png', buffer });
    await toolbox.card.locator('.bar').getByRole('button', { name: 'Upload' }).click();
    await toolbox.log.getByRole('link', { name }).first().waitFor();
  };
  await upload('part.png', realImage);
  await upload('fake.png', disguised);
  const panel = agentConsole.locator('.chat-panel:not([hidden])');
  await panel.locator('.thumb img[alt="part.png"]').waitFor();
  await panel.locator('.message', { hasText: 'fake.png' }).waitFor();
  expect(
    await panel.locator('img').evaluateAll((images) => images.map((i) => i.getAttribute('alt'))),
  ).toEqual(['part.png']);
  const [fullInConsole] = await Promise.all([
    agentConsole.context().waitForEvent('page'),
    panel.locator('.thumb', { has: agentConsole.locator('img[alt="part.png"]') }).click(),
  ]);
  expect(fullInConsole.url()).toMatch(/^blob:/);

  // From the agent: the toolbox shows the image's thumbnail (drawn on a canvas), none for the other.
  const attach = async (name: string, buffer: Buffer) => {
    await panel
      .locator('input[type="file"]')
      .setInputFiles({ name, mimeType: 'image/png', buffer });
    await toolbox.log.locator('a.file', { hasText: name }).waitFor();
  };
  await attach('answer.png', realImage);
  await attach('trick.png', disguised);
  const thumbnail = toolbox.log.getByRole('img', { name: 'answer.png' });
  await thumbnail.waitFor();
  // Every thumbnail the log shows: the visitor's image and the agent's, never a disguised file.
  await toolbox.log.getByRole('img', { name: 'part.png' }).waitFor();
  expect(
    await toolbox.log
      .locator('.thumb canvas')
      .evaluateAll((canvases) => canvases.map((c) => c.getAttribute('aria-label'))),
  ).toEqual(['part.png', 'answer.png']);
  expect(await toolbox.log.locator('.thumb canvas').first().getAttribute('width')).toBe('40');

  const [full] = await Promise.all([page.context().waitForEvent('page'), thumbnail.click()]);
  const response = await full
    .waitForLoadState()
    .then(() => full.evaluate('fetch(location.href).then((r) => r.headers.get("content-type"))'));
  expect(response).toBe('image/png');
  expect(full.url()).toContain('inline=1');
  const violations = (await page.evaluate('window.cspViolations')) as string[];
  expect(violations.filter((violation) => !violation.startsWith('connect-src ws:'))).toEqual([]);
});

test('When attachments are fetched from CustomerChat, then only one whose content is an image is served as an image, inline when asked', async () => {
  const visitor = await bed.h.visitor();
  const started = (await visitor
    .timeout(10_000)
    .emitWithAck('chat:request', { serviceGroupId: 1, customerName: 'Raw' })) as { token: string };
  const url = `${bed.h.url}/CustomerChat/Chat/Attachment`;
  const send = async (name: string, buffer: Buffer) => {
    const form = new FormData();
    form.append('file', new Blob([buffer]), name);
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'x-chat-token': started.token },
      body: form,
    });
    return ((await answer.json()) as { id: string }).id;
  };
  const served = async (id: string, query = '') => {
    const answer = await fetch(`${url}/${id}?token=${started.token}${query}`);
    const disposition = answer.headers.get('content-disposition') ?? '';
    return [answer.headers.get('content-type'), disposition.split(';')[0]];
  };
  const image = await send('part.png', realImage);
  expect(await served(image)).toEqual(['image/png', 'attachment']);
  expect(await served(image, '&inline=1')).toEqual(['image/png', 'inline']);
  const text = await send('notes.txt', Buffer.from('plain'));
  expect(await served(text, '&inline=1')).toEqual(['application/octet-stream', 'attachment']);
});
