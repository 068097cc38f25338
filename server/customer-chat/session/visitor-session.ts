import { assertNever } from '../../protocol/enums';
import type { ConversationEvent } from './visitor-events';

/** The notices CustomerChat sends an agent about the visitor's presence (resource names). */
export type PresenceNotice =
  | 'CustomerLeft'
  | 'CustomerLeftAutoSend'
  | 'CustomerBack'
  | 'CustomerBackReceivedMessage'
  | 'CustomerLeftClosing';

/** The deadlines of an away visitor, each enforced by whichever instance finds it due first. */
export type DeadlineKind = 'tellAgent' | 'warning' | 'grace';

/**
 * A visitor's chat as CustomerChat sees it, in one of three phases. Plain data, so any instance
 * can store it and any other read it back.
 */
export type SessionState =
  | { phase: 'present'; agentPresent: boolean }
  | {
      phase: 'away';
      agentPresent: boolean;
      since: number;
      /** The agent has heard CustomerLeft: only then does it hear CustomerBack. */
      agentTold: boolean;
      messagesWhileAway: number;
      toldAgentOfMessage: boolean;
    }
  | { phase: 'ended' };

/** What a transition asks the relay to do; the state machine itself does nothing. */
export type SessionEffect =
  | { type: 'notifyAgent'; notice: PresenceNotice; secondsLeft: number }
  | { type: 'setDeadline'; kind: DeadlineKind; at: number }
  | { type: 'clearDeadlines' }
  | { type: 'endChat' };

export interface Transition {
  state: SessionState;
  effects: SessionEffect[];
}

export interface SessionTiming {
  /** CustomerDisconnectTimeoutSeconds, in ms. */
  graceMs: number;
  /** AgentWarningCustomerDisconnectTimeoutSeconds, in ms. */
  warningMs: number;
  /**
   * How long a visitor whose page went with its instance (killed or draining) has to come back
   * through another before the agent hears CustomerLeft.
   */
  handoverMs: number;
  /**
   * CustomerLeftNoticeDelaySeconds, in ms: how long the visitor must be gone before the agent hears
   * CustomerLeft, so that a page navigation or a reload tells the agent nothing.
   */
  leftNoticeDelayMs: number;
}

/** A new chat: its page is the one that asked for it. */
export const initialSession: SessionState = { phase: 'present', agentPresent: false };

const unchanged = (state: SessionState): Transition => ({ state, effects: [] });

/**
 * The count of the visitor's connected pages changed (across every live instance). `lostWithInstance`:
 * the last page went because its instance died or drains, not because the visitor left, so the
 * agent is told only if no other page takes over within handoverMs.
 */
export function pagesChanged(
  state: SessionState,
  pages: number,
  now: number,
  timing: SessionTiming,
  lostWithInstance = false,
): Transition {
  switch (state.phase) {
    case 'ended':
      return unchanged(state);
    case 'present':
      if (pages > 0) return unchanged(state);
      return leave(state.agentPresent, now, timing, lostWithInstance);
    case 'away': {
      if (pages === 0) return unchanged(state);
      const effects: SessionEffect[] = [{ type: 'clearDeadlines' }];
      if (state.agentPresent && state.agentTold) {
        const notice = state.messagesWhileAway > 0 ? 'CustomerBackReceivedMessage' : 'CustomerBack';
        effects.push({ type: 'notifyAgent', notice, secondsLeft: 0 });
      }
      return { state: { phase: 'present', agentPresent: state.agentPresent }, effects };
    }
    default:
      return assertNever(state);
  }
}

function leave(
  agentPresent: boolean,
  now: number,
  timing: SessionTiming,
  lostWithInstance: boolean,
): Transition {
  const { graceMs, warningMs, handoverMs, leftNoticeDelayMs } = timing;
  const effects: SessionEffect[] = [{ type: 'setDeadline', kind: 'grace', at: now + graceMs }];
  if (warningMs > 0 && warningMs < graceMs)
    effects.push({ type: 'setDeadline', kind: 'warning', at: now + graceMs - warningMs });
  const delayMs = lostWithInstance ? Math.max(handoverMs, leftNoticeDelayMs) : leftNoticeDelayMs;
  // A delay the grace period does not outlast would mean no notice before the end: tell at once.
  const tellNow = delayMs === 0 || delayMs >= graceMs;
  if (!tellNow) effects.push({ type: 'setDeadline', kind: 'tellAgent', at: now + delayMs });
  else if (agentPresent)
    effects.push({
      type: 'notifyAgent',
      notice: 'CustomerLeft',
      secondsLeft: Math.round(graceMs / 1000),
    });
  return {
    state: {
      phase: 'away',
      agentPresent,
      since: now,
      agentTold: tellNow && agentPresent,
      messagesWhileAway: 0,
      toldAgentOfMessage: false,
    },
    effects,
  };
}

/**
 * Whether an event can change a session at all: the visitor's own messages and queue updates never
 * do, so the relay need not read the state for them (a round trip to Redis per message saved).
 */
export function mayChangeSession(event: ConversationEvent): boolean {
  return event.type !== 'queued' && !(event.type === 'message' && event.from !== 'agent');
}

/** An event went into the conversation. */
export function eventRecorded(
  state: SessionState,
  event: ConversationEvent,
  now: number,
  timing: SessionTiming,
): Transition {
  if (state.phase === 'ended') return unchanged(state);
  switch (event.type) {
    case 'agentJoined':
    case 'agentLeft':
      return unchanged({ ...state, agentPresent: event.type === 'agentJoined' });
    case 'ended':
      return { state: { phase: 'ended' }, effects: [{ type: 'clearDeadlines' }] };
    case 'message': {
      if (event.from !== 'agent' || state.phase !== 'away') return unchanged(state);
      const away = { ...state, messagesWhileAway: state.messagesWhileAway + 1 };
      if (state.toldAgentOfMessage || !state.agentTold) return unchanged(away);
      const left = Math.max(0, Math.round((state.since + timing.graceMs - now) / 1000));
      return {
        state: { ...away, toldAgentOfMessage: true },
        effects: [{ type: 'notifyAgent', notice: 'CustomerLeftAutoSend', secondsLeft: left }],
      };
    }
    case 'queued':
      return unchanged(state);
    default:
      return assertNever(event);
  }
}

/** One of the away visitor's deadlines fell due. */
export function deadlineReached(
  state: SessionState,
  kind: DeadlineKind,
  now: number,
  timing: SessionTiming,
): Transition {
  if (state.phase !== 'away') return unchanged(state);
  switch (kind) {
    case 'tellAgent':
      if (state.agentTold || !state.agentPresent) return unchanged(state);
      return {
        state: { ...state, agentTold: true },
        effects: [
          {
            type: 'notifyAgent',
            notice: 'CustomerLeft',
            secondsLeft: Math.max(0, Math.round((state.since + timing.graceMs - now) / 1000)),
          },
        ],
      };
    case 'warning':
      return {
        state,
        effects: state.agentPresent
          ? [
              {
                type: 'notifyAgent',
                notice: 'CustomerLeftClosing',
                secondsLeft: Math.round(timing.warningMs / 1000),
              },
            ]
          : [],
      };
    case 'grace':
      return {
        state: { phase: 'ended' },
        effects: [{ type: 'clearDeadlines' }, { type: 'endChat' }],
      };
    default:
      return assertNever(kind);
  }
}
