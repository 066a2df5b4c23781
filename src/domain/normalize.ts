/**
 * Normalisation for search and for identifiers typed in many ways: names and kana typed on a
 * phone at night (half-width, katakana or hiragana, with or without spaces), phone numbers in
 * any punctuation or with +81, and 受給者証番号 in full-width digits.
 */

// \s covers U+3000 (full-width space) and U+FEFF; \p{Cf} the invisible format characters pasted
// with a name (U+200B zero-width space, U+00AD soft hyphen, direction marks), which hid a household
// from a search for the name as anyone would type it. A search key drops them all.
const WHITESPACE = /[\s\p{Cf}]+/gu;
// What a saved name loses: the characters that are only ever noise in one. The joiners U+200C and
// U+200D stay: they spell some names in other scripts (and emoji).
const INVISIBLE = /[\u00AD\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
/**
 * Variation selectors: 辻 written 辻\u{E0100} (an ideographic variation sequence, the form a municipal
 * system keeps a 異体字 in) or an emoji's U+FE0F. A saved name keeps them, being the name as written;
 * a search key drops them, or 「辻本」 typed at night never found 「辻\u{E0100}本」.
 */
const VARIATION_SELECTORS = /[\u{E0100}-\u{E01EF}\uFE00-\uFE0F]/gu;

/** Text without the invisible characters a paste may carry ('山田\u200B花子' → '山田花子'). */
export function withoutInvisible(s: string): string {
  return s.replace(INVISIBLE, '');
}

/** Middle dots, and the 「＝」 (「=」 once NFKC) or 「゠」 between the names of a foreign name in katakana (ジョアン＝シルバ). */
const MIDDLE_DOTS = /[・･·•=゠]/g;
/** Apostrophes in a latin name (O'Brien, O’Brien as iOS types it, D‘Souza): one name however written, and typed without. */
const APOSTROPHES = /['’‘ʼ`]/g;
/**
 * Latin letters with a mark (João, Nguyễn, Müller, Gonçalves) read as the bare letter the night's
 * keyboard types (joao, nguyen, muller), as do the letters that carry their mark inside (đ ø ł ı).
 * Only marks after a latin letter go: a kana's dakuten never does.
 */
const LATIN_WITH_MARK = /[\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f]/;
const MARKS_AFTER_LATIN = /(?<=\p{Script=Latin})\p{M}+/gu;
const LATIN_BARE: Readonly<Record<string, string>> = { đ: 'd', ø: 'o', ł: 'l', ı: 'i', ħ: 'h', ŧ: 't' };
const LATIN_INNER_MARK = /[đøłıħŧ]/g;
const bareLatin = (s: string): string =>
  LATIN_WITH_MARK.test(s) ? s.normalize('NFD').replace(LATIN_INNER_MARK, (c) => LATIN_BARE[c]!).replace(MARKS_AFTER_LATIN, '').normalize('NFC') : s;
/**
 * ヴ is written for the バ row as often as not (シルヴァ, シルバ; ヴー, ブー for Vũ): ゔぁ ゔぃ ゔ ゔぇ ゔぉ
 * read as ば び ぶ べ ぼ, in the index and in a query alike (romaji 「vu」 too: search-variants.ts).
 */
const VU = /ゔ([ぁぃぇぉ]?)/g;
const VU_AS_BA: Readonly<Record<string, string>> = { '': 'ぶ', ぁ: 'ば', ぃ: 'び', ぇ: 'べ', ぉ: 'ぼ' };
const vuAsBa = (_: string, small: string): string => VU_AS_BA[small]!;
export function withoutVu(kana: string): string {
  return kana.replace(VU, vuAsBa);
}
const KATAKANA = /[\u30a1-\u30f6\u30fd\u30fe]/g; // ァ…ヶ (incl. ヴ ヵ ヶ) and ヽ ヾ
const KANA_SHIFT = 0x60; // distance from a katakana to its hiragana
// Dash-like characters people type for the long vowel mark (NFKC turns full-width '－' into '-').
// After a kana (possibly after other dashes) a dash is read as ー; anywhere else it is dropped.
// One pass over each run (a look-behind over the dashes before each dash took a second per field of 40,000 dashes).
const DASHES_AFTER_KANA = /([\u3041-\u30ff])([-‐‑‒–—―−﹣]+)/g;
const longVowels = (_: string, kana: string, dashes: string) => kana + 'ー'.repeat(dashes.length);
const DASH = /[-‐‑‒–—―−﹣]/g;

/**
 * 異体字: one name written two ways (髙橋/高橋, 山﨑/山崎, 渡邊/渡邉/渡辺, 中嶋/中島, 𠮷田/吉田), folded to the common form so
 * either finds the other. Only forms of one character (an old form and its 新字体, as 澤/沢 and
 * 龍/竜, which 戸籍法施行規則 別表第二 lists among the forms of 常用漢字, or a 俗字, as 渕 of 淵): 斎/斉 are
 * two characters of one reading and stay apart (齋 is the old form of 斎, 齊 of 斉), as does 碕, which
 * dictionaries give both as a form of 崎 and as a character of its own; the search offers them as
 * near readings instead (SAME_READING_KANJI).
 */
export const KANJI_VARIANTS: Readonly<Record<string, string>> = {
  髙: '高',
  﨑: '崎',
  德: '徳',
  邊: '辺',
  邉: '辺',
  齋: '斎',
  齊: '斉',
  濱: '浜',
  澤: '沢',
  廣: '広',
  櫻: '桜',
  國: '国',
  嶋: '島',
  冨: '富',
  𠮷: '吉',
  眞: '真',
  嵜: '崎',
  栁: '柳',
  舘: '館',
  惠: '恵',
  瀨: '瀬',
  槇: '槙',
  濵: '浜',
  曾: '曽',
  瀧: '滝',
  實: '実',
  榮: '栄',
  藏: '蔵',
  淺: '浅',
  黑: '黒',
  桒: '桑',
  條: '条',
  關: '関',
  壽: '寿',
  穗: '穂',
  澁: '渋',
  峯: '峰',
  嶌: '島',
  圓: '円',
  淸: '清',
  靜: '静',
  豐: '豊',
  寬: '寛',
  賴: '頼',
  彌: '弥',
  遙: '遥',
  檜: '桧',
  藪: '薮',
  來: '来',
  增: '増',
  淵: '渕',
  與: '与',
  兒: '児',
  稻: '稲',
  會: '会',
  萬: '万',
  禰: '祢',
  龜: '亀',
  團: '団',
  將: '将',
  彥: '彦',
  恆: '恒',
  龍: '竜',
};
// `u`: 𠮷 (U+20BB7) is two UTF-16 units; without it the class would hold its halves, not the kanji.
const KANJI_VARIANT = new RegExp(`[${Object.keys(KANJI_VARIANTS).join('')}]`, 'gu');
const commonForm = (kanji: string): string => KANJI_VARIANTS[kanji] ?? kanji;

/**
 * Kanji of one reading that a surname is written with either way but that are not one character
 * (斎藤/斉藤, 川崎/川碕): 斉藤 typed at night for 斎藤 is no 異体字 to fold, as 斉藤 is a name of
 * its own, but the search offers the other as a near reading, after the names as typed (search.ts).
 * Keys in their folded form (齋 and 齊 are 斎 and 斉 by then).
 */
const SAME_READING_KANJI: ReadonlyMap<string, string> = new Map([
  ['斎', '斉'],
  ['斉', '斎'],
  ['崎', '碕'],
  ['碕', '崎'],
]);

/** A word (normalizeKana) with one of its SAME_READING_KANJI written the other way, one at a time; at most `max`. */
export function sameReadingSpellings(word: string, max: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length && out.length < max; i++) {
    const other = SAME_READING_KANJI.get(word[i]!);
    if (other !== undefined) out.push(word.slice(0, i) + other + word.slice(i + 1));
  }
  return out;
}

function toHiragana(katakana: string): string {
  return String.fromCharCode(katakana.charCodeAt(0) - KANA_SHIFT);
}

/**
 * A search key for kana and names: NFKC (half-width katakana → full-width, full-width latin → ASCII),
 * katakana → hiragana (ヴ read as the バ row: ヴァ → ば; small kana stay small but ヵ ヶ, read カ ケ: か け), spaces, middle
 * dots, 「＝」 and apostrophes removed, latin lowercased and without its marks (João → joao).
 * The long vowel mark ー is kept; a hyphen typed right after a kana is read as ー, any other hyphen is dropped.
 * Kanji pass through but for the 異体字 above (髙 → 高), so a name field can use the same key.
 * Regex-only, as it runs over every searchable string when the index is built.
 */
/**
 * Hiragana (ぁ-ん, ー; not ゔ, read as the バ row) and CJK unified ideographs are already in the form normalizeKana gives but
 * for the 異体字: NFKC leaves them alone and no other replacement below touches them. Most name
 * words are exactly that, so they skip the rest of the work (building the index at 10,000
 * households does this ~200,000 times).
 */
const ALREADY_NORMAL = /^[\u3041-\u3093\u30fc\u4e00-\u9fff]*$/;

/** The small ヶ and ヵ of place names (三ヶ島, 一ヵ月) read as ケ and カ: 三ヶ島 and 三ケ島 are one name. */
const SMALL_KA_KE = /[ゕゖ]/g;
const fullKaKe = (c: string) => (c === 'ゕ' ? 'か' : 'け');

export function normalizeKana(s: string): string {
  if (ALREADY_NORMAL.test(s)) return s.replace(KANJI_VARIANT, commonForm);
  const key = s
    .normalize('NFKC')
    .toLowerCase()
    .replace(WHITESPACE, '')
    .replace(VARIATION_SELECTORS, '')
    .replace(MIDDLE_DOTS, '')
    .replace(APOSTROPHES, '')
    .replace(KATAKANA, toHiragana)
    .replace(DASHES_AFTER_KANA, longVowels)
    .replace(DASH, '')
    .replace(SMALL_KA_KE, fullKaKe)
    .replace(KANJI_VARIANT, commonForm)
    // a space taken out can leave a mark beside a letter it now composes with (「C ¸」 → 「ç」, 「う ゙」 →
    // 「ゔ」): composed here, or the key would change when normalized again; ゔ read as the バ row after
    .normalize('NFC')
    .replace(VU, vuAsBa);
  return bareLatin(key);
}

/** A name as typed, comparable: NFKC with all spaces and variation selectors removed ('佐藤　陽太' → '佐藤陽太'). */
export function normalizeName(s: string): string {
  return s.normalize('NFKC').replace(WHITESPACE, '').replace(VARIATION_SELECTORS, '');
}

/**
 * Control and format characters a query loses before anything else: a number copied from iOS
 * Contacts or Recents arrives as U+202D 090-1234-5678 U+202C, and with the direction marks left in
 * it was searched as a name (U+200B…U+200F, U+2066…U+2069, U+FEFF alike).
 */
const INVISIBLE_IN_QUERY = /[\p{Cc}\p{Cf}]/gu;

/** A search box's text as both searches read it (the households', the facilities'): NFKC, no invisible characters, trimmed. */
export function queryText(typed: string): string {
  return typed.normalize('NFKC').replace(INVISIBLE_IN_QUERY, '').trim();
}

const NUMBER_QUERY = /^[\d\s+()\-‐‑–—―−ー.]+$/;

/** Whether a query (queryText) is a number as written (digits and what separates them, a '+'), not a name. */
export function isNumberQuery(query: string): boolean {
  return NUMBER_QUERY.test(query) && /\d/.test(query);
}

/**
 * Spaces and the dashes a Japanese IME types between digits (after NFKC): the long vowel mark ー,
 * ‐ (U+2010), − (U+2212), – — ― and the small ﹣, as a phone number's digits may be written.
 */
const DIGIT_SEPARATORS = /[\s\-‐‑‒–—―−﹣ー]/g;

/**
 * A number written in groups, as one string of digits: NFKC, separators dropped
 * ('１２ー３４５６ー７８９０' → '1234567890'). Anything else in it stays, for the check to refuse.
 */
export function withoutDigitSeparators(s: string): string {
  return s.normalize('NFKC').replace(DIGIT_SEPARATORS, '');
}

/** Digits only, after NFKC so that full-width digits count ('１２３４５６７８９０' → '1234567890'). */
export function normalizeDigits(s: string): string {
  return s.normalize('NFKC').replace(/\D+/g, '');
}

/** Country code of Japan; a Japanese number without its leading 0 is 9 or 10 digits long. */
const JAPAN_CODE = '81';

/**
 * A Japanese phone number as domestic digits: '+81 90-1234-5678' → '09012345678'.
 * '+81' (or a bare '81' on an 11–12 digit number, which no domestic number can be) becomes the
 * leading '0'; '+81 (0)90…' is understood too. Short digit strings are left alone so that a search
 * for the last four digits '8123' is not mistaken for a country code.
 */
export function normalizePhone(s: string): string {
  const nfkc = s.normalize('NFKC');
  const digits = nfkc.replace(/\D+/g, '');
  const international = nfkc.trimStart().startsWith('+');
  const looksInternational = international || (digits.length >= 11 && digits.length <= 12);
  if (looksInternational && digits.startsWith(JAPAN_CODE)) {
    const national = digits.slice(JAPAN_CODE.length);
    return national.startsWith('0') ? national : `0${national}`;
  }
  return digits;
}

/**
 * Between a number's digits: hyphens and every dash, the wave dashes （～ 〜, ~ once NFKC), 「_」 and
 * 「*」 typed for one, dots, 「・」, brackets and spaces. (A number broken at 「～」 showed whole and
 * dialled 「090」.)
 */
const NUMBER_RUN = /[+]?\d[\d\-‐‑‒–—―−﹣ー~〜_*.・()\s]*/g;
/**
 * A note in brackets, 「(19時以降)」: anything bracketed that is not only a number's digits. Each
 * bracket is read once and judged by what it holds (one pattern doing both backtracked: a phone
 * field of 4,000 「(」 took 38 s, on every phone the record reached).
 */
const BRACKETED = /\([^)]*\)/g;
// 「+」 is a number's: 「(+81) 90-1234-5678」 read as a note dialled 9012345678, with the 0 lost
const NOT_OF_A_NUMBER = /[^\d\s+\-‐‑‒–—―−﹣ー~〜_*.・)]/;
const withoutNotes = (text: string) => text.replace(BRACKETED, (bracket) => (NOT_OF_A_NUMBER.test(bracket.slice(1, -1)) ? ' ' : bracket));
/** Fewer digits than a Japanese landline (10) cannot be dialled. */
const DIALLABLE_DIGITS = 10;

