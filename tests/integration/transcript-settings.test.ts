import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hashPassword } from '../../server/chat-service/auth/password-hash';
import { loadTranscriptTemplates } from '../../server/chat-service/mail/transcript-templates';
import { ChatServiceConfigSchema } from '../../server/config/chat-service-config';
import { ConfigError, loadConfigFile } from '../../server/config/load-config-file';
import type { RequestChatResponse } from '../../server/protocol/customer-api';
import {
  startChatService,
  testPasswordHashing,
  type ChatServiceHarness,
} from '../support/chat-service-harness';

let folder = '';
let running: ChatServiceHarness | undefined;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'transcript-settings-'));
});
afterEach(async () => {
  await running?.stop();
  running = undefined;
  rmSync(folder, { recursive: true, force: true });
});

/** Sales (1) with `sales` as its Transcript, Support (2) with `support`; tenant 7's group (3). */
function start(
  sales: Record<string, unknown>,
  support: Record<string, unknown> = {},
  overrides: Record<string, unknown> = {},
) {
  return startChatService(
    {
      ServiceGroups: [
        { ServiceGroupID: 1, Name: 'Sales', Transcript: sales },
        { ServiceGroupID: 2, Name: 'Support', Transcript: support },
        { ServiceGroupID: 3, Name: 'Tenant7Group', TenantID: 7 },
      ],
      ...overrides,
    },
    { configDir: folder },
  );
}

function template(name: string, text: string): string {
  writeFileSync(join(folder, name), text);
  return name;
}

const sender = { SenderAddress: 'chat@example.com' };

describe('Transcript templates at start-up', () => {
  test('when a template has an unknown or unclosed identifier, then start-up stops naming the file, line and text', async () => {
    const file = template('broken.html', '<p>Hello $Customer$</p>\n<p>$Agent.Nickname$</p>\n$Date');
    const error: unknown = await start({ ...sender, Template: file }).catch((thrown) => thrown);
    // A ConfigError: the start scripts print its message alone and exit.
    expect(error).toBeInstanceOf(ConfigError);
    const { message } = error as Error;
    expect(message).toContain(
      `ServiceGroups.0.Transcript.Template (Sales): ${join(folder, file)} line 2: ` +
        'unknown identifier "$Agent.Nickname$"',
    );
    expect(message).toContain(
      `${join(folder, file)} line 3: "$Date" starts an identifier that does not end with $ on the same line`,
    );
  });

  test('when a subject uses $Transcript$ or an unknown identifier, then start-up stops naming the group', async () => {
    const failure = start(sender, { Subject: 'Chat $Transcript$ $Nope$' });
    await expect(failure).rejects.toThrow(
      /ServiceGroups\.1\.Transcript\.Subject \(Support\) line 1: "\$Transcript\$" is only available in the template[^]*unknown identifier "\$Nope\$"/,
    );
  });

  test.each([
    ['is missing', 'missing.html', false, /missing\.html cannot be read/],
    [
      'is not .txt, .htm or .html',
      'notes.docx',
      true,
      /notes\.docx is not a \.txt, \.htm or \.html/,
    ],
  ])('when a template file %s, then start-up stops', async (_what, file, exists, message) => {
    if (exists) template(file, 'Hello');
    await expect(start({ ...sender, Template: file })).rejects.toThrow(message);
  });

  test("when an agent's Locale is not a locale, then start-up stops naming the agent", async () => {
    const agent = {
      AgentID: 'dave',
      Name: 'Dave',
      PasswordHash: hashPassword('dave-pw', testPasswordHashing),
      ServiceGroupIDs: [1],
      Locale: 'en_US',
    };
    await expect(start(sender, {}, { Agents: [agent] })).rejects.toThrow(
      'Agents.0.Locale (dave): "en_US" is not a locale such as en-US',
    );
  });

  test("when the shipped config is used, then its groups' templates pass the checks", () => {
    const root = resolve(__dirname, '../..');
    const config = loadConfigFile(join(root, 'chatservice.config.json'), ChatServiceConfigSchema);
    const templates = loadTranscriptTemplates(config.ServiceGroups, config.Agents, root);
    expect(templates.groups.get(1)?.body.format).toBe('html');
  });
});

