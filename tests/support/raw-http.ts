import { connect } from 'node:net';

export interface RawAnswer {
  /** 0 when the server closed without answering. */
  status: number;
  text: string;
}

/**
 * Sends bytes exactly as given over a new TCP connection, as a hostile client would (no
 * client library fixing them up); `abortAfter` closes the connection after sending instead of
 * waiting for the answer.
 */
export function sendRaw(
  url: string,
  bytes: Buffer,
  options: { abortAfter?: boolean; timeoutMs?: number } = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const done = () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ status: status === undefined ? 0 : Number(status), text });
    };
    socket.setTimeout(options.timeoutMs ?? 5000, () => {
      socket.destroy();
      reject(new Error('no answer in time'));
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // One answer is all this asks for: stop at its end rather than wait for keep-alive to lapse.
      const text = Buffer.concat(chunks).toString('utf8');
      const head = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text)?.[1];
      if (head >= 0 && length !== undefined && text.length >= head + 4 + Number(length)) {
        socket.destroy();
      }
    });
    // A reset by the server (a refused upload closes the connection) ends in 'close' as well.
    socket.on('error', () => undefined);
    socket.on('close', done);
    socket.write(bytes, () => {
      if (options.abortAfter === true) socket.destroy();
    });
  });
}

/** A POST of a multipart body to CustomerChat's upload route, Content-Length as given or true. */
export function multipartRequest(
  token: string,
  body: Buffer,
  options: { boundary?: string; contentLength?: number; host?: string } = {},
): Buffer {
  const head = [
    'POST /CustomerChat/Chat/Attachment HTTP/1.1',
    `Host: ${options.host ?? '127.0.0.1'}`,
    `X-Chat-Token: ${token}`,
    `Content-Type: multipart/form-data; boundary=${options.boundary ?? 'b'}`,
    `Content-Length: ${options.contentLength ?? body.length}`,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head), body]);
}
