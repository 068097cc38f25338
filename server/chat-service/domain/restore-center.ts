import type { ChatEvent } from '../../protocol/customer-api';
import type { AgentEvent } from '../../protocol/agent-api';
import type { EventStream, LiveStateImage } from '../live-state/live-state-store';
import { Chat, type TranscriptEntry } from './chat';
import type { EventQueue } from './event-queue';
import type { Roster } from './roster';

type StoredChat = LiveStateImage['chats'][number];

/** A restored stream goes on after the last Seq it gave out or had read, whichever is later. */
function lastSeqOf(image: LiveStateImage, stream: EventStream, snapshotSeq: number): number {
  return Math.max(snapshotSeq, image.readSeqs.get(stream) ?? 0);
}

/** The groups' handling-time samples and the agents' state and event queues, as committed. */
export function restoreRoster(roster: Roster, image: LiveStateImage, now: number): void {
  for (const group of roster.groups.values()) {
    const samples = image.meta.get(`handlingTimes:${group.id}`);
    if (Array.isArray(samples)) group.handlingTimes.restore(samples.map(Number));
  }
  for (const { snapshot, events } of image.agents) {
    roster.agents.get(snapshot.id.toLowerCase())?.restore(
      { ...snapshot, lastSeq: lastSeqOf(image, `agent:${snapshot.id}`, snapshot.lastSeq) },
      events.map((stored) => stored.event as AgentEvent),
      now,
    );
  }
}

/**
 * A chat as committed: its state, its transcript with the attachment data put back, its
 * remembered ClientMessageIDs, and its customer's event queue with the unread events.
 */
export function restoreChat(
  image: LiveStateImage,
  stored: StoredChat,
  newQueue: (
    stream: EventStream,
    restored: { events: readonly ChatEvent[]; lastSeq: number },
  ) => EventQueue<ChatEvent>,
): Chat {
  const transcript: TranscriptEntry[] = stored.entries.map(({ attachmentData, ...entry }) => ({
    ...entry,
    attachment:
      entry.attachment === null || attachmentData === null
        ? null
        : { ...entry.attachment, data: attachmentData },
  }));
  const stream: EventStream = `chat:${stored.snapshot.id}`;
  const queue = newQueue(stream, {
    events: stored.events.map((event) => event.event as ChatEvent),
    lastSeq: lastSeqOf(image, stream, stored.snapshot.lastSeq),
  });
  return Chat.restore(stored.snapshot, transcript, stored.messageIds, queue);
}
