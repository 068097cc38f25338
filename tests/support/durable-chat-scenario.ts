import type { AgentEvent, AgentState, ChatDetails } from '../../server/protocol/agent-api';
import type {
  ChatEvent,
  GetChatInfoResponse,
  RequestChatResponse,
} from '../../server/protocol/customer-api';
import type { ChatServiceProcess, ProcessAgentId } from './chat-service-process';
import { EventStream, ok } from './event-stream';

/**
 * A contact center in mid-flight, driven over HTTP against a Chat Service process, remembering
 * everything the service answered with success so that a test can check it all after a restart.
 */

export type Sender = 'Customer' | 'Agent';

export interface TrackedChat {
  label: string;
  chatId: string;
  /** The agent whose GetChat and GetAttachment see it: its handler, or carol for Support's queue. */
  viewer: ProcessAgentId;
  customer: EventStream<ChatEvent>;
  /** Messages answered 200, in the order they were answered. */
  sent: { from: Sender; message: string }[];
  /** ClientMessageIDs used, to retry one. */
  clientIds: string[];
}

export interface Snapshot {
  info: Record<string, GetChatInfoResponse>;
  details: Record<string, ChatDetails>;
  states: Record<string, AgentState>;
}

const agentIds: ProcessAgentId[] = ['alice', 'bob', 'carol'];

export class DurableChatScenario {
  readonly chats: TrackedChat[] = [];
  readonly tokens = {} as Record<ProcessAgentId, string>;
  readonly agentStreams = {} as Record<ProcessAgentId, EventStream<AgentEvent>>;
  /** The bytes of every attachment answered 200, by file name. */
  readonly attachments = new Map<string, Buffer>();
  private sends = 0;

  constructor(private readonly service: ChatServiceProcess) {}

  readonly chat = (label: string): TrackedChat => {
    const chat = this.chats.find((candidate) => candidate.label === label);
    if (chat === undefined) throw new Error(`no chat ${label}`);
    return chat;
  };

  /**
   * Sales: A and B handled by alice, T handled by alice and transferred to bob, with messages and
   * attachments both ways. Support: Q1, Q2, Q3 queued behind each other (carol is logged in, not
   * ready). Some customer events are acknowledged, some read but not acknowledged, some unread.
   */
  async build(): Promise<void> {
    this.tokens.alice = await this.service.login('alice', { ready: true });
    this.tokens.bob = await this.service.login('bob');
    this.tokens.carol = await this.service.login('carol');
    for (const id of agentIds) this.agentStreams[id] = new EventStream(`${id}'s GetEvents`);
    for (const label of ['A', 'B', 'T']) await this.request(label, 1, 'alice');
    ok(await this.service.agent(this.tokens.bob, 'SetReady', { Ready: true }), 'bob SetReady');
    for (const label of ['Q1', 'Q2', 'Q3']) {
      const chat = await this.request(label, 2, 'carol', `${label}: my first question`);
      await this.say(chat, 'Customer', `${label}: anyone there?`);
      await this.readCustomer(chat, true);
    }
    const [a, b, t] = [this.chat('A'), this.chat('B'), this.chat('T')];
    await this.say(a, 'Customer', 'A: hello');
    await this.say(a, 'Agent', 'A: hi, how can I help?');
    await this.readAgent('alice', true);
    await this.say(a, 'Customer', 'notes.txt', Buffer.from('the customer’s notes'));
    await this.say(a, 'Agent', 'reply.txt', Buffer.from('the agent’s reply'));
    await this.readCustomer(a, true);
    await this.say(a, 'Customer', 'A: thanks');
    await this.say(a, 'Agent', 'A: you are welcome');
    await this.readCustomer(a, false);
    await this.say(a, 'Agent', 'A: anything else?');
    await this.say(b, 'Customer', 'B: where is my order?');
    await this.say(b, 'Agent', 'B: on its way');
    await this.readCustomer(b, true);
    await this.say(b, 'Agent', 'B: it arrives tomorrow');
    await this.say(t, 'Customer', 'T: I need billing');
    await this.say(t, 'Agent', 'T: let me hand you to Bob');
    await this.readCustomer(t, true);
    ok(
      await this.service.agent(this.tokens.alice, 'TransferChat', {
        ChatID: t.chatId,
        AgentID: 'bob',
      }),
      'alice transfers T to bob',
    );
    ok(
      await this.service.agent(this.tokens.bob, 'AcceptChat', { ChatID: t.chatId }),
      'bob accepts T',
    );
    t.viewer = 'bob';
    await this.say(t, 'Agent', 'T: Bob here');
    await this.say(t, 'Customer', 'T: thanks, Bob');
    await this.readCustomer(t, false);
    // A retry of an answered message: the service must remember its ClientMessageID.
    await this.retry(a, 0);
    for (const id of agentIds) await this.readAgent(id, false);
  }

