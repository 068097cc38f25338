/**
 * The page API of the CustomerChat toolbox: what a website's own scripts may call on
 * `Mitel.ChatToolbox` beside Config and the two hooks. CustomerChat serves this file at
 * /CustomerChat/Chat/Toolbox.d.ts, beside the script; the toolbox's own code is typed by it too.
 *
 * No payload carries the chat's token or its ChatID: the page learns what the visitor sees.
 */

/** Why a chat ended, as the chatEnded event tells it. */
export type ChatEndReason =
  /** The contact center ended it (the agent left, or the chat was closed there). */
  | 'general'
  /** The group closed while the visitor waited or chatted. */
  | 'groupClosed'
  /** The visitor ended it with the card's end-chat button. */
  | 'visitorClosed'
  /** Nobody typed for IdleTimeout seconds. */
  | 'idleTimeout';

/** Each event's payload. Handlers get a frozen object; changing it changes nothing. */
export interface ChatToolboxEvents {
  /** The toolbox is on the page and the calls made before it loaded have run. */
  ready: Record<string, never>;
  /** Each poll of the group while no chat runs. `estimatedWaitSeconds` is -1 when unknown. */
  availability: { open: boolean; estimatedWaitSeconds: number };
  /** A chat has started; `resumed` when it was started on an earlier page of the visit. */
  chatStarted: { resumed: boolean };
  /** The visitor's place in the queue (1 is next); `estimatedWaitSeconds` is -1 when unknown. */
  queuePosition: { position: number; estimatedWaitSeconds: number };
  /** An agent has joined; no `name` when the page set HideAgentName. */
  agentJoined: { name?: string };
  /** A message of the conversation; `at` is ISO 8601 (UTC). */
  message: { from: 'agent' | 'visitor' | 'system'; text: string; at: string };
  /** Things the visitor has not seen since the card was put away; 0 once it is opened. */
  unread: { count: number };
  chatEnded: { reason: ChatEndReason };
}

export type ChatToolboxEventName = keyof ChatToolboxEvents;

export type ChatToolboxHandler<E extends ChatToolboxEventName> = (
  payload: Readonly<ChatToolboxEvents[E]>,
) => void;

/**
 * The logged-in user, for the next chat request (a chat already running keeps its details).
 * `customerIdHash`: hex HMAC-SHA256 of `customerId` under the site's IdentityVerificationSecret,
 * computed by the website's own server, so a visitor cannot pass for another customer.
 */
export interface ChatToolboxUser {
  name?: string;
  email?: string;
  phone?: string;
  customerId?: string;
  customerIdHash?: string;
}

export interface ChatToolboxApi {
  /** Opens the chat card. */
  open(): void;
  /** Puts the card away to its tab; a running chat goes on. */
  close(): void;
  toggle(): void;
  /** Shows the tab, also when the group is closed and ShowWhenUnavailable is false. */
  show(): void;
  /** Hides the tab and the card until show() or open(). */
  hide(): void;
  setUser(user: ChatToolboxUser): void;
  /** Returns a function that removes the handler again. */
  on<E extends ChatToolboxEventName>(event: E, handler: ChatToolboxHandler<E>): () => void;
  off<E extends ChatToolboxEventName>(event: E, handler: ChatToolboxHandler<E>): void;
}

/** A call for the toolbox to make once loaded: the method's name and its arguments. */
export type ChatToolboxQueuedCall = {
  [M in keyof ChatToolboxApi]: [M, ...Parameters<ChatToolboxApi[M]>];
}[keyof ChatToolboxApi];

/** Config properties beyond the specification (README's table has them all). */
export interface ChatToolboxConfigExtensions {
  /** A closed group offers a form to leave a message. @default true */
  OfflineMessages?: boolean;
  /** The post-chat page asks for a rating, 1 (poor) to 5 (excellent), and a comment. @default true */
  AskForRating?: boolean;
  /**
   * The colour of the tab, the header and the buttons, as #rrggbb or #rgb; text on it turns white
   * or black, whichever contrasts more, and where it is text on the card it is darkened (light
   * scheme) or lightened (dark scheme) to 4.5:1. Anything else is refused with a console warning.
   * @default '' (the built-in #0a58a8)
   */
  AccentColor?: string;
  /** The card's colours; 'system' follows the visitor's own setting. @default 'light' */
  ColorScheme?: 'light' | 'dark' | 'system';
}

export interface MitelChatToolbox extends ChatToolboxApi {
  /** The properties of README's "Mitel.ChatToolbox.Config" table. */
  Config: ChatToolboxConfigExtensions & Record<string, unknown>;
  customizePage?: () => void;
  customizeRequest?: () => void;
  /**
   * Calls made by a script above the toolbox's <script> line, before the API exists; they run in
   * order once the toolbox is ready. After loading, `queue.push(call)` runs the call at once.
   */
  queue?: { push(...calls: ChatToolboxQueuedCall[]): unknown };
}

declare global {
  // A global `var` is how a declaration file names a property of window.
  var Mitel: { ChatToolbox: MitelChatToolbox } | undefined;
}
