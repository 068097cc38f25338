import type { ChatDetails, ChatRating } from '../../protocol/agent-api';

/** What the archive keeps of an ended chat: its details and transcript, without attachment data. */
export type ArchivedChat = ChatDetails & { AgentIDs: string[] };

/** A message left for a closed group (the LeaveMessage extension). */
export interface OfflineMessage {
  MessageID: string;
  TenantID: number;
  ServiceGroupID: number;
  ServiceGroupName: string;
  CustomerName: string;
  EmailAddress: string;
  Message: string;
  LeftAt: string;
}

/** What became of a rating given to the archive: kept, refused as the second, or no such chat. */
export type RatingOutcome = 'rated' | 'alreadyRated' | 'unknownChat';

/** A group's rated chats: how many, and their average rating. */
export interface GroupRatings {
  count: number;
  average: number;
}

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
  /** Keeps the customer's rating with the archived chat; a chat takes one rating only. */
  rate(chatId: string, rating: ChatRating): RatingOutcome;
  /** The groups' rated chats (groups with none are left out). */
  ratingsByGroup(serviceGroupIds: readonly number[]): Map<number, GroupRatings>;
  saveOfflineMessage(message: OfflineMessage): void;
  /** The groups' offline messages, newest first. */
  offlineMessages(serviceGroupIds: readonly number[], limit: number): OfflineMessage[];
  /** Throws when a chat could not be written now (readiness). */
  checkWritable(): void;
  close(): void;
}

/** Keeps ended chats for the life of the process. */
export class InMemoryChatArchive implements ChatArchive {
  private readonly chats = new Map<string, ArchivedChat>();
  private readonly left: OfflineMessage[] = [];

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

  rate(chatId: string, rating: ChatRating): RatingOutcome {
    const chat = this.chats.get(chatId);
    if (chat === undefined) return 'unknownChat';
    if (chat.Rating !== null) return 'alreadyRated';
    chat.Rating = { ...rating };
    return 'rated';
  }

  ratingsByGroup(serviceGroupIds: readonly number[]): Map<number, GroupRatings> {
    const sums = new Map<number, { count: number; total: number }>();
    for (const chat of this.chats.values()) {
      if (chat.Rating === null || !serviceGroupIds.includes(chat.ServiceGroupID)) continue;
      const sum = sums.get(chat.ServiceGroupID) ?? { count: 0, total: 0 };
      sum.count += 1;
      sum.total += chat.Rating.Rating;
      sums.set(chat.ServiceGroupID, sum);
    }
    return new Map(
      [...sums].map(([groupId, sum]) => [
        groupId,
        { count: sum.count, average: sum.total / sum.count },
      ]),
    );
  }

  saveOfflineMessage(message: OfflineMessage): void {
    this.left.push({ ...message });
  }

  offlineMessages(serviceGroupIds: readonly number[], limit: number): OfflineMessage[] {
    // Newest first; those of the same millisecond, the last saved first (as the SQLite archive).
    return this.left
      .filter((message) => serviceGroupIds.includes(message.ServiceGroupID))
      .reverse()
      .sort((a, b) => b.LeftAt.localeCompare(a.LeftAt))
      .slice(0, limit)
      .map((message) => ({ ...message }));
  }

  checkWritable(): void {
    // Memory is always writable.
  }

  close(): void {
    this.chats.clear();
    this.left.length = 0;
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
