import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { encodeAttachment } from '../../protocol/attachment-encoding';

/** A received upload waiting on disk to be relayed: read as it is sent, never held whole. */
export interface StagedFile {
  path: string;
  size: number;
}

/** Bytes for a small attachment, or a staged file for an upload. */
export type AttachmentSource = Uint8Array | StagedFile;

export interface RequestBody {
  body: string | Readable;
  /** Set for a streamed body, whose length undici cannot know. */
  contentLength?: number;
}

/** A multiple of 3, so each chunk but the last encodes to base64 without padding. */
const chunkBytes = 48 * 1024;

/**
 * `{"request":{…}}` becomes `{"request":{…,"Attachment":"<base64>"}}`: base64 needs no escaping,
 * so it is spliced in rather than given to JSON.stringify, which would hold the event loop for
 * tens of milliseconds on a 7 MB string. A staged file goes out 48 KiB at a time.
 */
export function requestBody(
  request: object,
  attachment: AttachmentSource | undefined,
): RequestBody {
  const json = JSON.stringify({ request });
  if (attachment === undefined) return { body: json };
  const fields = json.slice(0, -2);
  const head = `${fields}${fields.endsWith('{') ? '' : ','}"Attachment":"`;
  const tail = '"}}';
  if (attachment instanceof Uint8Array)
    return { body: `${head}${encodeAttachment(attachment)}${tail}` };
  return {
    body: Readable.from(fileAsBase64(head, attachment, tail), { objectMode: false }),
    contentLength:
      Buffer.byteLength(head) + 4 * Math.ceil(attachment.size / 3) + Buffer.byteLength(tail),
  };
}

async function* fileAsBase64(head: string, file: StagedFile, tail: string): AsyncIterable<Buffer> {
  yield Buffer.from(head);
  const handle = await open(file.path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    for (let position = 0; position < file.size;) {
      const filled = await fill(
        handle,
        chunk,
        position,
        Math.min(chunkBytes, file.size - position),
      );
      position += filled;
      yield Buffer.from(chunk.subarray(0, filled).toString('base64'), 'latin1');
    }
  } finally {
    await handle.close();
  }
  yield Buffer.from(tail);
}

/** Reads `wanted` bytes (a short read only at the end of a file, which a staged file has not). */
async function fill(
  handle: Awaited<ReturnType<typeof open>>,
  into: Buffer,
  position: number,
  wanted: number,
): Promise<number> {
  let filled = 0;
  while (filled < wanted) {
    const { bytesRead } = await handle.read(into, filled, wanted - filled, position + filled);
    if (bytesRead === 0) throw new Error('the staged upload is shorter than received');
    filled += bytesRead;
  }
  return filled;
}
