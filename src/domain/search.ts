/**
 * The one search box over decrypted households, run on every keystroke (DOMAIN.md §2, SCENARIOS 1).
 * Every searchable string is normalised once per household; a query then runs `indexOf` over one
 * joined string per kind (text, digits) and maps each hit back to its field, which at 10,000
 * households is far cheaper than visiting 100,000 small strings. The index is immutable:
 * `upsertIndex` / `removeFromIndex` return a new one sharing the untouched households, and the
 * joined strings are built when the index is built (at unlock, after a save), so the first
 * keystroke never pays for them.
 */
import type { HouseholdSummary } from './household-summary';
import { householdStatus } from './household-rules';
import { normalizeDigits, normalizeKana, normalizePhone } from './normalize';
import { RANK_SPAN, TopK, rankKey } from './search-heap';

export type MatchedOn = 'name' | 'furigana' | 'phone' | 'recipient' | 'contact';

export interface SearchHit {
  readonly householdId: string;
  /** the person matched, or null for household-level fields (phones, contacts) */
  readonly personId: string | null;
  readonly matchedOn: MatchedOn;
  /** higher is better; only the order is meaningful */
  readonly score: number;
}

export interface IndexedField {
  readonly value: string;
  readonly personId: string | null;
  readonly matchedOn: MatchedOn;
  readonly weight: number;
  /** offsets in `value` where words begin, so a given name counts as a prefix match */
  readonly wordStarts: readonly number[];
}

export interface IndexedHousehold {
  readonly id: string;
  readonly statusRank: number;
  readonly sortKey: string;
  readonly texts: readonly IndexedField[];
  /** phones and 受給者証番号 */
  readonly digits: readonly IndexedField[];
}

export interface HouseholdIndex {
  readonly entries: readonly IndexedHousehold[];
}

// Score = quality·100 + field weight·10 + status: match quality decides first, then the field
// (the person's own name before a relative's), then registration status.
const QUALITY_EXACT = 3;
const QUALITY_PREFIX = 2;
const QUALITY_SUBSTRING = 1;
const WEIGHT_NAME = 4;
const WEIGHT_ID_OR_PHONE = 3;
const WEIGHT_CONTACT = 1;
const STATUS_RANK = { registered: 2, draft: 1, withdrawn: 0 } as const;

/** Fewer digits would match almost every phone number. */
export const MIN_PHONE_QUERY_DIGITS = 3;
export const MIN_RECIPIENT_QUERY_DIGITS = 4;

const SEPARATOR = '\u0001';
const CONTROL_CHARS = /[\u0000-\u001f]/g;
const WORD_SEPARATORS = /[\s・･·]+/;
const DIGIT_QUERY = /^[\d\s+()\-‐‑–—―−ー.]+$/;

function textField(raw: string, personId: string | null, matchedOn: MatchedOn, weight: number): IndexedField | null {
  const words = raw
    .replace(CONTROL_CHARS, '')
    .split(WORD_SEPARATORS)
    .map(normalizeKana)
    .filter((w) => w !== '');
  if (words.length === 0) return null;
  const wordStarts: number[] = [];
  let length = 0;
  for (const w of words) {
    wordStarts.push(length);
    length += w.length;
  }
  // join() gives a flat string; `+=` would leave a rope that every query has to walk.
  return { value: words.join(''), personId, matchedOn, weight, wordStarts };
}

function digitField(value: string, personId: string | null, matchedOn: MatchedOn, weight: number): IndexedField | null {
  return value === '' ? null : { value, personId, matchedOn, weight, wordStarts: [0] };
}

function indexHousehold(h: HouseholdSummary): IndexedHousehold {
  const texts: (IndexedField | null)[] = [];
  const digits: (IndexedField | null)[] = [];
  for (const p of h.persons) {
    texts.push(textField(p.name, p.id, 'name', WEIGHT_NAME), textField(p.furigana, p.id, 'furigana', WEIGHT_NAME));
    digits.push(digitField(normalizeDigits(p.recipientNumber), p.id, 'recipient', WEIGHT_ID_OR_PHONE));
  }
  // The caller at night is often a relative: their name and number find the household too.
  for (const c of h.emergencyContacts) {
    texts.push(textField(c.name, null, 'contact', WEIGHT_CONTACT));
    for (const ph of c.phones) digits.push(digitField(normalizePhone(ph), null, 'phone', WEIGHT_ID_OR_PHONE));
  }
  for (const f of h.family) texts.push(textField(f.name, null, 'contact', WEIGHT_CONTACT));
  digits.push(digitField(normalizePhone(h.phone), null, 'phone', WEIGHT_ID_OR_PHONE));
  // One case worker serves many households, so their number ranks below the family's own.
  digits.push(digitField(normalizePhone(h.caseWorkerPhone), null, 'phone', WEIGHT_CONTACT));
  const first = h.persons[0];
  return {
    id: h.id,
    statusRank: STATUS_RANK[householdStatus(h)],
    sortKey: first ? normalizeKana(first.furigana || first.name).replace(CONTROL_CHARS, '') : '',
    texts: texts.filter((f) => f !== null),
    digits: digits.filter((f) => f !== null),
  };
}

