/**
 * The texts the chat toolbox shows, one per name in Toolbox.resx. The widget never carries a
 * literal string of its own, so this list is the whole of its wording.
 */
export const resourceNames = [
  'AnonymousAgentJoined',
  'AnonymousAgentLeft',
  'AnonymousAgentTyping',
  'AskAQuestion',
  'AttachmentContentMismatch',
  'Browse',
  'ChatRequested',
  'ChatUnavailable',
  'ChooseRating',
  'CustomerBack',
  'CustomerBackReceivedMessage',
  'CustomerLeft',
  'CustomerLeftAutoSend',
  'CustomerLeftClosing',
  'EndedAwayTooLong',
  'EndedByAgent',
  'EndedByService',
  'EndedByVisitor',
  'EndedGroupClosed',
  'EnterEmail',
  'EnterMessage',
  'EnterName',
  'EnterPhone',
  'ErrorOccurred',
  'ErrorRequestingChat',
  'ErrorSendingMessage',
  'EstimatedWaitTime',
  'EstimatedWaitUnderAMinute',
  'HandedOn',
  'InvalidAttachmentType',
  'InvalidEmail',
  'LeaveAMessage',
  'MaxAttachmentSizeExceeded',
  'Minute',
  'Minutes',
  'NamedAgentJoined',
  'NamedAgentLeft',
  'NamedAgentTyping',
  'No',
  'NotAvailableHere',
  'OfflineMessageSent',
  'PostText',
  'PostUrl',
  'PostUrlText',
  'Product',
  'QueuePosition',
  'RateTheChat',
  'RatingComment',
  'RatingNotSent',
  'RatingThanks',
  'ReallyClose',
  'Reconnecting',
  'RequestRejected',
  'Restart',
  'SelectFile',
  'Send',
  'SendOfflineMessage',
  'SendRating',
  'SendTheMessage',
  'Sending',
  'ServiceUnreachable',
  'SessionTimeout',
  'SessionWillSoonBeClosed',
  'StartChat',
  'Terminated',
  'Title',
  'Transferring',
  'TypeMessageHere',
  'Upload',
  'UploadComplete',
  'UploadFailed',
  'UploadProgress',
  'UploadTheFile',
  'WelcomeText',
  'Yes',
] as const;

export type ResourceName = (typeof resourceNames)[number];

const nameSet: ReadonlySet<string> = new Set(resourceNames);

export function isResourceName(name: string): name is ResourceName {
  return nameSet.has(name);
}

/**
 * How many values the widget passes to format() for each template, so the neutral file is held
 * to {0}…{n-1}; every other name is shown as it stands and must have no placeholder.
 */
export const resourceArgumentCounts: Readonly<Partial<Record<ResourceName, number>>> = {
  EstimatedWaitTime: 2, // {0} the number, {1} the Minute or Minutes word
  NamedAgentJoined: 1, // {0} the agent's name
  NamedAgentLeft: 1,
  NamedAgentTyping: 1,
  UploadProgress: 1, // {0} percent
  MaxAttachmentSizeExceeded: 1, // {0} the limit in KB
  InvalidAttachmentType: 1, // {0} the file's extension
  AttachmentContentMismatch: 1, // {0} the extension the name claims
  QueuePosition: 1, // {0} the place in the queue, 1 is next
  CustomerLeftClosing: 1, // {0} seconds until the chat closes
  SessionWillSoonBeClosed: 1, // {0} seconds left
};
