/**
 * Which registered facilities a person's 利用歴 (短期入所の利用歴, free text in the 聞き取り票)
 * names: the match lists them as 以前に利用した事業所. Best effort, but never a guess that spreads:
 * a 利用歴 written 「短期入所」 or 「ひまわり」 must not mark every facility whose name holds it.
 */
import type { Facility } from './facility';
import { officeNumberKey } from './facility-twins';
import type { Person } from './household';
import { normalizeName } from './normalize';

/** Words that name the kind of place, not the place: left out of both sides before comparing. */
const GENERIC = /短期入所|ショートステイ|事業所|施設|株式会社|社会福祉法人|医療法人|NPO法人|一般社団法人|\([株有福医]\)/g;

/** The name's own part: NFKC, no spaces, no generic words. */
function core(name: string): string {
  return normalizeName(name).replace(GENERIC, '');
}

/**
 * The ids of the facilities the 利用歴 names. For each entry: the facilities of exactly that name;
 * else the one whose name is the entry's, generic words aside (two such: which one is not known);
 * else the names the entry contains, less those inside a longer one of them (「あおば苑、ひまわり
 * 第二」 is あおば苑 and ひまわり第二, not ひまわり too); else the one facility whose name contains
 * the entry, when only one does (「ひまわり」 for 「ひまわり苑」, not when ひまわり第二 exists too).
 */
export function previousStayIds(person: Pick<Person, 'pastShortStays'>, facilities: readonly Pick<Facility, 'id' | 'name'>[]): Set<string> {
  const named = facilities.map((f) => ({ id: f.id, full: normalizeName(f.name), name: core(f.name) })).filter((f) => f.full !== '');
  const ids = new Set<string>();
  const add = (list: readonly { id: string }[]) => list.forEach((f) => ids.add(f.id));
  for (const stay of person.pastShortStays) {
    const full = normalizeName(stay.facility);
    const s = core(stay.facility);
    if (full === '') continue;
    const exact = named.filter((f) => f.full === full);
    if (exact.length > 0) {
      add(exact);
      continue;
    }
    if (s === '') continue;
    const same = named.filter((f) => f.name === s);
    if (same.length > 0) {
      if (same.length === 1) add(same);
      continue;
    }
    if (s.length < 2) continue;
    const within = named.filter((f) => f.name.length >= 2 && s.includes(f.name));
    if (within.length > 0) {
      add(within.filter((f) => !within.some((g) => g.name.length > f.name.length && g.name.includes(f.name))));
      continue;
    }
    const around = named.filter((f) => f.name.includes(s));
    if (around.length === 1) add(around);
  }
  return ids;
}

/**
 * The id a list knows a remembered facility by (a trial stay's, an admission's): its own, while the
 * list holds it; else the record of exactly the name remembered, when one office bears that name (one
 * 事業所番号, or one record without a number): an admin withdrew one of an office's two records
 * (facility-twins.ts), and the stays entered on it still count for the office. Else null, never a guess.
 */
export function listedFacilityId(id: string, name: string, facilities: readonly Pick<Facility, 'id' | 'name' | 'officeNumber'>[]): string | null {
  if (facilities.some((f) => f.id === id)) return id;
  const full = normalizeName(name);
  if (full === '') return null;
  const same = facilities.filter((f) => normalizeName(f.name) === full);
  const offices = new Set(same.map((f) => officeNumberKey(f.officeNumber) || `id:${f.id}`));
  return offices.size === 1 ? same[0]!.id : null;
}
