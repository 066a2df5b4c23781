/**
 * Other spellings of one word of a search query, for the search box at night (search.ts): a name
 * typed with the keyboard left in English mode (「sato」), and a reading heard over the phone and
 * typed as heard (「ユーコ」 for ゆうこ, 「やまさき」 for やまざき). Pure and bounded: it runs on every
 * keystroke, and each spelling it gives is one more pass over the index.
 */
import { toHiragana } from 'wanakana';
import { withoutVu } from './normalize';

type Vowel = 'a' | 'i' | 'u' | 'e' | 'o';
const ROWS: Readonly<Record<Vowel, string>> = {
  a: 'あかがさざただなはばぱまやらわぁゃゎ',
  i: 'いきぎしじちぢにひびぴみりぃゐ',
  u: 'うくぐすずつづぬふぶぷむゆるぅゅゔ',
  e: 'えけげせぜてでねへべぺめれぇゑ',
  o: 'おこごそぞとどのほぼぽもよろをぉょ',
};
/** The vowel a kana ends on (a small ゃゅょ gives its syllable's); ん, っ and ー end on none. */
const VOWEL_OF: ReadonlyMap<string, Vowel> = new Map(
  (Object.entries(ROWS) as [Vowel, string][]).flatMap(([vowel, kana]) => [...kana].map((k) => [k, vowel] as const)),
);

/**
 * How a long vowel after a kana of each row is written: 「ゆうこ」「ゆーこ」, 「おおの」「おうの」「おーの」,
 * 「けいこ」「けえこ」「けーこ」. For the o- and u-rows it is also left out, as passports and callers do
 * (「おの」 for おおの). The first spelling is the usual one: it is what ー becomes first.
 */
const LONG_VOWEL: Readonly<Record<Vowel, readonly string[]>> = {
  a: ['あ', 'ー'],
  i: ['い', 'ー'],
  u: ['う', 'ー', ''],
  e: ['い', 'え', 'ー'],
  o: ['う', 'お', 'ー', ''],
};

/**
 * Kana told apart only by their dakuten, and じ/ぢ, ず/づ, which sound alike: 「やまさき」 heard for
 * やまざき, 「なかしま」 for なかじま.
 */
const VOICING_GROUPS = [
  ...['かが', 'きぎ', 'くぐ', 'けげ', 'こご', 'さざ', 'しじ', 'すず', 'せぜ', 'そぞ', 'ただ', 'ちぢ', 'つづ', 'てで', 'とど'],
  ...['はばぱ', 'ひびぴ', 'ふぶぷ', 'へべぺ', 'ほぼぽ', 'じぢ', 'ずづ'],
];
const VOICING: ReadonlyMap<string, readonly string[]> = (() => {
  const others = new Map<string, string[]>();
  for (const group of VOICING_GROUPS) {
    for (const k of group) others.set(k, [...(others.get(k) ?? []), ...[...group].filter((x) => x !== k)]);
  }
  return others;
})();

/** Small kana and their full size: 「きよこ」 for きょこ, 「いつぺい」 for いっぺい. */
const SMALL_FULL = ['ゃや', 'ゅゆ', 'ょよ', 'っつ'];
const SIZE_TWIN: ReadonlyMap<string, string> = new Map(SMALL_FULL.flatMap(([small, full]) => [[small!, full!], [full!, small!]]));

/** Hiragana and ー only: variants are for a reading, never for kanji, latin letters or digits. */
const KANA_WORD = /^[\u3041-\u3096ー]+$/;

/** The most variants of one query: each is searched for, so this bounds the cost of a keystroke. */
export const MAX_READING_VARIANTS = 32;

/** Kana `i` of `word` lengthens the kana before it (the う of さとう, the ー of ゆーこ). */
function lengthens(word: string, i: number): boolean {
  const vowel = i > 0 ? VOWEL_OF.get(word[i - 1]!) : undefined;
  const kana = word[i];
  return vowel !== undefined && kana !== undefined && LONG_VOWEL[vowel].includes(kana);
}

const replaceAt = (word: string, at: number, length: number, by: string) => word.slice(0, at) + by + word.slice(at + length);

/**
 * Spellings of a kana word that a caller's reading, heard over the phone, may have been registered
 * as: ー as the vowel it lengthens (both common spellings), the long vowel spelled another way or
 * left out (おう, おお, お; えい, ええ), one kana with or without its dakuten, one small kana full size
 * or the other way, or a long vowel added after an o-row kana. One change at a time; the likeliest
 * first, at most `max`; never the word itself. A word of one kana, or with anything but kana, has none.
 */
