/* global Blob, FormData, fetch */
// A hostile visitor in its own process (so its buffers are not counted against the server's
// memory): `node upload-flood-client.mjs <url> <token> <count> <bytes>` posts <count> uploads of
// <bytes> bytes at once and prints their HTTP statuses as JSON (0: connection closed first).
const [url, token, count, bytes] = process.argv.slice(2);
const body = new Blob([new Uint8Array(Number(bytes)).fill(0x41)]);
const statuses = await Promise.all(
  Array.from({ length: Number(count) }, async () => {
    const form = new FormData();
    form.append('file', body, 'big.txt');
    try {
      const response = await fetch(`${url}/CustomerChat/Chat/Attachment`, {
        method: 'POST',
        headers: { 'X-Chat-Token': token },
        body: form,
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  }),
);
process.stdout.write(JSON.stringify(statuses));
