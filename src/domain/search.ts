/**
 * The one search box over decrypted households, run on every keystroke (DOMAIN.md §2, SCENARIOS 1).
 * A query runs `indexOf` over one joined string per kind (text, digits) of the index
 * (search-index.ts) and maps each hit back to its field, which at 10,000 households is far cheaper
 * than visiting 100,000 small strings. A word typed in latin letters is looked for as its kana too,
 * and a reading that finds few households also as the readings near it (search-variants.ts).
 */
import { isNumberQuery, normalizeDigits, normalizeKana, normalizePhone, queryText } from './normalize';
import { FIELD_KINDS, prepare, type Haystack, type HouseholdIndex, type MatchedOn, type Prepared } from './search-index';
import { RANK_SPAN, TopK, rankKey } from './search-heap';
import { MAX_READING_VARIANTS, readingVariants, romajiReadings } from './search-variants';

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
  /**
   * found only through a reading near the query's (読みが近い: ゆうこ for 「ユーコ」, やまざき for
   * 「やまさき」), so ranked after every hit of the query itself
   */
  readonly near: boolean;
}

// Score = quality·100 + field weight·10 + status: match quality decides first, then the field
// (the person's own name before a relative's), then registration status.
const QUALITY_EXACT = 3;
const QUALITY_PREFIX = 2;
const QUALITY_SUBSTRING = 1;
/**
 * A near reading's hit scores only its field weight·10 + status, below every hit of the query itself;
 * it counts only where it begins a word of the field, as a reading misheard is a name's, not a part of one.
 */
const NEAR_BELOW = QUALITY_SUBSTRING * 100;
/** A query that finds fewer households than this also looks for the readings near it. */
export const NEAR_WHEN_FEWER_THAN = 5;

/** Fewer digits would match almost every phone number. */
export const MIN_PHONE_QUERY_DIGITS = 3;
export const MIN_RECIPIENT_QUERY_DIGITS = 4;


/** Where a scan offers each household's best field: the heap, or a query's words' merge. */
interface Offer {
  offer(key: number, entry: number, field: number): void;
}

/** What a scan looks for: one string, or any of several (a RegExp of them, the longest first). */
type Needle = string | RegExp;

function needleOf(spellings: readonly string[]): Needle {
  return spellings.length === 1 ? spellings[0]! : anyOf(spellings);
}