export function readingVariants(word: string, max = MAX_READING_VARIANTS): string[] {
  if (word.length < 2 || !KANA_WORD.test(word) || max <= 0) return [];
  const out = new Set<string>();
  const add = (v: string) => {
    if (v !== word && v !== '' && out.size < max) out.add(v);
  };

  const vowelBefore = (i: number) => VOWEL_OF.get(word[i - 1]!)!;

  // ー typed for a vowel: every ー at once, the usual spelling first (ゆーこ → ゆうこ), then the other (おーの → おおの)
  const bars = [...word].flatMap((k, i) => (k === 'ー' && lengthens(word, i) ? [i] : []));
  for (const choice of [0, 1]) {
    add([...word].map((k, i) => (bars.includes(i) ? (LONG_VOWEL[vowelBefore(i)][choice] ?? k) : k)).join(''));
  }
  // one long vowel spelled another way, or left out; not at the end, where さとう left as さと would
  // be the beginning of every さとし and さとみ
  for (let i = 1; i < word.length; i++) {
    if (!lengthens(word, i)) continue;
    for (const by of LONG_VOWEL[vowelBefore(i)]) if (by !== word[i] && (by !== '' || i < word.length - 1)) add(replaceAt(word, i, 1, by));
  }
  for (let i = 0; i < word.length; i++) for (const by of VOICING.get(word[i]!) ?? []) add(replaceAt(word, i, 1, by));
  for (let i = 0; i < word.length; i++) {
    const twin = SIZE_TWIN.get(word[i]!);
    if (twin === undefined) continue;
    // made small only where a small kana can stand: っ after a kana, ゃゅょ after an i-row one (きよこ → きょこ)
    if (twin === 'っ' && i === 0) continue;
    if ('ゃゅょ'.includes(twin) && VOWEL_OF.get(word[i - 1] ?? '') !== 'i') continue;
    add(replaceAt(word, i, 1, twin));
  }
  // a long vowel the query left out: 「おの」 for おおの (at the end the query's own hits already have it)
  for (let i = 0; i + 1 < word.length; i++) {
    if (VOWEL_OF.get(word[i]!) === 'o' && !lengthens(word, i) && !lengthens(word, i + 1)) {
      add(replaceAt(word, i + 1, 0, 'う'));
      add(replaceAt(word, i + 1, 0, 'お'));
    }
  }
  return [...out];
}

/** Latin letters, and the macrons and circumflexes of Hepburn's long vowels (「Satō」, 「Ōno」). */
const ROMAJI_WORD = /^[a-z'āīūēōâîûêô]+$/;
const MACRON: Readonly<Record<string, string>> = { ā: 'aa', ī: 'ii', ū: 'uu', ē: 'ee', ō: 'ou', â: 'aa', î: 'ii', û: 'uu', ê: 'ee', ô: 'ou' };
/** The most kana readings of one romaji word (each long vowel left out may be う or お). */
export const MAX_ROMAJI_READINGS = 16;

/**
 * The hiragana a word typed in latin letters may stand for (the keyboard left in English mode, or
 * a name read off a passport): 「sato」 → さと (which begins さとう), 「yuko」 → ゆこ, ゆうこ, 「ohno」 →
 * おうの, おおの. Passport Hepburn leaves long vowels out or writes them oh (SATO, SATOH for さとう,
 * ONO, OHNO for おおの) and m before b, m, p (NAMBA, HOMMA): each o-row kana but the last may be
 * followed by う or お, each u-row one by う. The letters of a syllable still being typed (「sat」)
 * are left aside. The fewest added vowels first, at most `max`; [] for a word of one letter or with
 * anything but letters.
 */
export function romajiReadings(word: string, max = MAX_ROMAJI_READINGS): string[] {
  if (word.length < 2 || !ROMAJI_WORD.test(word) || max <= 0) return [];
  const hepburn = word.replace(/[āīūēōâîûêô]/g, (c) => MACRON[c]!).replace(/m(?=[bmp])/g, 'n');
  // OH and Ō are a long o, おう (さとう) or おお (おおの); passports write しんいち SHINICHI, without
  // the apostrophe of SHIN'ICHI, so an n between vowels is read both ways
  const longO = [...new Set([hepburn.replace(/oh(?![aiueoy])/g, 'ou'), hepburn.replace(/oh(?![aiueoy])|ou/g, 'oo')])];
  const spellings = [...new Set(longO.flatMap((s) => [s, s.replace(/(?<=[aiueo])n(?=[aiueoy])/g, "n'")]))];
  const out: string[] = [];
  for (const spelling of spellings) {
    const reading = kanaOf(spelling);
    if (reading !== null) for (const r of withLongVowels(reading, max - out.length)) if (!out.includes(r)) out.push(r);
  }
  return out;
}

/** The hiragana of a romaji spelling, or null when it is not romaji. */
function kanaOf(spelling: string): string | null {
  const kana = toHiragana(spelling);
  // a syllable still being typed ('sat', 'satoy') is left aside; letters anywhere else ('john') are not romaji
  const typed = /^([\u3041-\u3096ー]*)[a-z']{0,2}$/.exec(kana);
  // 「vu」 is ゔ, which the index reads as the バ row (normalize.ts)
  const reading = withoutVu(typed?.[1] ?? '');
  return reading === '' || (reading.length < 2 && reading.length !== kana.length) ? null : reading;
}

/** `reading` with each o-row kana optionally followed by う or お, each u-row one by う: the fewest additions first. */
function withLongVowels(reading: string, max: number): string[] {
  const kana = [...reading];
  // not after the last kana: a reading finds the names it begins, さと finds さとう
  const options = kana.map((k, i): readonly string[] => {
    const next = kana[i + 1];
    if (next === undefined || next === 'ん' || next === 'っ' || lengthens(reading, i) || lengthens(reading, i + 1)) return [''];
    const vowel = VOWEL_OF.get(k);
    return vowel === 'o' ? ['', 'う', 'お'] : vowel === 'u' ? ['', 'う'] : [''];
  });
  const places = options.filter((o) => o.length > 1).length;
  const out: string[] = [];
  // `left` vowels still to add from kana i on (never more than the places left to add them)
  const walk = (i: number, left: number, placesLeft: number, acc: string) => {
    if (out.length >= max || left > placesLeft) return;
    if (i === kana.length) {
      out.push(acc);
      return;
    }
    const open = options[i]!.length > 1 ? 1 : 0;
    for (const by of options[i]!) {
      if (by === '' || left > 0) walk(i + 1, by === '' ? left : left - 1, placesLeft - open, acc + kana[i] + by);
    }
  };
  // breadth first over the number of vowels added, so the bound keeps the likeliest readings
  for (let added = 0; added <= places && out.length < max; added++) walk(0, added, places, '');
  return out;
}
