import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { orderEntries, sealEntry, verifyChain } from './case-chain';
import type { CaseEntry } from './emergency-case';
import { appendEntries, contactBody, openBody } from '../../test/factories/emergency-case';

async function threeEntries(): Promise<CaseEntry[]> {
  return appendEntries([], [openBody(), contactBody(), contactBody({ facilityId: 'fac-2', facilityName: 'みどり園', result: '受入不可' })]);
}

/** Every leaf of an entry as [path, value], hash excluded. */
function leaves(value: unknown, path: (string | number)[] = []): [(string | number)[], unknown][] {
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, Array.isArray(value) ? Number(k) : k]));
  }
  return [[path, value]];
}

function withLeaf(entry: CaseEntry, path: (string | number)[], value: unknown): CaseEntry {
  const copy = structuredClone(entry) as unknown as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
  return copy as unknown as CaseEntry;
}

/** The entry a stored text reads back as, or null when it is no longer JSON. */
function parsed(text: string): CaseEntry | null {
  try {
    return JSON.parse(text) as CaseEntry;
  } catch {
    return null;
  }
}

describe('the case hash chain', () => {
  it('holds for entries written through chainNext and names the last hash', async () => {
    const entries = await threeEntries();
    const check = await verifyChain(entries);
    expect(check).toEqual({ ok: true, headHash: entries[2]!.hash, length: 3, tips: 1 });
    expect(entries[0]!.prevHash).toBe('');
    expect(entries[1]!.prevHash).toBe(entries[0]!.hash);
    expect(entries[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('detects a change to any stored field of any entry', async () => {
    const entries = await threeEntries();
    const targets = entries.flatMap((entry, i) =>
      leaves(entry)
        .filter(([path]) => path[0] !== 'hash')
        .map(([path, value]) => ({ i, path, value })),
    );
    expect(targets.length).toBeGreaterThan(40);
    for (const { i, path, value } of targets) {
      const changed = typeof value === 'string' ? `${value}x` : typeof value === 'number' ? value + 1 : typeof value === 'boolean' ? !value : 'x';
      const tampered = entries.map((e, j) => (j === i ? withLeaf(e, path, changed) : e));
      const check = await verifyChain(tampered);
      expect(check.ok, `${i}:${path.join('.')}`).toBe(false);
      if (!check.ok) expect(check.brokenAt).toBeLessThanOrEqual(i);
    }
  });

  it('detects a change to any single character of a stored entry (property)', async () => {
    const entries = await threeEntries();
    const texts = entries.map((e) => JSON.stringify(e));
    // fc.pre skips a draw that tampers with nothing the chain could see; fast-check then draws
    // another, until 300 reached the check (or it gives up and fails): counted to show it
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(2), fc.nat(), fc.integer({ min: 1, max: 0xffff }), async (i, pos, code) => {
        const text = texts[i]!;
        const at = pos % text.length;
        const mutated = text.slice(0, at) + String.fromCharCode((text.charCodeAt(at) + code) % 0xffff) + text.slice(at + 1);
        const entry = parsed(mutated);
        fc.pre(entry !== null); // no longer JSON: the vault would not even read it back
        fc.pre(JSON.stringify(entry) !== text); // the change did not survive parsing (e.g. inside an escape)
        const check = await verifyChain(entries.map((e, j) => (j === i ? entry : e)));
        checked += 1;
        expect(check.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
    expect(checked).toBe(300);
  });

  it('detects a dropped, reordered or foreign entry', async () => {
    const entries = await threeEntries();
    expect((await verifyChain([entries[0]!, entries[2]!])).ok).toBe(false);
    expect((await verifyChain([entries[0]!, entries[2]!, entries[1]!])).ok).toBe(false);
    const other = await appendEntries([], [openBody(), contactBody()], 'case-2');
    const mixed = await verifyChain([entries[0]!, other[1]!]);
    expect(mixed).toMatchObject({ ok: false, brokenAt: 1 });
    expect((await verifyChain([])).ok).toBe(false);
  });

  it('says in Japanese which entry fails', async () => {
    const entries = await threeEntries();
    const tampered = entries.map((e, j) => (j === 1 ? withLeaf(e, ['body', 'result'], '受入不可') : e));
    expect(await verifyChain(tampered)).toEqual({ ok: false, brokenAt: 1, problem: '2件目の記録の内容が書き換えられています。' });
  });
});

/** Entries as two phones write them after the same entry, each holding what it held then. */
async function forkedCase(): Promise<CaseEntry[]> {
  const base = await appendEntries([], [openBody(), contactBody()], 'case-f');
  const [a] = (await appendEntries(base, [contactBody({ facilityName: 'A園', result: '受入不可' })], 'case-f', { by: { userId: 'u-a', name: 'A' }, deviceId: 'phone-a', idPrefix: 'a' })).slice(2);
  const [b] = (await appendEntries(base, [contactBody({ facilityName: 'B園', result: '受入可' })], 'case-f', { by: { userId: 'u-b', name: 'B' }, deviceId: 'phone-b', idPrefix: 'b' })).slice(2);
  const both = orderEntries([...base, a!, b!]);
  // the morning phone, holding all four, closes the case
  const [close] = (await appendEntries(both, [{ type: 'close', closedAt: '2026-11-30T16:00:00.000Z' }], 'case-f', { by: { userId: 'u-b', name: 'B' }, deviceId: 'phone-b', idPrefix: 'c' })).slice(4);
  return orderEntries([...both, close!]);
}

describe('[E1]-[E5] a case continued on several phones at once', () => {
  it('[E3] verifies with siblings, in one read order whatever order the phones received them in', async () => {
    const entries = await forkedCase();
    expect(entries[2]!.prevHash).toBe(entries[3]!.prevHash);
    expect(entries[2]!.index).toBe(entries[3]!.index);
    const check = await verifyChain(entries);
    expect(check).toMatchObject({ ok: true, length: 5, tips: 2 });
    const shuffled = [entries[4]!, entries[3]!, entries[0]!, entries[2]!, entries[1]!];
    expect(orderEntries(shuffled)).toEqual(entries);
    // the state hash names the whole set: not just the last entry, which would leave a branch out
    if (check.ok) expect(check.headHash).not.toBe(entries[4]!.hash);
    expect(await verifyChain(orderEntries(shuffled))).toEqual(check);
  });

  it('[E2][E4] detects a removed entry that a later one was written after, a re-parented entry, and a moved one', async () => {
    const entries = await forkedCase();
    for (let i = 0; i < 4; i++) {
      // every entry but the last is held by the writer of the last: removing it leaves a trace
      const removed = entries.filter((_, j) => j !== i);
      expect((await verifyChain(removed)).ok, `without ${i}`).toBe(false);
    }
    const reparented = await sealEntry({ ...entries[3]!, prevHash: entries[0]!.hash });
    expect((await verifyChain(orderEntries([...entries.slice(0, 3), reparented, entries[4]!]))).ok).toBe(false);
    const moved = await sealEntry({ ...entries[2]!, index: 4 });
    expect((await verifyChain(orderEntries([entries[0]!, entries[1]!, entries[3]!, moved, entries[4]!]))).ok).toBe(false);
    // given out of read order, the list is refused: no reader may fold it in another order
    expect(await verifyChain([entries[0]!, entries[1]!, entries[3]!, entries[2]!, entries[4]!])).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('detects any single changed character of any entry of a forked case (property)', async () => {
    const entries = await forkedCase();
    const texts = entries.map((e) => JSON.stringify(e));
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(entries.length - 1), fc.nat(), fc.integer({ min: 1, max: 0xffff }), async (i, pos, code) => {
        const text = texts[i]!;
        const at = pos % text.length;
        const mutated = text.slice(0, at) + String.fromCharCode((text.charCodeAt(at) + code) % 0xffff) + text.slice(at + 1);
        const entry = parsed(mutated);
        fc.pre(entry !== null);
        fc.pre(JSON.stringify(entry) !== text);
        const tampered = entries.map((e, j) => (j === i ? entry : e));
        // a reader orders what it holds before checking it (one it cannot order, it does not read)
        let ordered: CaseEntry[] | null;
        try {
          ordered = orderEntries(tampered);
        } catch {
          ordered = null;
        }
        fc.pre(ordered !== null);
        const check = await verifyChain(ordered);
        checked += 1;
        expect(check.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
    expect(checked).toBe(300);
  });
});
