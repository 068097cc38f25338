import type {
  AgentEvent,
  AgentState,
  ChatDetails,
  GetOverviewResponse,
  LoginResponse,
} from '../../server/protocol/agent-api';

/** A canned response of a service group: a folder (Children) or a text to insert. */
export interface ResponseItem {
  Name: string;
  Text?: string;
  Children?: ResponseItem[];
}

/** GetTranscriptSettings: whether and how a group's transcripts are e-mailed. */
export interface TranscriptSettings {
  /** The group has a sender address: the agent may send transcripts. */
  Available: boolean;
  /** Open the transcript e-mail when the agent ends a chat. */
  OpenOnClose: boolean;
  Subject: string;
}

type Empty = Record<string, never>;
type ChatOnly = { ChatID: string };

/** Request and answer of each agent method the console calls (README: Agent API). */
export interface AgentMethods {
  Login: { request: { AgentID: string; Password: string }; response: LoginResponse };
  Logout: { request: Empty; response: Empty };
  SetReady: { request: { Ready: boolean }; response: Empty };
  GetState: { request: Empty; response: AgentState };
  GetEvents: { request: { Timeout: number; AfterSeq: number }; response: { Events: AgentEvent[] } };
  AcceptChat: { request: ChatOnly; response: Empty };
  SendMessage: {
    request: ChatOnly & { Message: string; Attachment?: string; ClientMessageID: string };
    response: Empty;
  };
  SendTyping: { request: ChatOnly; response: Empty };
  LeaveChat: { request: ChatOnly; response: Empty };
  TransferChat: {
    request: ChatOnly & ({ ServiceGroupID: number } | { AgentID: string });
    response: Empty;
  };
  GetChat: { request: ChatOnly; response: ChatDetails };
  GetAttachment: {
    request: ChatOnly & { AttachmentID: string };
    response: { FileName: string; ImageType: 'png' | 'jpeg' | 'gif' | 'webp' | null; Data: string };
  };
  GetResponses: { request: { ServiceGroupID: number }; response: { Responses: ResponseItem[] } };
  SendTranscript: { request: ChatOnly & { To?: string }; response: { To: string } };
  GetTranscriptSettings: { request: { ServiceGroupID: number }; response: TranscriptSettings };
  GetOverview: { request: Empty; response: GetOverviewResponse };
}

export type AgentMethod = keyof AgentMethods;

/** A failed call: the service's fault code, or `Unreachable` when no answer came at all. */
export class ApiFault extends Error {
  override readonly name = 'ApiFault';

  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface AgentApiClientOptions {
  /** Origin and path prefix of the agent API. @default '/AgentService' */
  baseUrl?: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** The token is no longer valid (expired, or the agent logged in elsewhere). */
  onUnauthorized: () => void;
}

/** Calls `POST /AgentService/<Method>` with the agent's bearer token; faults become ApiFault. */
export class AgentApiClient {
  token: string | null = null;
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: AgentApiClientOptions) {
    this.baseUrl = options.baseUrl ?? '/AgentService';
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  async call<M extends AgentMethod>(
    method: M,
    request: AgentMethods[M]['request'],
    signal?: AbortSignal,
  ): Promise<AgentMethods[M]['response']> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.token !== null) headers['authorization'] = `Bearer ${this.token}`;
    let response: Response;
    try {
      response = await this.fetch(`${this.baseUrl}/${method}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(request),
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (error) {
      if (signal?.aborted === true) throw error;
      throw new ApiFault('Unreachable', String(error), 0);
    }
    const body: unknown = await response.json().catch(() => null);
    if (response.ok) return body as AgentMethods[M]['response'];
    const fault = readFault(body);
    if (response.status === 401 && method !== 'Login') this.options.onUnauthorized();
    throw new ApiFault(
      fault?.Code ?? 'Internal',
      fault?.Message ?? response.statusText,
      response.status,
    );
  }
}

function readFault(body: unknown): { Code: string; Message: string } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const fault = (body as { Fault?: unknown }).Fault;
  if (typeof fault !== 'object' || fault === null) return undefined;
  const { Code, Message } = fault as { Code?: unknown; Message?: unknown };
  return typeof Code === 'string' && typeof Message === 'string' ? { Code, Message } : undefined;
}
