import type { IncomingMessage } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { PullsUnderWay, PushesUnderWay } from './under-way';

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

describe('[A12] pulls under way, by device', () => {
  /** A pull's work that ends when `end` is called. */
  const held = () => {
    let end = () => undefined as void;
    const work = () => new Promise<string>((done) => (end = () => done('page')));
    return { work, end: () => end() };
  };

  it('runs one pull a device at once, another device’s beside it; the place comes back when its page is read, or fails', async () => {
    const pulling = new PullsUnderWay();
    const first = held();
    const reading = pulling.run('phone-1', 'secret-1', first.work);
    await expect(pulling.run('phone-1', 'secret-1', () => Promise.resolve('again'))).rejects.toMatchObject({
      code: 'unavailable',
      retryAfterSeconds: 2,
      message: expect.stringContaining('この端末の受信'),
    });
    expect(await pulling.run('phone-2', 'secret-2', () => Promise.resolve('other'))).toBe('other');
    first.end();
    expect(await reading).toBe('page');
    await expect(pulling.run('phone-1', 'secret-1', () => Promise.reject(new Error('database lost')))).rejects.toThrow('database lost');
    expect(await pulling.run('phone-1', 'secret-1', () => Promise.resolve('next'))).toBe('next');
  });

  it('does not let a pull naming a device with another secret (checked later, and refused) take that device’s place', async () => {
    const pulling = new PullsUnderWay();
    const forged = held();
    const refused = pulling.run('phone-1', 'made-up', forged.work);
    expect(await pulling.run('phone-1', 'secret-1', () => Promise.resolve('page'))).toBe('page');
    forged.end();
    await refused;
  });
});
