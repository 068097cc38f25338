import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { RequestChatResponse } from '../../server/protocol/customer-api';
import { startChatService, type ChatServiceHarness } from '../support/chat-service-harness';

let folder = '';
let running: ChatServiceHarness | undefined;
let smtp: TestSmtpServer | undefined;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'transcript-mail-'));
});
afterEach(async () => {
  await running?.stop();
  await smtp?.stop();
  running = undefined;
  smtp = undefined;
  rmSync(folder, { recursive: true, force: true });
});

/** Sales (1) sends transcripts with `transcript`; templates are read from the test's folder. */
async function start(transcript: Record<string, unknown>, overrides: Record<string, unknown>) {
  running = await startChatService(
    {
      ServiceGroups: [
        {
          ServiceGroupID: 1,
          Name: 'Sales',
          Email: 'sales@example.com',
          Transcript: { SenderAddress: 'chat@example.com', ...transcript },
        },
        { ServiceGroupID: 2, Name: 'Support' },
        { ServiceGroupID: 3, Name: 'Tenant7Group', TenantID: 7 },
      ],
      ...overrides,
    },
    { configDir: folder },
  );
  return running;
}

function template(name: string, text: string): string {
  writeFileSync(join(folder, name), text);
  return name;
}

const customerName = '<b>Bob & "Co"</b>';
const escapedName = '&lt;b&gt;Bob &amp; &quot;Co&quot;&lt;/b&gt;';
const shortDate = new Intl.DateTimeFormat('en-US', { dateStyle: 'short' });
const shortTime = new Intl.DateTimeFormat('en-US', { timeStyle: 'short' });

/**
 * Alice handles a chat of Bob's: his question at the start, an agent-only notice, her answer 90
 * seconds later. Answers the chat, alice's token and the times the mail should show.
 */
async function conversation(h: ChatServiceHarness) {
  const alice = await h.login('alice', { ready: true });
  const asked = h.time.now();
  const requested = await h.customer<RequestChatResponse>('RequestChat', {
    ServiceGroupID: 1,
    CustomerName: customerName,
    EmailAddress: 'bob@example.com',
    PhoneNumber: '+46 70 123 45 67',
  });
  const chatId = requested.body.ChatID ?? '';
  expect((await h.agent(alice, 'AcceptChat', { ChatID: chatId })).status).toBe(200);
  await h.customer('SendMessage', { ChatID: chatId, Message: 'Is 5 < 6 & "true"?' });
  await h.customer('SendMessage', { ChatID: chatId, Message: 'Agent-only notice', System: true });
  h.time.advance(90_000);
  await h.agent(alice, 'SendMessage', { ChatID: chatId, Message: 'Yes.' });
  const now = h.time.now();
  return {
    chatId,
    alice,
    date: shortDate.format(now),
    time: shortTime.format(now),
    text: `[${shortTime.format(asked)}] ${customerName}: Is 5 < 6 & "true"?\n[${shortTime.format(now)}] Alice: Yes.`,
  };
}

const everyIdentifier = `T: $Transcript$
D: $Date$ T: $Time$ R: $Received$ RD: $Received.Date$ RT: $Received.Time$
G: $ServiceGroup$ GN: $ServiceGroup.Name$ GE: $ServiceGroup.Email$
A: $Agent$ AN: $Agent.Name$ AF: $Agent.FirstName$ AL: $Agent.LastName$ AC: $Agent.ChatName$
C: $Customer$ CN: $Customer.Name$ CE: $Customer.Email$ CC: $Customer.Number$
`;

describe('Transcripts over SMTP', () => {
  test('when SMTP is configured, then the mail reaches the server with its log-in, every identifier replaced', async () => {
    smtp = await startSmtpServer();
    const h = await start(
      {
        Subject: 'Chat of $Customer$ with $Agent.ChatName$ ($ServiceGroup$) on $Date$',
        Template: template('all.txt', everyIdentifier),
      },
      { Smtp: { Host: '127.0.0.1', Port: smtp.port, User: 'transcripts', Password: 'secret' } },
    );
    const chat = await conversation(h);
    const sent = await h.agent(chat.alice, 'SendTranscript', { ChatID: chat.chatId });
    expect(sent).toEqual({ status: 200, body: { To: 'bob@example.com' } });
    expect(smtp.logins).toEqual([{ user: 'transcripts', pass: 'secret' }]);
    const [mail] = smtp.messages.map(parseMail);
    expect(mail?.header('from')).toBe('chat@example.com');
    expect(mail?.header('to')).toBe('bob@example.com');
    expect(mail?.header('subject')).toBe(
      `Chat of ${customerName} with Alice (Sales) on ${chat.date}`,
    );
    expect(mail?.html).toBeUndefined();
    const received = `${chat.date}, ${chat.time}`;
    expect(mail?.text.trimEnd()).toBe(`T: ${chat.text}
D: ${chat.date} T: ${chat.time} R: ${received} RD: ${chat.date} RT: ${chat.time}
G: Sales GN: Sales GE: sales@example.com
A: Alice Andersson AN: Alice Andersson AF: Alice AL: Andersson AC: Alice
C: ${customerName} CN: ${customerName} CE: bob@example.com CC: +46 70 123 45 67`);
  });

  test('when the template is HTML, then values are escaped in it and the text alternative is plain', async () => {
    smtp = await startSmtpServer();
    const html = template('t.html', '<p>Dear $Customer$,</p>\n$Transcript$\n<p>$Agent$</p>\n');
    const h = await start({ Template: html }, { Smtp: { Host: '127.0.0.1', Port: smtp.port } });
    const chat = await conversation(h);
    await h.agent(chat.alice, 'SendTranscript', { ChatID: chat.chatId, To: 'boss@example.com' });
    const [mail] = smtp.messages.map(parseMail);
    expect(mail?.header('to')).toBe('boss@example.com');
    expect(mail?.header('subject')).toBe('Chat conversation with Alice');
    expect(mail?.html).toContain(`<p>Dear ${escapedName},</p>\n<div class="transcript">\n`);
    expect(mail?.html).toContain(
      `<strong class="sender">${escapedName}:</strong> ` +
        '<span class="text">Is 5 &lt; 6 &amp; &quot;true&quot;?</span></p>',
    );
    expect(mail?.html).toContain('<p>Alice Andersson</p>');
    expect(mail?.html).not.toContain('Agent-only notice');
    expect(mail?.text).toBe(
      `Your chat with Alice of Sales, ${chat.date}, ${chat.time}.\n\n${chat.text}\n`,
    );
  });

  test('when the mail server cannot be reached, then SendTranscript answers a clear Internal fault', async () => {
    const h = await start({}, { Smtp: { Host: '127.0.0.1', Port: await closedPort() } });
    const chat = await conversation(h);
    expect(await h.agent(chat.alice, 'SendTranscript', { ChatID: chat.chatId })).toEqual({
      status: 500,
      body: {
        Fault: {
          Code: 'Internal',
          Message: 'The mail server could not be reached; the transcript was not sent.',
        },
      },
    });
  });
});

