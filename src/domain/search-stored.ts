/**
 * A built search index in a form the summary snapshot carries cheaply: a few long strings instead
 * of 100,000 small objects. Building the index at unlock took ~0.2 s at 10,000 households (every
 * name and phone normalised); restoring it from these strings is one pass over them. Derived data
 * like the rest of the snapshot: anything that does not fit the summaries exactly gives null, and
 * the caller builds the index the slow way.
 */
import type { HouseholdSummary } from './household-summary';
import { householdStatus } from './household-rules';
import { KANJI_VARIANTS } from './normalize';
import {
  FIELD_KINDS,
  buildHouseholdIndex,
  SEPARATOR,
  STATUS_RANK,
  assertIndexSize,
  fieldNumbers,
  indexFromPrepared,
  prepare,
  type Haystack,
  type HouseholdIndex,
} from './search-index';

export interface StoredSearchIndex {
  /** 2: names fold 異体字 (髙 → 高); an index stored before is rebuilt */
  readonly version: 2;
  /** indexFormat() of the build that stored it */
  readonly format: string;
  readonly texts: StoredHaystack;
  readonly digits: StoredHaystack;
}

/** One character per number: code BASE + n (n is small), which JSON writes as one to three bytes. */
const BASE = 0x30;
/** Household-level field (no person) in `persons`. */
const NO_PERSON = '-';
const NO_PERSON_CODE = NO_PERSON.charCodeAt(0);
/** Ends each field in `text` (values hold no control characters, so these cannot occur in them). */
const FIELD_END = '\n';
/** Marks where a word begins inside a field, after its first. */
const WORD_MARK = '\t';
const WORD_MARKS = /\t/g;
const FIELD_ENDS = /\n/g;

interface StoredHaystack {
  /** each field's value followed by FIELD_END, in entry order; WORD_MARK before every word but the first */
  readonly text: string;
  /** per household, its number of fields */
  readonly counts: string;
  /** per field, its kind (FIELD_KINDS) */
  readonly kinds: string;
  /** per field, its person's position in the household, or NO_PERSON */
  readonly persons: string;
}

const char = (n: number) => String.fromCharCode(BASE + n);
const KIND_BASE = FIELD_KINDS.map((_, kind) => fieldNumbers(kind, 0).base);
const KIND_IS_PHONE = FIELD_KINDS.map((_, kind) => fieldNumbers(kind, 0).isPhone);

/**
 * The stored form of `index`, or null when its households are not `ids` in that order (the
 * snapshot's summaries must line up with the index's entries for the restore to be right).
 */
export function storeSearchIndex(index: HouseholdIndex, ids: readonly string[]): StoredSearchIndex | null {
  const prep = prepare(index);
  if (prep.ids.length !== ids.length || prep.ids.some((id, i) => id !== ids[i])) return null;
  return { version: 2, format: indexFormat(), ...storeHaystacks(index, ids.length) };
}

function storeHaystacks(index: HouseholdIndex, households: number): Pick<StoredSearchIndex, 'texts' | 'digits'> {
  const prep = prepare(index);
  return { texts: storeHaystack(prep.texts, households), digits: storeHaystack(prep.digits, households) };
}

/** One household touching every kind of field and every normalisation the index applies. */
const FORMAT_PROBE: HouseholdSummary = {
  id: 'probe',
  phone: '+81 (0)90-1234-5678',
  caseWorker: '相談 員',
  caseWorkerPhone: '０３－０１２３－４５６７',
  consent: { date: '2026-01-01' },
  withdrawal: null,
  lastReviewedOn: null,
  persons: [{ id: 'p', name: '佐藤　陽太', furigana: 'ｻﾄｳ ヨウタ・ゔぁ', birthDate: null, recipientNumber: '１３０００８７１０９' }, { id: 'q', name: '三ヶ島　一ヵ', furigana: 'ゖゕ', birthDate: null, recipientNumber: '' }],
  // a note's digits after the number: a build that reads only the number has another format
  // and a contact's reading: a build that does not index it has another format
  emergencyContacts: [{ name: 'たなか ユミコ', furigana: 'ﾀﾅｶ ゆみこ', relation: '叔母', phones: ['080-0987-6543（22時まで）'] }],
  // every 異体字 folded, and a latin name with its marks and apostrophe, so a build that folds other ones has another format
  family: [{ name: 'Sato Misaki', relation: '母' }, { name: 'João O’Brien＝Nguyễn', relation: '父' }, { name: Object.keys(KANJI_VARIANTS).join(''), relation: '祖父' }],
};

let format: string | undefined;

/**
 * What this build's index holds for the probe household. An index stored by a build that
 * normalises, picks fields or numbers kinds differently has another format and is rebuilt.
 */
export function indexFormat(): string {
  return (format ??= JSON.stringify(storeHaystacks(buildHouseholdIndex([FORMAT_PROBE]), 1)));
}

function storeHaystack(hay: Haystack, households: number): StoredHaystack {
  const n = hay.fieldStart.length;
  const counts = new Array<number>(households).fill(0);
  const text: string[] = [];
  const kinds: string[] = [];
  const persons: string[] = [];
  for (let i = 0; i < n; i++) {
    counts[hay.fieldEntry[i]!]! += 1;
    kinds.push(char(hay.fieldKind[i]!));
    persons.push(hay.fieldPerson[i] === -1 ? NO_PERSON : char(hay.fieldPerson[i]!));
    const start = hay.fieldStart[i]!;
    const end = hay.fieldEnd[i]!;
    let from = start;
    for (let pos = start + 1; pos < end; pos++) {
      if (hay.wordStart[pos] !== 1) continue;
      text.push(hay.text.slice(from, pos), WORD_MARK);
      from = pos;
    }
    text.push(hay.text.slice(from, end), FIELD_END);
  }
  return { text: text.join(''), counts: counts.map(char).join(''), kinds: kinds.join(''), persons: persons.join('') };
}

