/**
 * The pull worker: fetches, checks and seals pull pages off the page's main thread (pull-job.ts).
 * It holds nothing between jobs; the vault's key comes with each job (a CryptoKey crosses to a
 * worker as the same non-extractable key) and the sealed bytes go back moved, not copied.
 */
// first: before pull-job's imports build their schemas
import './zod-jitless';
import { runPullJob, transfersOf, PullJobError, type PullJobRequest, type PullWorkerMessage } from './pull-job';

const post = (message: PullWorkerMessage, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer);

self.onmessage = (event: MessageEvent<{ id: number; request: PullJobRequest }>) => {
  const { id, request } = event.data;
  runPullJob(
    (input, init) => fetch(input, init),
    request,
    (head) => post({ id, type: 'head', head }),
    (cursor) => post({ id, type: 'next', cursor }),
  ).then(
    (page) => post({ id, type: 'sealed', page }, transfersOf(page)),
    (e: unknown) => post({ id, type: 'failed', failure: e instanceof PullJobError ? e.failure : { type: 'storage', detail: String(e) } }),
  );
};
