import fc from 'fast-check';
import { ChatEventType, ChatState } from '../../protocol/enums';
import type { ChatEvent } from '../../protocol/customer-api';
import { ManualTime } from '../../shared/manual-time';
import { silentLogger } from '../../shared/logger';
import { InMemoryChatArchive } from '../archive/chat-archive';
import { createChatServiceDomain, type ChatServiceDomain } from '../chat-service-domain';
import { MemoryLiveState } from './memory-live-state';
import {
  testConfig,
  testPasswordHashing,
  testPasswords,
} from '../../../tests/support/chat-service-harness';

/**
 * Random customer and agent operations with crashes between them, against a model that only
 * remembers what the service answered with success. A crash keeps what was committed (as `kill -9`
 * of the process would) and a new service restores it; the customer reads on with AfterSeq.
 */

type Op =
  | { kind: 'request'; group: 1 | 2 }
  | { kind: 'customerSends'; chat: number; retry: boolean }
  | { kind: 'agentAccepts' }
  | { kind: 'agentSends'; chat: number }
  | { kind: 'customerReads'; chat: number }
  | { kind: 'advance'; seconds: number }
  | { kind: 'crash'; unanswered: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('request' as const),
    group: fc.constantFrom(1 as const, 2 as const),
  }),
  fc.record({ kind: fc.constant('customerSends' as const), chat: fc.nat(5), retry: fc.boolean() }),
  fc.record({ kind: fc.constant('agentAccepts' as const) }),
  fc.record({ kind: fc.constant('agentSends' as const), chat: fc.nat(5) }),
  fc.record({ kind: fc.constant('customerReads' as const), chat: fc.nat(5) }),
  fc.record({ kind: fc.constant('advance' as const), seconds: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('crash' as const), unanswered: fc.boolean() }),
);

interface ModelChat {
  id: string;
  group: number;
  requestedAt: number;
  /** Texts answered with success, in order, each side. */
  fromCustomer: string[];
  fromAgent: string[];
  /** Sent but never answered (the service died first): may be there once, or not at all. */
  unanswered: Set<string>;
  /** What the customer has read so far, and the last Seq read. */
  read: string[];
  afterSeq: number;
  lastClientId: string | null;
}

class World {
  time = new ManualTime();
  store = new MemoryLiveState();
  archive = new InMemoryChatArchive();
  domain: ChatServiceDomain = this.boot();
  token = '';
  chats: ModelChat[] = [];
  counter = 0;

  boot(): ChatServiceDomain {
    return createChatServiceDomain({
      config: testConfig({ CustomerTimeout: 86_400 }),
      time: this.time,
      logger: silentLogger,
      archive: this.archive,
      liveState: this.store,
      sendTranscript: async () => undefined,
      responseTrees: { treeOf: () => undefined },
      passwordHashing: testPasswordHashing,
    });
  }

  async start(): Promise<void> {
    const login = await this.domain.agentPresence.login('bob', testPasswords.bob, '127.0.0.1');
    this.token = login.Token;
    this.domain.agentPresence.setReady(this.agent(), true);
    await this.store.commit();
  }

  agent() {
    return this.domain.agentPresence.authenticate(this.token);
  }

  crash(): void {
    this.domain.center.stop();
    this.domain.agentPresence.stop();
    this.store = this.store.afterCrash();
    this.domain = this.boot();
  }

  /** The customer's poll with AfterSeq, checked against the model. */
  async read(chat: ModelChat): Promise<void> {
    const events: ChatEvent[] = await this.domain.customerDesk.getEvents(
      { ChatID: chat.id, Timeout: 0, AfterSeq: chat.afterSeq },
      () => true,
    );
    await this.store.commit();
    for (const event of events) {
      expect(event.Seq).toBeGreaterThan(chat.afterSeq);
      chat.afterSeq = event.Seq;
      if (event.EventType === ChatEventType.MessageReceived) chat.read.push(event.Data.Message);
    }
  }
}

/** Answered texts appear once each, in order; unanswered ones at most once. */
function expectDelivered(
  seen: readonly string[],
  answered: readonly string[],
  unanswered: Set<string>,
) {
  const kept = seen.filter((text) => !unanswered.has(text));
  expect(kept).toEqual(answered);
  for (const text of unanswered)
    expect(seen.filter((other) => other === text).length).toBeLessThanOrEqual(1);
}

