/**
 * Top-k selection for search. Each candidate is one number (higher ranks first) plus two integers
 * of payload, kept in typed arrays as a binary min-heap: a one-letter query over 10,000 households
 * costs O(n log k) numeric comparisons and allocates nothing per candidate.
 */

/** Above any name rank: the index would need two million households to collide. */
export const RANK_SPAN = 2 ** 21;

/** One number that orders by score, then by name (a lower name rank ranks first). */
export function rankKey(score: number, nameRank: number): number {
  return score * RANK_SPAN + (RANK_SPAN - 1 - nameRank);
}

export class TopK {
  private readonly keys: Float64Array;
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  private size = 0;

  constructor(private readonly capacity: number) {
    this.keys = new Float64Array(capacity);
    this.a = new Int32Array(capacity);
    this.b = new Int32Array(capacity);
  }

  offer(key: number, a: number, b: number): void {
    if (this.capacity === 0) return;
    if (this.size < this.capacity) {
      let i = this.size++;
      // sift up: the smallest key sits at the root
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (this.keys[parent]! <= key) break;
        this.move(parent, i);
        i = parent;
      }
      this.put(i, key, a, b);
      return;
    }
    if (key <= this.keys[0]!) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const child = r < this.size && this.keys[r]! < this.keys[l]! ? r : l;
      if (this.keys[child]! >= key) break;
      this.move(child, i);
      i = child;
    }
    this.put(i, key, a, b);
  }

  /** Payloads and keys, best first. */
  drain(): { key: number; a: number; b: number }[] {
    const out: { key: number; a: number; b: number }[] = [];
    for (let i = 0; i < this.size; i++) out.push({ key: this.keys[i]!, a: this.a[i]!, b: this.b[i]! });
    return out.sort((x, y) => y.key - x.key);
  }

  private move(from: number, to: number): void {
    this.keys[to] = this.keys[from]!;
    this.a[to] = this.a[from]!;
    this.b[to] = this.b[from]!;
  }

  private put(i: number, key: number, a: number, b: number): void {
    this.keys[i] = key;
    this.a[i] = a;
    this.b[i] = b;
  }
}
