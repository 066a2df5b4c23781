import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPhoneForTel, municipalityKeysOf, normalizeDigits, normalizeKana, normalizeName, normalizePhone, sameReadingSpellings } from './normalize';
import { phoneDigitsProblem } from './household-schema';

describe('normalizeKana', () => {
  it('makes katakana, hiragana and half-width katakana equal', () => {
    for (const typed of ['サトウ タロウ', 'さとう たろう', 'ｻﾄｳ ﾀﾛｳ', 'サトウ　タロウ', ' さとう\tタロウ ']) {
      expect(normalizeKana(typed)).toBe('さとうたろう');
    }
  });

  it('keeps voiced marks from half-width input', () => {
    expect(normalizeKana('ｶﾞｯｺｳ ﾊﾟﾝ')).toBe('がっこうぱん');
  });

  it('maps small kana to their hiragana (ヵ and ヶ, read カ and ケ in names, to か and け), and ヴ to the バ row', () => {
    expect(normalizeKana('ヴァイオリン')).toBe('ばいおりん');
    expect(normalizeKana('ヵヶッャ')).toBe('かけっゃ');
    expect(normalizeKana('ｳﾞｨ')).toBe('び');
  });

  it('reads シルヴァ as シルバ and ヴー as ブー: a foreign name is written with either', () => {
    expect(normalizeKana('シルヴァ')).toBe(normalizeKana('しるば'));
    expect(normalizeKana('ヴー')).toBe(normalizeKana('ブー'));
    expect(normalizeKana('ゔぇ ゔぉ ゔ')).toBe('べぼぶ');
  });

  it('reads a latin name without its marks and apostrophes, as the night keyboard types it', () => {
    expect(normalizeKana('Nguyễn Thị Hoa')).toBe('nguyenthihoa');
    expect(normalizeKana('João Gonçalves')).toBe('joaogoncalves');
    expect(normalizeKana('Anna-Lena Müller')).toBe('annalenamuller');
    expect(normalizeKana('Đặng Łódź Søren')).toBe('danglodzsoren');
    // the apostrophe as typed on a PC and as iOS types it
    expect(normalizeKana("O'Brien")).toBe('obrien');
    expect(normalizeKana('O’Brien')).toBe('obrien');
    // a kana's dakuten is no latin mark, in the same name
    expect(normalizeKana('João ガブリエル')).toBe('joaoがぶりえる');
  });

  it('drops the 「＝」 (or 「゠」) between the names of a foreign name in katakana', () => {
    expect(normalizeKana('ジョアン＝シルバ')).toBe('じょあんしるば');
    expect(normalizeKana('ジョアン゠シルバ')).toBe('じょあんしるば');
    expect(normalizeKana('う゛ぁ')).toBe('ば');
  });

  it('reads a long run of hyphens after a kana as long vowel marks, one pass over them', () => {
    expect(normalizeKana(`あ${'-'.repeat(40_000)}`)).toBe(`あ${'ー'.repeat(40_000)}`);
    expect(normalizeKana('サ-ン--タ 1-2')).toBe('さーんーーた12');
  });

  it('keeps the long vowel mark and reads a hyphen after kana as one', () => {
    expect(normalizeKana('ジョー')).toBe('じょー');
    expect(normalizeKana('ｼﾞｮｰ')).toBe('じょー');
    expect(normalizeKana('ジョ-')).toBe('じょー');
    expect(normalizeKana('ジョ－')).toBe('じょー');
    expect(normalizeKana('-さとう')).toBe('さとう');
  });

  it('drops middle dots between given and family names', () => {
    expect(normalizeKana('マリア・サントス')).toBe('まりあさんとす');
    expect(normalizeKana('ﾏﾘｱ･ｻﾝﾄｽ')).toBe('まりあさんとす');
  });

  it('lowercases latin, including full-width', () => {
    expect(normalizeKana('Ｔａｒｏ SATO')).toBe('tarosato');
  });

  it('leaves kanji untouched', () => {
    expect(normalizeKana('佐藤 陽太')).toBe('佐藤陽太');
  });

  it('folds 異体字 of one name to the common form, and keeps different names apart', () => {
    for (const [variant, common] of [['髙橋', '高橋'], ['山﨑', '山崎'], ['德永', '徳永'], ['渡邊', '渡辺'], ['渡邉', '渡辺'], ['齋藤', '斎藤'], ['齊藤', '斉藤'], ['長濱', '長浜'], ['小澤', '小沢'], ['廣田', '広田'], ['櫻井', '桜井'], ['國分', '国分']] as const) {
      expect(normalizeKana(variant), variant).toBe(normalizeKana(common));
    }
    expect(normalizeKana('ﾀｶﾊｼ 髙橋')).toBe('たかはし高橋');
    expect(normalizeKana('斎藤')).not.toBe(normalizeKana('斉藤'));
    expect(normalizeKana('川碕')).not.toBe(normalizeKana('川崎'));
  });

  it('folds the old forms and 俗字 of 渕 与 児 稲 会 万 祢 亀 団 将 彦 恒 竜, as a name written either way is one name', () => {
    const pairs = [['田淵', '田渕'], ['與田', '与田'], ['兒玉', '児玉'], ['稻垣', '稲垣'], ['會田', '会田'], ['萬田', '万田'], ['禰津', '祢津'], ['龜井', '亀井'], ['團野', '団野'], ['將太', '将太'], ['彥一', '彦一'], ['恆夫', '恒夫'], ['龍之介', '竜之介']] as const;
    for (const [old, modern] of pairs) {
      expect(normalizeKana(old), old).toBe(modern);
      expect(normalizeKana(`ﾀ ${old}`), old).toBe(`た${modern}`);
    }
  });

  it('gives a surname in kanji of one reading written the other way (斉藤 for 斎藤), one kanji at a time', () => {
    expect(sameReadingSpellings('斉藤', 8)).toEqual(['斎藤']);
    expect(sameReadingSpellings('斎藤', 8)).toEqual(['斉藤']);
    expect(sameReadingSpellings('斎崎', 8)).toEqual(['斉崎', '斎碕']);
    expect(sameReadingSpellings('斎崎', 1)).toEqual(['斉崎']);
    expect(sameReadingSpellings('佐藤', 8)).toEqual([]);
  });

  it('folds the old forms common in names (濵田, 曾根, 瀧本, 黑田…) and ヶ/ヵ, so either spelling finds the other', () => {
    const pairs = [['濵田', '浜田'], ['濱田', '浜田'], ['曾根', '曽根'], ['瀧本', '滝本'], ['實', '実'], ['榮一', '栄一'], ['大藏', '大蔵'], ['淺野', '浅野'], ['黑田', '黒田'], ['桒原', '桑原'], ['北條', '北条'], ['關', '関'], ['壽子', '寿子'], ['穗積', '穂積'], ['澁谷', '渋谷'], ['峯岸', '峰岸'], ['大嶌', '大島'], ['圓山', '円山']] as const;
    for (const [variant, common] of pairs) expect(normalizeKana(variant), variant).toBe(normalizeKana(common));
    expect(normalizeKana('三ヶ島')).toBe(normalizeKana('三ケ島'));
    expect(normalizeKana('一ヵ月')).toBe(normalizeKana('一カ月'));
    expect(normalizeKana('ケ')).toBe('け');
  });

  it('folds the old forms of elderly names (淸, 靜, 豐, 寬, 賴, 彌, 遙, 檜, 藪, 來, 增) to the forms typed today', () => {
    const pairs = [['淸', '清'], ['靜子', '静子'], ['豐田', '豊田'], ['寬治', '寛治'], ['賴子', '頼子'], ['彌生', '弥生'], ['遙', '遥'], ['檜山', '桧山'], ['藪内', '薮内'], ['來栖', '来栖'], ['增田', '増田']] as const;
    for (const [old, modern] of pairs) {
      expect(normalizeKana(old), old).toBe(modern);
      expect(normalizeKana(`ﾅｶ ${old}`), old).toBe(`なか${modern}`);
    }
  });

  it('folds the common name variants 嶋 冨 𠮷 眞 嵜 栁 舘 惠 瀨 槇, 𠮷 (outside the BMP) whole', () => {
    for (const [variant, common] of [['中嶋', '中島'], ['冨田', '富田'], ['𠮷田', '吉田'], ['眞子', '真子'], ['宮嵜', '宮崎'], ['栁田', '柳田'], ['舘野', '館野'], ['惠子', '恵子'], ['瀨戸', '瀬戸'], ['槇原', '槙原']] as const) {
      expect(normalizeKana(variant), variant).toBe(common);
      expect(normalizeKana(`ﾅｶ ${variant}`), variant).toBe(`なか${common}`);
    }
    // 𠮟 (U+20B9F) shares 𠮷's high surrogate: it stays whole, and so does a lone half
    expect(normalizeKana('𠮟る')).toBe('𠮟る');
    expect(normalizeKana('𠮷𠮟')).toBe('吉𠮟');
    expect(normalizeKana('\uD842x')).toBe('\uD842x');
  });

  it('is idempotent', () => {
    // found by the property below: the space NFKC makes of 「¸」 went, and the mark then composed
    // and a letter whose mark is inside it, with one above (Ǿ: ø and an acute)
    // and ヴ typed as う with a separate 「゛」 (NFKC makes it a space and a mark)
    for (const s of ['𝐂¸', 'C ̧', 'e ́', 'Ǿ', 'う゛ぁ']) expect(normalizeKana(normalizeKana(s)), s).toBe(normalizeKana(s));
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const once = normalizeKana(s);
        expect(normalizeKana(once)).toBe(once);
      }),
    );
  });
});

