import type { IncomingMessage } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { PushesUnderWay } from './api';

const request = (complete: boolean) => ({ complete, destroy: vi.fn() }) as unknown as IncomingMessage & { destroy: ReturnType<typeof vi.fn> };

describe('[A11] pushes under way, by device and by user', () => {
  it('takes one push a device and two a user at once; a release gives the place back, once', () => {
    const pushing = new PushesUnderWay(2);
    const first = pushing.take('phone-1', 'sato', request(true));
    expect(() => pushing.take('phone-1', 'sato')).toThrow(expect.objectContaining({ code: 'unavailable', retryAfterSeconds: 2, message: expect.stringContaining('この端末からの送信') }));
    const second = pushing.take('phone-2', 'sato');
    // a third phone of the same person waits, and is told it is their other phone; another person's does not
    expect(() => pushing.take('phone-3', 'sato')).toThrow(expect.objectContaining({ code: 'unavailable', message: expect.stringContaining('ほかの端末') }));
    const other = pushing.take('phone-3', 'suzuki');
    first();
    first(); // a second release frees nothing more
    const third = pushing.take('phone-1', 'sato');
    expect(() => pushing.take('phone-4', 'sato')).toThrow(expect.objectContaining({ code: 'unavailable' }));
    for (const release of [second, other, third]) release();
    expect(() => pushing.take('phone-4', 'sato')).not.toThrow();
  });

  it('gives a push whose body has not all come way to the same device’s next one (its line died mid-upload), not one already read', () => {
    const pushing = new PushesUnderWay(2);
    const stalled = request(false);
    const releaseStalled = pushing.take('phone-1', 'sato', stalled);
    const next = pushing.take('phone-1', 'sato', request(true));
    expect(stalled.destroy).toHaveBeenCalledOnce();
    // the stalled request's own release, when its handler ends, does not free the new one's place
    releaseStalled();
    expect(() => pushing.take('phone-1', 'sato', request(true))).toThrow(expect.objectContaining({ code: 'unavailable' }));
    next();
    expect(() => pushing.take('phone-1', 'sato')).not.toThrow();
  });
});
