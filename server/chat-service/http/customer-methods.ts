import {
  GetChatInfoRequest,
  GetEventsBatchRequest,
  GetEventsRequest,
  GetQueueInfoRequest,
  LeaveChatRequest,
  RequestChatRequest,
  SendChatMessageRequest,
  SendTypingRequest,
} from '../../protocol/customer-api';
import type { CustomerDesk } from '../domain/customer-desk';
import { method, type CallerRequest, type MethodTable } from './method-router';

/** The caller of a customer method, as far as the service can tell: its address. */
export interface CustomerCaller {
  address: string;
}

/**
 * The ChatID of a body not yet validated, for a lookup before the costly part; a missing or odd
 * one is left to the schema.
 */
export function chatIdOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const chatId = (body as Record<string, unknown>)['ChatID'];
  return typeof chatId === 'string' ? chatId : undefined;
}

export function customerCaller(req: CallerRequest): CustomerCaller {
  return { address: req.address };
}

/** `/ChatService/<Method>`: the specification's nine methods, and the GetEventsBatch extension. */
export function customerMethods(desk: CustomerDesk, version: string): MethodTable<CustomerCaller> {
  return {
    RequestChat: method({
      schema: RequestChatRequest,
      handle: (request, caller) => desk.requestChat(request, caller.address),
    }),
    LeaveChat: method({
      schema: LeaveChatRequest,
      handle: (request) => desk.leaveChat(request.ChatID),
    }),
    SendMessage: method({
      schema: SendChatMessageRequest,
      carriesAttachment: true,
      precheck: (body) => desk.requireLiveChat(chatIdOf(body)),
      handle: (request) => desk.sendMessage(request),
    }),
    SendTyping: method({
      schema: SendTypingRequest,
      handle: (request) => desk.sendTyping(request.ChatID),
    }),
    GetEvents: method({
      schema: GetEventsRequest,
      handle: async (request, _caller, context) => ({
        Events: await desk.getEvents(request, context.stillWanted),
      }),
    }),
    GetEventsBatch: method({
      schema: GetEventsBatchRequest,
      handle: async (request, _caller, context) => ({
        Chats: await desk.getEventsBatch(request, context.stillWanted),
      }),
    }),
    GetChatInfo: method({
      schema: GetChatInfoRequest,
      handle: (request) => desk.chatInfo(request.ChatID),
    }),
    GetQueueInfo: method({
      schema: GetQueueInfoRequest,
      handle: (request) => desk.queueInfo(request),
    }),
    GetChatConfiguration: method({
      schema: null,
      allowGet: true,
      handle: () => desk.configuration(),
    }),
    GetVersion: method({ schema: null, allowGet: true, handle: () => version }),
  };
}