export function buildHouseholdIndex(households: readonly HouseholdSummary[]): HouseholdIndex {
  return withHaystacks({ entries: households.map(indexHousehold) });
}

function withHaystacks(index: HouseholdIndex): HouseholdIndex {
  prepare(index);
  return index;
}

/** A new index with `household` added or replaced. */
export function upsertIndex(index: HouseholdIndex, household: HouseholdSummary): HouseholdIndex {
  const entry = indexHousehold(household);
  const at = index.entries.findIndex((e) => e.id === household.id);
  const entries = index.entries.slice();
  if (at === -1) entries.push(entry);
  else entries[at] = entry;
  return withHaystacks({ entries });
}

/** A new index without that household (the same index when it was not there). */
export function removeFromIndex(index: HouseholdIndex, id: string): HouseholdIndex {
  const at = index.entries.findIndex((e) => e.id === id);
  if (at === -1) return index;
  return withHaystacks({ entries: [...index.entries.slice(0, at), ...index.entries.slice(at + 1)] });
}

/**
 * All fields of one kind joined by SEPARATOR, in entry order, with the maps back to field and word.
 * What the scan needs per field is in typed arrays, so a query hitting 20,000 places (「03-0」 hits
 * every landline in 03) touches no objects until the hits are ranked.
 */
interface Haystack {
  readonly text: string;
  readonly fields: readonly IndexedField[];
  readonly fieldStart: Int32Array;
  /** offset just past the field's value */
  readonly fieldEnd: Int32Array;
  readonly fieldEntry: Int32Array;
  /** the field's weight·10 + its household's status rank: the score without the match quality */
  readonly fieldBase: Int32Array;
  /** 1 for a phone number (a query with '+81' or too short for a 受給者証番号 looks only at these) */
  readonly fieldIsPhone: Uint8Array;
  /** 1 where a word begins */
  readonly wordStart: Uint8Array;
}

function buildHaystack(entries: readonly IndexedHousehold[], pick: (e: IndexedHousehold) => readonly IndexedField[]): Haystack {
  const fields: IndexedField[] = [];
  const owners: number[] = [];
  for (let i = 0; i < entries.length; i++) {
    for (const f of pick(entries[i]!)) {
      fields.push(f);
      owners.push(i);
    }
  }
  const n = fields.length;
  const fieldStart = new Int32Array(n);
  const fieldEnd = new Int32Array(n);
  const fieldBase = new Int32Array(n);
  const fieldIsPhone = new Uint8Array(n);
  const values: string[] = new Array<string>(n);
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const field = fields[i]!;
    fieldStart[i] = offset;
    fieldEnd[i] = offset + field.value.length;
    fieldBase[i] = field.weight * 10 + entries[owners[i]!]!.statusRank;
    fieldIsPhone[i] = field.matchedOn === 'phone' ? 1 : 0;
    values[i] = field.value;
    offset += field.value.length + SEPARATOR.length;
  }
  const wordStart = new Uint8Array(offset);
  for (let i = 0; i < n; i++) {
    for (const w of fields[i]!.wordStarts) wordStart[fieldStart[i]! + w] = 1;
  }
  return { text: values.join(SEPARATOR), fields, fieldStart, fieldEnd, fieldEntry: Int32Array.from(owners), fieldBase, fieldIsPhone, wordStart };
}

interface Prepared {
  readonly texts: Haystack;
  readonly digits: Haystack;
  /** each entry's position in name order (sortKey, then id): ties in score rank by name */
  readonly nameRank: Int32Array;
}

function nameRanks(entries: readonly IndexedHousehold[]): Int32Array {
  // Sorting plain strings uses the engine's native comparison, far faster than a comparator.
  const keys = entries.map((e) => `${e.sortKey}\u0000${e.id}`);
  const position = new Map<string, number>();
  keys
    .slice()
    .sort()
    .forEach((key, i) => position.set(key, i));
  return Int32Array.from(keys, (key) => position.get(key)!);
}

/** The index's households in name order (furigana, then id), from the ranks the index already holds. */
export function idsInNameOrder(index: HouseholdIndex): string[] {
  const { nameRank } = prepare(index);
  const ids = new Array<string>(index.entries.length);
  index.entries.forEach((e, i) => {
    ids[nameRank[i]!] = e.id;
  });
  return ids;
}

