/**
 * One 事業所番号, one short-stay office. The form and the CSV import keep a device from registering a
 * number twice, but two phones offline can each register the same office, and the hub keeps both
 * records (it merges by record id). Every list then showed the office twice: at 2 a.m. the same office
 * was rung twice, a 受入不可 said on one card left the other at the top, and a bed report reached one
 * card only. The match shows one of them (`shownTwin`) and every screen names the others, for the hub's
 * admin to withdraw one.
 */
import { isDemoId } from './demo-id';
import { closureOn, type Facility } from './facility';
import { japanDateOf } from './japan-time';
import { reportForNight, vacancyStanding } from './match-order';

/** The number as compared: width, spaces and hyphens do not count; '' when none is written. */
export function officeNumberKey(officeNumber: string): string {
  return officeNumber.normalize('NFKC').replace(/[\s\-‐－ー―]/g, '');
}

const twinsOfList = new WeakMap<readonly Facility[], ReadonlyMap<string, readonly Facility[]>>();

/**
 * For each facility that shares its 事業所番号 with another, the others, in id order; a facility
 * alone on its number (or with none) is not in the map. Read once per list (lists are kept, not rebuilt).
 */
export function officeTwins(facilities: readonly Facility[]): ReadonlyMap<string, readonly Facility[]> {
  const known = twinsOfList.get(facilities);
  if (known) return known;
  const byNumber = new Map<string, Facility[]>();
  for (const f of facilities) {
    const number = officeNumberKey(f.officeNumber);
    if (number === '') continue;
    // the demo's made-up offices pair only with each other: a real office sharing a demo number is not its twin
    const key = isDemoId(f.id) ? `demo:${number}` : number;
    const group = byNumber.get(key);
    if (group) group.push(f);
    else byNumber.set(key, [f]);
  }
  const twins = new Map<string, readonly Facility[]>();
  for (const group of byNumber.values()) {
    if (group.length < 2) continue;
    group.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const f of group) twins.set(f.id, group.filter((g) => g !== f));
  }
  twinsOfList.set(facilities, twins);
  return twins;
}

/**
 * Which of one office's records a list shows: one not marked 休止・廃止 today before one that is (a
 * twin marked 廃止 to be rid of it must not hide the office), then the one whose bed report speaks
 * for tonight (free or 満床, vacancyStanding), else one with any report (for nights to come, or
 * old), else none; of those, the newest report, then the one changed last, then the first id.
 */
export function shownTwin(group: readonly Facility[], nowMs: number): Facility {
  const today = japanDateOf(new Date(nowMs));
  const rankOf = (f: Facility): readonly [number, number] => {
    const open = closureOn(f, today) === null ? 3 : 0;
    const v = reportForNight(f, nowMs);
    if (v === null) return [open, 0];
    const standing = vacancyStanding(v, nowMs);
    return [open + (standing === 'fresh' || standing === 'full' ? 2 : 1), Date.parse(v.asOf) || 0];
  };
  let best = group[0]!;
  let [bestTier, bestMs] = rankOf(best);
  for (const f of group.slice(1)) {
    const [tier, ms] = rankOf(f);
    const later = Date.parse(f.updatedAt) - Date.parse(best.updatedAt);
    if (tier > bestTier || (tier === bestTier && (ms > bestMs || (ms === bestMs && (later > 0 || (later === 0 && f.id < best.id)))))) {
      best = f;
      bestTier = tier;
      bestMs = ms;
    }
  }
  return best;
}

/** Whether a list shows `facility`: it has no twin, or it is the one of its office `shownTwin` picks. */
export function isShownOfItsOffice(facility: Facility, twins: readonly Facility[] | undefined, nowMs: number): boolean {
  return twins === undefined || twins.length === 0 || shownTwin([facility, ...twins], nowMs) === facility;
}

/**
 * The list with one record per office: of twins, the one `shownTwin` picks, and any in `keep` (the
 * record a call or a stay already names, which a correction or an edit must still offer).
 */
export function oneRecordPerOffice(facilities: readonly Facility[], nowMs: number, keep: ReadonlySet<string> = new Set()): Facility[] {
  const twinsOf = officeTwins(facilities);
  if (twinsOf.size === 0) return [...facilities];
  return facilities.filter((f) => {
    const twins = twinsOf.get(f.id);
    return keep.has(f.id) || isShownOfItsOffice(f, twins, nowMs);
  });
}
