/** The cached answer for a key, asked for on first use; a failure is forgotten, to ask again. */
export function once<K, V>(cache: Map<K, Promise<V>>, key: K, ask: () => Promise<V>): Promise<V> {
  let answer = cache.get(key);
  if (answer === undefined) {
    answer = ask();
    answer.catch(() => cache.delete(key));
    cache.set(key, answer);
  }
  return answer;
}
