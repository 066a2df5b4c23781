/**
 * Where pull jobs (pull-job.ts) run: in the pull worker (pull-worker.ts) when the browser can start
 * it and the engine uses the browser's own fetch; on this thread otherwise (tests, an injected
 * fetch, a worker that cannot start). The worker is started at the first job and kept; it holds
 * nothing between jobs (the key comes with each).
 */
import type { PortablePage } from '../vault/seal-page';
import type { FetchLike } from './client';
import { runPullJob, type PullHead, type PullJob, type PullJobRequest, type PullWorkerMessage, PullJobError } from './pull-job';

type WorkerFactory = () => Worker;

// The literal `new Worker(new URL(...), ...)` is what Vite bundles the worker from.
let createWorker: WorkerFactory | null = () => new Worker(new URL('./pull-worker.ts', import.meta.url), { type: 'module', name: 'pull' });

/** Replaces how the worker is made (the sync bench bundles its own); null: always on this thread. */
export function setPullWorkerFactory(factory: WorkerFactory | null): void {
  createWorker = factory;
  worker = undefined;
}

interface Waiting {
  readonly request: PullJobRequest;
  headed: boolean;
  readonly next: Deferred<string | null>;
  readonly head: Deferred<PullHead>;
  readonly sealed: Deferred<PortablePage>;
}

/** undefined: not tried yet; null: none here (the jobs run on this thread) */
let worker: Worker | null | undefined;
const waiting = new Map<number, Waiting>();
let nextId = 1;

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function onThisThread(request: PullJobRequest, fetchImpl: FetchLike): PullJob {
  const head = deferred<PullHead>();
  const next = deferred<string | null>();
  const sealed = runPullJob(fetchImpl, request, head.resolve, next.resolve);
  // A failure before the head fails both; after it, only the sealing.
  sealed.catch((e: unknown) => {
    next.resolve(null);
    head.reject(e);
  });
  return { next: next.promise, head: head.promise, sealed };
}

function theWorker(): Worker | null {
  if (worker !== undefined) return worker;
  worker = null;
  if (createWorker === null || typeof Worker === 'undefined') return null;
  try {
    const started = createWorker();
    started.onmessage = (event: MessageEvent<PullWorkerMessage>) => {
      const message = event.data;
      const job = waiting.get(message.id);
      if (job === undefined) return;
      if (message.type === 'next') {
        job.next.resolve(message.cursor);
      } else if (message.type === 'head') {
        job.headed = true;
        job.head.resolve(message.head);
      } else if (message.type === 'sealed') {
        waiting.delete(message.id);
        job.sealed.resolve(message.page);
      } else {
        waiting.delete(message.id);
        const error = new PullJobError(message.failure);
        job.next.resolve(null);
        job.head.reject(error);
        job.sealed.reject(error);
      }
    };
    // The worker could not start (its script did not load, say): this and every later job runs
    // here. A job it had already answered the head of fails (its cursor was handed on); the next
    // sync run pulls that page again.
    started.onerror = (event) => {
      event.preventDefault();
      started.terminate();
      if (worker === started) worker = null;
      for (const [id, job] of waiting) {
        waiting.delete(id);
        if (job.headed) {
          job.sealed.reject(new PullJobError({ type: 'storage', detail: 'the pull worker stopped' }));
          continue;
        }
        const again = onThisThread(job.request, (input, init) => globalThis.fetch(input, init));
        again.next.then(job.next.resolve, () => job.next.resolve(null));
        again.head.then(job.head.resolve, job.head.reject);
        again.sealed.then(job.sealed.resolve, job.sealed.reject);
      }
    };
    worker = started;
  } catch {
    worker = null;
  }
  return worker;
}

/**
 * Starts one pull job. `fetchImpl`, when given, is used on this thread (an injected fetch cannot
 * cross into a worker); without it the browser's fetch runs in the worker, or here without one.
 */
export function startPullJob(request: PullJobRequest, fetchImpl?: FetchLike): PullJob {
  const off = fetchImpl === undefined ? theWorker() : null;
  if (off === null) return onThisThread(request, fetchImpl ?? ((input, init) => globalThis.fetch(input, init)));
  const id = nextId++;
  const job: Waiting = { request, headed: false, next: deferred(), head: deferred(), sealed: deferred() };
  job.head.promise.catch(() => undefined);
  job.sealed.promise.catch(() => undefined);
  waiting.set(id, job);
  // A worker's relative URLs are read against its script's address: the page's own is sent.
  const url = typeof location === 'undefined' ? request.url : new URL(request.url, location.href).href;
  off.postMessage({ id, request: { ...request, url } });
  return { next: job.next.promise, head: job.head.promise, sealed: job.sealed.promise };
}
