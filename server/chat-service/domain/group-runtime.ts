import type { ServiceGroupConfig } from '../../config/chat-service-config';
import type { Chat } from './chat';
import { HandlingTimeSamples } from './wait-time';

/**
 * A service group at run time: its waiting chats, first requested first served (a transferred chat
 * keeps its place by the time it was first requested; one whose agent vanished goes first), and
 * its recent handling times.
 */
export class GroupRuntime {
  private readonly waiting: Chat[] = [];
  readonly handlingTimes: HandlingTimeSamples;

  constructor(
    readonly config: ServiceGroupConfig,
    sampleSize: number,
  ) {
    this.handlingTimes = new HandlingTimeSamples(sampleSize);
  }

  get id(): number {
    return this.config.ServiceGroupID;
  }

  get queue(): readonly Chat[] {
    return this.waiting;
  }

  enqueue(chat: Chat): void {
    const index = this.waiting.findIndex((other) => comesBefore(chat, other));
    if (index === -1) this.waiting.push(chat);
    else this.waiting.splice(index, 0, chat);
  }

  remove(chat: Chat): boolean {
    const index = this.waiting.indexOf(chat);
    if (index === -1) return false;
    this.waiting.splice(index, 1);
    return true;
  }

  /** 1-based place in the queue; 0 when the chat is not waiting here. */
  positionOf(chat: Chat): number {
    return this.waiting.indexOf(chat) + 1;
  }
}

function comesBefore(chat: Chat, other: Chat): boolean {
  if (chat.atFront !== other.atFront) return chat.atFront;
  if (chat.requestedAt !== other.requestedAt) return chat.requestedAt < other.requestedAt;
  return chat.internalSessionId < other.internalSessionId;
}
