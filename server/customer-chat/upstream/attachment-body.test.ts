import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requestBody } from './attachment-body';

async function text(body: string | AsyncIterable<Buffer>): Promise<string> {
  if (typeof body === 'string') return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const folder = mkdtempSync(join(tmpdir(), 'attachment-body-'));

describe('requestBody', () => {
  test.each([0, 1, 2, 3, 49_151, 49_152, 49_153, 200_001])(
    'when a staged file of %i bytes is sent, then the JSON carries its bytes in base64 and its length is told',
    async (size) => {
      const data = Buffer.from(Array.from({ length: size }, (_, index) => (index * 7) % 256));
      const path = join(folder, `file-${size}`);
      writeFileSync(path, data);
      const { body, contentLength } = requestBody(
        { ChatID: 'c', Message: 'a.bin' },
        { path, size },
      );
      const sent = await text(body);
      expect(Buffer.byteLength(sent)).toBe(contentLength);
      const parsed = JSON.parse(sent) as { request: { ChatID: string; Attachment: string } };
      expect(parsed.request.ChatID).toBe('c');
      expect(Buffer.from(parsed.request.Attachment, 'base64').equals(data)).toBe(true);
    },
  );

  test('when bytes are given, then they are spliced in and no length is needed', async () => {
    const { body, contentLength } = requestBody({}, Buffer.from('hello'));
    expect(await text(body)).toBe('{"request":{"Attachment":"aGVsbG8="}}');
    expect(contentLength).toBeUndefined();
  });

  test('when the staged file is shorter than said, then the body fails rather than send a wrong length', async () => {
    const path = join(folder, 'short');
    writeFileSync(path, 'abc');
    await expect(text(requestBody({}, { path, size: 10 }).body)).rejects.toThrow(/shorter/);
  });
});
