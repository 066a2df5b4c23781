/**
 * The load bench's first syncs (bench/load.ts), in a worker thread of their own.
 *
 * A phone being set up decodes, parses and checks pages of 1,000 records, ~50 ms of CPU a page on
 * this machine. Run in the thread of the devices that sync incrementally, twenty first syncs at
 * once stopped that thread's clock for up to 1.2 s (2026-12-05 morning): every incremental sync in
 * flight was timed that much longer, and the syncs due meanwhile all started together when the
 * thread came back, a burst no set of phones makes. Phones are separate machines; here they share
 * the two cores, not one event loop. Both targets' first syncs run here alike.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import { SyncError } from '../src/sync/client';
import { busyWaitMs, SYNC_INTERVAL_MS } from '../src/sync/triggers';
import type { SimDevice } from '../test/integration/hub-process';
import { changesPath, deviceFetch, deviceHubClient } from './load-device-fetch';

/** One device's first sync, from nothing, as plain data (it crosses to the worker). */
export type FirstSyncJob =
  /** ours: the app's HubClient, each page checked with the protocol's schemas */
  | { readonly kind: 'ours'; readonly base: string; readonly device: SimDevice; readonly page: number }
  /** the peer: `_changes` pages of the device's hub database */
  | { readonly kind: 'peer'; readonly database: string; readonly page: number };

export interface FirstSyncsDone {
  readonly syncs: number;
  /** each page's time, ms */
  readonly pages: number[];
  readonly errors: number;
  /** answers 503 (overloaded, A12), each page asked again after the hub's Retry-After as the app does */
  readonly busy: number;
  readonly firstErrors: string[];
  readonly records: number;
  /** response bytes: on the wire (brotli) for ours, as JSON for the peer, as bench/load.ts counts them */
  readonly bytes: number;
  /** each job's cursor at its end (its next incremental sync pulls from there); null when it failed */
  readonly cursors: (string | number | null)[];
}

/** Counts a failed sync: a 503 (the hub turning work away when overloaded, A12) apart from failures, the first three failures' words kept. */
export function countFailure(t: { errors: number; busy: number; firstErrors: string[] }, error: unknown): void {
  const detail = error instanceof SyncError ? error.detail : String(error);
  if (/→ 503/.test(detail)) t.busy++;
  else {
    t.errors++;
    if (t.firstErrors.length < 3) t.firstErrors.push(detail.slice(0, 200));
  }
}

/** A busy hub's Retry-After in seconds (1 when it named none), or null when the failure was not a 503. */
function busyRetryAfter(error: unknown): number | null {
  if (error instanceof SyncError && error.retryAfterSeconds !== null) return error.retryAfterSeconds;
  return /→ 503/.test(error instanceof SyncError ? error.detail : String(error)) ? 1 : null;
}

/**
 * One page, asked again while the hub answers 503, after the waits the app takes (triggers.ts,
 * `busyWaitMs`); once a wait would reach the app's minute between runs the app leaves it to the
 * next minute's run, and so the bench gives the sync up (the last 503 counted by the caller).
 * `timed`: the answered request's time alone, as the incremental syncs' are.
 */
export async function pageWhenAnswered<P>(
  next: () => Promise<P>,
  out: { busy: number },
  timed: (ms: number) => void,
  wait: (ms: number) => Promise<unknown> = sleep,
): Promise<P> {
  for (let busyInARow = 0; ; busyInARow++) {
    const started = performance.now();
    try {
      const page = await next();
      timed(performance.now() - started);
      return page;
    } catch (error) {
      const retryAfter = busyRetryAfter(error);
      const waitMs = retryAfter === null ? Infinity : busyWaitMs(retryAfter, busyInARow);
      if (waitMs >= SYNC_INTERVAL_MS) throw error;
      out.busy++;
      await wait(waitMs);
    }
  }
}

/** Runs the jobs at once in a worker thread; resolves when every one has ended. */
export function runFirstSyncs(jobs: readonly FirstSyncJob[]): Promise<FirstSyncsDone> {
  // The worker loads this file through tsx, as the bench itself is run (a worker does not take
  // the bench's loader, nor `--import tsx` for its first module); tsx as this file resolves it.
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(bootstrap, { eval: true, workerData: jobs });
  return new Promise<FirstSyncsDone>((done, failed) => {
    worker.once('message', (result: FirstSyncsDone) => done(result));
    worker.once('error', failed);
    worker.once('exit', (code) => failed(new Error(`the first syncs' worker exited (${code}) without an answer`)));
  }).finally(() => void worker.terminate());
}

/** One page: its records, its bytes, the cursor after it, and whether there is more. */
type Page = { records: number; bytes: number; cursor: string | number; more: boolean };

function pager(job: FirstSyncJob): (cursor: string | number) => Promise<Page> {
  if (job.kind === 'peer') {
    return async (since) => {
      const path = changesPath(job.database, job.page, since);
      const res = await deviceFetch(path);
      const text = await res.text();
      if (!res.ok) throw new Error(`${path} → ${res.status} ${text.slice(0, 200)}`);
      const page = JSON.parse(text) as { results: unknown[]; last_seq: string | number };
      return { records: page.results.length, bytes: Buffer.byteLength(text), cursor: page.last_seq, more: page.results.length === job.page };
    };
  }
  let bytes = 0;
  const client = deviceHubClient(job.base, job.device.sessionToken, (pulled) => (bytes = pulled));
  return async (cursor) => {
    const page = await client.pull(job.device, String(cursor), job.page);
    return { records: page.records.length, bytes, cursor: page.cursor, more: page.hasMore };
  };
}

async function work(jobs: readonly FirstSyncJob[]): Promise<FirstSyncsDone> {
  const out = { syncs: 0, pages: [] as number[], errors: 0, busy: 0, firstErrors: [] as string[], records: 0, bytes: 0, cursors: jobs.map((): string | number | null => null) };
  await Promise.all(
    jobs.map(async (job, k) => {
      const next = pager(job);
      let cursor: string | number = '0';
      try {
        for (;;) {
          const at: string | number = cursor;
          const page: Page = await pageWhenAnswered(() => next(at), out, (ms) => out.pages.push(ms));
          out.records += page.records;
          out.bytes += page.bytes;
          cursor = page.cursor;
          if (!page.more) break;
        }
        out.syncs++;
        out.cursors[k] = cursor;
      } catch (error) {
        countFailure(out, error);
      }
    }),
  );
  return out;
}

if (!isMainThread && parentPort !== null) parentPort.postMessage(await work(workerData as FirstSyncJob[]));
