/**
 * Settings that may come from the environment instead of the JSON file: secrets, which should not
 * sit in a file that is copied around, and the URLs that differ per deployment. A variable that is
 * set (even to "") wins over the file; the result is validated like the file itself, so a wrong
 * value stops start-up naming the key.
 */
export interface EnvironmentSetting {
  variable: string;
  /** The key it sets (to the variable's text), as a path into the file's JSON. */
  path: readonly string[];
  /** Turns the text into the key's JSON value (a port's number). @default the text itself */
  parse?: (text: string) => unknown;
}

/** chatservice.config.json. */
export const chatServiceEnvironment: readonly EnvironmentSetting[] = [
  { variable: 'CHATSERVICE_SMTP_HOST', path: ['Smtp', 'Host'] },
  { variable: 'CHATSERVICE_SMTP_USER', path: ['Smtp', 'User'] },
  { variable: 'CHATSERVICE_SMTP_PASSWORD', path: ['Smtp', 'Password'] },
];

/** web.config.json; the Redis URL and port let N instances share one file. */
export const webEnvironment: readonly EnvironmentSetting[] = [
  { variable: 'CUSTOMERCHAT_UPSTREAM_URL', path: ['upstreamUrl'] },
  { variable: 'CUSTOMERCHAT_REDIS_URL', path: ['redisUrl'] },
  { variable: 'CUSTOMERCHAT_PORT', path: ['port'], parse: Number },
  {
    variable: 'CUSTOMERCHAT_IDENTITY_VERIFICATION_SECRET',
    path: ['appSettings', 'IdentityVerificationSecret'],
  },
];

/** The file's JSON with the settings of the environment written over it (the JSON is not changed). */
export function withEnvironment(
  json: unknown,
  settings: readonly EnvironmentSetting[],
  environment: Readonly<Record<string, string | undefined>>,
): unknown {
  let result = json;
  for (const { variable, path, parse } of settings) {
    const text = environment[variable];
    if (text !== undefined) result = setAt(result, path, parse === undefined ? text : parse(text));
  }
  return result;
}

function setAt(target: unknown, path: readonly string[], value: unknown): unknown {
  const [key, ...rest] = path;
  if (key === undefined) return value;
  const object = isRecord(target) ? target : {};
  return { ...object, [key]: setAt(object[key], rest, value) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
