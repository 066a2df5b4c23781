/**
 * Which registered facilities a person's 利用歴 (短期入所の利用歴, free text in the 聞き取り票)
 * names: the match lists them as 以前に利用した事業所. Best effort, but never a guess that spreads:
 * a 利用歴 written 「短期入所」 or 「ひまわり」 must not mark every facility whose name holds it.
 */
import type { Facility } from './facility';
import type { Person } from './household';
import { normalizeName } from './normalize';

/** Words that name the kind of place, not the place: left out of both sides before comparing. */
const GENERIC = /短期入所|ショートステイ|事業所|施設|株式会社|社会福祉法人|医療法人|NPO法人|一般社団法人|\([株有福医]\)/g;

/** The name's own part: NFKC, no spaces, no generic words. */
function core(name: string): string {
  return normalizeName(name).replace(GENERIC, '');
}

/**
 * The ids of the facilities the 利用歴 names. For each entry: a facility whose name is the entry's
 * (generic words aside); else the longest names the entry contains (「ひまわり第二（2024年夏）」 is
 * ひまわり第二, not ひまわり too); else the one facility whose name contains the entry, when only
 * one does (「ひまわり」 for 「ひまわり苑」, not when ひまわり苑 and ひまわり第二 both exist).
 */
export function previousStayIds(person: Pick<Person, 'pastShortStays'>, facilities: readonly Pick<Facility, 'id' | 'name'>[]): Set<string> {
  const named = facilities.map((f) => ({ id: f.id, name: core(f.name) })).filter((f) => f.name.length >= 2);
  const ids = new Set<string>();
  for (const stay of person.pastShortStays) {
    const s = core(stay.facility);
    if (s.length < 2) continue;
    const exact = named.filter((f) => f.name === s);
    if (exact.length > 0) {
      for (const f of exact) ids.add(f.id);
      continue;
    }
    const within = named.filter((f) => s.includes(f.name));
    if (within.length > 0) {
      const longest = Math.max(...within.map((f) => f.name.length));
      for (const f of within) if (f.name.length === longest) ids.add(f.id);
      continue;
    }
    const around = named.filter((f) => f.name.includes(s));
    if (around.length === 1) ids.add(around[0]!.id);
  }
  return ids;
}
