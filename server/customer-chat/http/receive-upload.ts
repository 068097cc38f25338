import { createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { ServiceFault } from '../../protocol/faults';
import { sniffedBytes } from '../../shared/content-sniffer';
import { safeFileName } from '../../shared/file-name';

export interface ReceiveOptions {
  /** The temp file the bytes go to. */
  path: string;
  /** Bytes one file may have. */
  maxBytes: number;
  /** Throws the fault that refuses a name (its type), before any byte is stored. */
  checkName: (name: string) => void;
  /** Counts bytes against the chat's total; false ends the upload. */
  take: (bytes: number) => boolean;
}

export interface ReceivedFile {
  name: string;
  size: number;
  /** The first bytes (up to sniffedBytes), kept as they passed: its type is told by them. */
  head: Buffer;
}

const unreadable = () =>
  new ServiceFault(
    'BadRequest',
    'The upload could not be read: send one file as multipart/form-data.',
  );

/**
 * One file of a multipart upload streamed to disk. Every way a request can go wrong (no final
 * boundary, broken part headers, a client gone mid-file, a second file or a field, no file) ends
 * in one settled promise with a fault; no stream is left without an error handler.
 */
export function receiveUpload(
  req: IncomingMessage,
  options: ReceiveOptions,
): Promise<ReceivedFile> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // Browsers send the name as UTF-8 bytes; busboy's default would read them as Latin-1.
        defParamCharset: 'utf8',
        // One byte over the limit is the first refused, so busboy cuts the file there.
        limits: { files: 1, fields: 0, fileSize: options.maxBytes + 1, headerPairs: 16 },
      });
    } catch {
      reject(unreadable());
      return;
    }
    let settled = false;
    let writing: Promise<ReceivedFile> | undefined;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      parser.destroy();
      // The rest of the request is not wanted; the answer closes the connection.
      req.resume();
      reject(error);
    };
    const succeed = (file: ReceivedFile) => {
      if (settled) return;
      settled = true;
      resolve(file);
    };

    parser.on('file', (_field: string, stream: Readable & { truncated?: boolean }, info) => {
      const name = safeFileName(info.filename ?? '');
      try {
        options.checkName(name);
      } catch (error) {
        stream.on('error', fail);
        stream.resume();
        fail(error);
        return;
      }
      let size = 0;
      const headParts: Buffer[] = [];
      writing = pipeline(
        stream,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            if (size < sniffedBytes) headParts.push(chunk.subarray(0, sniffedBytes - size));
            size += chunk.length;
            if (size > options.maxBytes) throw tooLarge(options.maxBytes);
            if (!options.take(chunk.length))
              throw new ServiceFault(
                'AttachmentTooLarge',
                'This chat has sent as many bytes of files as it may.',
              );
            yield chunk;
          }
        },
        createWriteStream(options.path, { flags: 'wx' }),
      ).then(() => {
        if (stream.truncated === true) throw tooLarge(options.maxBytes);
        return { name, size, head: Buffer.concat(headParts) };
      });
      writing.catch(fail);
    });
    parser.on('filesLimit', () =>
      fail(new ServiceFault('BadRequest', 'Send one file per upload.')),
    );
    parser.on('fieldsLimit', () =>
      fail(new ServiceFault('BadRequest', 'Send the file alone, without other fields.')),
    );
    parser.on('error', () => fail(unreadable()));
    parser.on('close', () => {
      if (writing === undefined) fail(new ServiceFault('BadRequest', 'No file in the upload.'));
      else writing.then(succeed, fail);
    });
    req.on('error', () => fail(unreadable()));
    req.on('aborted', () => fail(unreadable()));
    req.pipe(parser);
  });
}

function tooLarge(maxBytes: number): ServiceFault {
  return maxBytes === 0
    ? new ServiceFault('AttachmentTooLarge', 'Attachments are disabled.')
    : new ServiceFault(
        'AttachmentTooLarge',
        `The file is larger than ${Math.floor(maxBytes / 1024)} KB.`,
      );
}
