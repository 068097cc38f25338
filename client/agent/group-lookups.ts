import type { AgentApiClient, ResponseItem, TranscriptSettings } from './agent-api-client';
import { once } from './once';

/** What the console asks about a service group, each asked once per group and log-in. */
export class GroupLookups {
  private readonly responses = new Map<number, Promise<ResponseItem[]>>();
  private readonly transcriptSettings = new Map<number, Promise<TranscriptSettings>>();

  constructor(private readonly api: AgentApiClient) {}

  /** The group's responses tree. */
  responsesFor(groupId: number): Promise<ResponseItem[]> {
    return once(this.responses, groupId, () =>
      this.api.call('GetResponses', { ServiceGroupID: groupId }).then((result) => result.Responses),
    );
  }

  /** Whether the group's transcripts may be e-mailed, and opened on close. */
  transcriptSettingsFor(groupId: number): Promise<TranscriptSettings> {
    return once(this.transcriptSettings, groupId, () =>
      this.api.call('GetTranscriptSettings', { ServiceGroupID: groupId }),
    );
  }

  /** Forgets every answer (another agent may log in next). */
  clear(): void {
    this.responses.clear();
    this.transcriptSettings.clear();
  }
}
