/**
 * Runs `work` while no other tab of the site runs work under the same name (Web Locks, scoped
 * to the host page's origin). Browsers without them (a page over plain http is not a secure
 * context) run it at once: two tabs pressing Start in the same instant can then open two chats.
 */
export function oneTabAtATime<T>(name: string, work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return locks === undefined ? work() : locks.request(name, work);
}
