/**
 * One pull page fetched, parsed, checked against the protocol and sealed for the vault: the CPU
 * work of a first sync (11,000 records: ~40 MB of JSON) that would otherwise keep the page's main
 * thread busy while IndexedDB is written. It runs in a worker (pull-worker.ts) when it can, else on
 * the page's thread: off-thread.ts decides. The page's head (cursor, scope, receipts...) is handed
 * back as soon as it is checked, so the engine asks for the next page before this one is sealed.
 * Nothing here starts a worker: this is what the worker's bundle holds.
 */
import { PULL_NEXT_HEADER } from '../protocol/cursor';
import { PullResponse } from '../protocol/sync';
import { sealPage, type PortablePage } from '../vault/seal-page';
import type { FetchLike } from './client';
import { fetchWithTimeLimit } from './time-limit';

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
  /** how long the request may go without a sign of life (time-limit.ts; its default when absent) */
  readonly timeLimitMs?: number;
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
    // A page that stalls is given up: a network failure, the page asked for again at the next run.
    const answer = await fetchWithTimeLimit(fetchImpl, request.url, request.init, request.timeLimitMs);
    const { response } = answer;
    status = response.status;
    onNext(response.ok ? response.headers.get(PULL_NEXT_HEADER) : null);
    text = await answer.text();
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