describe('Transcripts in the outbox', () => {
  test('when no SMTP server is configured, then each mail is a separate .eml file in OutboxFolder', async () => {
    const h = await start({ Template: template('t.html', '<p>$Customer$</p>$Transcript$') }, {});
    const chat = await conversation(h);
    await h.agent(chat.alice, 'SendTranscript', { ChatID: chat.chatId });
    await h.agent(chat.alice, 'SendTranscript', { ChatID: chat.chatId, To: 'boss@example.com' });
    const outbox = join(folder, 'outbox');
    const files = readdirSync(outbox).sort();
    expect(files).toEqual([
      expect.stringMatching(new RegExp(`-1-${chat.chatId}\\.eml$`)),
      expect.stringMatching(new RegExp(`-2-${chat.chatId}\\.eml$`)),
    ]);
    const mails = files.map((file) => parseMail(readFileSync(join(outbox, file), 'utf8')));
    expect(mails.map((mail) => mail.header('to'))).toEqual(['bob@example.com', 'boss@example.com']);
    expect(mails[0]?.header('from')).toBe('chat@example.com');
    expect(mails[0]?.html).toMatch(new RegExp(`^<p>${escapedName}</p><div class="transcript">`));
    expect(mails[0]?.text).toContain(chat.text);
  });
});

interface TestSmtpServer {
  port: number;
  /** Each message as received, headers and encoded body. */
  messages: string[];
  logins: Array<{ user: string | null | undefined; pass: string | null | undefined }>;
  stop(): Promise<void>;
}

/** A real SMTP server on a free loopback port, keeping what it receives. */
async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: string[] = [];
  const logins: TestSmtpServer['logins'] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push({ user: auth.username, pass: auth.password });
      callback(null, { user: auth.username ?? '' });
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        messages.push(Buffer.concat(chunks).toString('utf8'));
        callback(null);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, messages, logins, stop: () => new Promise((resolve) => server.close(resolve)) };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface ParsedMail {
  header(name: string): string | undefined;
  text: string;
  html: string | undefined;
}

/** Just enough of RFC 5322 and MIME for the mails the service writes. */
function parseMail(raw: string): ParsedMail {
  const part = parsePart(raw.replace(/\r\n/g, '\n'));
  const leaves = part.parts.length > 0 ? part.parts : [part];
  const body = (type: string) =>
    leaves.find((leaf) => leaf.headers.get('content-type')?.startsWith(type))?.body;
  return {
    header: (name) => part.headers.get(name),
    text: body('text/plain') ?? '',
    html: body('text/html'),
  };
}

interface MimePart {
  headers: Map<string, string>;
  body: string;
  parts: MimePart[];
}

function parsePart(raw: string): MimePart {
  const split = raw.indexOf('\n\n');
  const head = raw.slice(0, split).replace(/\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  const content = raw.slice(split + 2);
  const boundary = /boundary="?([^";]+)"?/.exec(headers.get('content-type') ?? '')?.[1];
  if (boundary !== undefined) {
    // The line break before a delimiter belongs to the delimiter, not to the part.
    const sections = `\n${content}`.split(`\n--${boundary}`).slice(1, -1);
    return { headers, body: '', parts: sections.map((section) => parsePart(section.slice(1))) };
  }
  const encoding = headers.get('content-transfer-encoding') ?? '7bit';
  return { headers, body: decodeBody(content, encoding), parts: [] };
}

function decodeBody(content: string, encoding: string): string {
  if (encoding === 'base64') return Buffer.from(content, 'base64').toString('utf8');
  if (encoding !== 'quoted-printable') return content;
  const soft = content.replace(/=\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i += 1) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(soft.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`), which headers with special characters use. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?[^?]+\?([QB])\?([^?]*)\?=/gi, (_word, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeBody(text.replace(/_/g, ' '), 'quoted-printable'),
    );
}
