import { describe, expect, it } from 'vitest';
import { createGate } from './gate';

describe('gate', () => {
  it('runs at most `limit` at once, queues `queue` more and turns the rest away', async () => {
    const gate = createGate(2, 3);
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const work = () =>
      new Promise<string>((done) => {
        running++;
        peak = Math.max(peak, running);
        releases.push(() => {
          running--;
          done('ok');
        });
      });
    const all = Array.from({ length: 10 }, () => gate.run(work));
    const turnedAway = (await Promise.all(all.slice(5))).filter((r) => r === null).length;
    expect(turnedAway).toBe(5);
    expect(gate.load()).toEqual({ running: 2, waiting: 3 });
    while (releases.length > 0 || gate.load().running > 0) {
      releases.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    expect((await Promise.all(all.slice(0, 5))).map((r) => r?.value)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(peak).toBe(2);
    expect(gate.load()).toEqual({ running: 0, waiting: 0 });
  });

  it('frees the slot when the work throws', async () => {
    const gate = createGate(1, 0);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(() => Promise.resolve(1))).toEqual({ value: 1 });
  });
});

describe('gate with a longest wait', () => {
  it('turns away a caller that waited longer than maxWaitMs; the ones that got a slot still run', async () => {
    const gate = createGate(1, 5, 50);
    let release = () => undefined as void;
    const first = gate.run(() => new Promise<string>((done) => (release = () => done('first'))));
    const second = gate.run(() => Promise.resolve('second'));
    expect(gate.load()).toEqual({ running: 1, waiting: 1 });
    expect(await second).toBeNull();
    expect(gate.load()).toEqual({ running: 1, waiting: 0 });
    const third = gate.run(() => Promise.resolve('third'));
    release();
    expect(await first).toEqual({ value: 'first' });
    expect(await third).toEqual({ value: 'third' });
    expect(gate.load()).toEqual({ running: 0, waiting: 0 });
  });
});