describe('Transcript settings for the console', () => {
  test('when an agent asks for a group, then it learns whether transcripts are available and open on close', async () => {
    running = await start(
      { ...sender, Subject: 'Chat with $Agent$', OpenOnClose: true },
      { OpenOnClose: true },
    );
    const h = running;
    const alice = await h.login('alice');
    expect(await h.agent(alice, 'GetTranscriptSettings', { ServiceGroupID: 1 })).toEqual({
      status: 200,
      body: { Available: true, OpenOnClose: true, Subject: 'Chat with $Agent$' },
    });
    const support = await h.agent(alice, 'GetTranscriptSettings', { ServiceGroupID: 2 });
    expect(support.body).toEqual({ Available: false, OpenOnClose: false, Subject: '' });
    const bob = await h.login('bob');
    expect((await h.agent(bob, 'GetTranscriptSettings', { ServiceGroupID: 1 })).status).toBe(200);
    const carol = await h.login('carol');
    const otherTenant = await h.agent(carol, 'GetTranscriptSettings', { ServiceGroupID: 1 });
    expect(otherTenant.body).toMatchObject({ Fault: { Code: 'Forbidden' } });
    const unknown = await h.agent(alice, 'GetTranscriptSettings', { ServiceGroupID: 99 });
    expect(unknown.body).toMatchObject({ Fault: { Code: 'UnknownServiceGroup' } });
  });

  test('when the group has no sender address, then SendTranscript is Forbidden and nothing is written', async () => {
    running = await start(sender);
    const h = running;
    const alice = await h.login('alice', { ready: true });
    const chatId = await acceptedChat(h, alice, 2);
    const refused = await h.agent(alice, 'SendTranscript', { ChatID: chatId });
    expect(refused).toEqual({
      status: 403,
      body: { Fault: { Code: 'Forbidden', Message: 'Support has no transcript sender address.' } },
    });
    expect(existsSync(join(folder, 'outbox'))).toBe(false);
  });

  test("when the agent's Locale is sv-SE, then dates and times in the mail are Swedish", async () => {
    const alice = {
      AgentID: 'alice',
      Name: 'Alice Andersson',
      PasswordHash: hashPassword('alice-pw', testPasswordHashing),
      ServiceGroupIDs: [1],
      Locale: 'sv-SE',
    };
    const file = template('dates.txt', 'Sent $Received$ ($Date$ at $Time$)\n$Transcript$\n');
    running = await start({ ...sender, Template: file }, {}, { Agents: [alice] });
    const h = running;
    const token = await h.login('alice', { ready: true });
    const chatId = await acceptedChat(h, token, 1);
    await h.agent(token, 'SendMessage', { ChatID: chatId, Message: 'Hej!' });
    await h.agent(token, 'SendTranscript', { ChatID: chatId });
    const [file0] = readdirSync(join(folder, 'outbox'));
    const mail = readFileSync(join(folder, 'outbox', file0 ?? ''), 'utf8');
    const now = h.time.now();
    const date = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short' }).format(now);
    const time = new Intl.DateTimeFormat('sv-SE', { timeStyle: 'short' }).format(now);
    const both = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short', timeStyle: 'short' });
    expect(mail).toContain(
      `Sent ${both.format(now)} (${date} at ${time})\n[${time}] Alice Andersson: Hej!`,
    );
    expect(date).toBe('2026-01-05');
  });
});

async function acceptedChat(h: ChatServiceHarness, token: string, groupId: number) {
  const requested = await h.customer<RequestChatResponse>('RequestChat', {
    ServiceGroupID: groupId,
    CustomerName: 'Ann',
    EmailAddress: 'ann@example.com',
  });
  const chatId = requested.body.ChatID ?? '';
  expect((await h.agent(token, 'AcceptChat', { ChatID: chatId })).status).toBe(200);
  return chatId;
}
