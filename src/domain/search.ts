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
    if (textQ !== '') scan(hay, prep, textQ, false, false, top);
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
