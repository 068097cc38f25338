/** Told of each offer of a chat to an agent, and of each offer the agent let lapse. */
export interface OfferObserver {
  offerMade(serviceGroupId: number): void;
  offerLapsed(serviceGroupId: number): void;
}
