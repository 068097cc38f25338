import type { AttachmentInfo } from '../../server/protocol/agent-api';
import type { LoggedEvent } from '../../server/customer-chat/session/visitor-events';
import { until } from '../support/chat-service-harness';
import { type CustomerChatHarness } from '../support/customer-chat-harness';
import {
  agentHandledChat,
  ask,
  useCustomerChat,
  type AnyReply,
} from '../support/customer-chat-test-kit';

/**
 * Files both ways between a visitor's page and an agent: uploads over HTTP to CustomerChat
 * (checked for size and type by content), agent files shown and downloadable on the page only
 * with that chat's token.
 */

const { start } = useCustomerChat();

async function upload(
  h: CustomerChatHarness,
  token: string | null,
  name: string,
  data: Uint8Array,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: AnyReply }> {
  const form = new FormData();
  form.append('file', new Blob([data]), name);
  const response = await fetch(`${h.url}/CustomerChat/Chat/Attachment`, {
    method: 'POST',
    headers: token === null ? headers : { 'X-Chat-Token': token, ...headers },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as AnyReply };
}

const download = (h: CustomerChatHarness, id: string, token?: string) =>
  fetch(
    `${h.url}/CustomerChat/Chat/Attachment/${encodeURIComponent(id)}` +
      (token === undefined ? '' : `?token=${encodeURIComponent(token)}`),
  );

type MessageEvent = Extract<LoggedEvent, { type: 'message' }>;
const filesOf = (events: LoggedEvent[]) =>
  events.filter((event): event is MessageEvent => event.type === 'message' && !!event.attachment);

describe('CustomerChat attachments', () => {
  test('when the visitor uploads a file, then the agent gets it with its attachment info and the same bytes', async () => {
    const h = await start();
    const { agent, events, token, chatId } = await agentHandledChat(h);
    const bytes = new TextEncoder().encode('order 4711: two chairs\n');

    const result = await upload(h, token, 'order.txt', bytes);
    expect(result).toEqual({ status: 200, body: { ok: true, id: expect.any(String) } });

    const received = await agent.waitFor(
      (event) => event.EventType === 'MessageReceived' && event.Data.Attachment !== null,
      'the file',
    );
    const info = (received.Data as { Attachment: AttachmentInfo }).Attachment;
    expect(received.Data).toMatchObject({ ChatID: chatId, From: 'Customer', Message: 'order.txt' });
    expect(info).toMatchObject({ FileName: 'order.txt', Size: bytes.length });
    const fetched = await agent.call('GetAttachment', {
      ChatID: chatId,
      AttachmentID: info.AttachmentID,
    });
    expect(fetched.status).toBe(200);
    const data = Buffer.from(String(fetched.body['Data']), 'base64');
    expect(data.equals(Buffer.from(bytes))).toBe(true);

    // The page shows its own file, and can fetch it back.
    await until(() => filesOf(events).length === 1, 'the page shows the upload');
    const shown = filesOf(events)[0];
    expect(shown).toMatchObject({
      from: 'visitor',
      text: 'order.txt',
      attachment: { id: result.body['id'], name: 'order.txt', size: bytes.length },
    });
    const own = await download(h, String(result.body['id']), token);
    expect(own.status).toBe(200);
    expect(Buffer.from(await own.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
  });

  test("when the agent sends a file, then the page shows it and only that chat's token downloads it", async () => {
    const h = await start();
    const { agent, events, token, chatId } = await agentHandledChat(h);
    const other = await agentHandledChat(h, 'bob');
    const bytes = Buffer.from('Your invoice: 42 EUR\n');

    const sent = await agent.call('SendMessage', {
      ChatID: chatId,
      Message: 'invoice.txt',
      Attachment: bytes.toString('base64'),
    });
    expect(sent.status).toBe(200);
    await until(() => filesOf(events).length === 1, 'the page shows the file');
    const shown = filesOf(events)[0] as MessageEvent;
    expect(shown).toMatchObject({
      from: 'agent',
      name: 'Alice',
      text: 'invoice.txt',
      attachment: { id: expect.any(String), name: 'invoice.txt', size: bytes.length },
    });
    const id = shown.attachment?.id ?? '';

    const response = await download(h, id, token);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(response.headers.get('content-disposition')).toContain('invoice.txt');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);

    for (const wrong of [other.token, undefined, '', 'not-a-token']) {
      const refused = await download(h, id, wrong);
      expect(refused.status).toBe(404);
      expect(Buffer.from(await refused.arrayBuffer()).includes(bytes)).toBe(false);
    }
    expect(filesOf(other.events)).toEqual([]);
  });

  test('when an upload is over the Chat Service MaxAttachmentSize, then it gets 413 AttachmentTooLarge and nothing reaches the agent', async () => {
    const h = await start({ chatService: { MaxAttachmentSize: 1 } });
    const { agent, events, token } = await agentHandledChat(h);

    const tooLarge = await upload(h, token, 'big.txt', new Uint8Array(1025).fill(0x61));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toMatchObject({ ok: false, error: { code: 'AttachmentTooLarge' } });
    // A much larger one is cut off while it streams, and still answered.
    const huge = await upload(h, token, 'huge.txt', new Uint8Array(2 * 1024 * 1024).fill(0x61));
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ ok: false, error: { code: 'AttachmentTooLarge' } });
    const small = await upload(h, token, 'small.txt', new Uint8Array(1000).fill(0x61));
    expect(small.status).toBe(200);

    await agent.waitFor(
      (event) => event.EventType === 'MessageReceived' && event.Data.Message === 'small.txt',
      'the file under the limit',
    );
    expect(agent.messages().map((event) => event.Data.Message)).toEqual(['small.txt']);
    expect(filesOf(events).map((event) => event.text)).toEqual(['small.txt']);
  });

  test('when an upload is exactly MaxAttachmentSize, then it is accepted, as the Chat Service accepts it', async () => {
    const h = await start({ chatService: { MaxAttachmentSize: 1 } });
    const { agent, token, chatId } = await agentHandledChat(h);
    const exactly = new Uint8Array(1024).fill(0x61);
    // The Chat Service's own limit is inclusive: the agent may send 1024 bytes.
    const fromAgent = await agent.call('SendMessage', {
      ChatID: chatId,
      Message: 'agent.txt',
      Attachment: Buffer.from(exactly).toString('base64'),
    });
    expect(fromAgent.status).toBe(200);

    const fromVisitor = await upload(h, token, 'fits.txt', exactly);
    expect(fromVisitor).toEqual({ status: 200, body: { ok: true, id: expect.any(String) } });
    await agent.waitFor(
      (event) => event.EventType === 'MessageReceived' && event.Data.Message === 'fits.txt',
      'the file of exactly the limit',
    );
  });

  test('when the upload is a program, renamed or not, then it gets 415 (AttachmentContentMismatch when renamed) and nothing reaches the agent', async () => {
    const h = await start();
    const { agent, events, token, page } = await agentHandledChat(h);
    const program = new Uint8Array(512);
    program.set([0x4d, 0x5a]); // "MZ" and zeros: a Windows executable's header

    for (const [name, code] of [
      ['readme.txt', 'AttachmentContentMismatch'],
      ['setup.exe', 'AttachmentTypeNotAllowed'],
      ['photo.png', 'AttachmentContentMismatch'],
    ] as const) {
      const refused = await upload(h, token, name, program);
      expect(refused.status).toBe(415);
      expect(refused.body).toMatchObject({ ok: false, error: { code } });
    }
    // A .exe by name is refused even when its bytes are harmless.
    const byName = await upload(h, token, 'tool.exe', new TextEncoder().encode('hello'));
    expect(byName.status).toBe(415);

    expect(await ask(page, 'message:send', { clientMessageId: 'after', text: 'sent?' })).toEqual({
      ok: true,
    });
    await agent.waitFor(
      (event) => event.EventType === 'MessageReceived' && event.Data.Message === 'sent?',
      'the message after the refused files',
    );
    expect(agent.messages().map((event) => event.Data.Message)).toEqual(['sent?']);
    expect(filesOf(events)).toEqual([]);
  });

  test('when an upload has no valid chat token or no file, then it is refused and nothing reaches any agent', async () => {
    const h = await start();
    const { agent, token } = await agentHandledChat(h);
    const bytes = new TextEncoder().encode('hello');

    const none = await upload(h, null, 'a.txt', bytes);
    expect(none.status).toBe(404);
    expect(none.body).toMatchObject({ ok: false, error: { code: 'UnknownSession' } });
    const unknown = await upload(h, 'no-such-token', 'a.txt', bytes);
    expect(unknown.status).toBe(404);

    const notMultipart = await fetch(`${h.url}/CustomerChat/Chat/Attachment`, {
      method: 'POST',
      headers: { 'X-Chat-Token': token, 'content-type': 'application/json' },
      body: '{"file":"aGVsbG8="}',
    });
    expect(notMultipart.status).toBe(400);
    expect(await notMultipart.json()).toMatchObject({ ok: false, error: { code: 'BadRequest' } });

    const form = new FormData();
    form.append('note', 'no file here');
    const noFile = await fetch(`${h.url}/CustomerChat/Chat/Attachment`, {
      method: 'POST',
      headers: { 'X-Chat-Token': token },
      body: form,
    });
    expect(noFile.status).toBe(400);

    await agent.read();
    expect(agent.messages()).toEqual([]);
  });
});
