import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatDetails } from '../../server/protocol/agent-api';
import type { ChatEvent } from '../../server/protocol/customer-api';
import { useChatServiceProcesses } from '../support/chat-service-process';
import {
  expectScenarioBuilt,
  expectScenarioContinues,
  expectScenarioSurvived,
} from '../support/durable-chat-checks';
import { DurableChatScenario, messagesToCustomer } from '../support/durable-chat-scenario';
import { EventStream, ok } from '../support/event-stream';

const { create } = useChatServiceProcesses();

describe('A Chat Service killed with kill -9', () => {
  test('when it is started again on the same files, then every chat, message, queue place and agent session answered with success is still there', async () => {
    const service = create();
    await service.start();
    const scenario = new DurableChatScenario(service);
    await scenario.build();
    const before = await scenario.snapshot('before the restart');
    expectScenarioBuilt(scenario, before);

    await service.kill9();
    await service.start();

    await expectScenarioSurvived(service, scenario, before);
    await expectScenarioContinues(service, scenario);
  });

  test('when it is killed during a burst of concurrent SendMessage calls, then each call answered 200 is there once after the restart', async () => {
    const service = create();
    await service.start();
    const alice = await service.login('alice', { ready: true });
    const chatId = ok(
      await service.customer<{ ChatID: string }>('RequestChat', { ServiceGroupID: 1 }),
      'RequestChat',
    ).ChatID;
    ok(await service.agent(alice, 'AcceptChat', { ChatID: chatId }), 'AcceptChat');
    // Lanes of sends, each sending its next message as soon as the last is answered, so calls
    // are in flight whenever the kill lands (group commit answers many at once).
    const lanesPerSide = 16;
    const killAfter = 20;
    const answered = new Set<string>();
    const unanswered = new Set<string>();
    let killed: Promise<void> | undefined;
    const lane = async (from: 'Customer' | 'Agent', laneIndex: number) => {
      for (let index = 0; ; index += 1) {
        const message = `${from} burst ${laneIndex}-${index}`;
        const request = {
          ChatID: chatId,
          Message: message,
          ClientMessageID: `${from}-${laneIndex}-${index}`,
        };
        try {
          const result =
            from === 'Customer'
              ? await service.customer('SendMessage', request)
              : await service.agent(alice, 'SendMessage', request);
          if (result.status !== 200) throw new Error(JSON.stringify(result.body));
          answered.add(message);
          if (answered.size === killAfter) killed = service.kill9();
        } catch {
          unanswered.add(message);
          return;
        }
      }
    };
    const lanes: Promise<void>[] = [];
    for (let index = 0; index < lanesPerSide; index += 1)
      lanes.push(lane('Customer', index), lane('Agent', index));
    await Promise.all(lanes);
    await killed;
    expect(answered.size).toBeGreaterThanOrEqual(killAfter);
    // Some calls were still in flight at the kill, or the test proves less than it says.
    expect(unanswered.size).toBeGreaterThan(0);

    await service.start();

    const details = ok(
      await service.agent<ChatDetails>(alice, 'GetChat', { ChatID: chatId }),
      `alice's GetChat after the restart (${answered.size} sends answered 200 before the kill)`,
    );
    const inTranscript = details.Transcript.map((line) => line.Message);
    const events = new EventStream<ChatEvent>('customer GetEvents after the restart');
    const answer = await service.customer<{ Events: ChatEvent[] }>('GetEvents', {
      ChatID: chatId,
      Timeout: 0,
      AfterSeq: 0,
    });
    events.take(
      ok(answer, 'customer GetEvents after the restart').Events,
      true,
      'after the restart',
    );
    const toCustomer = messagesToCustomer(events.all);
    const count = (list: string[], message: string) =>
      list.filter((candidate) => candidate === message).length;
    const lostOrDoubled = [...answered].filter(
      (message) =>
        count(inTranscript, message) !== 1 ||
        (message.startsWith('Agent') && count(toCustomer, message) !== 1),
    );
    const doubled = [...unanswered].filter(
      (message) => count(inTranscript, message) > 1 || count(toCustomer, message) > 1,
    );
    expect({ lostOrDoubled, doubled }).toEqual({ lostOrDoubled: [], doubled: [] });
  });
});

