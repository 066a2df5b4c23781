/**
 * The one search box over decrypted households, run on every keystroke (DOMAIN.md §2, SCENARIOS 1).
 * A query runs `indexOf` over one joined string per kind (text, digits) of the index
 * (search-index.ts) and maps each hit back to its field, which at 10,000 households is far cheaper
 * than visiting 100,000 small strings. A word typed in latin letters is looked for as its kana too,
 * and a reading also as the readings near it (search-variants.ts), whose households come after.
 */
import { firstPhoneDigits, isNumberQuery, normalizeDigits, normalizeKana, normalizePhone, queryText, sameReadingSpellings } from './normalize';
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

// Score = the match quality's points in its field + field weight·10 + status (QUALITY_POINTS).
const QUALITY_EXACT = 3;
const QUALITY_PREFIX = 2;
const QUALITY_SUBSTRING = 1;
/**
 * A near reading's hit scores only its field weight·10 + status, below every hit of the query itself;
 * it counts only where it begins a word of the field, as a reading misheard is a name's, not a part of one.
 */
const NEAR_BELOW = QUALITY_SUBSTRING * 100;

/**
 * What a match quality is worth in a field of each kind. A person's own name or reading ranks by
 * quality·100 (exact 340, prefix 240, a part of it 140, + status): ahead of a hit of any quality in
 * any other field. A contact or case worker saved as a surname alone (佐藤) is an exact hit on every
 * 「佐藤」, and the 25 households of a case worker 佐藤 came before the two people named 佐藤. The
 * other text fields share the band below it: a contact's or family member's name by quality
 * (110–132), then the case worker's, who serves many households (100–102). Numbers (phones,
 * 受給者証番号) rank by quality·100 among themselves: a query is a number or a name, never both.
 */
const QUALITY_POINTS: Int32Array = Int32Array.from(FIELD_KINDS.flatMap(({ matchedOn }) => [0, 1, 2, 3].map((quality) => pointsOf(matchedOn, quality))));

function pointsOf(matchedOn: MatchedOn, quality: number): number {
  if (quality === 0) return 0;
  if (matchedOn === 'case-worker') return QUALITY_SUBSTRING * 100;
  if (matchedOn === 'contact') return QUALITY_SUBSTRING * 100 + (quality - QUALITY_SUBSTRING) * 10;
  return quality * 100;
}

/** A hit's score from its quality (0 for a near reading's) and its field. */
const scoreOf = (hay: Haystack, fi: number, quality: number): number => QUALITY_POINTS[hay.fieldKind[fi]! * 4 + quality]! + hay.fieldBase[fi]!;

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
  /** gets every household offered, which the near readings then pass over */
  readonly found?: Found;
}

/** The households a query found as typed: a mark per entry, as a one-letter query finds thousands. */
class Found {
  private readonly marks: Uint8Array;
  size = 0;

  constructor(entries: number) {
    this.marks = new Uint8Array(entries);
  }

  add(entry: number): void {
    if (this.marks[entry] === 1) return;
    this.marks[entry] = 1;
    this.size++;
  }

  has(entry: number): boolean {
    return this.marks[entry] === 1;
  }
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
        found?.add(entry);
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
    found?.add(entry);
    top.offer(rankKey(bestScore, nameRank[entry]!), entry, best);
  }
}

/** A hit's score: its quality's points in its field (QUALITY_POINTS) + its field's weight·10 + the household's status. */
function scoreAt(hay: Haystack, fi: number, pos: number, length: number, digits: boolean): number {
  const atEnd = pos + length === hay.fieldEnd[fi];
  const quality =
    pos === hay.fieldStart[fi] && atEnd
      ? QUALITY_EXACT
      : hay.wordStart[pos] === 1 || (digits && atEnd)
        ? QUALITY_PREFIX
        : QUALITY_SUBSTRING;
  return scoreOf(hay, fi, quality);
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
  if (found !== undefined) for (const entry of best.entries()) found.add(entry);
  best.offerTo(top);
}

/**
 * Households matching `query` by name, furigana (any kana form), emergency contact or family name,
 * phone number in any format (≥3 digits, so the last four work), or 受給者証番号 (≥4 digits); a text
 * that finds no one by name but holds a number (「TEL 090-1111-2222」 or 「090-1111-2222（携帯）」
 * pasted whole) is searched as that number.
 * One hit per household, its best field; at most `limit`, best first. An empty query gives [].
 */
export function searchHouseholds(index: HouseholdIndex, query: string, limit = 50): SearchHit[] {
  if (limit <= 0) return [];
  const nfkc = queryText(query);
  if (nfkc === '') return [];
  const prep = prepare(index);
  if (prep.ids.length === 0) return [];
  const capacity = Math.min(limit, prep.ids.length);
  if (isNumberQuery(nfkc)) return hitsOf(prep, prep.digits, searchNumber(prep, nfkc, capacity));
  const top = new TopK(capacity);
  searchText(prep.texts, prep, nfkc, top, capacity);
  const byName = top.drain();
  if (byName.length > 0) return hitsOf(prep, prep.texts, byName);
  const number = pastedPhoneDigits(nfkc);
  return number.length >= MIN_PHONE_QUERY_DIGITS ? hitsOf(prep, prep.digits, searchNumber(prep, number, capacity)) : [];
}

