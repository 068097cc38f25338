import type { ResponseNode } from '../../config/chat-service-config';
import { ChatEventType, ChatState, TerminationCause } from '../../protocol/enums';
import { ServiceFault } from '../../protocol/faults';
import { encodeAttachment } from '../../protocol/attachment-encoding';
import type { ChatDetails, GroupOverview, SearchArchiveRequest } from '../../protocol/agent-api';
import type { ArchivedChat } from '../archive/chat-archive';
import type { AgentRuntime } from './agent-runtime';
import type { Chat } from './chat';
import { toChatDetails } from './chat-views';
import { composeMessage } from './compose-message';
import { groupOverview } from './group-overview';
import { imageTypeOf, type ImageType } from '../../shared/image-type';
import type { ContactCenter } from './contact-center';
import type { ResponseTrees } from '../responses/response-libraries';

export interface TranscriptRequest {
  chat: ChatDetails;
  agent: AgentRuntime;
  to: string;
}

/** Sends a chat's transcript by e-mail; the mail part implements it. */
export type TranscriptSender = (request: TranscriptRequest) => Promise<void>;

/** What the console needs to offer a group's transcript (GetTranscriptSettings). */
export interface TranscriptSettings {
  /** The group has a sender address: the agent may send transcripts. */
  Available: boolean;
  /** Open the transcript e-mail when the agent closes the chat (never when not Available). */
  OpenOnClose: boolean;
  /** The subject as configured, identifiers unreplaced; blank: the default subject. */
  Subject: string;
}

/**
 * What agents do with chats. An agent sees and acts on the chats of its own groups, and on a
 * chat offered or assigned to it (a transfer may bring one from another group).
 */
export class AgentDesk {
  /**
   * @param responseTrees the groups' responses files, which change while the service runs; a group
   * without a file answers its inline Responses.
   */
  constructor(
    private readonly center: ContactCenter,
    private readonly sendTranscriptMail: TranscriptSender,
    private readonly responseTrees: ResponseTrees,
  ) {}

  acceptChat(agent: AgentRuntime, chatId: string): void {
    const chat = this.liveChat(chatId);
    this.requireAccess(agent, chat.groupId, chat.agentIds, chat.offer?.agentId);
    if (chat.offer?.agentId !== agent.id)
      throw new ServiceFault(
        'NotOffered',
        'This chat is not offered to you (the offer may have lapsed).',
      );
    this.center.assign(chat, agent);
  }

  sendMessage(
    agent: AgentRuntime,
    chatId: string,
    text: string | null | undefined,
    attachmentData: string | readonly number[] | null | undefined,
    clientMessageId: string | null | undefined,
  ): void {
    const chat = this.assignedChat(agent, chatId);
    if (chat.hasSeenMessageId(clientMessageId)) return;
    const { message, attachment } = composeMessage(text, attachmentData, this.center.config, chat);
    const now = this.center.time.now();
    this.center.addEntry(
      chat,
      { at: now, from: 'Agent', name: agent.chatName, message, attachment, agentOnly: false },
      clientMessageId,
    );
    this.center.toCustomer(chat, [
      {
        EventType: ChatEventType.MessageReceived,
        Data: {
          ChatID: chat.id,
          Name: agent.chatName,
          Message: message,
          System: false,
          TimeStamp: new Date(now).toISOString(),
          Attachment: attachment === null ? null : encodeAttachment(attachment.data),
        },
      },
    ]);
  }

  sendTyping(agent: AgentRuntime, chatId: string): void {
    const chat = this.assignedChat(agent, chatId);
    const unread = chat.customerEvents.hasPending(
      (event) => event.EventType === ChatEventType.AgentTyping,
    );
    if (!unread)
      this.center.toCustomer(chat, [
        { EventType: ChatEventType.AgentTyping, Data: { ChatID: chat.id, Name: agent.chatName } },
      ]);
  }

