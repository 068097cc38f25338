import type { AppSettings } from '../../config/web-config';
import type { RequestChatRequest } from '../../protocol/customer-api';
import type { ChatRequestPayload } from '../gateway/socket-contract';

/**
 * A visitor's chat request as the Chat Service's RequestChat takes it; with IgnoreCustomerDetails,
 * name, e-mail and phone never leave CustomerChat. `verified`: the CustomerID's hash matched.
 */
export function upstreamChatRequest(
  payload: ChatRequestPayload,
  settings: Pick<AppSettings, 'IgnoreCustomerDetails'>,
  verified = false,
): RequestChatRequest {
  const details = settings.IgnoreCustomerDetails
    ? { ...payload, customerName: undefined, email: undefined, phone: undefined }
    : payload;
  return {
    TenantID: details.tenantId,
    ServiceGroupID: details.serviceGroupId ?? 0,
    ServiceGroupName: details.serviceGroupName ?? null,
    CustomerName: details.customerName ?? null,
    CustomerID: details.customerId ?? null,
    ...(verified ? { CustomerIDVerified: true } : {}),
    EmailAddress: details.email ?? null,
    PhoneNumber: details.phone ?? null,
    SessionID: details.sessionId ?? null,
    PrivateData: details.privateData ?? null,
    InitialMessage: details.initialMessage ?? null,
    InitialMessageToAgent: details.initialMessageToAgent ?? null,
    TimeZoneOffset: details.timeZoneOffset ?? null,
  };
}
