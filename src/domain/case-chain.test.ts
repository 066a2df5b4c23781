import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { verifyChain } from './case-chain';
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
    await fc.assert(
      fc.asyncProperty(fc.nat(2), fc.nat(), fc.integer({ min: 1, max: 0xffff }), async (i, pos, code) => {
        const text = texts[i]!;
        const at = pos % text.length;
        const mutated = text.slice(0, at) + String.fromCharCode((text.charCodeAt(at) + code) % 0xffff) + text.slice(at + 1);
        let entry: CaseEntry;
        try {
          entry = JSON.parse(mutated) as CaseEntry;
        } catch {
          return; // no longer JSON: the vault would not even read it back
        }
        if (JSON.stringify(entry) === text) return; // the change did not survive parsing (e.g. inside an escape)
        const check = await verifyChain(entries.map((e, j) => (j === i ? entry : e)));
        expect(check.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
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
