/**
 * The one table of fault codes, shared by the Chat Service (which raises them) and CustomerChat
 * (which reads them from the wire). Each code maps to the HTTP status it travels with.
 */
export const FaultStatus = {
  BadRequest: 400,
  UnknownMethod: 404,
  UnknownChat: 404,
  UnknownServiceGroup: 404,
  UnknownAgent: 404,
  UnknownAttachment: 404,
  ChatTerminated: 409,
  /** RateChat: the chat has its rating already. */
  AlreadyRated: 409,
  /** RateChat: the chat ended longer ago than its post-chat window. */
  RatingWindowClosed: 410,
  NotOffered: 409,
  AgentNotAvailable: 409,
  MessageTooLong: 400,
  AttachmentTooLarge: 413,
  AttachmentTypeNotAllowed: 415,
  /** The content is not what the name's extension says (a program renamed .png). */
  AttachmentContentMismatch: 415,
  TenantMismatch: 400,
  Unauthorized: 401,
  Forbidden: 403,
  RateLimited: 429,
  Internal: 500,
  ServiceBusy: 503,
} as const;

export type FaultCode = keyof typeof FaultStatus;

export const faultCodes = Object.keys(FaultStatus) as FaultCode[];

export interface FaultBody {
  Fault: { Code: FaultCode; Message: string };
}

/** The one error type the services raise on purpose; anything else is reported as Internal. */
export class ServiceFault extends Error {
  override readonly name = 'ServiceFault';

  constructor(
    readonly code: FaultCode,
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    return FaultStatus[this.code];
  }

  toBody(): FaultBody {
    return { Fault: { Code: this.code, Message: this.message } };
  }
}

export function isFaultCode(value: unknown): value is FaultCode {
  return typeof value === 'string' && Object.hasOwn(FaultStatus, value);
}
