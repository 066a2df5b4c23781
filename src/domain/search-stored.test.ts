import { describe, expect, it } from 'vitest';
import { createHousehold, createPerson } from '../../test/factories/household';
import { generateDemoHub } from './demo-data';
import { summarizeHousehold } from './household-summary';
import { buildHouseholdIndex, idsInNameOrder, removeFromIndex, searchHouseholds, upsertIndex } from './search';
import { prepare } from './search-index';
import { indexFormat, restoreSearchIndex, storeSearchIndex } from './search-stored';

const hub = generateDemoHub({ households: 2_000, facilities: 0, now: '2026-11-22T17:10:00.000Z' });
const summaries = hub.households.map(summarizeHousehold);
const built = buildHouseholdIndex(summaries);
const ids = summaries.map((s) => s.id);
const order = idsInNameOrder(built);
/** Through JSON, as the snapshot carries it. */
const stored = JSON.parse(JSON.stringify(storeSearchIndex(built, ids))) as unknown;

const QUERIES = ['さ', 'サトウ', 'ｻﾄｳ ﾖｳﾀ', '佐藤', '陽太', '03-0', '０９０', '1312', summaries[7]!.persons[0]!.recipientNumber, 'ー', '由美子'];

describe('the search index kept in the snapshot', () => {
  it('comes back identical to the built one and answers every query the same', () => {
    const restored = restoreSearchIndex(stored, summaries, order);
    expect(restored).not.toBeNull();
    const { ids: a, personIds, texts, digits, nameRank } = prepare(restored!);
    const b = prepare(built);
    expect({ a, personIds, texts, digits, nameRank }).toEqual({ a: b.ids, personIds: b.personIds, texts: b.texts, digits: b.digits, nameRank: b.nameRank });
    for (const q of QUERIES) expect(searchHouseholds(restored!, q, 5_000), q).toEqual(searchHouseholds(built, q, 5_000));
    expect(idsInNameOrder(restored!)).toEqual(order);
    // 2,000 households' typed arrays compared whole: seconds on a busy machine
  }, 30_000);

  it('can still take a saved household and drop one afterwards', () => {
    const restored = restoreSearchIndex(stored, summaries, order)!;
    const newcomer = summarizeHousehold(createHousehold({ id: 'new', persons: [createPerson({ id: 'new-p', name: '新井 ことり', furigana: 'アライ コトリ' })] }));
    const added = upsertIndex(restored, newcomer);
    expect(searchHouseholds(added, 'ことり').map((h) => h.personId)).toEqual(['new-p']);
    expect(searchHouseholds(added, '03-0', 5_000)).toEqual(searchHouseholds(upsertIndex(built, newcomer), '03-0', 5_000));
    const removed = removeFromIndex(restored, ids[0]!);
    expect(searchHouseholds(removed, '', 10)).toEqual([]);
    expect(searchHouseholds(removed, summaries[0]!.persons[0]!.furigana, 5_000).map((h) => h.householdId)).not.toContain(ids[0]);
  });

  it('is refused (null) when it does not line up with the summaries, so the index is built instead', () => {
    expect(restoreSearchIndex(stored, [...summaries].reverse(), order)).toBeNull();
    expect(restoreSearchIndex(stored, summaries.slice(1), order.filter((id) => id !== ids[0]))).toBeNull();
    expect(restoreSearchIndex(stored, summaries, order.slice(1))).toBeNull();
    const s = stored as { texts: Record<string, string> };
    for (const key of ['text', 'counts', 'kinds', 'persons']) {
      const damaged = { ...s, texts: { ...s.texts, [key]: s.texts[key]!.slice(0, -1) } };
      expect(restoreSearchIndex(damaged, summaries, order), key).toBeNull();
    }
    expect(restoreSearchIndex({ version: 2 }, summaries, order)).toBeNull();
    // stored by a build that indexed households differently (another normalisation, other fields)
    expect(restoreSearchIndex({ ...s, format: indexFormat().replace('さとう', 'サトウ') }, summaries, order)).toBeNull();
  });

  it('stored before names folded 異体字 (髙 → 高) is refused, so the index is rebuilt with the fold', () => {
    const s = stored as { format: string };
    expect(restoreSearchIndex({ ...s, version: 1 }, summaries, order)).toBeNull();
    // the format of a build that kept 髙 as written
    expect(restoreSearchIndex({ ...s, format: indexFormat().replace('高', '髙') }, summaries, order)).toBeNull();
    expect(restoreSearchIndex(undefined, summaries, order)).toBeNull();
  });

  it('stored before names folded 嶋 → 島 and 𠮷 → 吉 is refused, so the index is rebuilt with the fold', () => {
    const s = stored as { format: string };
    // the format of a build that kept 嶋 or 𠮷 as written
    expect(restoreSearchIndex({ ...s, format: indexFormat().replace('島', '嶋') }, summaries, order)).toBeNull();
    expect(restoreSearchIndex({ ...s, format: indexFormat().replace('吉', '𠮷') }, summaries, order)).toBeNull();
    expect(restoreSearchIndex(stored, summaries, order)).not.toBeNull();
  });

  it('is not stored for households in another order than the index has', () => {
    expect(storeSearchIndex(built, [...ids].reverse())).toBeNull();
    expect(storeSearchIndex(built, ids.slice(1))).toBeNull();
  });

  it('works for an empty hub', () => {
    const empty = storeSearchIndex(buildHouseholdIndex([]), [])!;
    const restored = restoreSearchIndex(JSON.parse(JSON.stringify(empty)), [], []);
    expect(restored).not.toBeNull();
    expect(searchHouseholds(restored!, 'さ')).toEqual([]);
  });
});