/**
 * The index for `households` (in the order the index was stored with) from its stored form, with
 * `order` (their ids in name order, as the snapshot keeps it) for the ties. Null if anything is off.
 */
export function restoreSearchIndex(stored: unknown, households: readonly HouseholdSummary[], order: readonly string[]): HouseholdIndex | null {
  if (!isStored(stored) || stored.format !== indexFormat() || order.length !== households.length) return null;
  assertIndexSize(households.length);
  const ids = households.map((h) => h.id);
  const position = new Map<string, number>();
  order.forEach((id, i) => position.set(id, i));
  const nameRank = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const rank = position.get(ids[i]!);
    if (rank === undefined) return null;
    nameRank[i] = rank;
  }
  if (position.size !== ids.length) return null;
  const statusRanks = new Int8Array(households.length);
  const personCounts = new Int16Array(households.length);
  const personIds: string[][] = new Array<string[]>(households.length);
  for (let i = 0; i < households.length; i++) {
    const h = households[i]!;
    statusRanks[i] = STATUS_RANK[householdStatus(h)];
    personCounts[i] = h.persons.length;
    const own: string[] = [];
    for (const p of h.persons) own.push(p.id);
    personIds[i] = own;
  }
  const texts = restoreHaystack(stored.texts, statusRanks, personCounts);
  const digits = restoreHaystack(stored.digits, statusRanks, personCounts);
  if (!texts || !digits) return null;
  return indexFromPrepared({ ids, personIds, texts, digits, nameRank }, households);
}

function isStored(value: unknown): value is StoredSearchIndex {
  const v = value as StoredSearchIndex | null;
  return typeof v === 'object' && v !== null && v.version === 2 && typeof v.format === 'string' && isStoredHaystack(v.texts) && isStoredHaystack(v.digits);
}

function isStoredHaystack(value: unknown): value is StoredHaystack {
  const v = value as StoredHaystack | null;
  return typeof v === 'object' && v !== null && [v.text, v.counts, v.kinds, v.persons].every((s) => typeof s === 'string');
}

/**
 * Runs once per unlock, so mostly before the engine has optimised it: a few tight loops over typed
 * arrays and `indexOf`, no objects per field.
 */
function restoreHaystack(stored: StoredHaystack, statusRanks: Int8Array, personCounts: Int16Array): Haystack | null {
  const { text: raw, counts, kinds, persons } = stored;
  const n = kinds.length;
  if (counts.length !== statusRanks.length || persons.length !== n) return null;
  const fieldEntry = new Int32Array(n);
  let fi = 0;
  for (let e = 0; e < counts.length; e++) {
    const count = counts.charCodeAt(e) - BASE;
    if (count < 0 || fi + count > n) return null;
    fieldEntry.fill(e, fi, fi + count);
    fi += count;
  }
  if (fi !== n) return null;

  const fieldKind = new Uint8Array(n);
  const fieldBase = new Int32Array(n);
  const fieldIsPhone = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const kind = kinds.charCodeAt(i) - BASE;
    if (kind < 0 || kind >= FIELD_KINDS.length) return null;
    fieldKind[i] = kind;
    fieldBase[i] = KIND_BASE[kind]! + statusRanks[fieldEntry[i]!]!;
    fieldIsPhone[i] = KIND_IS_PHONE[kind]!;
  }

  const fieldPerson = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const code = persons.charCodeAt(i);
    const person = code === NO_PERSON_CODE ? -1 : code - BASE;
    if (person < -1 || person >= personCounts[fieldEntry[i]!]!) return null;
    fieldPerson[i] = person;
  }

  // The joined text is `raw` without its word marks and with SEPARATOR for FIELD_END (the last one
  // dropped), so a raw position p maps to p minus the marks before it.
  const fieldStart = new Int32Array(n);
  const fieldEnd = new Int32Array(n);
  const wordStart = new Uint8Array(raw.length);
  let marks = 0;
  let pos = 0;
  let nextMark = raw.indexOf(WORD_MARK);
  for (let i = 0; i < n; i++) {
    const end = raw.indexOf(FIELD_END, pos);
    if (end <= pos || nextMark === pos) return null; // no end, an empty field, or one that starts with a mark
    fieldStart[i] = pos - marks;
    wordStart[pos - marks] = 1;
    while (nextMark !== -1 && nextMark < end) {
      wordStart[nextMark - marks] = 1;
      marks++;
      nextMark = raw.indexOf(WORD_MARK, nextMark + 1);
    }
    fieldEnd[i] = end - marks;
    pos = end + 1;
  }
  if (pos !== raw.length) return null;
  // Regular expressions: Chromium's replaceAll with a string took ~50 ms here, a /g regex ~6 ms.
  const text = raw.replace(WORD_MARKS, '').replace(FIELD_ENDS, SEPARATOR).slice(0, -1);
  // As when built: one slot past each field, the last one's included.
  return { text, fieldStart, fieldEnd, fieldEntry, fieldKind, fieldBase, fieldIsPhone, fieldPerson, wordStart: wordStart.slice(0, raw.length - marks) };
}
