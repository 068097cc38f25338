import { ChatState } from '../../server/protocol/enums';
import type { ChatSnapshot } from '../../server/chat-service/live-state/live-state-store';

/** A queued chat's snapshot as the live state stores it, for the stores' own tests. */
export function queuedChatSnapshot(id: string, lastSeq = 0): ChatSnapshot {
  return {
    id,
    internalSessionId: 1,
    tenantId: -1,
    groupId: 2,
    customer: {
      sessionId: '',
      customerId: 'c1',
      name: 'Ann',
      email: '',
      phone: '',
      privateData: '',
      initialMessage: '',
      initialMessageToAgent: '',
      timeZoneOffset: null,
    },
    requestedAt: 1000,
    state: ChatState.Queued,
    agentId: null,
    agentIds: [],
    answeredAt: null,
    assignedAt: null,
    endedAt: null,
    terminationCause: null,
    endedBy: null,
    lastCustomerActivityAt: 1000,
    passedOver: [],
    reservedFor: null,
    atFront: false,
    lastQueueNotice: null,
    lastSeq,
  };
}
