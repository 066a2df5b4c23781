/**
 * A bound on expensive work in flight (argon2 sign-in checks, request bodies being read, database
 * work): at most `limit` run at once and `queue` wait; beyond that the caller is turned away at
 * once, so one client cannot pile up memory or CPU on the hub. With `maxWaitMs`, a caller that
 * waited that long is turned away too, so a queue never holds answers past what a client waits
 * for. Counts are in memory, per server process.
 *
 * With `standing`, a queue that stands is told from a burst (CoDel's controlled delay, as in
 * Facebook's "Fail at Scale"): once the queue has not been empty for `standing.afterMs`, the hub is
 * taking more than it can answer, and a caller that waited over `standing.maxWaitMs` is turned
 * away when its turn comes, instead of being answered seconds late. A burst that drains within
 * `afterMs` is served. So no caller is let in after waiting `afterMs` or more (the queue has stood
 * at least that long); `maxWaitMs` still bounds a wait whose turn never comes.
 *
 * Work that should give way to the gate's callers (a pull catching a device up, api.ts) waits for
 * `noneWaiting` before it starts.
 */
export interface Gate {
  /**
   * Runs `work` when a slot is free; null (and `work` never runs) when the gate and its queue are
   * full, the wait ran out, or `abandoned` was aborted while it waited (its client went away: the
   * place in the queue is given up at once, not at its turn).
   */
  run<T>(work: () => Promise<T>, abandoned?: AbortSignal): Promise<{ readonly value: T } | null>;
  /** running now, and waiting */
  readonly load: () => { readonly running: number; readonly waiting: number };
  /** true once no caller waits (at once when none does, however many run); false when callers still wait after `maxWaitMs` */
  noneWaiting(maxWaitMs: number): Promise<boolean>;
}

export interface StandingQueue {
  /** the queue counts as standing once it has not been empty this long */
  readonly afterMs: number;
  /** the longest a caller waits while it stands */
  readonly maxWaitMs: number;
}

interface Waiter {
  readonly at: number;
  readonly admit: (admitted: boolean) => void;
}

export function createGate(
  limit: number,
  queue: number,
  maxWaitMs = Infinity,
  standing?: StandingQueue,
  now: () => number = () => performance.now(),
): Gate {
  let running = 0;
  const waiting: Waiter[] = [];
  /** when the queue last went from empty to holding a caller (read only while it holds one) */
  let heldSince = 0;
  /** who waits for the queue to empty (noneWaiting) */
  const yielding = new Set<() => void>();
  const emptied = () => {
    if (waiting.length > 0 || yielding.size === 0) return;
    for (const resume of [...yielding]) resume();
  };
  const release = () => {
    const t = now();
    const stands = standing !== undefined && waiting.length > 0 && t - heldSince >= standing.afterMs;
    for (;;) {
      const next = waiting.shift();
      if (next === undefined) {
        running--;
        return emptied();
      }
      if (stands && t - next.at > standing.maxWaitMs) {
        next.admit(false);
        continue;
      }
      next.admit(true);
      return emptied();
    }
  };
  const wait = (abandoned: AbortSignal | undefined) =>
    new Promise<boolean>((resume) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const leave = () => {
        const at = waiting.indexOf(entry);
        if (at < 0) return;
        waiting.splice(at, 1);
        entry.admit(false);
        emptied();
      };
      const entry: Waiter = {
        at: now(),
        admit: (admitted) => {
          clearTimeout(timer);
          abandoned?.removeEventListener('abort', leave);
          resume(admitted);
        },
      };
      if (waiting.length === 0) heldSince = entry.at;
      waiting.push(entry);
      if (Number.isFinite(maxWaitMs)) timer = setTimeout(leave, maxWaitMs);
      abandoned?.addEventListener('abort', leave);
    });
  return {
    async run(work, abandoned) {
      if (abandoned?.aborted === true) return null;
      if (running < limit) running++;
      else if (waiting.length >= queue || !(await wait(abandoned))) return null;
      try {
        return { value: await work() };
      } finally {
        release();
      }
    },
    load: () => ({ running, waiting: waiting.length }),
    noneWaiting(wait) {
      if (waiting.length === 0) return Promise.resolve(true);
      return new Promise<boolean>((answer) => {
        const done = (none: boolean) => {
          clearTimeout(timer);
          yielding.delete(onEmpty);
          answer(none);
        };
        const onEmpty = () => done(true);
        const timer = setTimeout(() => done(false), Math.max(0, wait));
        yielding.add(onEmpty);
      });
    },
  };
}
