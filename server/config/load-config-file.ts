import { readFileSync } from 'node:fs';
import type { z } from 'zod';

/** Raised when a config file is missing, is not JSON, or breaks its schema. Start-up stops on it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads one JSON config file and validates it with its schema. Every problem is reported with the
 * file, the key's path and the reason; the result is frozen so nothing changes it at run time.
 */
export function loadConfigFile<S extends z.ZodType>(
  file: string,
  schema: S,
  /** Keys set from elsewhere (the environment), over the file's own. */
  overrides: Readonly<Record<string, unknown>> = {},
): Readonly<z.output<S>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: cannot be read (${(error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const merged =
    json !== null && typeof json === 'object' && !Array.isArray(json)
      ? { ...(json as Record<string, unknown>), ...overrides }
      : json;
  return parseConfig(file, merged, schema);
}

export function parseConfig<S extends z.ZodType>(
  source: string,
  json: unknown,
  schema: S,
): Readonly<z.output<S>> {
  const result = schema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
      return `  ${key}: ${issue.message}`;
    });
    throw new ConfigError(`${source}: invalid configuration\n${problems.join('\n')}`);
  }
  return deepFreeze(result.data);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
