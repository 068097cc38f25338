import type { Time } from '../../shared/clock';
import type { EventStream, LiveStateWriter } from '../live-state/live-state-store';
import { EventQueue } from './event-queue';

/** An event queue whose every push and drop goes to the live state, under its stream's name. */
export function journaledQueue<E extends { Seq: number }>(
  liveState: LiveStateWriter,
  time: Time,
  stream: EventStream,
  restored?: { events: readonly E[]; lastSeq: number },
): EventQueue<E> {
  return new EventQueue<E>(
    time,
    {
      pushed: (event) => liveState.pushEvent(stream, { seq: event.Seq, event }),
      dropped: (upToSeq) => liveState.dropEvents(stream, upToSeq),
    },
    restored,
  );
}
