import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PullResponse } from '../protocol/sync';
import type { FetchLike } from './client';
import { setPullWorkerFactory, startPullJob } from './off-thread';
import { PullJobError, runPullJob, type PullWorkerMessage } from './pull-job';

const answer: PullResponse = { records: [], cursor: 'e1:5', hasMore: false, scope: { role: 'coordinator', officeIds: 'all', facilityId: null }, openConflicts: 0 };
const hub: FetchLike = async () => new Response(JSON.stringify(answer), { status: 200 });
const key = () => crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);

/** A stand-in for the pull worker: does what pull-worker.ts does, or fails to start. */
class FakeWorker {
  onmessage: ((event: MessageEvent<PullWorkerMessage>) => void) | null = null;
  onerror: ((event: { preventDefault(): void }) => void) | null = null;
  readonly posted: unknown[] = [];
  terminated = false;
  constructor(private readonly starts: boolean) {}

  postMessage(data: { id: number; request: Parameters<typeof runPullJob>[1] }): void {
    this.posted.push(data);
    if (!this.starts) {
      setTimeout(() => this.onerror?.({ preventDefault: () => undefined }));
      return;
    }
    const emit = (message: PullWorkerMessage) => setTimeout(() => this.onmessage?.({ data: message } as MessageEvent<PullWorkerMessage>));
    const { id, request } = data;
    runPullJob(hub, request, (head) => emit({ id, type: 'head', head }), (cursor) => emit({ id, type: 'next', cursor })).then(
      (page) => emit({ id, type: 'sealed', page }),
      (e: unknown) => emit({ id, type: 'failed', failure: (e as PullJobError).failure }),
    );
  }

  terminate(): void {
    this.terminated = true;
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  setPullWorkerFactory(null);
});

describe('pull jobs off the page thread', () => {
  it('sends the job to the worker and hands back its head and sealed page', async () => {
    const worker = new FakeWorker(true);
    vi.stubGlobal('Worker', FakeWorker);
    setPullWorkerFactory(() => worker as unknown as Worker);
    const pageFetch = vi.fn(hub);
    vi.stubGlobal('fetch', pageFetch);

    const job = startPullJob({ url: '/api/sync/pull?cursor=0', init: {}, key: await key(), now: 0 });

    expect((await job.head).cursor).toBe('e1:5');
    expect((await job.sealed).size).toBe(0);
    expect(await job.next).toBeNull();
    expect(worker.posted).toHaveLength(1);
    // the page's own fetch was not used: the worker made the request
    expect(pageFetch).not.toHaveBeenCalled();
  });

  it('runs the job here when the worker cannot start, and every later job too', async () => {
    const worker = new FakeWorker(false);
    vi.stubGlobal('Worker', FakeWorker);
    const factory = vi.fn(() => worker as unknown as Worker);
    setPullWorkerFactory(factory);
    const pageFetch = vi.fn(hub);
    vi.stubGlobal('fetch', pageFetch);

    const first = startPullJob({ url: '/api/sync/pull?cursor=0', init: {}, key: await key(), now: 0 });
    expect((await first.head).cursor).toBe('e1:5');
    expect((await first.sealed).size).toBe(0);
    expect(worker.terminated).toBe(true);
    expect(pageFetch).toHaveBeenCalledTimes(1);

    const second = startPullJob({ url: '/api/sync/pull?cursor=0', init: {}, key: await key(), now: 0 });
    expect((await second.head).cursor).toBe('e1:5');
    expect(pageFetch).toHaveBeenCalledTimes(2);
    expect(factory).toHaveBeenCalledTimes(1);
  });
});