  /** RequestChat; a Sales chat is accepted by `viewer` at once (it is offered to alice alone). */
  async request(label: string, groupId: number, viewer: ProcessAgentId, initial?: string) {
    const answer = ok(
      await this.service.customer<RequestChatResponse>('RequestChat', {
        ServiceGroupID: groupId,
        CustomerName: `Customer ${label}`,
        ...(initial === undefined ? {} : { InitialMessage: initial }),
      }),
      `RequestChat ${label}`,
    );
    if (answer.ChatID === null) throw new Error(`RequestChat ${label}: ${JSON.stringify(answer)}`);
    const chat: TrackedChat = {
      label,
      chatId: answer.ChatID,
      viewer,
      customer: new EventStream(`customer GetEvents of ${label}`),
      sent: initial === undefined ? [] : [{ from: 'Customer', message: initial }],
      clientIds: [],
    };
    this.chats.push(chat);
    if (groupId === 1)
      ok(
        await this.service.agent(this.tokens[viewer], 'AcceptChat', { ChatID: chat.chatId }),
        `${viewer} accepts ${label}`,
      );
    return chat;
  }

  /** SendMessage from the customer or the chat's agent, with a ClientMessageID; expects 200. */
  async say(chat: TrackedChat, from: Sender, message: string, attachment?: Buffer): Promise<void> {
    this.sends += 1;
    const clientId = `${chat.label}-${from}-${this.sends}`;
    const request = {
      ChatID: chat.chatId,
      Message: message,
      ClientMessageID: clientId,
      ...(attachment === undefined ? {} : { Attachment: attachment.toString('base64') }),
    };
    const what = `${from} SendMessage "${message}" in ${chat.label}`;
    if (from === 'Customer') ok(await this.service.customer('SendMessage', request), what);
    else ok(await this.service.agent(this.tokens[chat.viewer], 'SendMessage', request), what);
    chat.sent.push({ from, message });
    if (attachment !== undefined) this.attachments.set(message, attachment);
    chat.clientIds.push(clientId);
  }

  /** Sends the index-th customer message of the chat again with its ClientMessageID. */
  async retry(chat: TrackedChat, index: number): Promise<void> {
    const customerSends = chat.sent.filter((sent) => sent.from === 'Customer');
    const sent = customerSends[index];
    const clientId = chat.clientIds.filter((id) => id.includes('-Customer-'))[index];
    if (sent === undefined || clientId === undefined) throw new Error(`no message ${index}`);
    const request = { ChatID: chat.chatId, Message: sent.message, ClientMessageID: clientId };
    ok(await this.service.customer('SendMessage', request), `retry of "${sent.message}"`);
  }

  async readCustomer(chat: TrackedChat, acknowledge: boolean, when = 'before the restart') {
    const answer = ok(
      await this.service.customer<{ Events: ChatEvent[] }>('GetEvents', {
        ChatID: chat.chatId,
        Timeout: 0,
        AfterSeq: chat.customer.ack,
      }),
      `customer GetEvents of ${chat.label} ${when}`,
    );
    return chat.customer.take(answer.Events, acknowledge, when);
  }

  async readAgent(id: ProcessAgentId, acknowledge: boolean, when = 'before the restart') {
    const stream = this.agentStreams[id];
    const answer = ok(
      await this.service.agent<{ Events: AgentEvent[] }>(this.tokens[id], 'GetEvents', {
        Timeout: 0,
        AfterSeq: stream.ack,
      }),
      `${id}'s GetEvents ${when}`,
    );
    return stream.take(answer.Events, acknowledge, when);
  }

  /** What GetChatInfo, GetChat and GetState answer now, for every chat and agent. */
  async snapshot(when: string): Promise<Snapshot> {
    const snapshot: Snapshot = { info: {}, details: {}, states: {} };
    for (const chat of this.chats) {
      const info = await this.service.customer<GetChatInfoResponse>('GetChatInfo', {
        ChatID: chat.chatId,
      });
      snapshot.info[chat.label] = ok(info, `GetChatInfo of ${chat.label} ${when}`);
      const details = await this.service.agent<ChatDetails>(this.tokens[chat.viewer], 'GetChat', {
        ChatID: chat.chatId,
      });
      snapshot.details[chat.label] = ok(
        details,
        `${chat.viewer}'s GetChat of ${chat.label} ${when}`,
      );
    }
    for (const id of agentIds) {
      const state = ok(
        await this.service.agent<AgentState>(this.tokens[id], 'GetState'),
        `${id}'s GetState ${when} (is the token still valid?)`,
      );
      snapshot.states[id] = { ...state, ActiveChatIDs: [...state.ActiveChatIDs].sort() };
    }
    return snapshot;
  }
}

/** The messages of a chat as its customer's GetEvents showed them (the agent's, in order). */
export function messagesToCustomer(events: readonly ChatEvent[]): string[] {
  return events.flatMap((event) =>
    event.EventType === 0 && !event.Data.System ? [event.Data.Message] : [],
  );
}

/** The messages of a GetChat transcript from customer and agent, in order. */
export function transcriptMessages(details: ChatDetails): { from: Sender; message: string }[] {
  return details.Transcript.flatMap((line) =>
    line.From === 'System' || line.AgentOnly ? [] : [{ from: line.From, message: line.Message }],
  );
}
