import { describe, expect, it } from 'vitest';
import { halves, pushBatches, sendInBatches, utf8Length } from './push-batches';

describe('push batches', () => {
  it('counts a body as UTF-8: Japanese three bytes a character, a surrogate pair four', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('山田')).toBe(6);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('𠮷')).toBe(4);
    for (const text of ['山田 太郎 𠮷野家 é', '"\\u0000"']) expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
  });

  it('cuts by bytes as well as by count, in order, and puts a change larger than the bound in a batch of its own', () => {
    const change = (n: number, text = 'x') => ({ n, text });
    // {"n":1,"text":"山山山"} is 26 bytes, 27 with its comma (20 counted in characters, and three would fit)
    const japanese = [1, 2, 3, 4, 5].map((n) => change(n, '山山山'));
    expect(pushBatches(japanese, 60).map((b) => b.map((c) => c.n))).toEqual([[1, 2], [3, 4], [5]]);
    expect(pushBatches(japanese, 1_000, 2).map((b) => b.map((c) => c.n))).toEqual([[1, 2], [3, 4], [5]]);
    const big = change(2, 'x'.repeat(200));
    expect(pushBatches([change(1), big, change(3)], 100).map((b) => b.map((c) => c.n))).toEqual([[1], [2], [3]]);
    expect(pushBatches([], 100)).toEqual([]);
  });

  it('halves a refused batch in order, and cannot halve one change', () => {
    expect(halves([1, 2, 3, 4, 5])).toEqual([[1, 2, 3], [4, 5]]);
    expect(halves([1, 2])).toEqual([[1], [2]]);
    expect(halves([1])).toBeNull();
  });

  it('sends what is refused as too large again in halves, in order, and throws when one change alone is refused', async () => {
    const tooLarge = new Error('413');
    const sent: number[][] = [];
    await sendInBatches([1, 2, 3, 4, 5, 6, 7], async (batch) => {
      if (batch.length > 2) throw tooLarge;
      sent.push([...batch]);
      return true;
    }, (e) => e === tooLarge);
    expect(sent).toEqual([[1, 2], [3, 4], [5, 6], [7]]);

    const before: number[] = [];
    await expect(
      sendInBatches([1, 2, 3], async (batch) => {
        if (batch.includes(2)) throw tooLarge;
        before.push(...batch);
        return true;
      }, (e) => e === tooLarge),
    ).rejects.toBe(tooLarge);
    // what came before the refused change went; nothing after it was sent out of order
    expect(before).toEqual([1]);
  });

  it('stops when told, passes other failures through, and says which batch is the last', async () => {
    const tooLarge = new Error('413');
    const calls: [number[], boolean][] = [];
    await sendInBatches([1, 2, 3], async (batch, last) => {
      calls.push([[...batch], last]);
      if (batch.length > 1) throw tooLarge;
      return batch[0] !== 2;
    }, (e) => e === tooLarge);
    // [1, 2, 3] is the last batch until it is halved; [3] is never sent once [2] says stop.
    expect(calls).toEqual([[[1, 2, 3], true], [[1, 2], false], [[1], false], [[2], false]]);
    const offline = new Error('offline');
    await expect(sendInBatches([1], () => Promise.reject(offline), () => false)).rejects.toBe(offline);
  });
});