/**
 * The number a written phone holds first, as written ('047-000-0000' of '047-000-0000 内線12',
 * '090-1234-5678（19時以降）', '047-000-0000／090-1111-2222', '2号棟 047-000-0000' or '内線12 047-000-0000'): the first run
 * of digits that can be a number (10 digits or more, or from a 0 or +), so that a label's digits
 * (24時間対応, 2号棟, 平日9-17時) are passed over. Short numbers (#7119, 110) read whole; '' when
 * the entry holds no digit.
 */
const digitCount = (s: string): number => s.replace(/\D/g, '').length;

/** '047-000-0000 090-1111-2222' → the first; '03 1234 5678' stays whole (its parts end at 10 digits). */
function firstOfSpaced(number: string): string {
  let taken = '';
  for (const part of number.split(/\s+/)) {
    taken = taken ? `${taken} ${part}` : part;
    if (digitCount(taken) >= DIALLABLE_DIGITS) return taken;
  }
  return number;
}

function firstPhoneNumber(written: string): string {
  return firstOfSpaced(firstPhoneRun(written));
}

/**
 * The same run before numbers a space apart are told apart: the form refuses '090-1111-2222
 * 03-3333-4444' in one field as two numbers run together (household-schema phoneDigitsProblem).
 */
export function firstPhoneRun(written: string): string {
  const nfkc = written.normalize('NFKC');
  const text = withoutNotes(nfkc);
  // A number written inside the note itself (「携帯（090-1234-5678 夜間可）」) is the one to dial.
  // There only a whole number counts: the note's times (「0時以降」「08:30〜」) are no number to dial.
  const number = numberRunIn(text) ?? numberRunIn(nfkc, DIALLABLE_DIGITS);
  if (number !== null) return number;
  return text.replace(/\D/g, '') === '' ? '' : text.trim();
}