describe('normalizeName', () => {
  it('removes half- and full-width spaces and applies NFKC', () => {
    expect(normalizeName('佐藤　陽太')).toBe('佐藤陽太');
    expect(normalizeName(' 佐藤 陽太 ')).toBe('佐藤陽太');
    expect(normalizeName('ｻﾄｳ')).toBe('サトウ');
  });
});

describe('normalizePhone', () => {
  it('keeps digits only', () => {
    expect(normalizePhone('090-1234-5678')).toBe('09012345678');
    expect(normalizePhone('03 (1234) 5678')).toBe('0312345678');
    expect(normalizePhone('０９０－１２３４－５６７８')).toBe('09012345678');
  });

  it('turns the Japanese country code into the leading 0', () => {
    expect(normalizePhone('+81 90-1234-5678')).toBe('09012345678');
    expect(normalizePhone('＋８１（９０）１２３４-５６７８')).toBe('09012345678');
    expect(normalizePhone('+81 (0)90-1234-5678')).toBe('09012345678');
    expect(normalizePhone('81-90-1234-5678')).toBe('09012345678');
    expect(normalizePhone('81-3-1234-5678')).toBe('0312345678');
  });

  it('does not mistake a short search for a country code', () => {
    expect(normalizePhone('8123')).toBe('8123');
    expect(normalizePhone('81234567')).toBe('81234567');
  });

  it('leaves other countries alone', () => {
    expect(normalizePhone('+1 555 010 9999')).toBe('15550109999');
  });

  it('returns an empty string when there are no digits', () => {
    expect(normalizePhone('なし')).toBe('');
  });
});