/** A RegExp for any of `spellings`, the longest first where one begins another (さとう before さと). */
function anyOf(spellings: readonly string[]): RegExp {
  const longestFirst = [...spellings].sort((a, b) => b.length - a.length);
  return new RegExp(longestFirst.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
}

/** Calls `visit` with each place of `needle` in `text` and its length there, overlapping and in increasing order, as `indexOf` from each place + 1 finds them. */
function forEachPlace(text: string, needle: Needle, visit: (at: number, length: number) => void): void {
  if (typeof needle === 'string') {
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) visit(at, needle.length);
    return;
  }
  needle.lastIndex = 0;
  for (let m = needle.exec(text); m !== null; m = needle.exec(text)) {
    visit(m.index, m[0].length);
    needle.lastIndex = m.index + 1;
  }
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

/** How a scan reads its hits. */
interface ScanHow {
  /** the end of a number counts like its start: people read out the last four digits */
  readonly digits?: boolean;
  /** only phone numbers, not 受給者証番号 (for '+81 …' and queries too short to be one) */
  readonly phonesOnly?: boolean;
  /** the needle holds near readings: hits count where they begin a word and score as NEAR_BELOW says */
  readonly near?: boolean;
  /** gets the first NEAR_WHEN_FEWER_THAN households offered, enough to tell whether the query found few */
  readonly found?: Set<number>;
}

/** Scans one haystack for `q`, keeps each household's best field and offers it to the heap. */
function scan(hay: Haystack, prep: Prepared, q: Needle, top: Offer, how: ScanHow = {}) {
  if (typeof q === 'string' && how.near !== true) scanString(hay, prep, q, top, how);
  else scanSpellings(hay, prep, typeof q === 'string' ? anyOf([q]) : q, top, how);
}

/**
 * The scan of one string as typed, which most keystrokes are (and every number): a plain indexOf
 * loop that allocates nothing per hit, as a one-letter query or 「03-0」 hits some 20,000 places.
 */
function scanString(hay: Haystack, prep: Prepared, q: string, top: Offer, { digits = false, phonesOnly = false, found }: ScanHow) {
  const { text, fieldStart, fieldEntry, fieldIsPhone } = hay;
  const nameRank = prep.nameRank;
  let entry = -1;
  let best = -1;
  let bestScore = 0;
  let fi = 0;
  for (let pos = text.indexOf(q); pos !== -1; pos = text.indexOf(q, pos + 1)) {
    fi = fieldAt(fieldStart, pos, fi);
    const owner = fieldEntry[fi]!;
    if (owner !== entry) {
      if (best !== -1) {
        if (found !== undefined && found.size < NEAR_WHEN_FEWER_THAN) found.add(entry);
        top.offer(rankKey(bestScore, nameRank[entry]!), entry, best);
      }
      entry = owner;
      best = -1;
      bestScore = 0;
    }
    if (phonesOnly && fieldIsPhone[fi] === 0) continue;
    const score = scoreAt(hay, fi, pos, q.length, digits);
    if (score > bestScore) {
      best = fi;
      bestScore = score;
    }
  }
  if (best !== -1) {
    if (found !== undefined && found.size < NEAR_WHEN_FEWER_THAN) found.add(entry);
    top.offer(rankKey(bestScore, nameRank[entry]!), entry, best);
  }
}

/** A hit's score: its quality·100 + its field's weight·10 + the household's status. */
function scoreAt(hay: Haystack, fi: number, pos: number, length: number, digits: boolean): number {
  const atEnd = pos + length === hay.fieldEnd[fi];
  const quality =
    pos === hay.fieldStart[fi] && atEnd
      ? QUALITY_EXACT
      : hay.wordStart[pos] === 1 || (digits && atEnd)
        ? QUALITY_PREFIX
        : QUALITY_SUBSTRING;
  return quality * 100 + hay.fieldBase[fi]!;
}

/**
 * The scan of a text haystack for several spellings at once (a word in latin letters and its kana),
 * or for near readings, whose hits count only where they begin a word and score only their field
 * and status (NEAR_BELOW).
 */
function scanSpellings(hay: Haystack, prep: Prepared, q: RegExp, top: Offer, { near = false, found }: ScanHow) {
  const best = new BestPerEntry();
  let fi = 0;
  forEachPlace(hay.text, q, (pos, length) => {
    if (near && hay.wordStart[pos] !== 1) return;
    fi = fieldAt(hay.fieldStart, pos, fi);
    const entry = hay.fieldEntry[fi]!;
    best.offer(rankKey(near ? hay.fieldBase[fi]! : scoreAt(hay, fi, pos, length, false), prep.nameRank[entry]!), entry, fi);
  });
  if (found !== undefined) {
    for (const entry of best.entries()) {
      if (found.size >= NEAR_WHEN_FEWER_THAN) break;
      found.add(entry);
    }
  }
  best.offerTo(top);
}

/**
 * Households matching `query` by name, furigana (any kana form), emergency contact or family name,
 * phone number in any format (≥3 digits, so the last four work), or 受給者証番号 (≥4 digits).
 * One hit per household, its best field; at most `limit`, best first. An empty query gives [].
 */
export function searchHouseholds(index: HouseholdIndex, query: string, limit = 50): SearchHit[] {
  if (limit <= 0) return [];
  const nfkc = queryText(query);
  if (nfkc === '') return [];
  const prep = prepare(index);
  if (prep.ids.length === 0) return [];
  const top = new TopK(Math.min(limit, prep.ids.length));
  let hay: Haystack;
  if (isNumberQuery(nfkc)) {
    const phoneQ = normalizePhone(nfkc);
    const recipientQ = normalizeDigits(nfkc);
    hay = prep.digits;
    if (phoneQ !== recipientQ) {
      // '+81 …' can only be a phone number.
      if (phoneQ.length >= MIN_PHONE_QUERY_DIGITS) scan(hay, prep, phoneQ, top, { digits: true, phonesOnly: true });
    } else if (recipientQ.length >= MIN_RECIPIENT_QUERY_DIGITS) {
      scan(hay, prep, recipientQ, top, { digits: true });
    } else if (phoneQ.length >= MIN_PHONE_QUERY_DIGITS) {
      scan(hay, prep, phoneQ, top, { digits: true, phonesOnly: true });
    }
  } else {
    hay = prep.texts;
    searchText(hay, prep, nfkc, top);
  }
  return top.drain().map(({ key, a, b }) => {
    const person = hay.fieldPerson[b]!;
    const score = Math.floor(key / RANK_SPAN);
    return {
      householdId: prep.ids[a]!,
      personId: person === -1 ? null : (prep.personIds[a]![person] ?? null),
      matchedOn: FIELD_KINDS[hay.fieldKind[b]!]!.matchedOn,
      score,
      near: score < NEAR_BELOW,
    };
  });
}

/**
 * A text query: as typed (a word in latin letters also as its kana), and when that finds fewer than
 * NEAR_WHEN_FEWER_THAN households, also as the readings near its kana words, whose hits come after.
 */
function searchText(hay: Haystack, prep: Prepared, nfkc: string, top: TopK) {
  const textQ = normalizeKana(nfkc);
  const words = queryWords(nfkc);
  // Words of one letter each (「た な」, halfway through typing) would visit most of the index for
  // little: the query as typed is enough until one word has two letters.
  const byWords = words.length >= 2 && words.some((w) => w.length >= 2);
  // the households the query finds as typed, or the first NEAR_WHEN_FEWER_THAN of them
  let found: { readonly size: number; has(entry: number): boolean };
  if (!byWords) {
    const first = new Set<number>();
    if (textQ !== '') scan(hay, prep, needleOf(spellingsOf(textQ)), top, { found: first });
    found = first;
  } else {
    const best = new BestPerEntry();
    if (textQ !== '') scan(hay, prep, needleOf(spellingsOf(textQ)), best);
    scanWords(hay, prep, words.map((w) => wordNeedle(w)), best);
    best.offerTo(top);
    found = best;
  }
  if (found.size < NEAR_WHEN_FEWER_THAN) searchNear(hay, prep, byWords ? words : [textQ], found, top);
}

/**
 * The households `words` find only as readings near theirs (one kana's dakuten, a long vowel's
 * spelling: search-variants.ts), but for those `found` already, offered with scores below theirs.
 */
function searchNear(hay: Haystack, prep: Prepared, words: readonly string[], found: { has(entry: number): boolean }, top: TopK) {
  const near = new BestPerEntry();
  if (words.length === 1) {
    const variants = nearReadingsOf(words[0]!, MAX_READING_VARIANTS);
    if (variants.length === 0) return;
    scan(hay, prep, needleOf(variants), near, { near: true });
  } else {
    const variants = words.map((w) => nearReadingsOf(w, Math.floor(MAX_READING_VARIANTS / words.length)));
    if (variants.every((v) => v.length === 0)) return;
    // A household found only through near readings has one of them beginning a word: one pass over
    // the text finds those few, and only their fields are read for the words (as typed or near).
    const within = new Set<number>();
    let fi = 0;
    forEachPlace(hay.text, needleOf(variants.flat()), (at) => {
      if (hay.wordStart[at] !== 1) return;
      fi = fieldAt(hay.fieldStart, at, fi);
      if (!found.has(hay.fieldEntry[fi]!)) within.add(hay.fieldEntry[fi]!);
    });
    if (within.size === 0) return;
    const needles = words.map((w, i) => {
      const needle = wordNeedle(w, variants[i]);
      // a word with no near reading (佐藤 of 「佐藤 ゆーこ」) is read first: few households have it
      return variants[i]!.length === 0 ? { ...needle, length: Number.MAX_SAFE_INTEGER } : needle;
    });
    scanWords(hay, prep, needles, near, true, within);
  }
  near.offerTo(top, found);
}

/** The readings near a word's (its kana's, for one in latin letters: 「nakashima」, なかじま); none for kanji or digits. */
function nearReadingsOf(word: string, max: number): string[] {
  return readingVariants(romajiReadings(word)[0] ?? word, max);
}

/** A word as it may have been typed: itself and, in latin letters, the kana it may stand for (「sato」: さと). */
function spellingsOf(word: string): string[] {
  return [word, ...romajiReadings(word)];
}

/**
 * A word's needle for scanWords, with `others` (its near readings) if given, and the length that
 * orders the words: the word's own, or for one in latin letters its longest kana (「yuko」, ゆうこ,
 * finds fewer households than 「sato」, さと, though both have four letters).
 */
function wordNeedle(word: string, others: readonly string[] = []): { needle: Needle; length: number } {
  const readings = romajiReadings(word);
  return {
    needle: needleOf([word, ...readings, ...others]),
    length: readings.length > 0 ? Math.max(...readings.map((r) => r.length)) : word.length,
  };
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
    .split(/[\s・･·=゠]+/)
    .map(normalizeKana)
    .filter((w) => w !== '');
  return [...new Set(words)].slice(0, MAX_QUERY_WORDS);
}

/** Each word of a text query as the search looks for it: itself and, in latin letters, the kana it may stand for. */
export function queryWordSpellings(nfkc: string): string[][] {
  return queryWords(nfkc).map(spellingsOf);
}

/** Each household's best offer, kept until every scan of a query has run, then given to the heap once. */
class BestPerEntry implements Offer {
  private readonly best = new Map<number, { key: number; field: number }>();

  get size(): number {
    return this.best.size;
  }

  has(entry: number): boolean {
    return this.best.has(entry);
  }

  entries(): IterableIterator<number> {
    return this.best.keys();
  }

  offer(key: number, entry: number, field: number): void {
    const had = this.best.get(entry);
    if (had === undefined || key > had.key) this.best.set(entry, { key, field });
  }

  /** Offers each household once, but for those in `except` (found already, and better). */
  offerTo(top: Offer, except?: { has(entry: number): boolean }): void {
    for (const [entry, { key, field }] of this.best) if (except?.has(entry) !== true) top.offer(key, entry, field);
  }
}

/** A scan of the whole text costs about as much as reading this many households' fields one by one. */
const CANDIDATES_PER_SCAN = 8;

/** The first and last field of an entry (fields are in entry order). */
function fieldsOf(fieldEntry: Int32Array, entry: number): [number, number] {
  let lo = 0;
  let hi = fieldEntry.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (fieldEntry[mid]! < entry) lo = mid + 1;
    else hi = mid;
  }
  let last = lo;
  while (last + 1 < fieldEntry.length && fieldEntry[last + 1] === entry) last++;
  return [lo, last];
}