async function run(ops: readonly Op[]): Promise<void> {
  const world = new World();
  await world.start();
  for (const step of ops) {
    const { domain } = world;
    const chat =
      world.chats[
        step.kind === 'request' || !('chat' in step)
          ? 0
          : step.chat % Math.max(1, world.chats.length)
      ];
    switch (step.kind) {
      case 'request': {
        const answer = domain.customerDesk.requestChat(
          { ServiceGroupID: step.group, CustomerName: 'Ann' },
          '127.0.0.1',
        );
        await world.store.commit();
        if (answer.ChatID === null) break;
        world.chats.push({
          id: answer.ChatID,
          group: step.group,
          requestedAt: world.time.now(),
          fromCustomer: [],
          fromAgent: [],
          unanswered: new Set(),
          read: [],
          afterSeq: 0,
          lastClientId: null,
        });
        break;
      }
      case 'customerSends': {
        if (chat === undefined || domain.center.chat(chat.id).isTerminated) break;
        const retry = step.retry && chat.lastClientId !== null;
        const clientId = retry ? (chat.lastClientId as string) : `c${world.counter++}`;
        const text = retry ? chat.fromCustomer.at(-1) : `customer ${clientId}`;
        if (text === undefined) break;
        domain.customerDesk.sendMessage(
          { ChatID: chat.id, Message: text, ClientMessageID: clientId },
          false,
        );
        await world.store.commit();
        if (!retry) chat.fromCustomer.push(text);
        chat.lastClientId = clientId;
        break;
      }
      case 'agentAccepts': {
        const offered = [...world.agent().offeredChats][0];
        if (offered === undefined) break;
        domain.agentDesk.acceptChat(world.agent(), offered);
        await world.store.commit();
        break;
      }
      case 'agentSends': {
        if (chat === undefined || domain.center.chat(chat.id).agentId !== 'bob') break;
        const text = `agent ${world.counter++}`;
        domain.agentDesk.sendMessage(world.agent(), chat.id, text, null, text);
        await world.store.commit();
        chat.fromAgent.push(text);
        break;
      }
      case 'customerReads':
        if (chat !== undefined) await world.read(chat);
        break;
      case 'advance':
        world.time.advance(step.seconds * 1000);
        await world.store.commit();
        break;
      case 'crash': {
        if (step.unanswered && chat !== undefined && !domain.center.chat(chat.id).isTerminated) {
          // The service dies before this call is committed, so before it could answer.
          const text = `lost ${world.counter++}`;
          domain.customerDesk.sendMessage(
            { ChatID: chat.id, Message: text, ClientMessageID: text },
            false,
          );
          chat.unanswered.add(text);
        }
        world.crash();
        break;
      }
      default:
        step satisfies never;
    }
  }
  // After a last restart: every chat is where it was, and nothing answered is lost or doubled.
  const before = world.chats.map((chat) => ({
    state: world.domain.customerDesk.chatInfo(chat.id),
  }));
  world.crash();
  const agent = world.agent();
  for (const [index, chat] of world.chats.entries()) {
    expect(world.domain.customerDesk.chatInfo(chat.id)).toEqual(before[index]?.state);
    await world.read(chat);
    expectDelivered(chat.read, chat.fromAgent, new Set());
    const details = world.domain.agentDesk.getChat(agent, chat.id);
    expect(Date.parse(details.RequestedAt)).toBe(chat.requestedAt);
    const customerTexts = details.Transcript.filter((entry) => entry.From === 'Customer').map(
      (entry) => entry.Message,
    );
    expectDelivered(customerTexts, chat.fromCustomer, chat.unanswered);
  }
  const queued = world.chats.filter(
    (chat) => world.domain.customerDesk.chatInfo(chat.id).State === ChatState.Queued,
  );
  for (const chat of queued) {
    const others = queued.filter((other) => other.group === chat.group);
    expect(world.domain.customerDesk.chatInfo(chat.id).QueuePosition).toBe(
      others.indexOf(chat) + 1,
    );
  }
  world.domain.center.stop();
  world.domain.agentPresence.stop();
}

describe('Restart property', () => {
  it('when the service crashes between any operations, then a restart loses nothing answered and doubles nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => run(ops)),
      { numRuns: 150 },
    );
  });
});

describe('Restart after every event was read', () => {
  it('when the customer and the agent read everything before a crash, then the next events go on numbering after it', async () => {
    const ops: Op[] = [
      { kind: 'request', group: 2 },
      { kind: 'agentAccepts' },
      { kind: 'customerSends', chat: 0, retry: false },
      { kind: 'agentSends', chat: 0 },
      { kind: 'agentSends', chat: 0 },
      // The second read acknowledges what the first one got: the queue is empty at the crash.
      { kind: 'customerReads', chat: 0 },
      { kind: 'customerReads', chat: 0 },
      { kind: 'crash', unanswered: false },
      { kind: 'agentSends', chat: 0 },
      { kind: 'customerReads', chat: 0 },
    ];
    await run(ops);
  });
});