describe('normalizeDigits', () => {
  it('reads full-width digits', () => {
    expect(normalizeDigits('１２３４５ ６７８９０')).toBe('1234567890');
    expect(normalizeDigits('12-3456-7890')).toBe('1234567890');
  });
});

describe('invisible characters pasted with a name', () => {
  it('are not part of the search key: 「山田\u200B花子」 is found as 山田花子 and やまだはなこ', () => {
    expect(normalizeName('山田\u200B花子')).toBe('山田花子');
    expect(normalizeName('山田\u00AD花子\u200D')).toBe(normalizeName('山田 花子'));
    expect(normalizeKana('やまだ\u200Bはなこ')).toBe('やまだはなこ');
    expect(normalizeKana('ヤマダ\u200Eハナコ')).toBe('やまだはなこ');
  });

  it('a variation selector (辻 + U+E0100, pasted from a municipal system) is no part of the search key', () => {
    expect(normalizeKana('辻\u{E0100}本')).toBe('辻本');
    expect(normalizeKana('辻\u{E0100}本 ﾀﾛｳ')).toBe('辻本たろう');
    expect(normalizeKana('邊\u{E0101}見')).toBe(normalizeKana('辺見'));
    expect(normalizeKana('葛\uFE00城')).toBe('葛城');
    expect(normalizeName('辻\u{E0100}本　太郎')).toBe('辻本太郎');
  });
});

