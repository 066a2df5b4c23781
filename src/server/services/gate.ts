/**
 * A bound on expensive work in flight (argon2 sign-in checks, request bodies being read, database
 * work): at most `limit` run at once and `queue` wait; beyond that the caller is turned away at
 * once, so one client cannot pile up memory or CPU on the hub. With `maxWaitMs`, a caller that
 * waited that long is turned away too, so a queue never holds answers past what a client waits
 * for. Counts are in memory, per server process.
 */
export interface Gate {
  /** Runs `work` when a slot is free; null (and `work` never runs) when the gate and its queue are full, or the wait ran out. */
  run<T>(work: () => Promise<T>): Promise<{ readonly value: T } | null>;
  /** running now, and waiting */
  readonly load: () => { readonly running: number; readonly waiting: number };
}

export function createGate(limit: number, queue: number, maxWaitMs = Infinity): Gate {
  let running = 0;
  const waiting: ((admitted: boolean) => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next !== undefined) next(true);
    else running--;
  };
  const wait = () =>
    new Promise<boolean>((resume) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const entry = (admitted: boolean) => {
        clearTimeout(timer);
        resume(admitted);
      };
      waiting.push(entry);
      if (Number.isFinite(maxWaitMs)) {
        timer = setTimeout(() => {
          const at = waiting.indexOf(entry);
          if (at >= 0) waiting.splice(at, 1);
          resume(false);
        }, maxWaitMs);
      }
    });
  return {
    async run(work) {
      if (running < limit) running++;
      else if (waiting.length >= queue || !(await wait())) return null;
      try {
        return { value: await work() };
      } finally {
        release();
      }
    },
    load: () => ({ running, waiting: waiting.length }),
  };
}
