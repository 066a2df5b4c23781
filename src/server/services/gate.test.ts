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

describe('gate with callers that go away', () => {
  it('gives an abandoned waiter’s place up at once, not at its turn; its work never runs', async () => {
    const gate = createGate(1, 1);
    let release = () => undefined as void;
    const first = gate.run(() => new Promise<string>((done) => (release = () => done('first'))));
    const gone = new AbortController();
    let ran = false;
    const abandoned = gate.run(async () => (ran = true), gone.signal);
    expect(gate.load()).toEqual({ running: 1, waiting: 1 });
    gone.abort();
    expect(gate.load()).toEqual({ running: 1, waiting: 0 });
    expect(await abandoned).toBeNull();
    // its place is free for the next caller while the slot is still held
    const next = gate.run(() => Promise.resolve('next'));
    expect(gate.load()).toEqual({ running: 1, waiting: 1 });
    release();
    expect(await first).toEqual({ value: 'first' });
    expect(await next).toEqual({ value: 'next' });
    // a caller already gone never takes a slot
    expect(await gate.run(async () => (ran = true), gone.signal)).toBeNull();
    expect(ran).toBe(false);
    expect(gate.load()).toEqual({ running: 0, waiting: 0 });
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

describe('gate with a standing queue (controlled delay)', () => {
  /** A gate of one slot on a clock the test moves; `hold()` takes the slot until its release is called. */
  function standingGate() {
    let clock = 0;
    const gate = createGate(1, 100, Infinity, { afterMs: 500, maxWaitMs: 100 }, () => clock);
    const hold = () => {
      let release = () => undefined as void;
      const run = gate.run(() => new Promise<string>((done) => (release = () => done('held'))));
      return { run, release: () => release() };
    };
    return { gate, hold, advance: (ms: number) => (clock += ms) };
  }

  it('lets a burst wait as long as it takes when the queue drains within afterMs', async () => {
    const { gate, hold, advance } = standingGate();
    const first = hold();
    const second = gate.run(() => Promise.resolve('second'));
    advance(400); // waited 400 ms, over maxWaitMs, but the queue has stood for less than afterMs
    first.release();
    expect(await first.run).toEqual({ value: 'held' });
    expect(await second).toEqual({ value: 'second' });
  });

  it('once the queue has stood afterMs, turns away at its turn a caller that waited over maxWaitMs, and admits one that did not', async () => {
    const { gate, hold, advance } = standingGate();
    const first = hold();
    const stale = gate.run(() => Promise.resolve('stale'));
    advance(450);
    const fresh = gate.run(() => Promise.resolve('fresh'));
    advance(60); // the queue has not been empty for 510 ms; stale waited 510 ms, fresh 60 ms
    first.release();
    expect(await stale).toBeNull();
    expect(await fresh).toEqual({ value: 'fresh' });
    expect(gate.load()).toEqual({ running: 0, waiting: 0 });
  });

  it('keeps the queue standing while it holds anyone, across turns', async () => {
    const { gate, hold, advance } = standingGate();
    const first = hold();
    const stale = gate.run(() => Promise.resolve('stale'));
    advance(600);
    let releaseSecond = () => undefined as void;
    const second = gate.run(() => new Promise<string>((done) => (releaseSecond = () => done('second'))));
    const third = gate.run(() => Promise.resolve('third'));
    first.release();
    expect(await stale).toBeNull();
    await expect.poll(() => gate.load()).toEqual({ running: 1, waiting: 1 }); // second runs, third waits
    advance(200); // the queue has not been empty for 800 ms; third waited 200
    releaseSecond();
    expect(await second).toEqual({ value: 'second' });
    expect(await third).toBeNull();
  });

  it('forgets the standing queue once it has emptied', async () => {
    const { gate, hold, advance } = standingGate();
    const first = hold();
    const stale = gate.run(() => Promise.resolve('stale'));
    advance(600);
    first.release();
    expect(await stale).toBeNull();
    // empty now: a new wait is a burst again, however long
    const second = hold();
    const waiter = gate.run(() => Promise.resolve('waited'));
    advance(300);
    second.release();
    expect(await second.run).toEqual({ value: 'held' });
    expect(await waiter).toEqual({ value: 'waited' });
  });
});

describe('gate: waiting for no one to wait (noneWaiting)', () => {
  /** A gate of one slot whose slot is held until `release` is called. */
  function heldGate() {
    const gate = createGate(1, 10, 60_000);
    let release = () => undefined as void;
    const held = gate.run(() => new Promise<string>((done) => (release = () => done('held'))));
    return { gate, held, release: () => release() };
  }
  const settled = async (p: Promise<unknown>) => {
    let done = false;
    void p.then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    return done;
  };

  it('is true at once when no caller waits, even with every slot taken', async () => {
    const { gate, held, release } = heldGate();
    expect(await gate.noneWaiting(0)).toBe(true);
    release();
    await held;
  });

  it('waits while a caller waits, and is true once that caller has its slot', async () => {
    const { gate, held, release } = heldGate();
    const waiter = gate.run(() => Promise.resolve('waited'));
    const yielded = gate.noneWaiting(60_000);
    expect(await settled(yielded)).toBe(false);
    release();
    expect(await yielded).toBe(true);
    expect(await held).toEqual({ value: 'held' });
    expect(await waiter).toEqual({ value: 'waited' });
  });

  it('is true once the only waiter gave up its wait', async () => {
    const gate = createGate(1, 10, 30);
    let release = () => undefined as void;
    const held = gate.run(() => new Promise<string>((done) => (release = () => done('held'))));
    const waiter = gate.run(() => Promise.resolve('waited'));
    expect(await gate.noneWaiting(60_000)).toBe(true);
    expect(await waiter).toBeNull();
    release();
    await held;
  });

  it('is true once the queue emptied by turning its waiters away (a standing queue shed)', async () => {
    let clock = 0;
    const gate = createGate(1, 10, Infinity, { afterMs: 500, maxWaitMs: 100 }, () => clock);
    let release = () => undefined as void;
    const held = gate.run(() => new Promise<string>((done) => (release = () => done('held'))));
    const stale = gate.run(() => Promise.resolve('stale'));
    const yielded = gate.noneWaiting(60_000);
    clock += 600;
    release();
    expect(await stale).toBeNull();
    expect(await yielded).toBe(true);
    expect(await held).toEqual({ value: 'held' });
  });

  it('is false when callers still wait after its own longest wait, and leaves nothing behind', async () => {
    const { gate, held, release } = heldGate();
    const waiter = gate.run(() => Promise.resolve('waited'));
    expect(await gate.noneWaiting(20)).toBe(false);
    expect(gate.load()).toEqual({ running: 1, waiting: 1 });
    release();
    expect(await waiter).toEqual({ value: 'waited' });
    expect(await held).toEqual({ value: 'held' });
  });
});