/**
 * A run whose first digits are a note's and not the number's: '12 047-000-0000' of
 * 「内線12 047-000-0000」 → '047-000-0000', the first part a space apart that starts with 0 or + and
 * holds a whole number from there on. A run that starts with 0 or + is the number as it is.
 */
function fromItsNumber(run: string): string {
  if (/^[0+]/.test(run)) return run;
  for (const [, rest] of run.matchAll(/\s(?=([0+][^]*)$)/g)) {
    if (rest !== undefined && digitCount(rest) >= DIALLABLE_DIGITS) return rest;
  }
  return run;
}

/** The first run in `text` that can be a number (from a 0 or +, or 10 digits or more; at least `minDigits`), or null. */
function numberRunIn(text: string, minDigits = 1): string | null {
  for (const [run] of text.matchAll(NUMBER_RUN)) {
    const number = fromItsNumber(run.trim());
    if ((/^[0+]/.test(number) || digitCount(number) >= DIALLABLE_DIGITS) && digitCount(number) >= minDigits) return number;
  }
  return null;
}

/**
 * The digits of the number a written phone holds first ('09012345496' of
 * '090-1234-5496（22時まで）'), '' when none: the search reads it, so the last four digits of the
 * number find it however its note is worded.
 */
export function firstPhoneDigits(written: string): string {
  return normalizePhone(firstPhoneNumber(written));
}