describe('formatPhoneForTel', () => {
  it('dials the whole number written with wave dashes, 「_」 or 「*」 between its parts (it dialled 「090」)', () => {
    for (const written of ['090～1234～5678', '090〜1234〜5678', '090~1234~5678', '090_1234_5678', '090*1234*5678']) {
      expect(formatPhoneForTel(written), written).toBe('tel:09012345678');
    }
    expect(formatPhoneForTel('03～1234～5678（19時以降）')).toBe('tel:0312345678');
  });

  it('reads the number of a field crafted with thousands of brackets at once, as any other (a synced record froze every phone)', () => {
    // one pattern backtracking over the brackets took 38 s for 4,000 of them; each bracket is now read once
    expect(formatPhoneForTel(`${'('.repeat(5_000)}090-1234-5678`)).toBe('tel:09012345678');
    expect(formatPhoneForTel(`090-1234-5678 ${'(夜'.repeat(5_000)}`)).toBe('tel:09012345678');
  });

  it('builds a tel: href', () => {
    expect(formatPhoneForTel('090-1234-5678')).toBe('tel:09012345678');
    expect(formatPhoneForTel('+81 90-1234-5678')).toBe('tel:09012345678');
    expect(formatPhoneForTel('+1 555 010 9999')).toBe('tel:+15550109999');
  });

  it('gives null when there is nothing to dial', () => {
    expect(formatPhoneForTel('')).toBeNull();
    expect(formatPhoneForTel('未定')).toBeNull();
  });

  it('dials a number written inside a bracketed note', () => {
    expect(formatPhoneForTel('携帯（090-1234-5678 夜間可）')).toBe('tel:09012345678');
    expect(formatPhoneForTel('母（携帯 090-1234-5678）')).toBe('tel:09012345678');
    expect(formatPhoneForTel('自宅（19時以降 047-000-0000）')).toBe('tel:0470000000');
    // a number outside the note still comes first
    expect(formatPhoneForTel('047-000-0000（夜間 090-1111-2222）')).toBe('tel:0470000000');
    // the note's times are no number: 「0時以降」 is not tel:0, 「08:30〜」 not tel:08
    expect(formatPhoneForTel('携帯（0時以降 090-1234-5678）')).toBe('tel:09012345678');
    expect(formatPhoneForTel('自宅（08:30〜 047-000-0000）')).toBe('tel:0470000000');
  });

  it('dials the first number only: a note\'s digits or a second number never join it', () => {
    // The form accepts these on purpose; the call button once dialled 0901234567819.
    expect(formatPhoneForTel('090-1234-5678（19時以降）')).toBe('tel:09012345678');
    expect(formatPhoneForTel('047-000-0000 内線12')).toBe('tel:0470000000');
    expect(formatPhoneForTel('047-000-0000／090-1111-2222')).toBe('tel:0470000000');
    expect(formatPhoneForTel('夜間 080-1111-2222')).toBe('tel:08011112222');
    expect(formatPhoneForTel('03 (1234) 5678')).toBe('tel:0312345678');
    expect(formatPhoneForTel('＋81 (0)90-1234-5678')).toBe('tel:09012345678');
  });

  it('passes over a label\'s digits, and reads a number written with dots, dashes or 「・」 whole', () => {
    expect(formatPhoneForTel('24時間対応 090-1234-5678')).toBe('tel:09012345678');
    expect(formatPhoneForTel('2号棟 047-000-0000')).toBe('tel:0470000000');
    expect(formatPhoneForTel('平日9-17時 047-000-0000')).toBe('tel:0470000000');
    // a note's digits a space before the number are no part of it (once dialled 120470000000)
    expect(formatPhoneForTel('内線12 047-000-0000')).toBe('tel:0470000000');
    expect(formatPhoneForTel('内線 12 090-1234-5678')).toBe('tel:09012345678');
    expect(formatPhoneForTel('第2 ＋81 90 1234 5678')).toBe('tel:09012345678');
    expect(formatPhoneForTel('090.1234.5678')).toBe('tel:09012345678');
    expect(formatPhoneForTel('047—000—0000')).toBe('tel:0470000000');
    expect(formatPhoneForTel('０４７．０００．００００')).toBe('tel:0470000000');
    expect(formatPhoneForTel('047・000・0000')).toBe('tel:0470000000');
    expect(formatPhoneForTel('047-000-0000 090-1111-2222')).toBe('tel:0470000000');
    expect(formatPhoneForTel('03 1234 5678')).toBe('tel:0312345678');
    expect(formatPhoneForTel('+81 90 1234 5678')).toBe('tel:09012345678');
    // short numbers are dialled as they are
    expect(formatPhoneForTel('#7119')).toBe('tel:7119');
    expect(formatPhoneForTel('110')).toBe('tel:110');
  });
});

