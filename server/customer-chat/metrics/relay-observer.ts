/** Why the relay refused a chat request before it reached the Chat Service. */
export type RefusalReason = 'rejected_group' | 'capacity' | 'rate';

/** Told of what the relay decides on its own: refusals, and visitors who stayed away too long. */
export interface RelayObserver {
  chatRefused(reason: RefusalReason): void;
  gracePeriodExpired(): void;
}
