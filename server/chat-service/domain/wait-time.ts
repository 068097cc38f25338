/**
 * Estimated wait, in whole seconds, for the customer at a 1-based queue position:
 *
 *   free slots >= position          → 0 (an agent can take the chat now)
 *   no staffed slot or no history   → -1 (nothing to estimate from)
 *   otherwise                       → ceil((position - free) × averageHandlingSeconds / slots)
 *
 * where slots is the sum of MaxConcurrentChats over the group's ready agents and free the slots of
 * those agents not yet in use. Each slot finishes a chat every averageHandlingSeconds on average,
 * so the group clears slots / averageHandlingSeconds chats a second.
 */
export interface WaitTimeInputs {
  position: number;
  totalSlots: number;
  freeSlots: number;
  averageHandlingSeconds: number | undefined;
}

export function estimateWaitSeconds(inputs: WaitTimeInputs): number {
  const { position, totalSlots, freeSlots, averageHandlingSeconds } = inputs;
  if (freeSlots >= position) return 0;
  if (totalSlots <= 0 || averageHandlingSeconds === undefined) return -1;
  return Math.ceil(((position - freeSlots) * averageHandlingSeconds) / totalSlots);
}

/** The handling times of a group's most recent chats, oldest dropped first. */
export class HandlingTimeSamples {
  private readonly samples: number[] = [];

  constructor(private readonly capacity: number) {}

  /** The samples, oldest first, as `restore` takes them back after a restart. */
  list(): number[] {
    return [...this.samples];
  }

  restore(samples: readonly number[]): void {
    this.samples.splice(0, this.samples.length, ...samples.slice(-this.capacity));
  }

  add(seconds: number): void {
    this.samples.push(Math.max(0, seconds));
    if (this.samples.length > this.capacity) this.samples.shift();
  }

  average(): number | undefined {
    if (this.samples.length === 0) return undefined;
    return this.samples.reduce((sum, value) => sum + value, 0) / this.samples.length;
  }
}
