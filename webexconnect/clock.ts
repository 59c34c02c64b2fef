/** Time as the client sees it: a clock tests can replace, and the scope of one logical call (its deadline). */

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1), for jitter. */
  random(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/** Ties the requests of one logical operation together: same trackingid, one deadline. */
export interface CallScope {
  trackingId: string;
  deadline: number;
}
