/**
 * The one search box over decrypted households, run on every keystroke (DOMAIN.md §2, SCENARIOS 1).
 * A query runs `indexOf` over one joined string per kind (text, digits) of the index
 * (search-index.ts) and maps each hit back to its field, which at 10,000 households is far cheaper
 * than visiting 100,000 small strings.
 */
import { normalizeDigits, normalizeKana, normalizePhone } from './normalize';
import { FIELD_KINDS, prepare, type Haystack, type HouseholdIndex, type MatchedOn, type Prepared } from './search-index';
import { RANK_SPAN, TopK, rankKey } from './search-heap';

export {
  buildHouseholdIndex,
  idsInNameOrder,
  removeFromIndex,
  upsertIndex,
  type HouseholdIndex,
  type MatchedOn,
} from './search-index';

export interface SearchHit {
  readonly householdId: string;
  /** the person matched, or null for household-level fields (phones, contacts) */
  readonly personId: string | null;
  readonly matchedOn: MatchedOn;
  /** higher is better; only the order is meaningful */
  readonly score: number;
}

// Score = quality·100 + field weight·10 + status: match quality decides first, then the field
// (the person's own name before a relative's), then registration status.
const QUALITY_EXACT = 3;
const QUALITY_PREFIX = 2;
const QUALITY_SUBSTRING = 1;

/** Fewer digits would match almost every phone number. */
export const MIN_PHONE_QUERY_DIGITS = 3;
export const MIN_RECIPIENT_QUERY_DIGITS = 4;

const DIGIT_QUERY = /^[\d\s+()\-‐‑–—―−ー.]+$/;
/**
 * Control and format characters a query loses before anything else: a number copied from iOS
 * Contacts or Recents arrives as U+202D 090-1234-5678 U+202C, and with the direction marks left in
 * it failed DIGIT_QUERY and was searched as a name (U+200B…U+200F, U+2066…U+2069, U+FEFF alike).
 */
const INVISIBLE_IN_QUERY = /[\p{Cc}\p{Cf}]/gu;

/** Where a scan offers each household's best field: the heap, or a query's words' merge. */
interface Offer {
  offer(key: number, entry: number, field: number): void;
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
function scan(hay: Haystack, prep: Prepared, q: string, digits: boolean, phonesOnly: boolean, top: Offer) {
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
  if (limit <= 0) return [];
  const nfkc = query.normalize('NFKC').replace(INVISIBLE_IN_QUERY, '').trim();
  if (nfkc === '') return [];
  const prep = prepare(index);
  if (prep.ids.length === 0) return [];
  const top = new TopK(Math.min(limit, prep.ids.length));
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
    const words = queryWords(nfkc);
    // Words of one letter each (「た な」, halfway through typing) would visit most of the index for
    // little: the query as typed is enough until one word has two letters.
    if (words.length < 2 || words.every((w) => w.length < 2)) {
      if (textQ !== '') scan(hay, prep, textQ, false, false, top);
    } else {
      const best = new BestPerEntry();
      if (textQ !== '') scan(hay, prep, textQ, false, false, best);
      scanWords(hay, prep, words, best);
      best.offerTo(top);
    }
  }
  return top.drain().map(({ key, a, b }) => {
    const person = hay.fieldPerson[b]!;
    return {
      householdId: prep.ids[a]!,
      personId: person === -1 ? null : (prep.personIds[a]![person] ?? null),
      matchedOn: FIELD_KINDS[hay.fieldKind[b]!]!.matchedOn,
      score: Math.floor(key / RANK_SPAN),
    };
  });
}

/** The most words a query is split into: a caller gives a name, not a sentence. */
const MAX_QUERY_WORDS = 4;
const KANJI_THEN_KANA = /([\p{Script=Han}々〆])(?=[\p{Script=Hiragana}\p{Script=Katakana}ー])/gu;
const KANA_THEN_KANJI = /([\p{Script=Hiragana}\p{Script=Katakana}ー])(?=[\p{Script=Han}々〆])/gu;

