import { ChatState } from '../../server/protocol/enums';
import type { AgentApiClient } from './agent-api-client';
import { consoleText, fill } from './console-text';
import type { ConsoleStore } from './console-store';
import type { GroupLookups } from './group-lookups';

/**
 * The chats the agent holds, as tabs: opened with their details and transcript loaded once,
 * closed with the files this console made for them, and offers rebuilt after a reload.
 */
export class ChatTabs {
  private readonly loading = new Set<string>();

  constructor(
    private readonly api: AgentApiClient,
    private readonly store: ConsoleStore,
    private readonly groups: GroupLookups,
    private readonly announce: (text: string) => void,
  ) {}

  /** Shows a chat the agent holds, loading its details and transcript once. */
  open(chatId: string, activate: boolean): void {
    this.store.addChat(chatId);
    if (activate) this.store.activate(chatId);
    if (this.loading.has(chatId)) return;
    this.loading.add(chatId);
    this.api.call('GetChat', { ChatID: chatId }).then(
      (details) => {
        this.store.setDetails(details);
        if (details.State === ChatState.Terminated) this.store.endChat(chatId, details.EndedBy);
        void this.groups.responsesFor(details.ServiceGroupID).catch(() => undefined);
      },
      (error: unknown) => {
        this.loading.delete(chatId);
        console.warn('agent console: chat not loaded', error);
      },
    );
  }

  /** An offer still open after a reload, shown again from the chat's details. */
  async restoreOffer(chatId: string): Promise<void> {
    try {
      const details = await this.api.call('GetChat', { ChatID: chatId });
      this.store.addOffer({
        ChatID: chatId,
        ServiceGroupID: details.ServiceGroupID,
        ServiceGroupName: details.ServiceGroupName,
        CustomerName: details.CustomerName,
        InitialMessage: details.InitialMessage,
        ExpiresAt: '',
        Transferred: details.AnsweredAt !== null,
      });
    } catch (error) {
      console.warn('agent console: offer not restored', error);
    }
  }

  /** The chat went to someone else: its tab closes and the agent is told. */
  handOver(chatId: string): void {
    const chat = this.store.chats.get(chatId);
    if (chat === undefined) return;
    const name = chat.details?.CustomerName || consoleText.anonymous;
    this.close(chatId);
    this.announce(fill(consoleText.chatTransferred, name));
  }

  /** Drops a chat's tab, and the files this console sent in it. */
  close(chatId: string): void {
    for (const line of this.store.chats.get(chatId)?.lines ?? []) {
      if (line.localFileUrl !== undefined) URL.revokeObjectURL(line.localFileUrl);
    }
    this.loading.delete(chatId);
    this.store.removeChat(chatId);
  }

  closeAll(): void {
    for (const chat of this.store.chatList) this.close(chat.id);
    this.loading.clear();
  }
}
