/**
 * How long a request to the hub may go without a sign of life. A stalled request (a line the phone
 * still takes for up, a proxy holding the connection open) must not keep a run 「同期中…」 for ever:
 * every trigger would wait on it, and its Web Lock would keep the other tabs from syncing. The
 * answer must begin within the limit of sending, and its body must keep coming: a large pull page
 * on a slow line is not cut off while it arrives. A request out of time is given up (aborted, and
 * its promise rejected even when the fetch ignores the signal); the engine takes it for an
 * unreachable hub, so the changes stay queued for the next run.
 * Used on the page's thread and in the pull worker (pull-job.ts): nothing here touches the DOM.
 */
import type { FetchLike } from './client';

export const REQUEST_TIME_LIMIT_MS = 60_000;

/**
 * The slowest upload a request is given time for, beyond the limit: a throttled phone line's
 * 64 kbit/s. A push of a large batch (a first join with years of records) is not given up while it
 * is still being sent, which would time it out at every run; its answer only begins once it is in.
 */
const SLOWEST_UPLOAD_BYTES_PER_S = 8_000;

/** The time limit of a request with this body: the limit, and the time to send the body at the slowest line. */
export function timeLimitFor(limitMs: number, body: BodyInit | null | undefined): number {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body).byteLength : body instanceof ArrayBuffer || ArrayBuffer.isView(body) ? body.byteLength : body instanceof Blob ? body.size : 0;
  return limitMs + Math.ceil((bytes * 1000) / SLOWEST_UPLOAD_BYTES_PER_S);
}

export class RequestTimedOut extends Error {
  override readonly name = 'RequestTimedOut';
}

export interface TimedAnswer {
  readonly response: Response;
  /** the body as text, read under the same watch (the watch ends with it) */
  text(): Promise<string>;
}

export async function fetchWithTimeLimit(fetchImpl: FetchLike, input: string, init: RequestInit, limitMs = REQUEST_TIME_LIMIT_MS): Promise<TimedAnswer> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut!: (error: RequestTimedOut) => void;
  const silence = new Promise<never>((_, reject) => (timedOut = reject));
  silence.catch(() => undefined);
  /** (re)starts the watch: the hub has `limitMs` from now to say more */
  const watch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const error = new RequestTimedOut(`no answer for ${Math.round(limitMs / 1000)} s`);
      controller.abort(error);
      timedOut(error);
    }, limitMs);
  };
  const end = () => clearTimeout(timer);
  watch();
  let response: Response;
  try {
    response = await Promise.race([fetchImpl(input, { ...init, signal: controller.signal }), silence]);
  } catch (e) {
    end();
    throw e;
  }
  watch();
  return {
    response,
    async text() {
      const body = response.body;
      try {
        if (body === null) return await Promise.race([response.text(), silence]);
        const reader = body.getReader();
        const decoder = new TextDecoder();
        let text = '';
        try {
          for (;;) {
            const { done, value } = await Promise.race([reader.read(), silence]);
            if (done) return text + decoder.decode();
            text += decoder.decode(value, { stream: true });
            watch();
          }
        } catch (e) {
          void reader.cancel().catch(() => undefined);
          throw e;
        }
      } finally {
        end();
      }
    },
  };
}
