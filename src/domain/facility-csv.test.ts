import Encoding from 'encoding-japanese';
import { describe, expect, it } from 'vitest';
import { CLAIM_DETAIL_HEADERS, CLAIM_SUMMARY_HEADERS } from './claim-csv';
import { DISABILITY_LABELS, DISABILITY_TYPES } from './disability';
import { emptyAcceptance, emptyFacility, type Facility } from './facility';
import { FACILITY_CSV_HEADERS, FACILITY_CSV_MAX_BYTES, FACILITY_CSV_MAX_ROWS, FacilityCsvError, decodeCsvBytes, exportFacilityCsv, parseFacilityCsv } from './facility-csv';

const NOW = '2026-11-23T00:00:00.000Z';
const LATER = '2026-12-01T00:00:00.000Z';

function createFacility(overrides: Partial<Facility> = {}): Facility {
  return { ...emptyFacility('f-1', NOW), name: 'あおぞら短期入所', officeNumber: '1210100001', ...overrides };
}

function idSequence(): () => string {
  let n = 0;
  return () => `new-${++n}`;
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const utf8Bom = (s: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(s)]);
const sjis = (s: string) => new Uint8Array(Encoding.convert(Encoding.stringToCode(s), { to: 'SJIS', from: 'UNICODE' }));
/** Shift_JIS text with raw bytes between (a 外字 such as F040, a stray 0x80) that no Unicode character encodes to. */
const sjisWithBytes = (...parts: readonly (string | readonly number[])[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...sjis(p)] : p)));