/**
 * The href for a phone link ('tel:09012345678'), or null when there is nothing to dial. Only the
 * first number is dialled: the digits of a note (内線12, 19時以降) or of a second number never join it.
 * A non-Japanese international number keeps its '+' so the dialler still reaches it.
 */
export function formatPhoneForTel(s: string): string | null {
  const first = firstPhoneNumber(s);
  const normalized = normalizePhone(first);
  if (normalized === '') return null;
  const foreign = first.startsWith('+') && !normalized.startsWith('0');
  return `tel:${foreign ? '+' : ''}${normalized}`;
}

// The 47 prefectures (none is the start of another).
const PREFECTURES =
  '北海道|青森県|岩手県|宮城県|秋田県|山形県|福島県|茨城県|栃木県|群馬県|埼玉県|千葉県|東京都|神奈川県|新潟県|富山県|石川県|福井県|山梨県|長野県|岐阜県|静岡県|愛知県|三重県|滋賀県|京都府|大阪府|兵庫県|奈良県|和歌山県|鳥取県|島根県|岡山県|広島県|山口県|徳島県|香川県|愛媛県|高知県|福岡県|佐賀県|長崎県|熊本県|大分県|宮崎県|鹿児島県|沖縄県';
const LEADING_PREFECTURE = new RegExp(`^(${PREFECTURES})(?=.)`, 'u');
// 鎌ヶ谷市 and 鎌ケ谷市, 一ヵ村 and 一カ村: the small ヶ ヵ of place names are written both ways
const SMALL_KE_KA = /[ヶヵ]/g;