describe('A Chat Service stopped with SIGTERM', () => {
  test('when it gets SIGTERM, then it answers held polls, exits 0, and on start again no chat has ended and nothing is lost', async () => {
    const service = create();
    await service.start();
    const scenario = new DurableChatScenario(service);
    await scenario.build();
    const before = await scenario.snapshot('before the restart');
    expectScenarioBuilt(scenario, before);
    const q3 = scenario.chat('Q3');
    const held = service
      .customer<{ Events: ChatEvent[] }>('GetEvents', {
        ChatID: q3.chatId,
        Timeout: 30_000,
        AfterSeq: q3.customer.ack,
      })
      .then(
        (result) => result,
        (error: unknown) => `not answered: ${String(error)}`,
      );
    // The poll has to reach the service before the signal; nothing outside the process shows it.
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(await service.sigterm()).toBe(0);
    const heldOutcome = await held;
    await service.start();

    await expectScenarioSurvived(service, scenario, before);
    expect(heldOutcome).toEqual({ status: 200, body: { Events: [] } });
    await expectScenarioContinues(service, scenario);
  });
});

/** The bytes of the service's files in its folder (not its config, not SQLite's shared-memory index). */
function dataFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name.endsWith('.json') || name.endsWith('-shm') || !statSync(path).isFile()) continue;
    files[name] = readFileSync(path).toString('base64');
  }
  return files;
}

/** The SQLite databases among them, by their header. */
function databaseFiles(dir: string): string[] {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter(
      (path) =>
        statSync(path).isFile() &&
        readFileSync(path).subarray(0, 16).toString() === 'SQLite format 3\0',
    );
}

const garbage = (size: number) =>
  Buffer.from(Array.from({ length: size }, (_, i) => (i * 131 + 7) % 256));

describe('A Chat Service whose database cannot be used', () => {
  test('when the archive file is garbage, then start-up stops with a message naming it and leaves it as it was', async () => {
    const service = create();
    writeFileSync(service.archiveFile, garbage(8192));

    const failed = await service.startExpectingFailure();

    expect(failed.code).not.toBe(0);
    expect(failed.output).toContain(service.archiveFile);
    expect(readFileSync(service.archiveFile).equals(garbage(8192))).toBe(true);
  });

  test('when a database file the service wrote is garbage, then start-up stops with a message naming it and leaves it as it was', async () => {
    const service = create();
    await service.start();
    const scenario = new DurableChatScenario(service);
    await scenario.build();
    expect(await service.sigterm()).toBe(0);
    const databases = databaseFiles(service.dir);
    expect(databases).toContain(service.archiveFile);

    for (const database of databases) {
      const original = readFileSync(database);
      for (const journal of ['-wal', '-shm']) rmSync(`${database}${journal}`, { force: true });
      writeFileSync(database, garbage(original.length));

      const failed = await service.startExpectingFailure();

      expect({ database, code: failed.code }).not.toEqual({ database, code: 0 });
      expect({ database, output: failed.output }).toEqual({
        database,
        output: expect.stringContaining(database),
      });
      expect(readFileSync(database).equals(garbage(original.length))).toBe(true);
      writeFileSync(database, original);
    }
  });

  test('when another Chat Service runs on the same files, then start-up stops with a message naming the file and changes nothing', async () => {
    const first = create();
    await first.start();
    const scenario = new DurableChatScenario(first);
    await scenario.build();
    // Paused, the first writes nothing of its own (its timers) while the files are compared.
    first.pause();
    const files = dataFiles(first.dir);
    const second = create({ dir: first.dir });

    let failed: Awaited<ReturnType<typeof second.startExpectingFailure>>;
    let filesAfter: Record<string, string>;
    try {
      failed = await second.startExpectingFailure();
      filesAfter = dataFiles(first.dir);
    } finally {
      first.resume();
    }

    expect(failed.code).not.toBe(0);
    expect(databaseFiles(first.dir).some((database) => failed.output.includes(database))).toBe(
      true,
    );
    expect(filesAfter).toEqual(files);
    const q1 = scenario.chat('Q1');
    expect(
      ok(await first.customer('GetChatInfo', { ChatID: q1.chatId }), 'GetChatInfo of Q1'),
    ).toEqual({
      State: 0,
      QueuePosition: 1,
    });
  });
});
