/**
 * The search index over household summaries (search.ts runs the queries). Every searchable string
 * is normalised once per household and joined into one string per kind (text, digits), with what a
 * query needs per field in typed arrays. The index is immutable: `upsertIndex` / `removeFromIndex`
 * return a new one; the joined strings are built with the index, so the first keystroke never pays
 * for them. search-stored.ts keeps a built index in the summary snapshot so unlocking skips the build.
 */
import type { HouseholdSummary } from './household-summary';
import { householdStatus } from './household-rules';
import { firstPhoneDigits, normalizeDigits, normalizeKana, normalizePhone } from './normalize';
import { RANK_SPAN } from './search-heap';

export type MatchedOn = 'name' | 'furigana' | 'phone' | 'recipient' | 'contact' | 'case-worker';

const WEIGHT_NAME = 4;
const WEIGHT_ID_OR_PHONE = 3;
const WEIGHT_CONTACT = 1;
/** the 相談支援専門員 serves many households: their name finds them all, after anyone's own */
const WEIGHT_CASE_WORKER = 0;

/**
 * What a field is, as a small number: what it matched on and its weight (the person's own name
 * before a relative's; the family's phone before the case worker's, who serves many households).
 */
export const FIELD_KINDS = [
  { matchedOn: 'name', weight: WEIGHT_NAME },
  { matchedOn: 'furigana', weight: WEIGHT_NAME },
  { matchedOn: 'recipient', weight: WEIGHT_ID_OR_PHONE },
  { matchedOn: 'phone', weight: WEIGHT_ID_OR_PHONE },
  { matchedOn: 'phone', weight: WEIGHT_CONTACT },
  { matchedOn: 'contact', weight: WEIGHT_CONTACT },
  { matchedOn: 'case-worker', weight: WEIGHT_CASE_WORKER },
] as const satisfies readonly { matchedOn: MatchedOn; weight: number }[];
const KIND_NAME = 0;
const KIND_FURIGANA = 1;
const KIND_RECIPIENT = 2;
const KIND_PHONE = 3;
const KIND_CASE_WORKER_PHONE = 4;
const KIND_CONTACT = 5;
const KIND_CASE_WORKER = 6;

export interface IndexedField {
  readonly value: string;
  /** the person's position in the household, or -1 for household-level fields (phones, contacts) */
  readonly person: number;
  /** an index into FIELD_KINDS */
  readonly kind: number;
  /** offsets in `value` where words begin, so a given name counts as a prefix match */
  readonly wordStarts: readonly number[];
}

export interface IndexedHousehold {
  readonly id: string;
  readonly personIds: readonly string[];
  readonly statusRank: number;
  readonly sortKey: string;
  readonly texts: readonly IndexedField[];
  /** phones and 受給者証番号 */
  readonly digits: readonly IndexedField[];
}

export interface HouseholdIndex {
  readonly entries: readonly IndexedHousehold[];
}

/** Registration status as a rank: registered households come first among equal matches. */
export const STATUS_RANK = { registered: 2, draft: 1, withdrawn: 0 } as const;

export const SEPARATOR = '\u0001';
export const CONTROL_CHARS = /[\u0000-\u001f]/g;
/** Between the words of a name: spaces, middle dots and the 「＝」 of a foreign name in katakana (ジョアン＝シルバ). */
const WORD_SEPARATORS = /[\s・･·=＝゠]+/;

function textField(raw: string, person: number, kind: number): IndexedField | null {
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
  return { value: words.join(''), person, kind, wordStarts };
}

function digitField(value: string, person: number, kind: number): IndexedField | null {
  return value === '' ? null : { value, person, kind, wordStarts: [0] };
}

/** Digits and what separates them, nothing else: with at most 11 digits, no note and no second number to tell apart. */
const PLAIN_NUMBER = /^[+]?[\d\s\-‐‑‒–—―−ー－().（）]{0,20}$/;

/**
 * A written phone's fields: its first number's digits, so that 「090-1234-5496（22時まで）」 ends in
 * 5496 as the caller reads it out, and, when the entry holds more digits (a second number, a note's
 * hours), all of them, so a second number written in the same entry is still found.
 */
function phoneFields(written: string, kind: number): (IndexedField | null)[] {
  const all = normalizePhone(written);
  // a number written alone, the usual case, is its own first number (10,000 households' phones at unlock)
  if (all.length <= 11 && PLAIN_NUMBER.test(written)) return [digitField(all, -1, kind)];
  const first = firstPhoneDigits(written);
  return all === first ? [digitField(first, -1, kind)] : [digitField(first, -1, kind), digitField(all, -1, kind)];
}

