import type { GetEventsBatchRequest } from '../../protocol/customer-api';
import { ChatEventType, ChatState, TerminationCause } from '../../protocol/enums';
import type { ChatServiceClient } from './chat-service-client';
import type {
  DecodedChatEvent,
  DecodedGetEventsBatchResponse,
  DecodedGetEventsResponse,
} from './wire-decoding';

/** A request the fake source holds until the test answers or fails it (or the caller aborts). */
export interface HeldCall<Request, Answer> {
  request: Request;
  timeoutMs: number;
  state: 'open' | 'settled' | 'aborted';
  answer(value: Answer): void;
  fail(error: unknown): void;
}

export type BatchCall = HeldCall<GetEventsBatchRequest['Chats'], DecodedGetEventsBatchResponse>;
export type EventsCall = HeldCall<{ chatId: string; afterSeq?: number }, DecodedGetEventsResponse>;

/**
 * The Chat Service's two long-polls as a test double for the event feeds: every call is noted and
 * held until the test says what it answers; an abort rejects it as undici does.
 */
export class FakeEventSource implements Pick<ChatServiceClient, 'getEventsBatch' | 'getEvents'> {
  readonly batchCalls: BatchCall[] = [];
  readonly eventsCalls: EventsCall[] = [];

  getEventsBatch(
    chats: GetEventsBatchRequest['Chats'],
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<DecodedGetEventsBatchResponse> {
    return this.hold(
      this.batchCalls,
      chats.map((chat) => ({ ...chat })),
      timeoutMs,
      signal,
    );
  }

  getEvents(
    chatId: string,
    timeoutMs: number,
    afterSeq?: number,
    signal?: AbortSignal,
  ): Promise<DecodedGetEventsResponse> {
    return this.hold(this.eventsCalls, { chatId, afterSeq }, timeoutMs, signal);
  }

  /** The batch polls neither answered nor aborted yet. */
  openBatchCalls(): BatchCall[] {
    return this.batchCalls.filter((call) => call.state === 'open');
  }

  /** The one open batch poll; fails the test when there is not exactly one. */
  openBatchCall(): BatchCall {
    const open = this.openBatchCalls();
    if (open.length !== 1) throw new Error(`${open.length} batch polls are open, not 1`);
    return open[0] as BatchCall;
  }

  openEventsCalls(): EventsCall[] {
    return this.eventsCalls.filter((call) => call.state === 'open');
  }

  private hold<Request, Answer>(
    calls: HeldCall<Request, Answer>[],
    request: Request,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const call: HeldCall<Request, Answer> = {
        request,
        timeoutMs,
        state: 'open',
        answer: (value) => {
          if (call.state !== 'open') throw new Error('the call is no longer open');
          call.state = 'settled';
          resolve(value);
        },
        fail: (error) => {
          if (call.state !== 'open') throw new Error('the call is no longer open');
          call.state = 'settled';
          reject(error);
        },
      };
      signal?.addEventListener('abort', () => {
        if (call.state !== 'open') return;
        call.state = 'aborted';
        reject(new DOMException('This operation was aborted', 'AbortError'));
      });
      calls.push(call);
    });
  }
}

/** A message from the agent, as the client decodes it. */
export function agentMessage(chatId: string, seq: number, text: string): DecodedChatEvent {
  return {
    EventType: ChatEventType.MessageReceived,
    Data: {
      ChatID: chatId,
      Name: 'Alice',
      Message: text,
      System: false,
      TimeStamp: 0,
      Attachment: null,
    },
    Seq: seq,
  };
}

/** The chat's end, as the client decodes it. */
export function chatEnded(chatId: string, seq: number): DecodedChatEvent {
  return {
    EventType: ChatEventType.ChatState,
    Data: {
      ChatID: chatId,
      State: ChatState.Terminated,
      QueuePosition: 0,
      EstimatedWaitTime: 0,
      TerminationCause: TerminationCause.General,
      EndedBy: undefined,
    },
    Seq: seq,
  };
}
