import type { ToolboxConfig } from '../../server/customer-chat/gateway/toolbox-boot';
import type { ChatToolboxUser } from './chat-toolbox';

type UserConfig = Partial<
  Pick<
    ToolboxConfig,
    'CustomerName' | 'CustomerEmail' | 'CustomerPhone' | 'CustomerID' | 'CustomerIDHash'
  >
>;

const configNames: Readonly<Record<keyof ChatToolboxUser, keyof UserConfig>> = {
  name: 'CustomerName',
  email: 'CustomerEmail',
  phone: 'CustomerPhone',
  customerId: 'CustomerID',
  customerIdHash: 'CustomerIDHash',
};

/**
 * setUser's argument as Config values; a string instead of the values says what is wrong with it
 * (then nothing of it is taken).
 */
export function userConfig(user: unknown): UserConfig | string {
  if (typeof user !== 'object' || user === null || Array.isArray(user))
    return 'takes an object, e.g. { name: "Ann", email: "ann@example.com" }';
  const config: UserConfig = {};
  for (const [key, value] of Object.entries(user)) {
    if (!Object.hasOwn(configNames, key)) return `has no property "${key}"`;
    const name = configNames[key as keyof ChatToolboxUser];
    if (typeof value !== 'string') return `needs a string for "${key}"`;
    config[name] = value.trim();
  }
  return config;
}
