import type { ChatDetails } from '../../protocol/agent-api';

/** What the archive keeps of an ended chat: its details and transcript, without attachment data. */
export type ArchivedChat = ChatDetails & { AgentIDs: string[] };

export interface ArchiveQuery {
  customerId?: string | null | undefined;
  sessionId?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  /** Epoch ms, inclusive, on the time the chat was requested. */
  from?: number | null | undefined;
  to?: number | null | undefined;
  serviceGroupIds: readonly number[];
  limit: number;
}

export interface ChatArchive {
  save(chat: ArchivedChat): void;
  get(chatId: string): ArchivedChat | undefined;
  search(query: ArchiveQuery): ArchivedChat[];
  /** Throws when a chat could not be written now (readiness). */
  checkWritable(): void;
  close(): void;
}

/** Keeps ended chats for the life of the process. */
export class InMemoryChatArchive implements ChatArchive {
  private readonly chats = new Map<string, ArchivedChat>();

  save(chat: ArchivedChat): void {
    this.chats.set(chat.ChatID, structuredClone(chat));
  }

  get(chatId: string): ArchivedChat | undefined {
    const chat = this.chats.get(chatId);
    return chat === undefined ? undefined : structuredClone(chat);
  }

  search(query: ArchiveQuery): ArchivedChat[] {
    return [...this.chats.values()]
      .filter((chat) => matchesArchiveQuery(chat, query))
      .sort((a, b) => b.RequestedAt.localeCompare(a.RequestedAt))
      .slice(0, query.limit)
      .map((chat) => structuredClone(chat));
  }

  checkWritable(): void {
    // Memory is always writable.
  }

  close(): void {
    this.chats.clear();
  }
}

export function matchesArchiveQuery(chat: ArchivedChat, query: ArchiveQuery): boolean {
  const requestedAt = Date.parse(chat.RequestedAt);
  return (
    query.serviceGroupIds.includes(chat.ServiceGroupID) &&
    (query.customerId == null || chat.CustomerID === query.customerId) &&
    (query.sessionId == null || chat.SessionID === query.sessionId) &&
    (query.email == null || chat.EmailAddress.toLowerCase() === query.email.toLowerCase()) &&
    (query.phone == null || chat.PhoneNumber === query.phone) &&
    (query.from == null || requestedAt >= query.from) &&
    (query.to == null || requestedAt <= query.to)
  );
}
