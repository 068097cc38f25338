import {
  GetChatInfoRequest,
  GetEventsBatchRequest,
  GetEventsRequest,
  GetQueueInfoRequest,
  LeaveChatRequest,
  LeaveMessageRequest,
  RateChatRequest,
  RequestChatRequest,
  SendChatMessageRequest,
  SendTypingRequest,
} from '../../protocol/customer-api';
import { ServiceFault } from '../../protocol/faults';
import { relayKeyHeader } from '../../protocol/relay-key';
import type { CustomerDesk } from '../domain/customer-desk';
import type { OfflineDesk } from '../domain/offline-desk';
import type { RatingDesk } from '../domain/rating-desk';
import { chatIdOf, withBase64Attachment } from './message-body';
import { method, type CallerRequest, type MethodTable } from './method-router';

/** The caller of a customer method, as far as the service can tell: its address, and whether it is CustomerChat. */
export interface CustomerCaller {
  address: string;
  /** It showed the RelayKey: its System messages are notices to the agent. */
  isRelay: boolean;
}

export function customerCaller(isRelayKey: (given: string | undefined) => boolean) {
  return (req: CallerRequest): CustomerCaller => ({
    address: req.address,
    isRelay: isRelayKey(req.header(relayKeyHeader)),
  });
}

/** `/ChatService/<Method>`: the specification's nine methods, GetEventsBatch, LeaveMessage and RateChat. */
export function customerMethods(
  desk: CustomerDesk,
  offline: OfflineDesk,
  ratings: RatingDesk,
  version: string,
): MethodTable<CustomerCaller> {
  return {
    RequestChat: method({
      schema: RequestChatRequest,
      // Only CustomerChat vouches for a CustomerID; from anyone else the claim is not believed.
      handle: (request, caller) =>
        desk.requestChat(
          request,
          caller.address,
          caller.isRelay && request.CustomerIDVerified === true,
        ),
    }),
    LeaveChat: method({
      schema: LeaveChatRequest,
      handle: (request) => desk.leaveChat(request.ChatID, request.Reason ?? 'Closed'),
    }),
    SendMessage: method({
      schema: SendChatMessageRequest,
      carriesAttachment: true,
      prepare: (body) => {
        desk.requireLiveChat(chatIdOf(body));
        return withBase64Attachment(body);
      },
      handle: (request, caller) => {
        const system = request.System === true;
        if (system && !caller.isRelay)
          throw new ServiceFault(
            'Forbidden',
            'System messages are notices from CustomerChat, which shows its relay key; leave System out.',
          );
        return desk.sendMessage(request, system);
      },
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
    LeaveMessage: method({
      schema: LeaveMessageRequest,
      handle: (request, caller) => offline.leaveMessage(request, caller.address),
    }),
    RateChat: method({
      schema: RateChatRequest,
      handle: (request) => ratings.rateChat(request),
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
