import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ResponseNode } from '../../server/config/chat-service-config';
import { ChatServiceConfigSchema } from '../../server/config/chat-service-config';
import { loadConfigFile } from '../../server/config/load-config-file';
import { InMemoryChatArchive } from '../../server/chat-service/archive/chat-archive';
import { ChatServiceServer } from '../../server/chat-service/chat-service-server';
import { parseResponses } from '../../server/chat-service/responses/parse-responses';
import type { WatchFile } from '../../server/chat-service/responses/watch-file';
import type { Logger } from '../../server/shared/logger';
import {
  startChatService,
  testConfig,
  type ChatServiceHarness,
} from '../support/chat-service-harness';

let folder: string;
let running: { stop(): Promise<void> } | undefined;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'responses-file-'));
  mkdirSync(join(folder, 'responses'));
});
afterEach(async () => {
  await running?.stop();
  running = undefined;
  rmSync(folder, { recursive: true, force: true });
});

const salesFile = () => join(folder, 'responses', 'sales.txt');

/** The test config with Sales (1) reading responses/sales.txt; Support (2) keeps inline ones. */
const supportInline: ResponseNode[] = [{ Name: 'Restart', Text: 'Please restart it.' }];
const groupChanges: Record<number, object> = {
  1: { ResponsesFile: 'responses/sales.txt' },
  2: { Responses: supportInline },
};
const withSalesFile = {
  ServiceGroups: testConfig().ServiceGroups.map((group) => ({
    ...group,
    ...groupChanges[group.ServiceGroupID],
  })),
};

/** Starts the service with a watcher the test fires by hand and a logger that keeps errors. */
async function start(salesText: string) {
  writeFileSync(salesFile(), salesText);
  const watched = { fire: () => {} };
  const watchResponsesFile: WatchFile = (_file, onChange) => {
    watched.fire = onChange;
    return { close: () => undefined };
  };
  const errors: Record<string, unknown>[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (data) => void errors.push({ ...data }),
  };
  const h = await startChatService(withSalesFile, {
    configDir: folder,
    archive: new InMemoryChatArchive(),
    watchResponsesFile,
    logger,
  });
  running = h;
  const alice = await h.login('alice');
  return { h, alice, watched, errors };
}

async function responses(h: ChatServiceHarness, token: string, groupId: number) {
  const result = await h.agent<{ Responses: ResponseNode[] }>(token, 'GetResponses', {
    ServiceGroupID: groupId,
  });
  expect(result.status).toBe(200);
  return result.body.Responses;
}

describe('Responses files over the agent API', () => {
  test("when a group has a ResponsesFile, then GetResponses returns the file's tree; other groups keep their inline responses", async () => {
    const { h, alice } = await start(
      'Greetings/\n  Hello: Hi!\n  Bye:\n    Bye for now.\n    Take care.\n',
    );
    expect(await responses(h, alice, 1)).toEqual([
      {
        Name: 'Greetings',
        Children: [
          { Name: 'Hello', Text: 'Hi!' },
          { Name: 'Bye', Text: 'Bye for now.\nTake care.' },
        ],
      },
    ]);
    expect(await responses(h, alice, 2)).toEqual(supportInline);
  });

  test('when the file changes, then agents get the new tree once the change settles', async () => {
    const { h, alice, watched } = await start('Hello: Hi!\n');
    writeFileSync(salesFile(), 'Hello: Hi there!\nPrices/\n  List: See the website.\n');
    watched.fire();
    expect(await responses(h, alice, 1)).toEqual([{ Name: 'Hello', Text: 'Hi!' }]);
    h.time.advance(300);
    expect(await responses(h, alice, 1)).toEqual([
      { Name: 'Hello', Text: 'Hi there!' },
      { Name: 'Prices', Children: [{ Name: 'List', Text: 'See the website.' }] },
    ]);
  });

  test('when the file changes into an invalid one, then the error is logged with its line and the last good tree stays', async () => {
    const { h, alice, watched, errors } = await start('Hello: Hi!\n');
    writeFileSync(salesFile(), 'Hello: Hi!\nPrices/\n');
    watched.fire();
    h.time.advance(300);
    expect(await responses(h, alice, 1)).toEqual([{ Name: 'Hello', Text: 'Hi!' }]);
    expect(errors).toEqual([
      {
        file: salesFile(),
        line: 2,
        reason: 'folder "Prices" is empty: indent its items under it',
      },
    ]);
  });

  test('when the file is invalid at start-up, then start-up fails with the file, line and reason', async () => {
    await expect(start('Hello: Hi!\n  \tmore\n')).rejects.toThrow(
      `${salesFile()}:2: indent with spaces only, not tabs`,
    );
  });

  test('when the shipped config is used, then Sales and Support answer the example files', async () => {
    const root = resolve(__dirname, '../..');
    const config = loadConfigFile(join(root, 'chatservice.config.json'), ChatServiceConfigSchema);
    const server = new ChatServiceServer({
      config,
      configDir: root,
      archive: new InMemoryChatArchive(),
      sendTranscript: async () => undefined,
      port: 0,
      host: '127.0.0.1',
    });
    await server.start();
    running = server;
    const call = async (method: string, body: unknown, token = '') => {
      const response = await fetch(`${server.url}/AgentService/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      return (await response.json()) as { Token: string; Responses: ResponseNode[] };
    };
    const { Token } = await call('Login', { AgentID: 'alice', Password: 'demo-alice' });
    for (const [groupId, name] of [
      [1, 'sales.txt'],
      [2, 'support.txt'],
    ] as const) {
      const file = join(root, 'examples', 'responses', name);
      const expected = parseResponses(readFileSync(file, 'utf8'), file);
      expect((await call('GetResponses', { ServiceGroupID: groupId }, Token)).Responses).toEqual(
        expected,
      );
    }
  });
});