/** One word's best hit among one person's fields (or in one other field: a contact's name, its reading, …). */
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
 * it), or in one contact's name, its reading, a family member's or the case worker's. A word in one
 * person and another in a contact, or in two contacts, does not find the household: 佐藤 and ゆうこ
 * are one name, not two people. Each word after the first
 * looks only at the households the words before it found (the first, only at those `within`).
 * `near`: the words' needles hold near readings, whose hits count only where they begin a word and
 * score as NEAR_BELOW says.
 */
function scanWords(
  hay: Haystack,
  prep: Prepared,
  words: readonly { needle: Needle; length: number }[],
  out: Offer,
  near = false,
  within?: ReadonlySet<number>,
) {
  const { text, fieldStart, fieldEntry, fieldBase, fieldPerson, wordStart } = hay;
  const perWord: Map<number, Map<number, WordHit>>[] = [];
  // the longest word first: it finds the fewest households, which the shorter ones then only check
  for (const { needle } of [...words].sort((a, b) => b.length - a.length)) {
    const previous = perWord.at(-1) ?? within;
    const now = new Map<number, Map<number, WordHit>>();
    // `at` is where the needle begins in the text, `from` a field at or before it
    const take = (at: number, from: number): number => {
      const fi = fieldAt(fieldStart, at, from);
      const entry = fieldEntry[fi]!;
      if (previous !== undefined && !previous.has(entry)) return fi;
      const hit: WordHit = { field: fi, atWord: wordStart[at] === 1, base: fieldBase[fi]! };
      let persons = now.get(entry);
      if (persons === undefined) now.set(entry, (persons = new Map()));
      // A person's name and reading are one owner; every other field (each contact's name, its
      // reading, a family member's, the case worker's) is its own: two people's halves find nothing.
      const person = fieldPerson[fi]! >= 0 ? fieldPerson[fi]! : -2 - fi;
      const had = persons.get(person);
      if (had === undefined || betterHit(hit, had)) persons.set(person, hit);
      return fi;
    };
    if (previous !== undefined && previous.size * CANDIDATES_PER_SCAN < prep.ids.length) {
      // few households left to check: their own fields are shorter to read than the whole text
      for (const entry of previous.keys()) {
        const [first, last] = fieldsOf(fieldEntry, entry);
        const offset = fieldStart[first]!;
        forEachPlace(text.slice(offset, hay.fieldEnd[last]), needle, (at) => {
          if (!near || wordStart[offset + at] === 1) take(offset + at, first);
        });
      }
    } else {
      let fi = 0;
      forEachPlace(text, needle, (at) => {
        if (!near || wordStart[at] === 1) fi = take(at, fi);
      });
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
      const quality = near ? 0 : hits.every((h) => h!.atWord) ? QUALITY_PREFIX : QUALITY_SUBSTRING;
      const score = quality * 100 + Math.min(...hits.map((h) => h!.base));
      if (best === null || score > best.score) best = { score, field: hit.field };
    }
    if (best !== null) out.offer(rankKey(best.score, prep.nameRank[entry]!), entry, best.field);
  }
}
