import { ChatState } from '../../protocol/enums';
import { ManualTime } from '../../shared/manual-time';
import { silentLogger } from '../../shared/logger';
import { InMemoryChatArchive } from '../archive/chat-archive';
import { createChatServiceDomain } from '../chat-service-domain';
import { MemoryLiveState } from './memory-live-state';
import {
  testConfig,
  testPasswordHashing,
  testPasswords,
} from '../../../tests/support/chat-service-harness';

/** A service on the given store, with the test config changed by `overrides`. */
function boot(store: MemoryLiveState, time: ManualTime, overrides: Record<string, unknown> = {}) {
  return createChatServiceDomain({
    config: testConfig(overrides),
    time,
    logger: silentLogger,
    archive: new InMemoryChatArchive(),
    liveState: store,
    sendTranscript: async () => undefined,
    responseTrees: { treeOf: () => undefined },
    passwordHashing: testPasswordHashing,
  });
}

/** A Support chat handled by bob, committed, and the store a restart would find. */
async function handledByBob(time: ManualTime) {
  const store = new MemoryLiveState();
  const domain = boot(store, time);
  const { Token } = await domain.agentPresence.login('bob', testPasswords.bob, '127.0.0.1');
  const bob = domain.agentPresence.authenticate(Token);
  domain.agentPresence.setReady(bob, true);
  const { ChatID } = domain.customerDesk.requestChat({ ServiceGroupID: 2 }, '127.0.0.1');
  if (ChatID === null) throw new Error('Support is closed');
  domain.agentDesk.acceptChat(bob, ChatID);
  await store.commit();
  domain.center.stop();
  domain.agentPresence.stop();
  return { store: store.afterCrash(), chatId: ChatID };
}

describe('Restoring after the config changed', () => {
  test('when the agent of a handled chat is no longer configured, then the chat waits at the head of its queue', async () => {
    const time = new ManualTime();
    const { store, chatId } = await handledByBob(time);
    const base = testConfig();
    const domain = boot(store, time, {
      Agents: base.Agents.filter((agent) => agent.AgentID !== 'bob'),
      ServiceGroups: base.ServiceGroups.map((group) => ({
        ...group,
        ClosedWhenNoAgentsLoggedIn: false,
      })),
    });
    expect(domain.customerDesk.chatInfo(chatId)).toEqual({
      State: ChatState.Queued,
      QueuePosition: 1,
    });
    domain.center.stop();
    domain.agentPresence.stop();
  });

  test('when the group of a chat is no longer configured, then the chat is gone rather than stuck', async () => {
    const time = new ManualTime();
    const { store, chatId } = await handledByBob(time);
    const base = testConfig();
    const domain = boot(store, time, {
      ServiceGroups: base.ServiceGroups.filter((group) => group.ServiceGroupID !== 2),
      Agents: base.Agents.map((agent) => ({
        ...agent,
        ServiceGroupIDs: agent.ServiceGroupIDs.filter((id) => id !== 2).concat(
          agent.ServiceGroupIDs.includes(2) ? [1] : [],
        ),
      })),
    });
    expect(() => domain.customerDesk.chatInfo(chatId)).toThrow('No chat has that ChatID.');
    domain.center.stop();
    domain.agentPresence.stop();
  });
});
