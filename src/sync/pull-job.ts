/**
 * One pull page fetched, parsed, checked against the protocol and sealed for the vault: the CPU
 * work of a first sync (11,000 records: ~40 MB of JSON) that would otherwise keep the page's main
 * thread busy while IndexedDB is written. It runs in a worker (pull-worker.ts) when the browser has
 * one and the engine uses the browser's own fetch; otherwise (tests, an injected fetch, a worker that
 * cannot start) the same function runs here. The page's head (cursor, scope, receipts...) is handed
 * back as soon as it is checked, so the engine asks for the next page before this one is sealed.
 */
import { PULL_NEXT_HEADER } from '../protocol/cursor';
import { PullResponse } from '../protocol/sync';
import { sealPage, type PortablePage } from '../vault/seal-page';
import type { FetchLike } from './client';

/** A pull answer without its records (they come sealed); `count` is how many it held. */
export type PullHead = Omit<PullResponse, 'records'> & { readonly count: number };

export type PullFailure =
  /** the request did not reach the hub, or its answer was cut off */
  | { readonly type: 'network'; readonly detail: string }
  /** the hub answered with an error status; `text` is its body */
  | { readonly type: 'http'; readonly status: number; readonly text: string }
  | { readonly type: 'bad-response'; readonly detail: string }
  /** sealing failed (WebCrypto) */
  | { readonly type: 'storage'; readonly detail: string };

export class PullJobError extends Error {
  override readonly name = 'PullJobError';
  constructor(readonly failure: PullFailure) {
    super(`pull job: ${failure.type === 'http' ? `status ${failure.status}` : `${failure.type}: ${failure.detail}`}`);
  }
}

export interface PullJob {
  /** the next page's cursor as the answer's headers name it (PULL_NEXT_HEADER), before its body; null: none named */
  readonly next: Promise<string | null>;
  readonly head: Promise<PullHead>;
  readonly sealed: Promise<PortablePage>;
}

export interface PullJobRequest {
  readonly url: string;
  readonly init: RequestInit;
  readonly key: CryptoKey;
  /** the instant the page's rows are stamped with (ms since the epoch) */
  readonly now: number;
}

/**
 * The job itself, wherever it runs. `onNext` is called when the answer's headers are in (with the
 * next page's cursor if they name one), `onHead` once the answer is checked, before sealing.
 */
export async function runPullJob(
  fetchImpl: FetchLike,
  request: PullJobRequest,
  onHead: (head: PullHead) => void,
  onNext: (cursor: string | null) => void = () => undefined,
): Promise<PortablePage> {
  let text: string;
  let status: number;
  try {
    const response = await fetchImpl(request.url, request.init);
    status = response.status;
    onNext(response.ok ? response.headers.get(PULL_NEXT_HEADER) : null);
    text = await response.text();
  } catch (e) {
    onNext(null);
    throw new PullJobError({ type: 'network', detail: String(e) });
  }
  if (status < 200 || status > 299) throw new PullJobError({ type: 'http', status, text });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PullJobError({ type: 'bad-response', detail: 'not JSON' });
  }
  const parsed = PullResponse.safeParse(json);
  if (!parsed.success) {
    throw new PullJobError({ type: 'bad-response', detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
  }
  const { records, ...head } = parsed.data;
  onHead({ ...head, count: records.length });
  try {
    return await sealPage(request.key, () => request.now, records);
  } catch (e) {
    throw new PullJobError({ type: 'storage', detail: String(e) });
  }
}

/** What the worker posts back for one job. */
export type PullWorkerMessage =
  | { readonly id: number; readonly type: 'next'; readonly cursor: string | null }
  | { readonly id: number; readonly type: 'head'; readonly head: PullHead }
  | { readonly id: number; readonly type: 'sealed'; readonly page: PortablePage }
  | { readonly id: number; readonly type: 'failed'; readonly failure: PullFailure };

/** The ArrayBuffers of a sealed page: moved to the main thread, not copied. */
export function transfersOf(page: PortablePage): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const s of [...page.sealed, ...page.setAsideRows]) out.push(s.iv.buffer, s.ct.buffer);
  return [...new Set(out)];
}

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
