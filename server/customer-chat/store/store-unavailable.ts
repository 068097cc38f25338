import type { SessionStore } from './session-store';

/** The session store (Redis) could not be reached: the visitor is told to try again shortly. */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`session store unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'StoreUnavailableError';
  }
}

/** The store with every failure of a call turned into a StoreUnavailableError. */
export function guardedStore(store: SessionStore): SessionStore {
  return new Proxy(store, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        (Reflect.apply(value, target, args) as Promise<unknown>).catch((error: unknown) => {
          throw new StoreUnavailableError(error);
        });
    },
  });
}
