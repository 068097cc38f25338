import { z } from 'zod';
import type { LoggedEvent, Reply } from '../session/visitor-events';

/**
 * The socket.io contract between the toolbox and CustomerChat: typed events both ways, and one zod
 * schema per client payload, checked before anything is done with it.
 */

const text = (max: number) => z.string().max(max).optional();

export const ChatRequestPayload = z.object({
  tenantId: z.number().int().default(-1),
  serviceGroupId: z.number().int().optional(),
  serviceGroupName: text(256),
  customerName: text(256),
  customerId: text(256),
  /** Hex HMAC-SHA256 of customerId from the website's server (IdentityVerificationSecret). */
  customerIdHash: text(128),
  email: text(256),
  phone: text(64),
  sessionId: text(256),
  privateData: text(8192),
  initialMessage: text(8192),
  initialMessageToAgent: text(8192),
  timeZoneOffset: z.number().int().min(-1440).max(1440).optional(),
});
export type ChatRequestPayload = z.infer<typeof ChatRequestPayload>;

/** Optional: a page without it (an older toolbox) closes the chat. */
export const LeavePayload = z.object({ reason: z.enum(['closed', 'idle']).default('closed') });

export const ResumePayload = z.object({
  token: z.string().min(1).max(128),
  /** The highest seq the page has shown; 0 for a page that shows nothing yet. */
  afterSeq: z.number().int().min(0).default(0),
});

export const SendMessagePayload = z.object({
  /** Chosen by the page, so a resend after a drop is recognised and not delivered twice. */
  clientMessageId: z.string().min(1).max(100),
  text: z.string().min(1).max(65536),
  /** Sent to the agent only, not shown in the visitor's conversation (postMessage's hideLocal). */
  hideLocal: z.boolean().default(false),
});

export const QueueInfoPayload = z.object({
  tenantId: z.number().int().default(-1),
  serviceGroupId: z.number().int().optional(),
  serviceGroupName: text(256),
});

/** The "leave a message" form of a closed group (the Chat Service's LeaveMessage). */
export const LeaveMessagePayload = z.object({
  tenantId: z.number().int().default(-1),
  serviceGroupId: z.number().int().optional(),
  serviceGroupName: text(256),
  name: z.string().trim().min(1).max(256),
  email: z.email().max(256),
  message: z.string().trim().min(1).max(8192),
});
export type LeaveMessagePayload = z.infer<typeof LeaveMessagePayload>;

/** The post-chat page's rating of the chat that ended (the Chat Service's RateChat). */
export const RatePayload = z.object({
  token: z.string().min(1).max(128),
  rating: z.number().int().min(1).max(5),
  comment: z.string().trim().max(2000).optional(),
});
export type RatePayload = z.infer<typeof RatePayload>;

export interface ChatStarted {
  /** Resumes this chat from any page of the visitor within the grace period. */
  token: string;
  message: string | null;
  queuePosition: number;
  estimatedWaitSeconds: number;
}

export interface ChatClosed {
  /** The group is closed: no chat was created; `message` is its closed message, if any. */
  closed: true;
  message: string | null;
}

/** A group's availability, as the toolbox polls it before a chat. */
export interface QueueInfo {
  open: boolean;
  /** -1 when unknown. */
  estimatedWaitSeconds: number;
  /** The closed group's own message, when the Chat Service tells it. */
  closedMessage: string | null;
  /** ServiceGroupIDsToReject names the group: no chat request for it is taken here. */
  rejected: boolean;
}

export interface ChatConfiguration {
  maxMessageLength: number;
  maxAttachmentBytes: number;
  allowedAttachmentTypes: string[];
  restrictedAttachmentTypes: string[];
}

export interface ClientToServerEvents {
  'chat:request': (payload: unknown, ack: (reply: Reply<ChatStarted | ChatClosed>) => void) => void;
  'chat:resume': (
    payload: unknown,
    ack: (reply: Reply<{ events: LoggedEvent[]; ended: boolean }>) => void,
  ) => void;
  'chat:leave': (payloadOrAck: unknown, ack?: (reply: Reply) => void) => void;
  'message:send': (payload: unknown, ack: (reply: Reply) => void) => void;
  typing: () => void;
  'queue:info': (payload: unknown, ack: (reply: Reply<QueueInfo>) => void) => void;
  'chat:configuration': (ack: (reply: Reply<ChatConfiguration>) => void) => void;
  'message:leave': (payload: unknown, ack: (reply: Reply) => void) => void;
  'chat:rate': (payload: unknown, ack: (reply: Reply) => void) => void;
}

export interface ServerToClientEvents {
  'chat:event': (event: LoggedEvent) => void;
  'agent:typing': (payload: { name: string }) => void;
  /** The Chat Service went away (false) or came back (true). */
  'service:status': (payload: { available: boolean }) => void;
}