/**
 * A text query's words, each as the index keeps words: split at spaces and middle dots, and where
 * kanji meets kana, since a phone's keyboard converts half of what the caller says (「佐藤ゆうこ」
 * for 佐藤 祐子 / さとう ゆうこ) or the coordinator gives the surname in kanji and the given name
 * as heard.
 */
export function queryWords(nfkc: string): string[] {
  const words = nfkc
    .replace(KANJI_THEN_KANA, '$1 ')
    .replace(KANA_THEN_KANJI, '$1 ')
    .split(/[\s・･·]+/)
    .map(normalizeKana)
    .filter((w) => w !== '');
  return [...new Set(words)].slice(0, MAX_QUERY_WORDS);
}

/** Each household's best offer, kept until every scan of a query has run, then given to the heap once. */
class BestPerEntry implements Offer {
  private readonly best = new Map<number, { key: number; field: number }>();

  offer(key: number, entry: number, field: number): void {
    const had = this.best.get(entry);
    if (had === undefined || key > had.key) this.best.set(entry, { key, field });
  }

  offerTo(top: TopK): void {
    for (const [entry, { key, field }] of this.best) top.offer(key, entry, field);
  }
}

/** One word's best hit among one person's fields (or the contacts' and family's, person -1). */
interface WordHit {
  readonly field: number;
  /** the word begins a word of the field (a surname, a given name) */
  readonly atWord: boolean;
  readonly base: number;
}

const betterHit = (a: WordHit, b: WordHit) => (a.atWord !== b.atWord ? a.atWord : a.base > b.base);

/**
 * A query of several words, in any order: a household is found when every word is in one person's
 * name or reading (ranked as a name's prefix when each word begins a word there, else as a part of
 * it), or in its contacts' and family's names. A word in one person and another in a contact does
 * not find the household: 佐藤 and ゆうこ are one name, not two people. Each word after the first
 * looks only at the households the words before it found.
 */
function scanWords(hay: Haystack, prep: Prepared, words: readonly string[], out: Offer) {
  const { text, fieldStart, fieldEntry, fieldBase, fieldPerson, wordStart } = hay;
  const perWord: Map<number, Map<number, WordHit>>[] = [];
  // the longest word first: it finds the fewest households, which the shorter ones then only check
  for (const word of [...words].sort((a, b) => b.length - a.length)) {
    const previous = perWord.at(-1);
    const now = new Map<number, Map<number, WordHit>>();
    let fi = 0;
    for (let pos = text.indexOf(word); pos !== -1; pos = text.indexOf(word, pos + 1)) {
      fi = fieldAt(fieldStart, pos, fi);
      const entry = fieldEntry[fi]!;
      if (previous !== undefined && !previous.has(entry)) continue;
      const hit: WordHit = { field: fi, atWord: wordStart[pos] === 1, base: fieldBase[fi]! };
      let persons = now.get(entry);
      if (persons === undefined) now.set(entry, (persons = new Map()));
      const person = fieldPerson[fi]!;
      const had = persons.get(person);
      if (had === undefined || betterHit(hit, had)) persons.set(person, hit);
    }
    if (now.size === 0) return;
    perWord.push(now);
  }
  const [first, ...rest] = perWord as [Map<number, Map<number, WordHit>>, ...Map<number, Map<number, WordHit>>[]];
  for (const [entry, persons] of first) {
    let best: { score: number; field: number } | null = null;
    for (const [person, hit] of persons) {
      const hits = [hit, ...rest.map((m) => m.get(entry)?.get(person))];
      if (hits.some((h) => h === undefined)) continue;
      const quality = hits.every((h) => h!.atWord) ? QUALITY_PREFIX : QUALITY_SUBSTRING;
      const score = quality * 100 + Math.min(...hits.map((h) => h!.base));
      if (best === null || score > best.score) best = { score, field: hit.field };
    }
    if (best !== null) out.offer(rankKey(best.score, prep.nameRank[entry]!), entry, best.field);
  }
}