  leaveChat(agent: AgentRuntime, chatId: string): void {
    const chat = this.assignedChat(agent, chatId);
    this.center.toCustomer(chat, [
      { EventType: ChatEventType.AgentLeft, Data: { ChatID: chat.id, Name: agent.chatName } },
    ]);
    this.center.endChat(chat, TerminationCause.General, 'Agent');
  }

  transferChat(
    agent: AgentRuntime,
    chatId: string,
    toGroupId: number | null | undefined,
    toAgentId: string | null | undefined,
  ): void {
    const chat = this.assignedChat(agent, chatId);
    const target = toAgentId != null ? this.transferTargetAgent(agent, toAgentId, chat) : undefined;
    const group = toGroupId != null ? this.center.group(toGroupId) : this.center.groupOf(chat);
    if (group.config.TenantID !== chat.tenantId)
      throw new ServiceFault('TenantMismatch', 'That service group belongs to another tenant.');
    if (target === undefined && !this.center.isOpen(group))
      throw new ServiceFault('AgentNotAvailable', `${group.config.Name} is closed.`);
    const destination = target?.config.Name ?? group.config.Name;
    this.center.addEntry(chat, {
      at: this.center.time.now(),
      from: 'System',
      name: '',
      message: `Transferred by ${agent.chatName} to ${destination}.`,
      attachment: null,
      agentOnly: true,
    });
    this.center.logger.info(
      { chatId: chat.id, agentId: agent.id, toGroup: group.id, toAgent: target?.id },
      'chat transferred',
    );
    // Other agents first; the one handing it over gets it back only if nobody else can take it.
    this.center.handBack(chat, agent, group, 'Transferred', {
      reservedFor: target?.id ?? null,
      passOver: agent.id,
    });
    this.center.agentChanged(agent);
  }

  getChat(agent: AgentRuntime, chatId: string): ChatDetails {
    const chat = this.center.chats.get(chatId);
    if (chat === undefined) return this.archivedChat(agent, chatId);
    this.requireAccess(agent, chat.groupId, chat.agentIds, chat.offer?.agentId);
    const group = this.center.groupOf(chat);
    const position = chat.state === ChatState.Queued ? group.positionOf(chat) : 0;
    const details = toChatDetails(
      chat,
      group.config.Name,
      position,
      this.center.config.FromPriority,
    );
    // An ended chat's rating is kept in the archive only.
    if (chat.isTerminated) details.Rating = this.center.archive.get(chatId)?.Rating ?? null;
    return details;
  }

  /** GetOverview: the agent's groups, with their ratings from the archive. */
  overview(agent: AgentRuntime): GroupOverview[] {
    const groupIds = agent.config.ServiceGroupIDs;
    const ratings = this.center.archive.ratingsByGroup(groupIds);
    return groupOverview(this.center, groupIds, ratings, this.center.time.now());
  }

  getAttachment(
    agent: AgentRuntime,
    chatId: string,
    attachmentId: string,
  ): { FileName: string; ImageType: ImageType | null; Data: string } {
    this.getChat(agent, chatId);
    const attachment = this.center.chats.get(chatId)?.findAttachment(attachmentId);
    if (attachment === undefined)
      throw new ServiceFault(
        'UnknownAttachment',
        'No attachment has that ID in this chat (ended chats keep names and sizes only).',
      );
    return {
      FileName: attachment.fileName,
      ImageType: imageTypeOf(attachment.data),
      Data: encodeAttachment(attachment.data),
    };
  }

  responses(agent: AgentRuntime, groupId: number): ResponseNode[] {
    const group = this.center.group(groupId);
    if (!agent.belongsTo(group.id))
      throw new ServiceFault('Forbidden', 'You are not an agent of that service group.');
    const tree = this.responseTrees.treeOf(group.id) ?? group.config.Responses;
    return structuredClone(tree) as ResponseNode[];
  }

  async sendTranscript(
    agent: AgentRuntime,
    chatId: string,
    to: string | null | undefined,
  ): Promise<{ To: string }> {
    const chat = this.getChat(agent, chatId);
    const group = this.center.group(chat.ServiceGroupID);
    if (!group.config.Transcript.SenderAddress)
      throw new ServiceFault('Forbidden', `${group.config.Name} has no transcript sender address.`);
    const recipient = to ?? chat.EmailAddress;
    if (recipient === '')
      throw new ServiceFault('BadRequest', 'The customer gave no e-mail address; give To.');
    await this.sendTranscriptMail({ chat, agent, to: recipient });
    return { To: recipient };
  }

