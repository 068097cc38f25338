/** An event as produced, before its queue gives it a Seq (distributes over unions). */
export type Unnumbered<E> = E extends unknown ? Omit<E, 'Seq'> : never;