/** What may stand around a pasted number and still leave it a number: its label (a phone's, a 受給者証's), marks and separators. */
const PHONE_LABEL = /tel|fax|phone|電話番号|電話|携帯|自宅|固定|受給者証番号|受給者証|番号|no\./giu;
const PHONE_MARKS = /[\d\s\-‐‑‒–—―−﹣()（）+.:：、,・「」]/gu;
/** A whole Japanese phone number: 10 or 11 digits from its 0 (or +81 read so by normalizePhone). */
const WHOLE_PHONE = /^0\d{9,10}$/;

/**
 * The digits a text that finds no one by name is searched by as a phone number (firstPhoneDigits:
 * a note's digits, 「22時まで」, are no part of it), or '': a number pasted whole (「090-1111-2222
 * 22時以降」), or any number with nothing but its label around it (「TEL 090-1」, 「（携帯）0901」).
 * A name typed with a number that is not a whole phone (「山田 777号室」, 「山田さん 8888」) is a name
 * not found, not the households that have those digits in a phone: 「本人未特定で開始」 stays offered.
 */
export function pastedPhoneDigits(text: string): string {
  const digits = firstPhoneDigits(text);
  if (WHOLE_PHONE.test(digits)) return digits;
  return text.replace(PHONE_LABEL, '').replace(PHONE_MARKS, '') === '' ? digits : '';
}

type Ranked = ReturnType<TopK['drain']>;

/** A number query (a phone number, its last digits, a 受給者証番号) over the digits, best first. */
function searchNumber(prep: Prepared, nfkc: string, capacity: number): Ranked {
  const top = new TopK(capacity);
  const phoneQ = normalizePhone(nfkc);
  const recipientQ = normalizeDigits(nfkc);
  const hay = prep.digits;
  if (phoneQ !== recipientQ) {
    // '+81 …' can only be a phone number.
    if (phoneQ.length >= MIN_PHONE_QUERY_DIGITS) scan(hay, prep, phoneQ, top, { digits: true, phonesOnly: true });
  } else if (recipientQ.length >= MIN_RECIPIENT_QUERY_DIGITS) {
    scan(hay, prep, recipientQ, top, { digits: true });
  } else if (phoneQ.length >= MIN_PHONE_QUERY_DIGITS) {
    scan(hay, prep, phoneQ, top, { digits: true, phonesOnly: true });
  }
  return top.drain();
}

/** The heap's entries as hits on `hay`'s fields (the person, what matched, whether only a near reading did). */
function hitsOf(prep: Prepared, hay: Haystack, ranked: Ranked): SearchHit[] {
  return ranked.map(({ key, a, b }) => {
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
 * A text query: as typed (a word in latin letters also as its kana), then as the readings near its
 * words (search-variants.ts; 斎藤 for 斉藤, SAME_READING_KANJI), whose households come after every
 * one found as typed: a ふりがな saved as サイトー is offered for 「さいとう」 however many 斎藤 the
 * city has. The near readings are left out only when the households found as typed fill `top`.
 */
function searchText(hay: Haystack, prep: Prepared, nfkc: string, top: TopK, capacity: number) {
  const textQ = normalizeKana(nfkc);
  const words = queryWords(nfkc);
  // Words of one letter each (「た な」, halfway through typing) would visit most of the index for
  // little: the query as typed is enough until one word has two letters.
  const byWords = words.length >= 2 && words.some((w) => w.length >= 2);
  // the households the query finds as typed
  let found: { readonly size: number; has(entry: number): boolean };
  if (!byWords) {
    const first = new Found(prep.ids.length);
    if (textQ !== '') scan(hay, prep, needleOf(spellingsOf(textQ)), top, { found: first });
    found = first;
  } else {
    const best = new BestPerEntry();
    if (textQ !== '') scan(hay, prep, needleOf(spellingsOf(textQ)), best);
    scanWords(hay, prep, words.map((w) => wordNeedle(w)), best);
    best.offerTo(top);
    found = best;
  }
  if (found.size < capacity) searchNear(hay, prep, byWords ? words : [textQ], found, top);
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

/**
 * The readings near a word's (its kana's, for one in latin letters: 「nakashima」, なかじま), or for a
 * word in kanji the same name in kanji of its reading (斉藤: 斎藤); none for digits.
 */
function nearReadingsOf(word: string, max: number): string[] {
  const readings = readingVariants(romajiReadings(word)[0] ?? word, max);
  return readings.length > 0 ? readings : sameReadingSpellings(word, max);
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
  const { text, fieldStart, fieldEntry, fieldKind, fieldBase, fieldPerson, wordStart } = hay;
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
      // one owner's fields share their points: a person's name and reading alike, or one other field
      const score = QUALITY_POINTS[fieldKind[hit.field]! * 4 + quality]! + Math.min(...hits.map((h) => h!.base));
      if (best === null || score > best.score) best = { score, field: hit.field };
    }
    if (best !== null) out.offer(rankKey(best.score, prep.nameRank[entry]!), entry, best.field);
  }
}