  /** Any group of the agent's tenants: a transferred chat may come from a group it is not in. */
  transcriptSettings(agent: AgentRuntime, groupId: number): TranscriptSettings {
    const group = this.center.group(groupId);
    const sameTenant = agent.config.ServiceGroupIDs.some(
      (id) => this.center.group(id).config.TenantID === group.config.TenantID,
    );
    if (!sameTenant)
      throw new ServiceFault('Forbidden', 'That service group belongs to another tenant.');
    const { SenderAddress, OpenOnClose, Subject } = group.config.Transcript;
    const available = Boolean(SenderAddress);
    return { Available: available, OpenOnClose: available && OpenOnClose, Subject };
  }

  searchArchive(agent: AgentRuntime, query: SearchArchiveRequest): ArchivedChat[] {
    return this.center.archive.search({
      customerId: query.CustomerID,
      sessionId: query.SessionID,
      email: query.EmailAddress,
      phone: query.PhoneNumber,
      from: query.From == null ? null : Date.parse(query.From),
      to: query.To == null ? null : Date.parse(query.To),
      serviceGroupIds: agent.config.ServiceGroupIDs,
      limit: query.Limit ?? 100,
    });
  }

  private transferTargetAgent(from: AgentRuntime, agentId: string, chat: Chat): AgentRuntime {
    const target = this.center.agents.get(agentId.toLowerCase());
    if (target === undefined)
      throw new ServiceFault('UnknownAgent', `No agent has the ID "${agentId}".`);
    if (target === from) throw new ServiceFault('BadRequest', 'The chat is already yours.');
    // A chat never leaves its tenant: the customer's details would go with it.
    const sameTenant = target.config.ServiceGroupIDs.some(
      (groupId) => this.center.group(groupId).config.TenantID === chat.tenantId,
    );
    if (!sameTenant) {
      throw new ServiceFault('TenantMismatch', `${target.config.Name} works for another tenant.`);
    }
    if (!target.loggedIn)
      throw new ServiceFault('AgentNotAvailable', `${target.config.Name} is not logged in.`);
    return target;
  }

  private archivedChat(agent: AgentRuntime, chatId: string): ChatDetails {
    const archived = this.center.archive.get(chatId);
    if (archived === undefined) throw new ServiceFault('UnknownChat', 'No chat has that ChatID.');
    this.requireAccess(agent, archived.ServiceGroupID, archived.AgentIDs, undefined);
    const { AgentIDs, ...details } = archived;
    return details;
  }

  private requireAccess(
    agent: AgentRuntime,
    groupId: number,
    handledBy: readonly string[],
    offeredTo: string | undefined,
  ): void {
    if (agent.belongsTo(groupId) || handledBy.includes(agent.id) || offeredTo === agent.id) return;
    throw new ServiceFault('Forbidden', 'That chat belongs to a service group you are not in.');
  }

  private liveChat(chatId: string): Chat {
    const chat = this.center.chat(chatId);
    if (chat.isTerminated) throw new ServiceFault('ChatTerminated', 'The chat has ended.');
    return chat;
  }

  /** Fails as acting on the chat would: unknown, ended, or not this agent's. */
  requireAssignedChat(agent: AgentRuntime, chatId: string): void {
    this.assignedChat(agent, chatId);
  }

  private assignedChat(agent: AgentRuntime, chatId: string): Chat {
    const chat = this.liveChat(chatId);
    if (chat.agentId !== agent.id) {
      const inGroup = agent.belongsTo(chat.groupId);
      throw new ServiceFault(
        'Forbidden',
        inGroup
          ? 'Accept the chat before acting on it.'
          : 'That chat belongs to a service group you are not in.',
      );
    }
    return chat;
  }
}
