import type { CallResult } from './chat-service-harness';

/** The body of a 200 answer; anything else fails naming the call and what came back. */
export function ok<T>(result: CallResult<T>, what: string): T {
  if (result.status !== 200)
    throw new Error(`${what}: expected 200, got ${result.status} ${JSON.stringify(result.body)}`);
  return result.body;
}

/**
 * What a client following an event queue with AfterSeq has seen: every event read so far (Seq 1,
 * 2, 3 …) and the highest Seq it acknowledged. Each read checks the queue's promise: events after
 * the acknowledged Seq come again unchanged, and new ones continue the numbering without a gap.
 */
export class EventStream<E extends { Seq: number }> {
  private readonly events: E[] = [];
  private acknowledged = 0;

  constructor(private readonly name: string) {}

  get ack(): number {
    return this.acknowledged;
  }

  get all(): readonly E[] {
    return this.events;
  }

  get lastSeq(): number {
    return this.events.at(-1)?.Seq ?? 0;
  }

  /** Adds one GetEvents answer (asked with AfterSeq = ack); `acknowledge` moves ack to its end. */
  take(answer: readonly E[], acknowledge: boolean, when: string): E[] {
    const fresh: E[] = [];
    answer.forEach((event, index) => {
      const expectedSeq = this.acknowledged + 1 + index;
      if (event.Seq !== expectedSeq)
        throw new Error(
          `${this.name} ${when}: event ${index} of the answer has Seq ${event.Seq}, expected ${expectedSeq} ` +
            `(acknowledged ${this.acknowledged}, read up to ${this.lastSeq}): ${JSON.stringify(answer)}`,
        );
      const known = this.events[event.Seq - 1];
      if (known === undefined) {
        this.events.push(event);
        fresh.push(event);
      } else if (JSON.stringify(known) !== JSON.stringify(event)) {
        throw new Error(
          `${this.name} ${when}: Seq ${event.Seq} came again changed: was ${JSON.stringify(known)}, now ${JSON.stringify(event)}`,
        );
      }
    });
    if (answer.length < this.lastSeq - this.acknowledged)
      throw new Error(
        `${this.name} ${when}: events ${this.acknowledged + answer.length + 1}..${this.lastSeq} were read before ` +
          `but not acknowledged, and are missing now: ${JSON.stringify(answer)}`,
      );
    if (acknowledge) this.acknowledged = this.lastSeq;
    return fresh;
  }
}
