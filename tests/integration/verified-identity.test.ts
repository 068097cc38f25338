import { createHmac } from 'node:crypto';
import { parseConfig } from '../../server/config/load-config-file';
import { webEnvironment, withEnvironment } from '../../server/config/environment-settings';
import { WebConfigSchema } from '../../server/config/web-config';
import type { ChatDetails } from '../../server/protocol/agent-api';
import { relayKeyHeader } from '../../server/protocol/relay-key';
import {
  customerIdHash,
  verifyCustomerId,
} from '../../server/customer-chat/identity/verify-customer-id';
import { startChatService, testRelayKey } from '../support/chat-service-harness';
import type { CustomerChatHarness } from '../support/customer-chat-harness';
import { ask, useCustomerChat } from '../support/customer-chat-test-kit';

/**
 * IdentityVerificationSecret and RequireIdentityVerification: a CustomerID counts as verified
 * only with the website's HMAC of it, CustomerChat tells the Chat Service so, and the Chat Service
 * believes that only from the caller showing the relay key.
 */

const { start } = useCustomerChat();
const secret = 'the-shop-s-own-secret';
/** What the website's server computes, as README shows it. */
const hashOf = (customerId: string) =>
  createHmac('sha256', secret).update(customerId).digest('hex');

const withSecret = (settings: Record<string, unknown> = {}) => ({
  web: { appSettings: { IdentityVerificationSecret: secret, ...settings } },
});

/** Requests a chat through CustomerChat; returns the reply and what the agent's GetChat shows. */
async function request(h: CustomerChatHarness, details: Record<string, unknown>) {
  const alice = await h.chatService.login('alice', { ready: true });
  const page = await h.visitor();
  const before = new Set(h.chatService.server.center.chats.keys());
  const reply = await ask(page, 'chat:request', { serviceGroupId: 1, ...details });
  const chatId = [...h.chatService.server.center.chats.keys()].find((id) => !before.has(id));
  if (chatId === undefined) return { reply, chat: undefined };
  const chat = await h.chatService.agent<ChatDetails>(alice, 'GetChat', { ChatID: chatId });
  return { reply, chat: chat.body };
}

describe('Verifying the CustomerID', () => {
  test('When the hash is the HMAC of the CustomerID, then the check passes in any letter case, and fails for another ID, a bad hash or none', () => {
    const settings = { IdentityVerificationSecret: secret, RequireIdentityVerification: false };
    const good = hashOf('C-1');
    expect(customerIdHash('C-1', secret)).toBe(good);
    expect(verifyCustomerId('C-1', good, settings)).toEqual({ verified: true });
    expect(verifyCustomerId('C-1', good.toUpperCase(), settings)).toEqual({ verified: true });
    expect(verifyCustomerId('C-2', good, settings)).toEqual({ verified: false });
    expect(verifyCustomerId('C-1', good.slice(0, 63), settings)).toEqual({ verified: false });
    expect(verifyCustomerId('C-1', 'zz'.repeat(32), settings)).toEqual({ verified: false });
    expect(verifyCustomerId('C-1', undefined, settings)).toEqual({ verified: false });
    expect(verifyCustomerId('C-1', good, { ...settings, IdentityVerificationSecret: '' })).toEqual({
      verified: false,
    });
    const required = { ...settings, RequireIdentityVerification: true };
    expect(verifyCustomerId('C-2', good, required)).toBe('refused');
    expect(verifyCustomerId(undefined, undefined, required)).toEqual({ verified: false });
  });

  test('When a page sends the right hash, then the agent sees the CustomerID verified; with a forged one, not verified', async () => {
    const h = await start(withSecret());
    const verified = await request(h, { customerId: 'C-1', customerIdHash: hashOf('C-1') });
    expect(verified.reply).toMatchObject({ ok: true });
    expect(verified.chat).toMatchObject({ CustomerID: 'C-1', CustomerIDVerified: true });
    const forged = await request(h, { customerId: 'C-2', customerIdHash: hashOf('C-1') });
    expect(forged.reply).toMatchObject({ ok: true });
    expect(forged.chat).toMatchObject({ CustomerID: 'C-2', CustomerIDVerified: false });
  });

  test('When verification is required, then a CustomerID without a valid hash is refused before the Chat Service, and a request without one goes through', async () => {
    const h = await start(withSecret({ RequireIdentityVerification: 'true' }));
    const forged = await request(h, { customerId: 'C-2', customerIdHash: hashOf('C-1') });
    expect(forged.reply).toMatchObject({ ok: false, error: { code: 'IdentityNotVerified' } });
    expect(forged.chat).toBeUndefined();
    const anonymous = await request(h, { customerName: 'Guest' });
    expect(anonymous.chat).toMatchObject({ CustomerID: '', CustomerIDVerified: false });
    const good = await request(h, { customerId: 'C-1', customerIdHash: hashOf('C-1') });
    expect(good.chat).toMatchObject({ CustomerIDVerified: true });
  });

  test('When no secret is set, then nothing is verified, whatever the page sends', async () => {
    const h = await start();
    const { chat } = await request(h, { customerId: 'C-1', customerIdHash: hashOf('C-1') });
    expect(chat).toMatchObject({ CustomerID: 'C-1', CustomerIDVerified: false });
  });

  test('When a caller without the relay key claims a verified CustomerID, then the Chat Service does not believe it', async () => {
    const service = await startChatService();
    try {
      const alice = await service.login('alice', { ready: true });
      const claim = { ServiceGroupID: 1, CustomerID: 'C-9', CustomerIDVerified: true };
      const plain = await service.customer<{ ChatID: string }>('RequestChat', claim);
      const relayed = await fetch(`${service.url}/ChatService/RequestChat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [relayKeyHeader]: testRelayKey },
        body: JSON.stringify({ request: claim }),
      });
      const relayedId = ((await relayed.json()) as { ChatID: string }).ChatID;
      const details = async (chatId: string) =>
        (await service.agent<ChatDetails>(alice, 'GetChat', { ChatID: chatId })).body;
      expect(await details(plain.body.ChatID)).toMatchObject({ CustomerIDVerified: false });
      expect(await details(relayedId)).toMatchObject({ CustomerIDVerified: true });
    } finally {
      await service.stop();
    }
  });

  test('When RequireIdentityVerification is set without a secret, then the configuration is refused naming the key', () => {
    const settings = { appSettings: { RequireIdentityVerification: true } };
    expect(() => parseConfig('web.config.json', settings, WebConfigSchema)).toThrow(
      /RequireIdentityVerification/,
    );
  });

  test('When CUSTOMERCHAT_IDENTITY_VERIFICATION_SECRET is set, then it wins over the file', () => {
    const json = withEnvironment(
      { appSettings: { IdentityVerificationSecret: 'from-the-file' } },
      webEnvironment,
      { CUSTOMERCHAT_IDENTITY_VERIFICATION_SECRET: 'from-the-environment' },
    );
    const config = parseConfig('web.config.json', json, WebConfigSchema);
    expect(config.appSettings.IdentityVerificationSecret).toBe('from-the-environment');
  });
});
