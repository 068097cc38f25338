/**
 * Every text the agent console shows, in one table (English). The page shell (views/agent-console.ejs)
 * takes its title from here too, so translating the console means translating this file only.
 * `{0}`, `{1}` … are filled in by `fill`.
 */
export const consoleText = {
  lang: 'en',
  pageTitle: 'Agent console',
  noScript: 'The agent console needs JavaScript.',
  /** Page title while offers or unread messages wait: "(3) Agent console". */
  pageTitleWithCount: '({0}) Agent console',

  loginHeading: 'Log in to answer chats',
  agentIdLabel: 'Agent ID',
  passwordLabel: 'Password',
  logIn: 'Log in',
  loggingIn: 'Logging in…',
  logOut: 'Log out',
  sessionEnded: 'Your session has ended (timed out, or you logged in elsewhere). Log in again.',
  loggedOut: 'You are logged out.',
  logoutHeadingOne: 'Log out with a chat open?',
  logoutHeadingMany: 'Log out with {0} chats open?',
  logoutExplanation:
    'Your open chats go back to the queue, and their customers are told they are being handed to another agent.',

  signedInAs: 'Signed in as {0}',
  ready: 'Ready for chats',
  nowReady: 'You are ready: chats will be offered to you.',
  nowNotReady: 'You are not ready: no new chats will be offered to you.',
  shortcutsHeading: 'Keyboard',
  shortcuts:
    'Alt+A accept the offered chat · Alt+R ready / not ready · Alt+1 to Alt+9 go to a chat · ' +
    'Enter send · Shift+Enter new line · arrow keys move between chat tabs',

  offersLabel: 'Chats offered to you',
  offerTitle: 'New chat: {0}',
  offerTransferredTitle: 'Transferred chat: {0}',
  offerGroup: 'Service group {0}',
  accept: 'Accept',
  acceptShortcut: 'Accept (Alt+A)',
  offerWithdrawn: 'The chat with {0} is no longer offered to you.',
  anonymous: 'Visitor',

  overviewHeading: 'Queues',
  overviewWaiting: 'Waiting',
  overviewLongest: 'Longest wait',
  overviewEstimate: 'Estimated wait',
  overviewAgents: 'Agents ready / logged in',
  overviewRating: 'Average rating',
  /** "4.5 of 5 (12 ratings)". */
  overviewRatingValue: '{0} of 5 ({1} ratings)',
  noRatings: 'No ratings yet',
  open: 'Open',
  closed: 'Closed',
  noEstimate: '–',

  chatsLabel: 'Your chats',
  noChats: 'No chats yet. Turn on “Ready for chats” to be offered one.',
  noChatsReady: 'No chats right now. New chats are offered to you here.',
  unread: '{0} unread',
  chatEndedMark: 'ended',

  conversation: 'Conversation with {0}',
  customerTyping: '{0} is typing…',
  you: 'You',
  notice: 'Notice',
  attachmentLabel: '{0} ({1})',
  download: 'Download {0}',

  messageLabel: 'Message',
  messagePlaceholder: 'Type a message, Enter to send',
  send: 'Send',
  attachFile: 'Attach a file',
  sendingFile: 'Sending {0}…',
  fileTooLarge: '{0} is too large: files can be at most {1} KB.',
  fileTypeRefused: 'Files of type “{0}” cannot be sent.',

  endChat: 'End chat',
  transfer: 'Transfer…',
  emailTranscript: 'E-mail transcript…',
  closeTab: 'Close tab',
  chatEndedByCustomer: 'The customer ended the chat.',
  chatEndedByAgent: 'You ended the chat.',
  chatEndedOther: 'The chat has ended.',
  chatEndedCustomerIdle: 'The chat ended: the customer was idle too long.',
  chatEndedCustomerGone: 'The chat ended: the customer left the site and did not come back.',
  chatEndedGroupClosed: 'The chat ended: the group closed.',
  chatEndedService: 'The chat ended: the customer chat service stopped.',
  chatTransferred: 'The chat with {0} was handed over.',

  detailsHeading: 'Customer',
  detailName: 'Name',
  detailEmail: 'E-mail',
  detailPhone: 'Phone',
  detailCustomerId: 'CustomerID',
  customerIdVerified: 'verified',
  customerIdUnverified: 'not verified',
  detailSessionId: 'SessionID',
  detailPrivateData: 'PrivateData',
  detailToAgent: 'Message to agent',
  detailQuestion: 'Initial question',
  detailGroup: 'Service group',
  detailQueueTime: 'Time in queue',
  detailRating: 'Rating',
  /** "4 of 5". */
  ratingValue: '{0} of 5',
  detailRatingComment: 'Rating comment',
  notGiven: '—',

  responsesHeading: 'Responses',
  responsesSearch: 'Search responses',
  responsesNone: 'No responses for this group.',
  responsesNoMatch: 'No response matches.',
  responsesUnavailable: 'The responses could not be loaded.',
  responseInsert: 'Insert “{0}”',

  transferHeading: 'Transfer the chat with {0}',
  transferToGroup: 'To a service group',
  transferToAgent: 'To an agent',
  transferGroupLabel: 'Service group',
  transferAgentLabel: 'Agent ID',
  transferSubmit: 'Transfer',
  cancel: 'Cancel',

  transcriptHeading: 'E-mail the transcript of the chat with {0}',
  transcriptTo: 'Send to (e-mail address)',
  transcriptSubmit: 'Send transcript',
  transcriptSent: 'The transcript was sent to {0}.',

  unreachable: 'The chat service cannot be reached. Retrying…',
  reconnected: 'Connected again.',
  failed: 'That did not work: {0}',
} as const;

export type ConsoleTextKey = keyof typeof consoleText;

/** The text with `{0}`, `{1}` … replaced by the values, in order. */
export function fill(template: string, ...values: ReadonlyArray<string | number>): string {
  return template.replace(/\{(\d+)\}/g, (match, index: string) => {
    const value = values[Number(index)];
    return value === undefined ? match : String(value);
  });
}
