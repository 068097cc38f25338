import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../server/config/load-config-file';
import { loadChatServiceConfig } from '../../server/start/start-chat-service';
import { loadWebConfig } from '../../server/start/start-customer-chat';

const root = join(__dirname, '..', '..');
let folder = '';
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'environment-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** The shipped chatservice.config.json with these keys over it, written to the test's folder. */
function chatServiceFile(overrides: Record<string, unknown>): string {
  const shipped = JSON.parse(readFileSync(join(root, 'chatservice.config.json'), 'utf8'));
  const file = join(folder, 'chatservice.config.json');
  writeFileSync(file, JSON.stringify({ ...shipped, ...overrides }));
  return file;
}

describe('Secrets and URLs from the environment', () => {
  test('When CHATSERVICE_SMTP_PASSWORD is set, then it is the SMTP password and the file keeps none', () => {
    const file = chatServiceFile({ Smtp: { Host: 'smtp.example.com', User: 'transcripts' } });
    const before = readFileSync(file, 'utf8');
    const { config } = loadChatServiceConfig({
      CHATSERVICE_CONFIG: file,
      CHATSERVICE_SMTP_PASSWORD: 'from-the-environment',
    });
    expect(config.Smtp).toMatchObject({
      Host: 'smtp.example.com',
      User: 'transcripts',
      Password: 'from-the-environment',
    });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  test('When the SMTP host, user and password all come from the environment, then a file without Smtp gets it', () => {
    const file = chatServiceFile({});
    const { config } = loadChatServiceConfig({
      CHATSERVICE_CONFIG: file,
      CHATSERVICE_SMTP_HOST: 'mail.internal',
      CHATSERVICE_SMTP_USER: 'chat',
      CHATSERVICE_SMTP_PASSWORD: 'pw',
    });
    expect(config.Smtp).toEqual({
      Host: 'mail.internal',
      Port: 587,
      Secure: false,
      User: 'chat',
      Password: 'pw',
    });
    expect(loadChatServiceConfig({ CHATSERVICE_CONFIG: file }).config.Smtp).toBeUndefined();
  });

  test('When only a password comes from the environment and there is no SMTP host, then start-up stops naming the key', () => {
    const file = chatServiceFile({});
    expect(() =>
      loadChatServiceConfig({ CHATSERVICE_CONFIG: file, CHATSERVICE_SMTP_PASSWORD: 'pw' }),
    ).toThrow(ConfigError);
    expect(() =>
      loadChatServiceConfig({ CHATSERVICE_CONFIG: file, CHATSERVICE_SMTP_PASSWORD: 'pw' }),
    ).toThrow(/Smtp\.Host/);
  });

  test('When CUSTOMERCHAT_UPSTREAM_URL is set, then CustomerChat relays there; a wrong one stops start-up naming upstreamUrl', () => {
    const file = join(folder, 'web.config.json');
    writeFileSync(file, readFileSync(join(root, 'web.config.json')));
    const shipped = loadWebConfig({ CUSTOMERCHAT_CONFIG: file });
    expect(shipped.config.upstreamUrl).toBeUndefined();
    const relayed = loadWebConfig({
      CUSTOMERCHAT_CONFIG: file,
      CUSTOMERCHAT_UPSTREAM_URL: 'http://chat-internal.example.local:12616',
    });
    expect(relayed.config.upstreamUrl).toBe('http://chat-internal.example.local:12616');
    expect(() =>
      loadWebConfig({ CUSTOMERCHAT_CONFIG: file, CUSTOMERCHAT_UPSTREAM_URL: 'not a url' }),
    ).toThrow(/upstreamUrl/);
  });
});
