import type { OfflineMessage } from './chat-archive';

/** A row of `offline_messages` (archive-schema.ts). */
export interface OfflineMessageRow {
  message_id: string;
  tenant_id: number;
  service_group_id: number;
  service_group_name: string;
  customer_name: string;
  email_address: string;
  message: string;
  left_at: number;
}

export const offlineColumns: readonly (keyof OfflineMessageRow)[] = [
  'message_id',
  'tenant_id',
  'service_group_id',
  'service_group_name',
  'customer_name',
  'email_address',
  'message',
  'left_at',
];

export function toOfflineMessageRow(message: OfflineMessage): OfflineMessageRow {
  return {
    message_id: message.MessageID,
    tenant_id: message.TenantID,
    service_group_id: message.ServiceGroupID,
    service_group_name: message.ServiceGroupName,
    customer_name: message.CustomerName,
    email_address: message.EmailAddress,
    message: message.Message,
    left_at: Date.parse(message.LeftAt),
  };
}

export function fromOfflineMessageRow(row: OfflineMessageRow): OfflineMessage {
  return {
    MessageID: row.message_id,
    TenantID: row.tenant_id,
    ServiceGroupID: row.service_group_id,
    ServiceGroupName: row.service_group_name,
    CustomerName: row.customer_name,
    EmailAddress: row.email_address,
    Message: row.message,
    LeftAt: new Date(row.left_at).toISOString(),
  };
}
