import { describe, expect, it } from 'vitest';
import { pageWhenAnswered } from '../../bench/load-first-syncs';
import { SyncError } from '../../src/sync/client';

const busy = (retryAfterSeconds: number) => new SyncError('server', 'GET /api/sync/pull → 503 busy: ', null, retryAfterSeconds);

describe("the load bench's first syncs, when the hub is busy", () => {
  it('ask for the page again after Retry-After, doubled each time, and time the answered request alone', async () => {
    const answers: (Error | string)[] = [busy(2), busy(2), 'page'];
    const waits: number[] = [];
    const out = { busy: 0 };
    const timed: number[] = [];
    const page = await pageWhenAnswered(
      async () => {
        const next = answers.shift()!;
        if (next instanceof Error) throw next;
        return next;
      },
      out,
      (ms) => timed.push(ms),
      async (ms) => waits.push(ms),
    );
    expect(page).toBe('page');
    expect(out.busy).toBe(2);
    expect(timed).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(2_000);
    expect(waits[0]).toBeLessThanOrEqual(4_000);
    expect(waits[1]).toBeGreaterThanOrEqual(4_000);
    expect(waits[1]).toBeLessThanOrEqual(8_000);
  });

  it('give the sync up once the wait would reach the app’s minute between runs, and at once on any other failure', async () => {
    const out = { busy: 0 };
    const waits: number[] = [];
    const stillBusy = busy(10);
    await expect(pageWhenAnswered(async () => Promise.reject(stillBusy), out, () => undefined, async (ms) => waits.push(ms))).rejects.toBe(stillBusy);
    // 10–20 s, then 20–40 s; the third (40–80 s) could reach the minute, the fourth surely does
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(waits.length).toBeLessThanOrEqual(3);
    expect(out.busy).toBe(waits.length);

    const broken = new SyncError('bad-response', 'GET /api/sync/pull → 400');
    const none = { busy: 0 };
    await expect(pageWhenAnswered(async () => Promise.reject(broken), none, () => undefined, async () => undefined)).rejects.toBe(broken);
    expect(none.busy).toBe(0);
  });
});
