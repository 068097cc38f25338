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
    const perSide = 60;
    const killAfter = 30;
    const answered = new Set<string>();
    const unanswered = new Set<string>();
    let killed: Promise<void> | undefined;
    const send = async (from: 'Customer' | 'Agent', index: number) => {
      const message = `${from} burst ${index}`;
      const request = { ChatID: chatId, Message: message, ClientMessageID: `${from}-${index}` };
      try {
        const result =
          from === 'Customer'
            ? await service.customer('SendMessage', request)
            : await service.agent(alice, 'SendMessage', request);
        if (result.status !== 200) throw new Error(JSON.stringify(result.body));
        answered.add(message);
        // The kill goes out while the other calls are still in flight.
        if (answered.size === killAfter) killed = service.kill9();
      } catch {
        unanswered.add(message);
      }
    };
    const sends: Promise<void>[] = [];
    for (let index = 0; index < perSide; index += 1)
      sends.push(send('Customer', index), send('Agent', index));
    await Promise.all(sends);
    await killed;
    expect(answered.size).toBeGreaterThanOrEqual(killAfter);

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
    events.take(ok(answer, 'customer GetEvents after the restart').Events, true, 'after the restart');
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