/** A 支給決定市町村 as written, without spaces, width or small-ヶ differences, split from its prefecture. */
function municipalityParts(s: string): { readonly prefecture: string; readonly rest: string } {
  const name = withoutInvisible(s.normalize('NFKC')).replace(WHITESPACE, '').replace(SMALL_KE_KA, (c) => (c === 'ヶ' ? 'ケ' : 'カ'));
  const m = LEADING_PREFECTURE.exec(name);
  return m ? { prefecture: m[1]!, rest: name.slice(m[1]!.length) } : { prefecture: '', rest: name };
}

/**
 * The 支給決定市町村 of a set of records, each as one name however it was typed: 「千葉県松戸市」,
 * 「松戸市」 and 「松戸市　」 are one municipality (松戸市), and 鎌ヶ谷市 is 鎌ケ谷市. The prefecture is
 * dropped only where the set holds the name under one prefecture: 「北海道伊達市」 and 「福島県伊達市」
 * stay two (a bare 「伊達市」 then a third, which cannot be told apart), as a prefecture typed alone
 * (「北海道」) stays itself. A ward stays its own (「横浜市港北区」 is not 「横浜市」).
 */
export function municipalityKeysOf(names: Iterable<string>): (name: string) => string {
  const prefecturesOf = new Map<string, Set<string>>();
  for (const name of names) {
    const { prefecture, rest } = municipalityParts(name);
    if (prefecture === '') continue;
    const seen = prefecturesOf.get(rest) ?? new Set<string>();
    seen.add(prefecture);
    prefecturesOf.set(rest, seen);
  }
  return (name) => {
    const { prefecture, rest } = municipalityParts(name);
    return (prefecturesOf.get(rest)?.size ?? 0) > 1 ? prefecture + rest : rest;
  };
}
