import {
  AgentGetEventsRequest,
  AgentSendMessageRequest,
  ChatRequest,
  GetAttachmentRequest,
  GetResponsesRequest,
  LoginRequest,
  SearchArchiveRequest,
  SendTranscriptRequest,
  SetReadyRequest,
  TransferChatRequest,
  type GetOverviewResponse,
} from '../../protocol/agent-api';
import type { AgentDesk } from '../domain/agent-desk';
import type { AgentPresence } from '../domain/agent-presence';
import type { AgentRuntime } from '../domain/agent-runtime';
import { chatIdOf, withBase64Attachment } from './message-body';
import { method, type CallerRequest, type MethodTable } from './method-router';

/** The caller of an agent method: resolved from its bearer token only when the method needs it. */
export interface AgentCaller {
  agent(): AgentRuntime;
  address: string;
}

export function agentCaller(presence: AgentPresence) {
  return (req: CallerRequest): AgentCaller => ({
    agent: () => presence.authenticate(bearerToken(req)),
    address: req.address,
  });
}

function bearerToken(req: CallerRequest): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '');
  return match?.[1];
}

/** `/AgentService/<Method>`: Login is the only method without a token. */
export function agentMethods(presence: AgentPresence, desk: AgentDesk): MethodTable<AgentCaller> {
  return {
    Login: method({
      schema: LoginRequest,
      handle: (request, caller) =>
        presence.login(request.AgentID, request.Password, caller.address),
    }),
    Logout: method({ schema: null, handle: (_request, caller) => presence.logout(caller.agent()) }),
    SetReady: method({
      schema: SetReadyRequest,
      handle: (request, caller) => presence.setReady(caller.agent(), request.Ready),
    }),
    GetState: method({
      schema: null,
      allowGet: true,
      handle: (_request, caller) => presence.state(caller.agent()),
    }),
    GetEvents: method({
      schema: AgentGetEventsRequest,
      handle: async (request, caller, context) => ({
        Events: await presence.getEvents(
          caller.agent(),
          request.Timeout ?? 0,
          request.AfterSeq,
          context,
        ),
      }),
    }),
    AcceptChat: method({
      schema: ChatRequest,
      handle: (request, caller) => desk.acceptChat(caller.agent(), request.ChatID),
    }),
    SendMessage: method({
      schema: AgentSendMessageRequest,
      carriesAttachment: true,
      prepare: (body, caller) => {
        const chatId = chatIdOf(body);
        if (chatId !== undefined) desk.requireAssignedChat(caller.agent(), chatId);
        return withBase64Attachment(body);
      },
      handle: (request, caller) =>
        desk.sendMessage(
          caller.agent(),
          request.ChatID,
          request.Message,
          request.Attachment,
          request.ClientMessageID,
        ),
    }),
    SendTyping: method({
      schema: ChatRequest,
      handle: (request, caller) => desk.sendTyping(caller.agent(), request.ChatID),
    }),
    LeaveChat: method({
      schema: ChatRequest,
      handle: (request, caller) => desk.leaveChat(caller.agent(), request.ChatID),
    }),
    TransferChat: method({
      schema: TransferChatRequest,
      handle: (request, caller) =>
        desk.transferChat(caller.agent(), request.ChatID, request.ServiceGroupID, request.AgentID),
    }),
    GetChat: method({
      schema: ChatRequest,
      handle: (request, caller) => desk.getChat(caller.agent(), request.ChatID),
    }),
    GetAttachment: method({
      schema: GetAttachmentRequest,
      handle: (request, caller) =>
        desk.getAttachment(caller.agent(), request.ChatID, request.AttachmentID),
    }),
    GetResponses: method({
      schema: GetResponsesRequest,
      handle: (request, caller) => ({
        Responses: desk.responses(caller.agent(), request.ServiceGroupID),
      }),
    }),
    SendTranscript: method({
      schema: SendTranscriptRequest,
      handle: (request, caller) => desk.sendTranscript(caller.agent(), request.ChatID, request.To),
    }),
    GetTranscriptSettings: method({
      // The same request as GetResponses: a service group.
      schema: GetResponsesRequest,
      handle: (request, caller) => desk.transcriptSettings(caller.agent(), request.ServiceGroupID),
    }),
    SearchArchive: method({
      schema: SearchArchiveRequest,
      handle: (request, caller) => ({ Chats: desk.searchArchive(caller.agent(), request) }),
    }),
    GetOverview: method({
      schema: null,
      allowGet: true,
      handle: (_request, caller): GetOverviewResponse => ({
        Groups: desk.overview(caller.agent()),
      }),
    }),
  };
}
