/**
 * A bound on expensive work in flight (argon2 sign-in checks, request bodies being read): at most
 * `limit` run at once and `queue` wait; beyond that the caller is turned away at once, so one
 * client cannot pile up memory or CPU on the hub. Counts are in memory, per server process.
 */
export interface Gate {
  /** Runs `work` when a slot is free; null (and `work` never runs) when the gate and its queue are full. */
  run<T>(work: () => Promise<T>): Promise<{ readonly value: T } | null>;
  /** running now, and waiting */
  readonly load: () => { readonly running: number; readonly waiting: number };
}

export function createGate(limit: number, queue: number): Gate {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next !== undefined) next();
    else running--;
  };
  return {
    async run(work) {
      if (running < limit) running++;
      else if (waiting.length < queue) await new Promise<void>((resume) => waiting.push(resume));
      else return null;
      try {
        return { value: await work() };
      } finally {
        release();
      }
    },
    load: () => ({ running, waiting: waiting.length }),
  };
}