/** A CSV with only the given columns, CRLF like Excel writes. */
function csv(header: readonly string[], ...rows: readonly string[][]): string {
  return [header.join(','), ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n';
}

const BASIC = ['事業所番号', '事業所名', 'サービス種別', DISABILITY_LABELS.intellectual];

describe('decodeCsvBytes', () => {
  const text = '事業所番号,事業所名\r\n1210100001,髙﨑ホーム①\r\n';

  it('reads UTF-8 without BOM', () => {
    expect(decodeCsvBytes(utf8(text))).toEqual({ text, encoding: 'UTF-8' });
  });

  it('reads UTF-8 with BOM and drops the BOM', () => {
    expect(decodeCsvBytes(utf8Bom(text))).toEqual({ text, encoding: 'UTF-8 (BOM)' });
  });

  it('reads Shift_JIS (CP932, incl. 髙 﨑 ①)', () => {
    expect(decodeCsvBytes(sjis(text))).toEqual({ text, encoding: 'Shift_JIS' });
  });

  it('refuses a NUL in a UTF-8 file with a BOM too (the hub stores no text holding one, and refused the row at every push)', () => {
    const withNul = utf8Bom('事業所番号,事業所名\r\n1210100001,あおぞら\u0000短期入所\r\n');
    expect(() => decodeCsvBytes(withNul)).toThrow(/^ファイルに表示できない制御文字（NUL）が含まれているため、取り込めません。/);
    expect(() => parseFacilityCsv(withNul, [], NOW, idSequence())).toThrow(FacilityCsvError);
  });

  it('refuses bytes that are neither, with a message the user can act on', () => {
    expect(() => decodeCsvBytes(new Uint8Array([0x82, 0x20, 0xff]))).toThrow(FacilityCsvError);
    expect(() => decodeCsvBytes(new Uint8Array([0x82, 0x20, 0xff]))).toThrow(
      '文字コードを判別できません。UTF-8 または Shift_JIS で保存してください。',
    );
  });
});

describe('parseFacilityCsv', () => {
  it('creates facilities from a CP932 file', () => {
    const file = sjis(csv(BASIC, ['１２１０１０００１０', 'ひかり園', '医療型', '者・児']));
    const preview = parseFacilityCsv(file, [], NOW, idSequence());
    expect(preview.encoding).toBe('Shift_JIS');
    expect(preview.ok).toBe(true);
    const row = preview.rows[0]!;
    expect(row).toMatchObject({ line: 2, officeNumber: '1210100010', action: 'create', errors: [] });
    expect(row.facility).toMatchObject({ id: 'new-1', name: 'ひかり園', serviceType: '医療型', createdAt: NOW });
    expect(row.facility!.acceptance.intellectual).toEqual({ adult: true, child: true, note: '' });
  });

  it('reports the line and column of a bad row in a CP932 file, and is not ok', () => {
    const file = sjis(
      csv(BASIC, ['1210100001', 'あおぞら', '福祉型', '者'], ['1210100002', 'ひかり園', '福祉型', '可'], ['1210100003', 'みどり', '福祉型', '児']),
    );
    const preview = parseFacilityCsv(file, [], NOW, idSequence());
    expect(preview.ok).toBe(false);
    expect(preview.errorCount).toBe(1);
    const bad = preview.rows.find((r) => r.errors.length > 0)!;
    expect(bad.line).toBe(3);
    expect(bad.facility).toBeNull();
    expect(bad.errors).toEqual([{ column: '知的', message: '"可" は受入の値として使えません（者・児 / 者 / 児 / 不可）' }]);
  });

  it('counts lines of a cell that spans lines when numbering later rows', () => {
    const header = ['事業所番号', '事業所名', '緊急時の受入れ依頼方法'];
    const file = utf8(csv(header, ['1210100001', 'あおぞら', '"電話で\r\n夜間は携帯へ"'], ['123', 'ひかり園', '']));
    const preview = parseFacilityCsv(file, [], NOW, idSequence());
    expect(preview.rows[0]!.facility!.emergencyRequestHow).toBe('電話で\r\n夜間は携帯へ');
    expect(preview.rows[1]).toMatchObject({ line: 4, errors: [{ column: '事業所番号', message: '事業所番号は10桁の数字です' }] });
  });

  it('refuses a row with a stray quote, which ran the next row into its cell and lost that facility', () => {
    const header = ['事業所番号', '事業所名', '緊急時の受入れ依頼方法'];
    const file = utf8(csv(header, ['1210100001', '"ひかり"ホーム', ''], ['1210100002', 'みどり園', '"夜間は携帯へ"'], ['1210100003', 'そら', '']));
    const preview = parseFacilityCsv(file, [], NOW, idSequence());
    expect(preview.ok).toBe(false);
    expect(preview.rows[0]).toMatchObject({ line: 2, facility: null, errors: [{ column: '行全体', message: expect.stringContaining('引用符 (") の使い方が正しくありません') }] });
  });

  it('keeps what a row cut short leaves out (Excel drops trailing blank cells): the stored 受入れ and notes stay', () => {
    const header = [...BASIC, DISABILITY_LABELS['physical-limb'], '緊急時の受入れ依頼方法'];
    const stored = createFacility({
      officeNumber: '1210100002',
      acceptance: { ...emptyAcceptance(), intellectual: { adult: true, child: true, note: '' }, 'physical-limb': { adult: true, child: false, note: '' } },
      emergencyRequestHow: '夜間は携帯へ',
    });
    const file = utf8(csv(header, ['1210100001', 'あおぞら', '福祉型'], ['1210100002', 'ひかり園', '福祉型']));
    const preview = parseFacilityCsv(file, [stored], NOW, idSequence());
    expect(preview.ok).toBe(true);
    const [created, updated] = preview.rows;
    expect(created!.facility!.acceptance.intellectual).toEqual({ adult: false, child: false, note: '' });
    expect(updated!.facility).toMatchObject({ acceptance: stored.acceptance, emergencyRequestHow: '夜間は携帯へ' });
    // a cell that is there and blank still means 不可
    const blank = parseFacilityCsv(utf8(csv(header, ['1210100002', 'ひかり園', '福祉型', '', '', ''])), [stored], NOW, idSequence()).rows[0]!;
    expect(blank.facility!.acceptance['physical-limb']).toEqual({ adult: false, child: false, note: '' });
    expect(blank.facility!.emergencyRequestHow).toBe('');
  });

  it('updates the record the match shows of an office registered twice (two phones offline), saying the other stays as it is', () => {
    const reported = createFacility({ id: 'f-a', name: 'ひかり園', officeNumber: '1210100002', vacancy: { beds: 1, asOf: '2026-11-22T20:00:00.000Z', reportedBy: '田中' } });
    const twin = createFacility({ id: 'f-b', name: 'ひかり園（重複）', officeNumber: '12-1010-0002', updatedAt: '2026-11-22T23:00:00.000Z' });
    const row = parseFacilityCsv(utf8(csv(BASIC, ['1210100002', 'ひかり園', '医療型'])), [twin, reported], NOW, idSequence()).rows[0]!;
    expect(row).toMatchObject({ action: 'update', stored: reported, facility: { id: 'f-a', serviceType: '医療型' } });
    expect(row.notices.map((n) => n.message)).toEqual(['同じ事業所番号の登録が2件あります。この行は受入先を探す画面に出る「ひかり園」に反映し、「ひかり園（重複）」は変えません']);
  });

  it('refuses a file larger than a city lists before reading it, saying how much it takes', () => {
    const rows = Array.from({ length: FACILITY_CSV_MAX_ROWS + 1 }, (_, i) => [String(1210100000 + i), `事業所${i}`]);
    expect(() => parseFacilityCsv(utf8(csv(['事業所番号', '事業所名'], ...rows)), [], NOW, idSequence())).toThrow(/行が多すぎます（5,001 行）。一度に取り込めるのは 5,000 件までです/);
    expect(() => parseFacilityCsv(new Uint8Array(FACILITY_CSV_MAX_BYTES + 1), [], NOW, idSequence())).toThrow(/ファイルが大きすぎます（10.0 MB）/);
  });

  it('rejects a file without a required column', () => {
    const file = utf8(csv(['事業所名', '住所'], ['あおぞら', '千葉県']));
    expect(() => parseFacilityCsv(file, [], NOW, idSequence())).toThrow(new FacilityCsvError('必須の列がありません: 事業所番号'));
  });

  it('refuses a 外字 (F040–F9FC) or a stray byte of a Shift_JIS file, naming the row and column, where it read as 「?」; a real 「?」 is taken', () => {
    const header = ['事業所番号', '事業所名', '住所'];
    const file = sjisWithBytes(
      csv(header, ['1210100001', 'なに?ホーム', '千葉県?市']),
      '1210100002,', [0xf0, 0x40], '田ホーム,千葉県\r\n',
      '1210100003,ひかり園,千葉県', [0x80], '市川市\r\n',
      '1210100004,みどり', [0xf9, 0xfc], ',千葉県\r\n',
    );
    const preview = parseFacilityCsv(file, [], NOW, idSequence());
    expect(preview).toMatchObject({ encoding: 'Shift_JIS', ok: false, errorCount: 3 });
    const [question, gaiji, stray, last] = preview.rows;
    expect(question).toMatchObject({ line: 2, errors: [], facility: { name: 'なに?ホーム', address: '千葉県?市' } });
    const unreadable = '読めない文字（Shift_JIS の外字など）が含まれています。その文字を置き換えてから取り込んでください';
    expect(gaiji).toMatchObject({ line: 3, facility: null, errors: [{ column: '事業所名', message: unreadable }] });
    expect(stray).toMatchObject({ line: 4, facility: null, errors: [{ column: '住所', message: unreadable }] });
    expect(last).toMatchObject({ line: 5, facility: null, errors: [{ column: '事業所名', message: unreadable }] });
    expect(() => parseFacilityCsv(sjisWithBytes('事業所番号,事業所', [0xf0, 0x40], '\r\n1210100001,あおぞら\r\n'), [], NOW, idSequence())).toThrow(
      new FacilityCsvError(`1行目の見出し「事業所■」に${unreadable}。`),
    );
  });

  it('refuses a 相談強化加算 claim CSV (it too has 事業所名 and 事業所番号), even with one row, saying which file it is', () => {
    const officeRow = (headers: readonly string[]) => headers.map((h) => (h === '事業所番号' ? '1210100001' : h === '事業所名' ? 'あおぞら短期入所' : ''));
    const message = new FacilityCsvError('これは相談強化加算の請求用CSVです。短期入所事業所の一覧のCSVを選んでください。');
    expect(() => parseFacilityCsv(utf8Bom(csv(CLAIM_DETAIL_HEADERS, officeRow(CLAIM_DETAIL_HEADERS))), [], NOW, idSequence())).toThrow(message);
    expect(() => parseFacilityCsv(sjis(csv(CLAIM_SUMMARY_HEADERS, officeRow(CLAIM_SUMMARY_HEADERS))), [], NOW, idSequence())).toThrow(message);
    // a city's list with a column or two a claim file also has (メモ, 氏名) is still a list
    const list = parseFacilityCsv(utf8(csv(['事業所番号', '事業所名', 'メモ', '氏名'], ['1210100001', 'あおぞら', '', ''])), [], NOW, idSequence());
    expect(list).toMatchObject({ ok: true, ignoredColumns: ['メモ', '氏名'] });
    // three such common words, none of them a claim file's own (its month, a record's id, a count): still a list
    const words = parseFacilityCsv(utf8(csv(['事業所番号', '事業所名', 'メモ', '氏名', '結果'], ['1210100001', 'あおぞら', '', '', ''])), [], NOW, idSequence());
    expect(words).toMatchObject({ ok: true, ignoredColumns: ['メモ', '氏名', '結果'] });
  });

  it('refuses a row whose record the hub would refuse for its size, naming the longest column', () => {
    const header = ['事業所番号', '事業所名', '住所', '緊急時の受入れ依頼方法'];
    const file = utf8(csv(header, ['1210100001', 'あおぞら', '千葉県', 'あ'.repeat(50_000)], ['1210100002', 'ひかり園', '千葉県', '電話で']));
    const preview = parseFacilityCsv(file, [], NOW, idSequence());
    expect(preview).toMatchObject({ ok: false, errorCount: 1 });
    expect(preview.rows[0]).toMatchObject({
      line: 2,
      facility: null,
      errors: [{ column: '緊急時の受入れ依頼方法', message: expect.stringMatching(/^記録が大きすぎて保存できません（\d+ KB、上限 128 KB）。「緊急時の受入れ依頼方法」の文章を短くしてから取り込んでください。$/) }],
    });
    expect(preview.rows[1]).toMatchObject({ errors: [], facility: { name: 'ひかり園' } });
  });

  it('refuses a file whose header is below a title row, saying on which line it is, rather than that columns are missing', () => {
    const title = '短期入所事業所一覧（令和8年4月1日現在）,,,\r\n';
    const rows = csv(BASIC, ['1210100001', 'あおぞら', '福祉型', '者']);
    expect(() => parseFacilityCsv(sjis(title + rows), [], NOW, idSequence())).toThrow(
      new FacilityCsvError('見出しの行が1行目にありません（2行目にあります）。その上の行を削除してから取り込んでください。'),
    );
    expect(() => parseFacilityCsv(utf8(title + '\r\n担当: 障害福祉課\r\n' + rows), [], NOW, idSequence())).toThrow(/（4行目にあります）/);
    // further down it is not taken for a header
    expect(() => parseFacilityCsv(utf8(title + 'メモ\r\n'.repeat(10) + rows), [], NOW, idSequence())).toThrow(new FacilityCsvError('必須の列がありません: 事業所番号、事業所名'));
  });

  it('rejects a malformed 事業所番号', () => {
    const file = utf8(csv(BASIC, ['12101-000O', 'あおぞら', '福祉型', ''], ['10100001', 'ひかり園', '福祉型', '']));
    const [first, second] = parseFacilityCsv(file, [], NOW, idSequence()).rows;
    expect(first!.errors).toEqual([{ column: '事業所番号', message: '事業所番号は10桁の数字です' }]);
    expect(second!.errors).toEqual([{ column: '事業所番号', message: '事業所番号は10桁の数字です' }]);
  });

  it('takes a 事業所番号 written in groups or in full-width digits, and an e-mail with a full-width ＠, as the form does', () => {
    const file = utf8(csv(['事業所番号', '事業所名', 'メール'], ['12-1010-0001', 'あおぞら', 'info＠example．jp'], ['１２１０１００００２', 'ひかり園', '']));
    const preview = parseFacilityCsv(file, [], NOW, idSequence());
    expect(preview.rows.map((r) => r.errors)).toEqual([[], []]);
    expect(preview.rows.map((r) => r.facility?.officeNumber)).toEqual(['1210100001', '1210100002']);
    expect(preview.rows[0]!.facility?.email).toBe('info@example.jp');
  });

  it('puts back the leading 0 Excel drops from a 事業所番号 and phone numbers, naming the row and column', () => {
    const header = ['事業所番号', '事業所名', '電話番号', '夜間連絡先', 'FAX'];
    const file = utf8(csv(header, ['110100001', 'あおぞら', '471234567', '9012345678', '471234568'], ['0110100002', 'ひかり園', '047-123-4567', '+81471234567', '12345678']));
    const preview = parseFacilityCsv(file, [], NOW, idSequence());
    expect(preview.ok).toBe(true);
    const [hokkaido, untouched] = preview.rows;
    expect(hokkaido!.facility).toMatchObject({ officeNumber: '0110100001', phone: '0471234567', nightPhone: '09012345678', fax: '0471234568' });
    expect(hokkaido!.notices).toEqual([
      { column: '事業所番号', message: '先頭の0を補いました: 0110100001（Excel で保存すると消えることがあります）' },
      { column: '電話番号', message: '先頭の0を補いました: 0471234567（Excel で保存すると消えることがあります）' },
      { column: '夜間連絡先', message: '先頭の0を補いました: 09012345678（Excel で保存すると消えることがあります）' },
      { column: 'FAX', message: '先頭の0を補いました: 0471234568（Excel で保存すると消えることがあります）' },
    ]);
    // hyphens, too few digits or a + are not what Excel makes of a number: left as written
    expect(untouched!.facility).toMatchObject({ phone: '047-123-4567', nightPhone: '+81471234567', fax: '12345678' });
    expect(untouched!.notices).toEqual([]);
  });

  it('refuses a 電話番号 or 夜間連絡先 that cannot be dialled, naming the cell; the FAX is kept as written', () => {
    const header = ['事業所番号', '事業所名', '電話番号', '夜間連絡先', 'FAX'];
    const file = utf8(csv(header, ['0110100001', 'あおぞら', '047-123-456', '090-1234-567', '12345'], ['0110100002', 'ひかり園', '047-123-4567（代表）', '090-1234-5678 夜間のみ', '']));
    const preview = parseFacilityCsv(file, [], NOW, idSequence());
    expect(preview.ok).toBe(false);
    const [short, fine] = preview.rows;
    expect(short!.errors).toEqual([
      { column: '電話番号', message: '"047-123-456": 電話番号の桁数が足りません' },
      { column: '夜間連絡先', message: '"090-1234-567": 携帯電話・IP電話の番号は11桁です（桁を確かめてください）' },
    ]);
    expect(fine!.errors).toEqual([]);
    expect(fine!.facility).toMatchObject({ phone: '047-123-4567（代表）', nightPhone: '090-1234-5678 夜間のみ' });
  });

  it('takes a facility\'s own stored number back as it is (an export read in again), and says what to write for no number', () => {
    const header = ['事業所番号', '事業所名', '電話番号', '夜間連絡先'];
    const held = createFacility({ officeNumber: '0110100001', name: 'あおぞら', phone: '047-123-4567', nightPhone: '－' });
    const file = utf8(csv(header, ['0110100001', 'あおぞら', '047-123-4567', '－'], ['0110100002', 'ひかり園', 'なし', '']));
    const [again, fresh] = parseFacilityCsv(file, [held], NOW, idSequence()).rows;
    expect(again!.errors).toEqual([]);
    expect(fresh!.errors).toEqual([{ column: '電話番号', message: '"なし": 番号がないときは空欄にしてください（「なし」「－」などは書けません）' }]);
  });

  it('takes a 9-digit 事業所番号 among numbers starting 1-9 for a digit missing, not a lost 0: a row error with both readings', () => {
    const file = utf8(csv(['事業所番号', '事業所名'], ['1312345678', 'あおぞら'], ['131234567', 'ひかり園']));
    const preview = parseFacilityCsv(file, [], NOW, idSequence());
    expect(preview.ok).toBe(false);
    expect(preview.rows[1]!.errors).toEqual([
      { column: '事業所番号', message: '事業所番号は10桁の数字です（9桁です。1桁抜けていないか確認してください。Excel で先頭の0が消えた場合は 0131234567 です）' },
    ]);
    // one that names a facility held is that facility's, whatever the rest of the file
    const held = createFacility({ officeNumber: '0110100001', name: 'ほくと' });
    const mixed = parseFacilityCsv(utf8(csv(['事業所番号', '事業所名'], ['1312345678', 'あおぞら'], ['110100001', 'ほくと'])), [held], NOW, idSequence());
    expect(mixed.rows[1]).toMatchObject({ officeNumber: '0110100001', action: 'unchanged', errors: [] });
  });

  it('reads a list saved again by Excel (leading 0s lost) as unchanged', () => {
    const stored = createFacility({ officeNumber: '0110100001', phone: '0471234567', nightPhone: '09012345678' });
    const file = utf8(csv(['事業所番号', '事業所名', '電話番号', '夜間連絡先'], ['110100001', 'あおぞら短期入所', '471234567', '9012345678']));
    const row = parseFacilityCsv(file, [stored], LATER, idSequence()).rows[0]!;
    expect(row.action).toBe('unchanged');
    expect(row.facility).toBe(stored);
  });

  it('reads the 受入 columns under the headings the city form prints (障がい / 障害, 医療的ケアを必要とする方)', () => {
    const header = ['事業所番号', '事業所名', '知的障がい', '知的障がい 備考', '精神障害', '発達障がい', '医療的ケアを必要とする方', '身体障がい（視覚）', '身体障害 肢体不自由', '重症心身障がい'];
    const preview = parseFacilityCsv(utf8(csv(header, ['1210100001', 'あおぞら', '者・児', '行動障害は要相談', '者', '児', '者', '児', '者・児', '者'])), [], NOW, idSequence());
    expect(preview.ignoredColumns).toEqual([]);
    expect(preview.acceptanceUnread).toBe(false);
    const a = preview.rows[0]!.facility!.acceptance;
    expect(a.intellectual).toEqual({ adult: true, child: true, note: '行動障害は要相談' });
    expect(a.mental).toMatchObject({ adult: true, child: false });
    expect(a.developmental).toMatchObject({ adult: false, child: true });
    expect(a['medical-care']).toMatchObject({ adult: true, child: false });
    expect(a['physical-visual']).toMatchObject({ adult: false, child: true });
    expect(a['physical-limb']).toMatchObject({ adult: true, child: true });
    expect(a['severe-multiple']).toMatchObject({ adult: true, child: false });
  });

  it('names both headers when a file holds one 受入 column twice, under two spellings', () => {
    const file = utf8(csv(['事業所番号', '事業所名', '知的', '知的障がい'], ['1210100001', 'あおぞら', '者', '児']));
    expect(() => parseFacilityCsv(file, [], NOW, idSequence())).toThrow('列「知的」と「知的障がい」は同じ列（知的）です。どちらか一方を削除してください。');
  });

  it('flags a file whose 受入 columns are not read at all, or that has 身体障がい without its type', () => {
    const flag = (header: string[]) => parseFacilityCsv(utf8(csv(header, header.map(() => ''))), [], NOW, idSequence()).acceptanceUnread;
    expect(flag(['事業所番号', '事業所名', '知的障がい者', '精神障がい者'])).toBe(true);
    expect(flag(['事業所番号', '事業所名', '知的', '身体障がい'])).toBe(true);
    expect(flag(['事業所番号', '事業所名', '知的', 'No.'])).toBe(false);
    // nothing unread: a list of names and addresses only says nothing about 受入れ
    expect(flag(['事業所番号', '事業所名', '住所'])).toBe(false);
  });

  it('keeps the stored 定員 when the cell is blank, and takes a new facility\'s blank 定員 as 0, saying so', () => {
    const stored = createFacility({ capacity: 20 });
    const file = utf8(csv(['事業所番号', '事業所名', '定員'], ['1210100001', 'あおぞら短期入所', ''], ['1210100002', 'ひかり園', ' ']));
    const [kept, created] = parseFacilityCsv(file, [stored], LATER, idSequence()).rows;
    expect(kept).toMatchObject({ action: 'unchanged', facility: { capacity: 20 } });
    expect(created).toMatchObject({ line: 3, action: 'create', facility: { capacity: 0 }, errors: [], notices: [{ column: '定員', message: '定員が空のため0として取り込みます。事業所の画面で正しい定員を入れてください' }] });
  });

  it('refuses an e-mail address the form would refuse, naming the row', () => {
    const file = utf8(csv(['事業所番号', '事業所名', 'メール'], ['1210100001', 'あおぞら', 'tanki@example'], ['1210100002', 'ひかり園', 'tanki@example.jp'], ['1210100003', 'みどり', '']));
    const preview = parseFacilityCsv(file, [], NOW, idSequence());
    expect(preview.ok).toBe(false);
    expect(preview.rows.map((r) => r.errors)).toEqual([[{ column: 'メール', message: '"tanki@example" はメールアドレスの形式ではありません（例：tanki@example.jp）' }], [], []]);
  });

  it('rejects unknown service types, labels, counts and dates, naming each column', () => {
    const header = ['事業所番号', '事業所名', 'サービス種別', '拠点機能', '対応できる医療的ケア', '定員', '空床数', '空床報告日時'];
    const file = utf8(csv(header, ['1210100001', 'あおぞら', '介護型', '相談・夜勤', '胃ろう・腸ろう・点滴', '十', '2', '2026-02-30 10:00']));
    const row = parseFacilityCsv(file, [], NOW, idSequence()).rows[0]!;
    expect(row.errors.map((e) => e.column)).toEqual(['サービス種別', '拠点機能', '対応できる医療的ケア', '定員', '空床報告日時']);
    expect(row.errors.find((e) => e.column === '拠点機能')!.message).toContain('"夜勤"');
    expect(row.errors.find((e) => e.column === '対応できる医療的ケア')!.message).toContain('"点滴"');
  });

  it('refuses 空床数 1000 naming the line (the hub takes at most 999, and refused every later report of the facility), and still takes a 定員 of 1000', () => {
    const header = ['事業所番号', '事業所名', '定員', '空床数', '空床報告日時'];
    const file = utf8(csv(header, ['1210100001', 'あおぞら', '1000', '999', '2026-11-23 08:00'], ['1210100002', 'みどり', '20', '1000', '2026-11-23 08:00']));
    const preview = parseFacilityCsv(file, [], NOW, idSequence());
    expect(preview.ok).toBe(false);
    const [ok, over] = preview.rows;
    expect(ok!.errors).toEqual([]);
    expect(ok!.facility).toMatchObject({ capacity: 1000, vacancy: { beds: 999 } });
    expect(over!.line).toBe(3);
    expect(over!.errors).toEqual([{ column: '空床数', message: '空床数は0〜999の整数です' }]);
  });

  it('refuses a 空床報告日時 in the future, naming the line and the column', () => {
    const header = ['事業所番号', '事業所名', 'サービス種別', '空床数', '空床報告日時'];
    // NOW is 2026-11-23 09:00 in Japan: two days later is a future report; an hour ago is fine
    const file = utf8(csv(header, ['1210100001', 'あおぞら', '福祉型', '2', '2026-11-23 08:00'], ['1210100002', 'みどり', '福祉型', '1', '2026-11-25 09:00']));
    const [ok, future] = parseFacilityCsv(file, [], NOW, idSequence()).rows;
    expect(ok!.errors).toEqual([]);
    expect(future!.line).toBe(3);
    expect(future!.errors).toEqual([{ column: '空床報告日時', message: expect.stringMatching(/^空床報告日時 2026-11-25 09:00 が未来になっています/) }]);
    expect(future!.facility).toBeNull();
  });

  it('keeps the stored bed report against a file that is older, blank, or the same report exported (its weekend dates and note kept)', () => {
    const header = ['事業所番号', '事業所名', 'サービス種別', '空床数', '空床報告日時', '空床報告者'];
    const weekend = { beds: 2, asOf: '2026-11-22T23:00:00.000Z', reportedBy: '田中', from: '2026-11-28', until: '2026-11-29', note: '個室' };
    const stored = createFacility({ serviceType: '福祉型', vacancy: weekend });
    const parse = (row: string[]) => parseFacilityCsv(utf8(csv(header, row)), [stored], NOW, idSequence()).rows[0]!;
    // exported and imported again: the same report, unchanged
    expect(parse(['1210100001', 'あおぞら短期入所', '福祉型', '2', '2026-11-23 08:00', '田中'])).toMatchObject({ action: 'unchanged' });
    // a file from last week, and one with the bed columns left blank
    expect(parse(['1210100001', 'あおぞら短期入所', '福祉型', '0', '2026-11-16 08:00', '佐藤']).facility!.vacancy).toEqual(weekend);
    expect(parse(['1210100001', 'あおぞら短期入所', '福祉型', '', '', '']).facility!.vacancy).toEqual(weekend);
    // a newer report replaces it, and the stored one goes to the history
    const newer = parse(['1210100001', 'あおぞら短期入所', '福祉型', '0', '2026-11-23 08:30', '佐藤']).facility!;
    expect(newer.vacancy).toEqual({ beds: 0, asOf: '2026-11-22T23:30:00.000Z', reportedBy: '佐藤' });
    expect(newer.vacancyHistory).toEqual([weekend]);
  });

  it('reads labels that themselves contain 「・」, joined by 「・」 or 「、」', () => {
    const header = ['事業所番号', '事業所名', '拠点機能', '対応できる医療的ケア', '空床数', '空床報告日時'];
    const file = utf8(csv(header, ['1210100001', 'あおぞら', '緊急時の受け入れ・対応・相談', '胃ろう・腸ろう、喀痰吸引', '1', '2026/11/23 2:10']));
    const f = parseFacilityCsv(file, [], NOW, idSequence()).rows[0]!.facility!;
    expect(f.hubFunctions).toEqual(['consultation', 'emergency-acceptance']);
    expect(f.medicalCare).toEqual(['suction', 'gastrostomy']);
    expect(f.vacancy).toEqual({ beds: 1, asOf: '2026-11-22T17:10:00.000Z', reportedBy: '' });
  });

  it('accepts 者児 / 両方 / blank and half-width parentheses in headers', () => {
    const header = ['事業所番号', '事業所名', '身体(視覚)', '知的', '精神'];
    const file = utf8(csv(header, ['1210100001', 'あおぞら', '者児', '両方', '']));
    const a = parseFacilityCsv(file, [], NOW, idSequence()).rows[0]!.facility!.acceptance;
    expect(a['physical-visual']).toMatchObject({ adult: true, child: true });
    expect(a.intellectual).toMatchObject({ adult: true, child: true });
    expect(a.mental).toMatchObject({ adult: false, child: false });
  });

  it('rejects a 事業所番号 that appears twice in the file, pointing at the first', () => {
    const file = utf8(csv(BASIC, ['1210100001', 'あおぞら', '福祉型', ''], ['1210100001', 'あおぞら別館', '福祉型', '']));
    const preview = parseFacilityCsv(file, [], NOW, idSequence());
    expect(preview.ok).toBe(false);
    expect(preview.rows[1]!.errors).toEqual([{ column: '事業所番号', message: '事業所番号 1210100001 が 2 行目と重複しています' }]);
  });

  it('updates by 事業所番号 on re-import, keeping id and createdAt; unchanged rows are marked so', () => {
    const stored = [
      createFacility({ id: 'a', officeNumber: '1210100001', name: 'あおぞら', address: '旧住所' }),
      createFacility({ id: 'b', officeNumber: '1210100002', name: 'ひかり園' }),
    ];
    const file = utf8(csv(['事業所番号', '事業所名', '住所'], ['1210100001', 'あおぞら', '新住所'], ['1210100002', 'ひかり園', ''], ['1210100003', 'みどり', '']));
    const preview = parseFacilityCsv(file, stored, LATER, idSequence());
    expect(preview.rows.map((r) => r.action)).toEqual(['update', 'unchanged', 'create']);
    expect(preview.rows[0]!.facility).toMatchObject({ id: 'a', address: '新住所', createdAt: NOW, updatedAt: LATER });
    expect(preview.rows[1]!.facility).toBe(stored[1]);
    expect(preview.rows[2]!.facility).toMatchObject({ id: 'new-1', createdAt: LATER });
  });

  it('lists what an update changes, field by field with the value before and after, flagging a 受入れ narrowed and a phone number changed', () => {
    const acceptance = { ...emptyAcceptance(), intellectual: { adult: true, child: true, note: '' }, mental: { adult: true, child: false, note: '' } };
    const stored = createFacility({ id: 'a', nightPhone: '090-1234-5678', liaison: '山田', acceptance });
    const header = ['事業所番号', '事業所名', '夜間連絡先', '連携担当者', '電話番号', DISABILITY_LABELS.intellectual, DISABILITY_LABELS.mental, `${DISABILITY_LABELS.mental} 備考`];
    const file = utf8(csv(header, ['1210100001', 'あおぞら短期入所', '047-111-2222', '佐藤', '047-000-0000', '不可', '者・児', '要相談']));
    const [row] = parseFacilityCsv(file, [stored], LATER, idSequence()).rows;
    expect(row!.action).toBe('update');
    expect(row!.changes).toEqual([
      { field: 'phone', before: '', after: '047-000-0000', alert: null },
      { field: 'nightPhone', before: '090-1234-5678', after: '047-111-2222', alert: 'phoneChanged' },
      { field: 'liaison', before: '山田', after: '佐藤', alert: null },
      { field: 'acceptance', type: 'intellectual', before: '者・児', after: '不可', alert: 'acceptanceNarrowed' },
      { field: 'acceptance', type: 'mental', before: '者', after: '者・児', alert: null },
      { field: 'acceptanceNote', type: 'mental', before: '', after: '要相談', alert: null },
    ]);
    // 者・児 → 者 takes the 児 away: narrowed too; a row that changes nothing lists nothing
    const child = parseFacilityCsv(utf8(csv(['事業所番号', '事業所名', DISABILITY_LABELS.intellectual], ['1210100001', 'あおぞら短期入所', '者'])), [stored], LATER, idSequence()).rows[0]!;
    expect(child.changes).toEqual([{ field: 'acceptance', type: 'intellectual', before: '者・児', after: '者', alert: 'acceptanceNarrowed' }]);
    const same = parseFacilityCsv(utf8(csv(['事業所番号', '事業所名', '連携担当者'], ['1210100001', 'あおぞら短期入所', '山田'])), [stored], LATER, idSequence()).rows[0]!;
    expect(same).toMatchObject({ action: 'unchanged', changes: [] });
    // a 休止 from the file takes the office out of the match for its days: flagged; its end is not
    const closing = parseFacilityCsv(utf8(csv(['事業所番号', '事業所名', '休止・廃止', '休止・廃止の開始日'], ['1210100001', 'あおぞら短期入所', '休止', '2026-12-10'])), [stored], LATER, idSequence()).rows[0]!;
    expect(closing.changes).toMatchObject([{ field: 'closure', alert: 'closed' }]);
    const reopened = parseFacilityCsv(utf8(csv(['事業所番号', '事業所名', '休止・廃止'], ['1210100001', 'あおぞら短期入所', ''])), [closing.facility!], LATER, idSequence()).rows[0]!;
    expect(reopened.changes).toMatchObject([{ field: 'closure', alert: null }]);
  });

  it('ignores unknown columns but lists them, and skips blank rows', () => {
    const file = utf8(csv(['No.', '事業所番号', '事業所名'], ['1', '1210100001', 'あおぞら'], ['', '', '']));
    const preview = parseFacilityCsv(file, [], NOW, idSequence());
    expect(preview.ignoredColumns).toEqual(['No.']);
    expect(preview.rows).toHaveLength(1);
  });
});

describe('休止・廃止 in the file', () => {
  const HEADER = ['事業所番号', '事業所名', '休止・廃止', '休止・廃止の開始日', '休止の最終日', '休止・廃止の備考'];
  const read = (cells: readonly string[], stored: readonly Facility[] = []) => parseFacilityCsv(utf8(csv(HEADER, ['1210100001', 'あおぞら短期入所', ...cells])), stored, NOW, idSequence()).rows[0]!;

  it('reads a 休止 with its days (as Excel rewrites them too) and a 廃止', () => {
    expect(read(['休止', '2026/12/10', '2026/12/20', '改修']).facility!.closure).toEqual({ kind: 'suspended', from: '2026-12-10', until: '2026-12-20', note: '改修' });
    expect(read(['廃止', '2026-12-01', '', '']).facility!.closure).toEqual({ kind: 'closed', from: '2026-12-01', until: null, note: '' });
  });

  it('refuses a row whose closure the form would refuse, naming the cell', () => {
    expect(read(['閉鎖', '2026-12-10', '', '']).errors).toEqual([{ column: '休止・廃止', message: '"閉鎖" は使えません（休止 / 廃止、運営中なら空欄）' }]);
    expect(read(['休止', '12月10日', '', '']).errors[0]!.column).toBe('休止・廃止の開始日');
    expect(read(['休止', '2026-12-10', '2026-12-09', '']).errors).toEqual([{ column: '休止の最終日', message: '休止の最終日が開始日より前になっています' }]);
    expect(read(['廃止', '2026-12-10', '2026-12-20', '']).errors[0]!.column).toBe('休止の最終日');
    expect(read(['', '2026-12-10', '', '']).errors[0]!.column).toBe('休止・廃止');
  });

  it('clears a stored closure on blank cells, said in the preview; a file without the columns keeps it', () => {
    const stored = createFacility({ closure: { kind: 'closed', from: '2026-12-01', until: null, note: '' } });
    const blank = read(['', '', '', ''], [stored]);
    expect(blank.facility!.closure).toBeNull();
    expect(blank.notices).toEqual([{ column: '休止・廃止', message: '空欄のため、いまの値（廃止 2026-12-01〜）を消します' }]);
    const without = parseFacilityCsv(utf8(csv(['事業所番号', '事業所名'], ['1210100001', 'あおぞら短期入所'])), [stored], NOW, idSequence()).rows[0]!;
    expect(without.action).toBe('unchanged');
    expect(without.facility!.closure).toEqual(stored.closure);
  });
});

describe('exportFacilityCsv', () => {
  const acceptance = { ...emptyAcceptance() };
  for (const [i, t] of DISABILITY_TYPES.entries()) acceptance[t] = { adult: i % 2 === 0, child: i % 3 === 0, note: i === 0 ? '要相談, "夜間"は不可' : '' };
  const full = createFacility({
    id: 'a',
    officeNumber: '0110100001',
    name: '髙﨑ホーム①',
    serviceType: '医療型',
    unitType: '空床型',
    address: '千葉県市川市八幡1-1-1',
    area: '北部',
    phone: '047-000-0000',
    nightPhone: '+81 90-0000-0000',
    fax: '047-000-0001',
    email: 'info@example.jp',
    hubFunctions: ['consultation', 'emergency-acceptance', 'experience'],
    liaison: '山田 花子',
    capacity: 12,
    acceptance,
    medicalCare: ['suction', 'gastrostomy', 'catheter'],
    emergencyRequestHow: '=まず電話\n夜間は携帯へ',
    vacancy: { beds: 2, asOf: '2026-11-22T17:10:00.000Z', reportedBy: '佐藤' },
    closure: { kind: 'suspended', from: '2026-12-10', until: '2026-12-20', note: '改修工事' },
  });
  const bare = createFacility({ id: 'b', officeNumber: '1210100002', name: 'ひかり園' });

  it('leaves the beds blank for a report of dates ahead: read back, the weekend\'s beds would be tonight\'s', () => {
    const weekend = createFacility({ id: 'c', officeNumber: '1210100003', name: 'あおば荘', vacancy: { beds: 2, asOf: '2026-11-22T01:00:00.000Z', reportedBy: '佐藤', from: '2026-11-28', until: '2026-11-29', note: '土曜の夜のみ' } });
    const rows = parseFacilityCsv(exportFacilityCsv([weekend, full], 'UTF-8'), [], LATER, idSequence()).rows;
    expect(rows.map((r) => r.facility?.vacancy ?? null)).toEqual([null, expect.objectContaining({ beds: 2, reportedBy: '佐藤' })]);
  });

  it('writes the report for now that a report of dates ahead replaced, not blank beds', () => {
    const tonight = { beds: 0, asOf: '2026-11-21T23:00:00.000Z', reportedBy: '田中' };
    const older = { beds: 3, asOf: '2026-11-20T23:00:00.000Z', reportedBy: '田中' };
    const weekend = createFacility({ id: 'c', officeNumber: '1210100003', name: 'あおば荘', vacancy: { beds: 2, asOf: '2026-11-22T01:00:00.000Z', reportedBy: '佐藤', from: '2026-11-28', until: '2026-11-29' }, vacancyHistory: [older, tonight] });
    const [row] = parseFacilityCsv(exportFacilityCsv([weekend], 'UTF-8'), [], LATER, idSequence()).rows;
    expect(row!.facility?.vacancy).toEqual(expect.objectContaining({ beds: 0, reportedBy: '田中' }));
    // on one of the weekend's nights its beds are tonight's, not Friday's 満床
    const saturday = Date.parse('2026-11-28T12:00:00.000Z');
    const [onTheNight] = parseFacilityCsv(exportFacilityCsv([weekend], 'UTF-8', saturday), [], LATER, idSequence()).rows;
    expect(onTheNight!.facility?.vacancy).toEqual(expect.objectContaining({ beds: 2, reportedBy: '佐藤' }));
  });

  for (const encoding of ['UTF-8', 'Shift_JIS'] as const) {
    it(`round-trips every field through ${encoding}`, () => {
      const bytes = exportFacilityCsv([full, bare], encoding);
      // the note of two lines starting with = is written as text for Excel, and read back without the '
      expect(decodeCsvBytes(bytes).text).toMatch(/"'=まず電話\r?\n夜間は携帯へ"/);
      const preview = parseFacilityCsv(bytes, [], LATER, idSequence());
      expect(preview.encoding).toBe(encoding === 'UTF-8' ? 'UTF-8 (BOM)' : 'Shift_JIS');
      expect(preview.ok).toBe(true);
      const strip = ({ id: _id, createdAt: _c, updatedAt: _u, ...rest }: Facility) => rest;
      expect(preview.rows.map((r) => strip(r.facility!))).toEqual([full, bare].map(strip));
    });

    it(`re-importing its own ${encoding} export changes nothing`, () => {
      const preview = parseFacilityCsv(exportFacilityCsv([full, bare], encoding), [full, bare], LATER, idSequence());
      expect(preview.rows.map((r) => r.action)).toEqual(['unchanged', 'unchanged']);
    });
  }

  it('re-importing an untouched export keeps 拠点機能 and 医療的ケア in the order they were ticked', () => {
    const ticked = createFacility({ hubFunctions: ['specialists', 'consultation'], medicalCare: ['insulin', 'suction'] });
    for (const encoding of ['UTF-8', 'Shift_JIS'] as const) {
      const preview = parseFacilityCsv(exportFacilityCsv([ticked], encoding), [ticked], LATER, idSequence());
      expect(preview.rows[0]).toMatchObject({ action: 'unchanged' });
    }
    // an update of another field keeps the stored order too
    const text = decodeCsvBytes(exportFacilityCsv([ticked], 'UTF-8')).text.replace('あおぞら短期入所,福祉型,単独型,', 'あおぞら短期入所,福祉型,単独型,新住所');
    const updated = parseFacilityCsv(utf8(text), [ticked], LATER, idSequence()).rows[0]!;
    expect(updated.action).toBe('update');
    expect(updated.facility).toMatchObject({ address: '新住所', hubFunctions: ['specialists', 'consultation'], medicalCare: ['insulin', 'suction'] });
  });

  it('reads back text a Shift_JIS round trip changed (〜 → ～, − → －, …) as unchanged, keeping the stored text', () => {
    const acceptance = { ...emptyAcceptance(), intellectual: { adult: true, child: false, note: '¢£¬‖ は読み替え' } };
    const stored = createFacility({ emergencyRequestHow: '平日9時〜17時は代表電話へ', address: '八幡1−1−1', acceptance });
    const preview = parseFacilityCsv(exportFacilityCsv([stored], 'Shift_JIS'), [stored], LATER, idSequence());
    expect(preview.rows[0]).toMatchObject({ action: 'unchanged' });
    expect(preview.rows[0]!.facility).toBe(stored);
    // — (U+2014, typed on a Mac) comes back from CP932 as ― (U+2015); a real change is still one
    const dashed = createFacility({ liaison: '山田—花子', address: '八幡1−1−1' });
    const file = sjis(csv(['事業所番号', '事業所名', '連携担当者', '住所'], ['1210100001', 'あおぞら短期入所', '山田―花子', '八幡2－1－1']));
    const row = parseFacilityCsv(file, [dashed], LATER, idSequence()).rows[0]!;
    expect(row.action).toBe('update');
    expect(row.facility).toMatchObject({ liaison: '山田—花子', address: '八幡2－1－1' });
  });

  it('writes the shared header row first', () => {
    const text = decodeCsvBytes(exportFacilityCsv([], 'UTF-8')).text;
    expect(text).toBe(FACILITY_CSV_HEADERS.join(',') + '\r\n');
  });

  it('refuses Shift_JIS when a character cannot be represented, instead of writing "?"', () => {
    expect(() => exportFacilityCsv([createFacility({ name: 'にこにこ😀' })], 'Shift_JIS')).toThrow(/😀.*UTF-8/);
  });
});