function indexHousehold(h: HouseholdSummary): IndexedHousehold {
  const texts: (IndexedField | null)[] = [];
  const digits: (IndexedField | null)[] = [];
  h.persons.forEach((p, i) => {
    texts.push(textField(p.name, i, KIND_NAME), textField(p.furigana, i, KIND_FURIGANA));
    digits.push(digitField(normalizeDigits(p.recipientNumber), i, KIND_RECIPIENT));
  });
  // The caller at night is often a relative: their name and number find the household too.
  for (const c of h.emergencyContacts) {
    texts.push(textField(c.name, -1, KIND_CONTACT), textField(c.furigana ?? '', -1, KIND_CONTACT));
    for (const ph of c.phones) digits.push(...phoneFields(ph, KIND_PHONE));
  }
  for (const f of h.family) texts.push(textField(f.name, -1, KIND_CONTACT));
  // 「担当の小野さんの利用者です」: the caller may know the 相談支援専門員 better than the family
  texts.push(textField(h.caseWorker, -1, KIND_CASE_WORKER));
  digits.push(...phoneFields(h.phone, KIND_PHONE), ...phoneFields(h.caseWorkerPhone, KIND_CASE_WORKER_PHONE));
  const first = h.persons[0];
  return {
    id: h.id,
    personIds: h.persons.map((p) => p.id),
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
 * All fields of one kind joined by SEPARATOR, in entry order, with what the scan needs per field in
 * typed arrays, so a query hitting 20,000 places (「03-0」 hits every landline in 03) touches no
 * objects until the hits are ranked.
 */
export interface Haystack {
  readonly text: string;
  readonly fieldStart: Int32Array;
  /** offset just past the field's value */
  readonly fieldEnd: Int32Array;
  readonly fieldEntry: Int32Array;
  /** an index into FIELD_KINDS */
  readonly fieldKind: Uint8Array;
  /** the field's weight·10 + its household's status rank: the score without the match quality */
  readonly fieldBase: Int32Array;
  /** 1 for a phone number (a query with '+81' or too short for a 受給者証番号 looks only at these) */
  readonly fieldIsPhone: Uint8Array;
  /** the person's position in the household, -1 for household-level fields */
  readonly fieldPerson: Int16Array;
  /** 1 where a word begins (every field's start is one) */
  readonly wordStart: Uint8Array;
}

export interface Prepared {
  /** household ids in entry order */
  readonly ids: readonly string[];
  /** each entry's person ids, to name the person a hit was on */
  readonly personIds: readonly (readonly string[])[];
  readonly texts: Haystack;
  readonly digits: Haystack;
  /** each entry's position in name order (sortKey, then id): ties in score rank by name */
  readonly nameRank: Int32Array;
}

/** Per-field numbers from the field's kind and its household's status rank. */
export function fieldNumbers(kind: number, statusRank: number): { base: number; isPhone: number } {
  const k = FIELD_KINDS[kind]!;
  return { base: k.weight * 10 + statusRank, isPhone: k.matchedOn === 'phone' ? 1 : 0 };
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
  const fieldKind = new Uint8Array(n);
  const fieldBase = new Int32Array(n);
  const fieldIsPhone = new Uint8Array(n);
  const fieldPerson = new Int16Array(n);
  const values: string[] = new Array<string>(n);
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const field = fields[i]!;
    const { base, isPhone } = fieldNumbers(field.kind, entries[owners[i]!]!.statusRank);
    fieldStart[i] = offset;
    fieldEnd[i] = offset + field.value.length;
    fieldKind[i] = field.kind;
    fieldBase[i] = base;
    fieldIsPhone[i] = isPhone;
    fieldPerson[i] = field.person;
    values[i] = field.value;
    offset += field.value.length + SEPARATOR.length;
  }
  const wordStart = new Uint8Array(offset);
  for (let i = 0; i < n; i++) {
    for (const w of fields[i]!.wordStarts) wordStart[fieldStart[i]! + w] = 1;
  }
  const fieldEntry = Int32Array.from(owners);
  return { text: values.join(SEPARATOR), fieldStart, fieldEnd, fieldEntry, fieldKind, fieldBase, fieldIsPhone, fieldPerson, wordStart };
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

// Built with each index value; the WeakMap lets it go with the index.
const prepared = new WeakMap<HouseholdIndex, Prepared>();

export function assertIndexSize(households: number): void {
  if (households >= RANK_SPAN) throw new RangeError(`Search index too large: ${households} households`);
}

export function prepare(index: HouseholdIndex): Prepared {
  let built = prepared.get(index);
  if (!built) {
    assertIndexSize(index.entries.length);
    built = {
      ids: index.entries.map((e) => e.id),
      personIds: index.entries.map((e) => e.personIds),
      texts: buildHaystack(index.entries, (e) => e.texts),
      digits: buildHaystack(index.entries, (e) => e.digits),
      nameRank: nameRanks(index.entries),
    };
    prepared.set(index, built);
  }
  return built;
}

/**
 * An index whose query structures came ready-made (search-stored.ts). Its per-household entries,
 * which only `upsertIndex` / `removeFromIndex` need, are built from the summaries on first use.
 */
export function indexFromPrepared(prep: Prepared, households: readonly HouseholdSummary[]): HouseholdIndex {
  let entries: readonly IndexedHousehold[] | undefined;
  const index: HouseholdIndex = {
    get entries() {
      return (entries ??= households.map(indexHousehold));
    },
  };
  prepared.set(index, prep);
  return index;
}

/** The index's households in name order (furigana, then id), from the ranks the index already holds. */
export function idsInNameOrder(index: HouseholdIndex): string[] {
  const { ids, nameRank } = prepare(index);
  const out = new Array<string>(ids.length);
  ids.forEach((id, i) => {
    out[nameRank[i]!] = id;
  });
  return out;
}
