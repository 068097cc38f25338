/** Enums of the Chat Service wire protocol, with the integer values the specification gives. */

export const ChatEventType = {
  MessageReceived: 0,
  AgentJoined: 1,
  AgentLeft: 2,
  AgentTyping: 3,
  ChatState: 4,
} as const;
export type ChatEventType = (typeof ChatEventType)[keyof typeof ChatEventType];

export const ChatState = {
  Queued: 0,
  Handling: 1,
  Terminated: 2,
} as const;
export type ChatState = (typeof ChatState)[keyof typeof ChatState];

export const TerminationCause = {
  General: 0,
  GroupClosed: 1,
} as const;
export type TerminationCause = (typeof TerminationCause)[keyof typeof TerminationCause];

/** Fails to compile when a switch over a union misses a case. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