// Built on the first query of each index value; the WeakMap lets it go with the index.
const prepared = new WeakMap<HouseholdIndex, Prepared>();

function prepare(index: HouseholdIndex): Prepared {
  let built = prepared.get(index);
  if (!built) {
    if (index.entries.length >= RANK_SPAN) throw new RangeError(`Search index too large: ${index.entries.length} households`);
    built = {
      texts: buildHaystack(index.entries, (e) => e.texts),
      digits: buildHaystack(index.entries, (e) => e.digits),
      nameRank: nameRanks(index.entries),
    };
    prepared.set(index, built);
  }
  return built;
}

/** The field containing text offset `pos`, searching from `from` (hits arrive in increasing order). */
function fieldAt(starts: Int32Array, pos: number, from: number): number {
  // Gallop first: hits of a short query are dense, so the field is usually a step or two ahead.
  let lo = from;
  let step = 1;
  while (lo + step < starts.length && starts[lo + step]! <= pos) {
    lo += step;
    step *= 2;
  }
  let hi = Math.min(lo + step, starts.length) - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Scans one haystack for `q`, keeps each household's best field and offers it to the heap.
 * `digits` makes the end of a number count like its start: people read out the last four digits.
 * `phonesOnly` skips 受給者証番号 (for '+81 …' and queries too short to be one).
 */
function scan(hay: Haystack, prep: Prepared, q: string, digits: boolean, phonesOnly: boolean, top: TopK) {
  const { text, fieldStart, fieldEnd, fieldEntry, fieldBase, fieldIsPhone, wordStart } = hay;
  const nameRank = prep.nameRank;
  const qLength = q.length;
  let entry = -1;
  let best = -1;
  let bestScore = 0;
  let fi = 0;
  for (let pos = text.indexOf(q); pos !== -1; pos = text.indexOf(q, pos + 1)) {
    fi = fieldAt(fieldStart, pos, fi);
    const owner = fieldEntry[fi]!;
    if (owner !== entry) {
      if (best !== -1) top.offer(rankKey(bestScore, nameRank[entry]!), entry, best);
      entry = owner;
      best = -1;
      bestScore = 0;
    }
    if (phonesOnly && fieldIsPhone[fi] === 0) continue;
    const atEnd = pos + qLength === fieldEnd[fi];
    const quality =
      pos === fieldStart[fi] && atEnd
        ? QUALITY_EXACT
        : wordStart[pos] === 1 || (digits && atEnd)
          ? QUALITY_PREFIX
          : QUALITY_SUBSTRING;
    const score = quality * 100 + fieldBase[fi]!;
    if (score > bestScore) {
      best = fi;
      bestScore = score;
    }
  }
  if (best !== -1) top.offer(rankKey(bestScore, nameRank[entry]!), entry, best);
}

/**
 * Households matching `query` by name, furigana (any kana form), emergency contact or family name,
 * phone number in any format (≥3 digits, so the last four work), or 受給者証番号 (≥4 digits).
 * One hit per household, its best field; at most `limit`, best first. An empty query gives [].
 */
export function searchHouseholds(index: HouseholdIndex, query: string, limit = 50): SearchHit[] {
  if (limit <= 0 || index.entries.length === 0) return [];
  const nfkc = query.normalize('NFKC').replace(CONTROL_CHARS, '').trim();
  if (nfkc === '') return [];
  const prep = prepare(index);
  const entries = index.entries;
  const top = new TopK(Math.min(limit, entries.length));
  let hay: Haystack;
  if (DIGIT_QUERY.test(nfkc) && /\d/.test(nfkc)) {
    const phoneQ = normalizePhone(nfkc);
    const recipientQ = normalizeDigits(nfkc);
    hay = prep.digits;
    if (phoneQ !== recipientQ) {
      // '+81 …' can only be a phone number.
      if (phoneQ.length >= MIN_PHONE_QUERY_DIGITS) scan(hay, prep, phoneQ, true, true, top);
    } else if (recipientQ.length >= MIN_RECIPIENT_QUERY_DIGITS) {
      scan(hay, prep, recipientQ, true, false, top);
    } else if (phoneQ.length >= MIN_PHONE_QUERY_DIGITS) {
      scan(hay, prep, phoneQ, true, true, top);
    }
  } else {
    const textQ = normalizeKana(nfkc);
    hay = prep.texts;
    if (textQ !== '') scan(hay, prep, textQ, false, false, top);
  }
  const fields = hay.fields;
  return top.drain().map(({ key, a, b }) => {
    const field = fields[b]!;
    return { householdId: entries[a]!.id, personId: field.personId, matchedOn: field.matchedOn, score: Math.floor(key / RANK_SPAN) };
  });
}
