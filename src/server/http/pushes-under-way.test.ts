import { describe, expect, it } from 'vitest';
import { PushesUnderWay } from './api';

describe('[A11] pushes under way, by device and by user', () => {
  it('takes one push a device and two a user at once; a release gives the place back, once', () => {
    const pushing = new PushesUnderWay(1, 2);
    const first = pushing.take('phone-1', 'sato');
    expect(() => pushing.take('phone-1', 'sato')).toThrow(expect.objectContaining({ code: 'unavailable', retryAfterSeconds: 2 }));
    const second = pushing.take('phone-2', 'sato');
    // a third phone of the same person waits, another person's does not
    expect(() => pushing.take('phone-3', 'sato')).toThrow(expect.objectContaining({ code: 'unavailable' }));
    const other = pushing.take('phone-3', 'suzuki');
    first();
    first(); // a second release frees nothing more
    const third = pushing.take('phone-1', 'sato');
    expect(() => pushing.take('phone-4', 'sato')).toThrow(expect.objectContaining({ code: 'unavailable' }));
    for (const release of [second, other, third]) release();
    expect(() => pushing.take('phone-4', 'sato')).not.toThrow();
  });
});