describe('a phone the form takes', () => {
  it('is refused when the button would dial only its first part (「090/1234/5678」)', () => {
    expect(phoneDigitsProblem('090/1234/5678')).toMatch(/^電話番号の区切りには「-」を使ってください/);
    expect(phoneDigitsProblem('090-1234-5678')).toBeNull();
    expect(phoneDigitsProblem('090～1234～5678')).toBeNull();
    expect(phoneDigitsProblem('047-000-0000 内線12')).toBeNull();
    expect(phoneDigitsProblem('047-000-0000／090-1111-2222')).toBeNull();
  });

  it('is refused when a number abroad is written without its 「+」 or after 010 (dialled from Japan, it reaches no one)', () => {
    for (const written of ['55 11 91234-5678', '86 138 0013 8000', '010-55-11-91234-5678', '0033-010-86-138-0013-8000']) {
      expect(phoneDigitsProblem(written), written).toMatch(/^海外の番号は「\+」と国番号から/);
    }
    expect(phoneDigitsProblem('+55 11 91234-5678')).toBeNull();
    expect(phoneDigitsProblem('(+55) 11 91234-5678')).toBeNull();
    // a Japanese number with its country code, bracketed or bare, is still Japan's
    expect(phoneDigitsProblem('(+81) 90-1234-5678')).toBeNull();
    expect(phoneDigitsProblem('81 90 1234 5678')).toBeNull();
    // a carrier's toll-free line at home is no number abroad (a ventilator maker's 24-hour line)
    for (const written of ['0077-78-0033', '0088-22-1234', '0066-33-123456', '00531-12-3456', '0120-123-456']) expect(phoneDigitsProblem(written), written).toBeNull();
  });
});

describe('a country code written in brackets', () => {
  it('dials the number shown: 「(+81) 90-1234-5678」 showed 090-1234-5678 and dialled 9012345678', () => {
    expect(formatPhoneForTel('(+81) 90-1234-5678')).toBe('tel:09012345678');
    expect(formatPhoneForTel('（＋81）90-1234-5678')).toBe('tel:09012345678');
    expect(formatPhoneForTel('(+55) 11 91234-5678')).toBe('tel:+5511912345678');
    expect(formatPhoneForTel('(+86) 138 0013 8000')).toBe('tel:+8613800138000');
    // a note in brackets is still a note
    expect(formatPhoneForTel('090-1234-5678（+1は不要）')).toBe('tel:09012345678');
  });
});

describe('municipalityKeysOf', () => {
  it('reads a 支給決定市町村 as one name with or without its prefecture, spaces, full-width letters or a small ヶ', () => {
    const keyOf = municipalityKeysOf(['千葉県松戸市', '鎌ヶ谷市', '京都府京都市', '東京都千代田区']);
    for (const typed of ['松戸市', '千葉県松戸市', '千葉県 松戸市', ' 松戸市　', '松戸市\u200b']) expect(keyOf(typed)).toBe('松戸市');
    expect(keyOf('千葉県鎌ケ谷市')).toBe('鎌ケ谷市');
    expect(keyOf('鎌ヶ谷市')).toBe('鎌ケ谷市');
    expect(keyOf('京都府京都市')).toBe('京都市');
    expect(keyOf('東京都千代田区')).toBe('千代田区');
    expect(keyOf('ＡＢＣ町')).toBe('ABC町');
  });

  it('keeps apart two towns of one name in two prefectures, a prefecture typed alone, a ward, and a city named like a prefecture', () => {
    const keyOf = municipalityKeysOf(['北海道伊達市', '福島県伊達市', '伊達市', '府中市']);
    expect(['北海道伊達市', '福島県伊達市', '伊達市'].map(keyOf)).toEqual(['北海道伊達市', '福島県伊達市', '伊達市']);
    expect(keyOf('東京都府中市')).toBe('府中市');
    expect(keyOf('北海道')).toBe('北海道');
    expect(keyOf('横浜市港北区')).toBe('横浜市港北区');
    expect(keyOf('福島市')).toBe('福島市');
    expect(keyOf('')).toBe('');
  });
});
