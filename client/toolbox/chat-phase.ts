/**
 * The toolbox's pages as a state machine. A chat starts waiting in the queue, becomes a
 * conversation when an agent joins (an ended chat is shown as a conversation, so its end can be
 * read), and is dismissed to the post-chat page or straight back to the pre-chat page.
 */
export type Phase = 'unavailable' | 'prechat' | 'waiting' | 'conversation' | 'postchat';

export type PhaseInput =
  | { type: 'availability'; open: boolean }
  | { type: 'started' }
  | { type: 'agentJoined' }
  | { type: 'ended' }
  | { type: 'dismissed'; showPostChat: boolean }
  | { type: 'restart' };

export function nextPhase(phase: Phase, input: PhaseInput): Phase {
  switch (input.type) {
    case 'availability':
      if (phase !== 'prechat' && phase !== 'unavailable') return phase;
      return input.open ? 'prechat' : 'unavailable';
    case 'started':
      return phase === 'waiting' || phase === 'conversation' ? phase : 'waiting';
    case 'agentJoined':
    case 'ended':
      return phase === 'waiting' ? 'conversation' : phase;
    case 'dismissed':
      if (phase !== 'waiting' && phase !== 'conversation') return phase;
      return input.showPostChat ? 'postchat' : 'prechat';
    case 'restart':
      return phase === 'postchat' || phase === 'conversation' ? 'prechat' : phase;
    default:
      return assertNever(input);
  }
}

/** A chat that is not over is on the waiting or conversation page. */
export const inChat = (phase: Phase) => phase === 'waiting' || phase === 'conversation';

export function assertNever(value: never): never {
  throw new Error(`Unexpected ${JSON.stringify(value)}`);
}
