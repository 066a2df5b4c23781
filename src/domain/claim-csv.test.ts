import { COUNTERSIGN_LABELS, type CountersignLookup } from './countersign-status';
import Encoding from 'encoding-japanese';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { appendEntries, contactBody, openBody } from '../../test/factories/emergency-case';
import { foldCase } from './case-fold';
import {
  CLAIM_DETAIL_HEADERS,
  CLAIM_SUMMARY_HEADERS,
  ClaimCsvError,
  assertExportable,
  casesForMonth,
  claimDetailCsv,
  claimExportFileName,
  claimSummaryCsv,
  encodeClaimCsv,
  entryCells,
  exportMonthOf,
} from './claim-csv';
import { asWrittenInCsv } from './csv-text';
import type { ClaimDecision, ClaimSummaryRow } from './claim-types';
import {
  DEFAULT_CLAIM_FACTS,
  type Actor,
  type CaseSubject,
  type ContactBody,
  type Current,
  type EmergencyCase,
  type Office,
  type OpenBody,
  type OutcomeBody,
  type Superseded,
} from './emergency-case';

// ─── A small local factory: plain objects, as the fold and the rules would hand them over ───

const coordinator: Actor = { userId: 'user-1', name: '山田 夜勤' };
const supervisor: Actor = { userId: 'user-2', name: '鈴木 主任' };

const office: Office = {
  id: 'office-1',
  name: '市川相談支援センター',
  officeNumber: '1234567890',
  hubPeriods: [{ from: '2024-04-01', to: null, note: '' }], oneBody: { settlement: false, independentLiving: false },
  createdAt: '2024-04-01T00:00:00.000Z',
  updatedAt: '2024-04-01T00:00:00.000Z',
};

const yota: CaseSubject = { householdId: 'hh-1', personId: 'p-1', name: '佐藤 陽太', recipientNumber: '1200000001' };

function createContact(
  overrides: Partial<ContactBody> & { entryId?: string; recordedAt?: string; corrections?: Superseded[] } = {},
): Current<ContactBody> {
  const { entryId = 'entry-c1', recordedAt, corrections = [], ...body } = overrides;
  const contactedAt = body.contactedAt ?? '2026-11-30T15:20:00.000Z';
  return {
    entryId,
    recordedAt: recordedAt ?? contactedAt,
    recordedBy: coordinator,
    corrections,
    body: {
      type: 'contact',
      facilityId: 'fac-1',
      facilityName: 'あおぞら短期入所',
      facilityOfficeNumber: '1210100001',
      shortStay: true,
      contactedAt,
      method: '電話',
      result: '受入可',
      note: '',
      ...body,
    },
  };
}

/** A correction by the supervisor; unless told what it changed, it changed nothing shown. */
function correction(reason: string, at: string, withdrawn = false, change?: Pick<Superseded, 'before' | 'after'>): Superseded {
  const before = change?.before ?? createContact().body;
  return { byEntryId: `fix-${at}`, reason, at, by: supervisor, withdrawn, before, after: change ? change.after : withdrawn ? null : before };
}

interface CaseOptions {
  id?: string;
  subject?: CaseSubject;
  open?: Partial<OpenBody>;
  openRecordedAt?: string;
  openCorrections?: Superseded[];
  contacts?: Current<ContactBody>[];
  withdrawnContacts?: Current<ContactBody>[];
  outcome?: Partial<OutcomeBody> | null;
  withdrawnOutcomes?: Current<OutcomeBody>[];
  closedAt?: string | null;
}

function createCase(o: CaseOptions = {}): EmergencyCase {
  const id = o.id ?? 'case-1';
  const subject = o.subject ?? yota;
  const open: OpenBody = {
    type: 'open',
    officeId: office.id,
    subject,
    requestedAt: '2026-11-30T14:50:00.000Z',
    requestedAtReason: '',
    category: '介護者の急病・けが',
    detail: '母が倒れ救急搬送。本人は自宅に一人。',
    caller: '叔母',
    callerPhone: '090-1111-2222',
    ...o.open,
  };
  const outcome: OutcomeBody | null =
    o.outcome === null
      ? null
      : { type: 'outcome', outcome: '短期入所', facilityId: 'fac-1', facilityName: 'あおぞら短期入所', from: '2026-11-30T16:00:00.000Z', note: '', ...o.outcome };
  return {
    id,
    entries: [],
    open: { entryId: `${id}-open`, body: open, recordedAt: o.openRecordedAt ?? open.requestedAt, recordedBy: coordinator, corrections: o.openCorrections ?? [] },
    subject,
    contacts: o.contacts ?? [createContact()],
    withdrawnContacts: o.withdrawnContacts ?? [],
    withdrawnOutcomes: o.withdrawnOutcomes ?? [],
    claimFacts: DEFAULT_CLAIM_FACTS,
    outcome: outcome && { entryId: `${id}-outcome`, body: outcome, recordedAt: '2026-11-30T16:05:00.000Z', recordedBy: coordinator, corrections: [] },
    sameEmergency: [],
    closedAt: o.closedAt === undefined ? '2026-11-30T16:10:00.000Z' : o.closedAt,
    handler: coordinator,
    headHash: `${id.replace(/\W/g, '')}`.padEnd(64, 'f'),
  };
}

function createDecision(caseId: string, overrides: Partial<ClaimDecision> = {}): ClaimDecision {
  return {
    caseId,
    officeId: office.id,
    personKey: 'person:p-1',
    month: '2026-12',
    coordinatedAt: '2026-11-30T15:20:00.000Z',
    status: 'claimed',
    ordinal: 1,
    units: 700,
    reasons: ['短期入所事業所への連絡・調整あり（2026年12月1日 00:20）', '当事業所が計画相談支援を担当しています', 'この月の1回目'],
    ...overrides,
  };
}

function decisionsOf(...ds: ClaimDecision[]): Map<string, ClaimDecision> {
  return new Map(ds.map((d) => [d.caseId, d]));
}

type Row = Record<string, string>;

function parse(text: string): { fields: string[]; rows: Row[] } {
  const result = Papa.parse<Row>(text, { header: true, skipEmptyLines: true });
  expect(result.errors).toEqual([]);
  return { fields: result.meta.fields ?? [], rows: result.data };
}

function detail(cases: EmergencyCase[], decisions: Map<string, ClaimDecision>, month = '2026-12'): { fields: string[]; rows: Row[]; text: string } {
  const text = claimDetailCsv({ office, month, cases, decisions });
  return { ...parse(text), text };
}

// ─── Summary ────────────────────────────────────────────────────────────────

describe('claimSummaryCsv', () => {
  const rows: ClaimSummaryRow[] = [
    { personKey: 'person:p-1', serviceType: '障害児相談支援', recipientNumber: '0120000001', name: '佐藤 陽太', count: 2, units: 1400 },
    { personKey: 'person:p-2', serviceType: '計画相談支援', recipientNumber: '1200000002', name: '田中 花子', count: 4, units: 2800 },
  ];
  const office = { officeNumber: '1234567890' };

  // issue 14 Why「The summary CSV has a 合計 row but no 事業所番号 or 対象月 columns」; seeds/004 §24 (700単位／回, 障害児相談支援 for a child).
  it('issue 14 Why: writes one row per person with 事業所番号, 対象月 and サービス種別 on each, 700 units per claim, then a 合計 row carrying 事業所番号 and 対象月 too', () => {
    const text = claimSummaryCsv(rows, office, '2026-12');
    expect(text).toBe(
      '事業所番号,対象月,サービス種別,受給者証番号,氏名,算定回数,単位数\r\n' +
        '1234567890,2026年12月,障害児相談支援,0120000001,佐藤 陽太,2,1400\r\n' +
        '1234567890,2026年12月,計画相談支援,1200000002,田中 花子,4,2800\r\n' +
        '1234567890,2026年12月,,合計,2名,6,4200\r\n',
    );
    expect(parse(text).fields).toEqual([...CLAIM_SUMMARY_HEADERS]);
  });

  it('still writes the 合計 row (0) with 事業所番号 and 対象月 when nobody is claimed', () => {
    expect(claimSummaryCsv([], office, '2026-12')).toBe('事業所番号,対象月,サービス種別,受給者証番号,氏名,算定回数,単位数\r\n1234567890,2026年12月,,合計,0名,0,0\r\n');
  });

  it('refuses a row whose units are not 700 × count', () => {
    expect(() => claimSummaryCsv([{ ...rows[0]!, units: 700 }], office, '2026-12')).toThrow(RangeError);
  });

  it('says in the 合計 row how many 要確認 cases it leaves out, so 「2名」 is not read as the whole month', () => {
    const text = claimSummaryCsv(rows, office, '2026-12', 6);
    expect(text.split('\r\n').at(-2)).toBe('1234567890,2026年12月,要確認6件は含みません,合計,2名,6,4200');
    expect(parse(text).rows.at(-1)).toMatchObject({ サービス種別: '要確認6件は含みません', 受給者証番号: '合計' });
    // none held back: the spare cell stays empty, as files sent before it said so
    expect(claimSummaryCsv(rows, office, '2026-12', 0)).toBe(claimSummaryCsv(rows, office, '2026-12'));
    expect(() => encodeClaimCsv(text, 'shift_jis')).not.toThrow();
  });
});

// ─── Detail ─────────────────────────────────────────────────────────────────

describe('claimDetailCsv', () => {
  it('has the documented columns in order', () => {
    const { fields } = detail([createCase()], decisionsOf(createDecision('case-1')));
    expect(fields).toEqual([...CLAIM_DETAIL_HEADERS]);
    for (const required of ['事業所名', '事業所番号', '対象月', '記録ID', '要請のあった時間', '要請時間の記録時刻', '要請時間を遡った理由', '連絡・調整を行った時刻', '算定判定', '判定理由', 'ハッシュ']) {
      expect(fields).toContain(required);
    }
  });

  it('writes one row per contact, every time in Japan time (15:20Z on 30 Nov is 2026-12-01 00:20)', () => {
    const c = createCase({
      open: { requestedAt: '2026-11-30T14:50:00.000Z', requestedAtReason: '通話中で入力できなかったため' },
      openRecordedAt: '2026-11-30T15:05:00.000Z',
      contacts: [
        createContact({ entryId: 'c1', contactedAt: '2026-11-30T15:20:00.000Z', result: '受入不可' }),
        createContact({ entryId: 'c2', contactedAt: '2026-11-30T15:40:00.000Z', facilityName: 'ひだまり', facilityOfficeNumber: '1210100002', result: '受入可', recordedAt: '2026-11-30T15:45:00.000Z' }),
      ],
    });
    const { rows } = detail([c], decisionsOf(createDecision('case-1')));
    expect(rows).toHaveLength(2);
    const [first, second] = rows as [Row, Row];
    expect(first).toMatchObject({
      事業所名: '市川相談支援センター',
      事業所番号: '1234567890',
      対象月: '2026年12月',
      記録ID: 'case-1',
      受給者証番号: '1200000001',
      氏名: '佐藤 陽太',
      要請のあった時間: '2026-11-30 23:50',
      要請時間の記録時刻: '2026-12-01 00:05',
      要請時間を遡った理由: '通話中で入力できなかったため',
      '要請の内容（区分）': '介護者の急病・けが',
      '連絡・調整を行った時刻': '2026-12-01 00:20',
      連絡先事業所: 'あおぞら短期入所',
      短期入所: 'はい',
      方法: '電話',
      結果: '受入不可',
      記録者: '山田 夜勤',
      記録時刻: '2026-12-01 00:20',
      対応結果: '短期入所',
      入所先: 'あおぞら短期入所',
      入所日時: '2026-12-01 01:00',
      対応者: '山田 夜勤',
      終了時刻: '2026-12-01 01:10',
      算定判定: '算定',
      判定理由: '短期入所事業所への連絡・調整あり（2026年12月1日 00:20）／当事業所が計画相談支援を担当しています／この月の1回目',
      算定回数目: '1',
      単位数: '700',
      ハッシュ: c.headHash,
    });
    expect(second).toMatchObject({ '連絡・調整を行った時刻': '2026-12-01 00:40', 連絡先事業所: 'ひだまり', 連絡先事業所番号: '1210100002', 記録時刻: '2026-12-01 00:45' });
  });

  // issue 14 Why「The detail CSV can double-count」; seeds/004 §24 注 (one claim of 700単位 per emergency, Q&A R6 問74).
  it('issue 14 Why: writes the claim (算定判定, 判定理由, 算定回数目, 単位数) on the first row of the case only: a filter on 算定 counts one claim once', () => {
    const c = createCase({ contacts: [createContact({ entryId: 'c1' }), createContact({ entryId: 'c2', contactedAt: '2026-11-30T15:30:00.000Z' })] });
    const { rows } = detail([c], decisionsOf(createDecision('case-1')));
    expect(rows.map((r) => r.単位数)).toEqual(['700', '']);
    expect(rows.map((r) => r.算定判定)).toEqual(['算定', '']);
    expect(rows.map((r) => r.算定回数目)).toEqual(['1', '']);
    expect(rows[1]!.判定理由).toBe('');
    expect(rows.filter((r) => r.算定判定 === '算定')).toHaveLength(1);
    // the second row still says which case it belongs to
    expect(rows.map((r) => r.記録ID)).toEqual(['case-1', 'case-1']);
  });

  it('issue 14 Why: over a month of cases, counting 算定 rows gives the claimed cases and summing 単位数 gives the claim', () => {
    const contacts = (id: string, n: number) =>
      Array.from({ length: n }, (_, i) => createContact({ entryId: `${id}-c${i}`, contactedAt: `2026-11-30T15:${String(20 + i).padStart(2, '0')}:00.000Z` }));
    const cases = [
      createCase({ id: 'case-a', contacts: contacts('a', 3) }),
      createCase({ id: 'case-b', contacts: contacts('b', 2), open: { requestedAt: '2026-11-30T14:55:00.000Z' } }),
      createCase({ id: 'case-c', contacts: contacts('c', 4), open: { requestedAt: '2026-11-30T14:58:00.000Z' } }),
    ];
    const decisions = decisionsOf(
      createDecision('case-a'),
      createDecision('case-b', { status: 'not-claimable', ordinal: null, units: 0, reasons: ['対応結果が「入院」のため算定できません（指定短期入所の利用に至った場合に算定します）'] }),
      createDecision('case-c', { ordinal: 2 }),
    );
    const { rows } = detail(cases, decisions);
    expect(rows).toHaveLength(9);
    expect(rows.filter((r) => r.算定判定 === '算定').map((r) => r.記録ID)).toEqual(['case-a', 'case-c']);
    expect(rows.filter((r) => r.算定判定 !== '').map((r) => r.記録ID)).toEqual(['case-a', 'case-b', 'case-c']);
    expect(rows.reduce((sum, r) => sum + Number(r.単位数 || 0), 0)).toBe(1400);
  });

  it('lists a withdrawn contact marked 取消 with the reason, and a corrected one with its current values and the reason', () => {
    const c = createCase({
      contacts: [
        createContact({
          entryId: 'c2',
          contactedAt: '2026-11-30T15:40:00.000Z',
          result: '受入可',
          corrections: [correction('結果を取り違えたため訂正', '2026-11-30T17:00:00.000Z')],
        }),
      ],
      withdrawnContacts: [
        createContact({
          entryId: 'c1',
          contactedAt: '2026-11-30T15:20:00.000Z',
          facilityName: '別の事業所',
          corrections: [correction('別の利用者の記録に入力したため', '2026-11-30T16:30:00.000Z', true)],
        }),
      ],
    });
    const { rows } = detail([c], decisionsOf(createDecision('case-1')));
    expect(rows.map((r) => [r.連絡先事業所, r.取消, r.取消の理由, r.訂正, r.結果])).toEqual([
      ['別の事業所', '取消', '別の利用者の記録に入力したため（2026-12-01 01:30 鈴木 主任）', '', '受入可'],
      ['あおぞら短期入所', '', '', '結果を取り違えたため訂正（2026-12-01 02:00 鈴木 主任）', '受入可'],
    ]);
  });

  it('shows corrections of the request and of the outcome, and a call whose result was never entered', () => {
    const c = createCase({
      openCorrections: [correction('要請時刻の入力誤り', '2026-11-30T18:00:00.000Z')],
      contacts: [createContact({ result: null })],
      outcome: null,
      closedAt: null,
    });
    const [row] = detail([c], decisionsOf(createDecision('case-1', { status: 'pending', ordinal: 1, units: 0 }))).rows;
    expect(row).toMatchObject({ 要請の訂正: '要請時刻の入力誤り（2026-12-01 03:00 鈴木 主任）', 結果: '未記録', 対応結果: '', 入所日時: '', 終了時刻: '', 算定判定: '要確認', 単位数: '0' });
  });

  it('shows the original beside each corrected value: time, result, request and who/when (issue 14 point 4)', async () => {
    const yamada = { userId: 'user-1', name: '山田 夜勤' };
    const entries = await appendEntries([], [openBody({ officeId: office.id }), contactBody({ contactedAt: '2026-11-30T15:05:00.000Z', result: '不在' })], 'case-k');
    const kase = foldCase(
      await appendEntries(entries, [
        { body: { type: 'correction', corrects: entries[1]!.id, reason: '時刻の入力誤り', replacement: contactBody({ contactedAt: '2026-11-30T14:55:00.000Z', result: '不在' }) }, at: '2026-12-02T01:00:00.000Z', by: yamada },
        { body: { type: 'correction', corrects: entries[1]!.id, reason: '結果を取り違えた', replacement: contactBody({ contactedAt: '2026-11-30T14:55:00.000Z', result: '受入不可' }) }, at: '2026-12-02T01:05:00.000Z', by: supervisor },
        { body: { type: 'correction', corrects: entries[0]!.id, reason: '区分の選択誤り', replacement: openBody({ officeId: office.id, category: '介護者の入院' }) }, at: '2026-12-02T01:10:00.000Z', by: supervisor },
      ]),
    );
    const [row] = detail([kase], decisionsOf(createDecision('case-k', { month: '2026-11' })), '2026-11').rows;
    expect(row).toMatchObject({
      '連絡・調整を行った時刻': '2026-11-30 23:55',
      結果: '受入不可',
      訂正: '時刻の入力誤り（2026-12-02 10:00 山田 夜勤）／結果を取り違えた（2026-12-02 10:05 鈴木 主任）',
      '訂正（訂正前 → 訂正後）': '連絡・調整を行った時刻 2026-12-01 00:05 → 2026-11-30 23:55／結果 不在 → 受入不可',
      '要請の内容（区分）': '介護者の入院',
      要請の訂正: '区分の選択誤り（2026-12-02 10:10 鈴木 主任）',
      '要請の訂正（訂正前 → 訂正後）': '要請の内容（区分） 介護者の急病・けが → 介護者の入院',
      '対応結果の訂正（訂正前 → 訂正後）': '',
    });
  });

  it('lists a withdrawn outcome with what it said among the outcome\'s corrections', () => {
    const hospital: OutcomeBody = { type: 'outcome', outcome: '入院', facilityId: null, facilityName: '', from: null, note: '救急搬送' };
    const withdrawal = correction('別の方の対応結果だったため', '2026-11-30T16:20:00.000Z', true, { before: hospital, after: null });
    const c = createCase({ withdrawnOutcomes: [{ entryId: 'o-old', body: hospital, recordedAt: '2026-11-30T15:50:00.000Z', recordedBy: coordinator, corrections: [withdrawal] }] });
    const [row] = detail([c], decisionsOf(createDecision('case-1'))).rows;
    expect(row).toMatchObject({
      対応結果: '短期入所',
      対応結果の訂正: '別の方の対応結果だったため（2026-12-01 01:20 鈴木 主任）',
      '対応結果の訂正（訂正前 → 訂正後）': '取消（対応結果 入院、対応結果のメモ 救急搬送）',
    });
  });

  it('lists an outcome a later outcome entry replaced, with when, by whom and what it said, among the outcome\'s history', async () => {
    // 入院 at night (山田), then 短期入所 the next morning (鈴木); a withdrawn 在宅で対応 in between.
    const hospital: OutcomeBody = { type: 'outcome', outcome: '入院', facilityId: null, facilityName: '', from: null, note: '救急外来で様子見' };
    const atHome: OutcomeBody = { ...hospital, outcome: '在宅で対応', note: '' };
    const admitted: OutcomeBody = { type: 'outcome', outcome: '短期入所', facilityId: 'fac-1', facilityName: 'あおぞら短期入所', from: '2026-12-01T01:00:00.000Z', note: '' };
    const entries = await appendEntries([], [
      { body: openBody({ officeId: office.id }), at: '2026-11-30T14:50:00.000Z' },
      { body: contactBody(), at: '2026-11-30T15:20:00.000Z' },
      { body: hospital, at: '2026-11-30T15:50:00.000Z', by: coordinator },
      { body: atHome, at: '2026-11-30T16:00:00.000Z', by: coordinator },
    ], 'case-o');
    const kase = foldCase(
      await appendEntries(entries, [
        { body: { type: 'correction', corrects: entries[3]!.id, reason: '別の方の対応結果だったため', replacement: null }, at: '2026-11-30T16:20:00.000Z', by: supervisor },
        { body: admitted, at: '2026-12-01T00:30:00.000Z', by: supervisor },
        { body: { type: 'close', closedAt: '2026-12-01T00:40:00.000Z' }, at: '2026-12-01T00:40:00.000Z', by: supervisor },
      ]),
    );
    const { rows, fields } = detail([kase], decisionsOf(createDecision('case-o')));
    expect(fields).toEqual([...CLAIM_DETAIL_HEADERS]);
    expect(rows[0]).toMatchObject({
      対応結果: '短期入所',
      入所先: 'あおぞら短期入所',
      対応結果の訂正: '以前の対応結果（2026-12-01 00:50 山田 夜勤）／別の方の対応結果だったため（2026-12-01 01:20 鈴木 主任）',
      '対応結果の訂正（訂正前 → 訂正後）': '以前の対応結果（対応結果 入院、対応結果のメモ 救急外来で様子見）／取消（対応結果 在宅で対応）',
    });
  });

  it('keeps the list of changes in step with the list of reasons when a correction changed nothing shown', () => {
    const c = createCase({ contacts: [createContact({ corrections: [correction('確認のため', '2026-11-30T17:00:00.000Z')] })] });
    const [row] = detail([c], decisionsOf(createDecision('case-1'))).rows;
    expect(row).toMatchObject({ 訂正: '確認のため（2026-12-01 02:00 鈴木 主任）', '訂正（訂正前 → 訂正後）': '（変更なし）' });
  });

  it('keeps a case with no contact as one row with the contact columns empty', () => {
    const c = createCase({ id: 'case-none', contacts: [], outcome: { outcome: '在宅で対応', facilityId: null, facilityName: '', from: null } });
    const d = createDecision('case-none', {
      month: null,
      coordinatedAt: null,
      status: 'not-claimable',
      ordinal: null,
      units: 0,
      reasons: ['短期入所事業所への連絡・調整の記録がありません'],
    });
    const { rows } = detail([c], decisionsOf(d), '2026-11'); // listed under the request month
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      記録ID: 'case-none',
      '連絡・調整を行った時刻': '',
      連絡先事業所: '',
      短期入所: '',
      結果: '',
      取消: '',
      対応結果: '在宅で対応',
      算定判定: '算定不可',
      判定理由: '短期入所事業所への連絡・調整の記録がありません',
      算定回数目: '',
      単位数: '0',
    });
  });

  it('orders rows by request time, then contact time', () => {
    const late = createCase({
      id: 'case-late',
      open: { requestedAt: '2026-12-10T12:00:00.000Z' },
      contacts: [createContact({ entryId: 'l2', contactedAt: '2026-12-10T12:30:00.000Z' }), createContact({ entryId: 'l1', contactedAt: '2026-12-10T12:10:00.000Z' })],
    });
    const early = createCase({
      id: 'case-early',
      open: { requestedAt: '2026-12-02T01:00:00.000Z' },
      contacts: [createContact({ entryId: 'e1', contactedAt: '2026-12-02T01:10:00.000Z' })],
      withdrawnContacts: [createContact({ entryId: 'e0', contactedAt: '2026-12-02T01:05:00.000Z', corrections: [correction('誤入力', '2026-12-02T02:00:00.000Z', true)] })],
    });
    const { rows } = detail([late, early], decisionsOf(createDecision('case-late'), createDecision('case-early', { ordinal: 2 })));
    expect(rows.map((r) => [r.記録ID, r['連絡・調整を行った時刻']])).toEqual([
      ['case-early', '2026-12-02 10:05'],
      ['case-early', '2026-12-02 10:10'],
      ['case-late', '2026-12-10 21:10'],
      ['case-late', '2026-12-10 21:30'],
    ]);
  });

  it('keeps a note with commas, quotes and a newline intact through papaparse, with CRLF row ends', () => {
    const note = '母「すぐ来て」と、"至急"\n折り返し: 090-0000-0000, 夜間';
    const { rows, text } = detail([createCase({ contacts: [createContact({ note })] })], decisionsOf(createDecision('case-1')));
    expect(rows[0]!.メモ).toBe(note);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(3); // header, the row (its inner \n is not a row end), ''
  });

  it("writes a cell starting with = behind a ' so that Excel does not run it", () => {
    const { rows } = detail([createCase({ contacts: [createContact({ note: '=1+1' })] })], decisionsOf(createDecision('case-1')));
    expect(rows[0]!.メモ).toBe("'=1+1");
  });

  it('refuses cases that do not belong to the export (developer errors)', () => {
    const c = createCase();
    expect(() => detail([c], new Map())).toThrow(/no claim decision/);
    expect(() => detail([c], decisionsOf(createDecision('case-1', { month: '2026-11' })))).toThrow(/listed under 2026-11/);
    expect(() => detail([createCase({ open: { officeId: 'office-2' } })], decisionsOf(createDecision('case-1')))).toThrow(/office/);
  });
});

describe('the month a case is exported under', () => {
  it('is the claim month, or the request month when there is no short-stay contact', () => {
    const crossing = createCase({ id: 'crossing' }); // requested 23:50 on 30 Nov, coordinated 00:20 on 1 Dec
    const none = createCase({ id: 'none', contacts: [] });
    const other = createCase({ id: 'other', open: { officeId: 'office-2' } });
    const decisions = decisionsOf(
      createDecision('crossing'),
      createDecision('none', { month: null, coordinatedAt: null, status: 'not-claimable', ordinal: null, units: 0 }),
      createDecision('other', { officeId: 'office-2' }),
    );
    expect(casesForMonth([crossing, none, other], decisions, office.id, '2026-12').map((c) => c.id)).toEqual(['crossing']);
    expect(casesForMonth([crossing, none, other], decisions, office.id, '2026-11').map((c) => c.id)).toEqual(['none']);
  });
});

describe('a month without cases', () => {
  it('is an error with the message the screen shows, and nothing is produced', () => {
    expect(() => assertExportable([], '2026-12')).toThrow(new ClaimCsvError('no-cases', '2026年12月の緊急対応記録はありません。'));
    expect(() => assertExportable([], '2027-01')).toThrow('2027年1月の緊急対応記録はありません。');
    expect(() => claimDetailCsv({ office, month: '2026-12', cases: [], decisions: new Map() })).toThrow(ClaimCsvError);
    expect(() => assertExportable([createCase()], '2026-12')).not.toThrow();
  });
});

// ─── Bytes and names ────────────────────────────────────────────────────────

describe('encodeClaimCsv', () => {
  const text = detail([createCase({ contacts: [createContact({ note: '髙橋様（﨑）①、㈱あおぞら' })] })], decisionsOf(createDecision('case-1'))).text;

  it('writes UTF-8 starting with the BOM EF BB BF', () => {
    const bytes = encodeClaimCsv(text, 'utf-8-bom');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(3))).toBe(text);
  });

  it('writes Shift_JIS (CP932) that decodes back to the same text', () => {
    const bytes = encodeClaimCsv(text, 'shift_jis');
    expect(bytes[0]).not.toBe(0xef);
    expect(Encoding.convert(bytes, { to: 'UNICODE', from: 'SJIS', type: 'string' })).toBe(text);
  });

  it('writes 〜 (U+301C) as the CP932 wave dash that Windows shows as ～', () => {
    const bytes = encodeClaimCsv('22時〜翌6時\r\n', 'shift_jis');
    expect(Encoding.convert(bytes, { to: 'UNICODE', from: 'SJIS', type: 'string' })).toBe('22時～翌6時\r\n');
  });

  it('refuses Shift_JIS rather than write "?", naming each row and column', () => {
    const withRare = claimDetailCsv({
      office,
      month: '2026-12',
      cases: [createCase({ subject: { ...yota, name: '𠮷田 太郎' }, contacts: [createContact({ note: '了解😀' })] })],
      decisions: decisionsOf(createDecision('case-1')),
    });
    let error: unknown;
    try {
      encodeClaimCsv(withRare, 'shift_jis');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ClaimCsvError);
    const e = error as ClaimCsvError;
    expect(e.code).toBe('unencodable');
    expect(e.unencodable).toEqual([
      { row: 2, column: '氏名', chars: ['𠮷'] },
      { row: 2, column: 'メモ', chars: ['😀'] },
    ]);
    expect(e.message).toBe('Shift_JIS で表せない文字があります（2行目「氏名」の 𠮷、2行目「メモ」の 😀）。記録を書き換えずに出力するため、UTF-8 で書き出してください。');
    expect(() => encodeClaimCsv(withRare, 'utf-8-bom')).not.toThrow();
  });

  it('names a character that prints as nothing (the selector a name keeps after 辻, a no-break space) by its name and code point', () => {
    const invisible = claimDetailCsv({
      office,
      month: '2026-12',
      cases: [createCase({ subject: { ...yota, name: '辻\u{E0100} 太郎' }, contacts: [createContact({ note: '了解\u00A0済み' })] })],
      decisions: decisionsOf(createDecision('case-1')),
    });
    expect(() => encodeClaimCsv(invisible, 'shift_jis')).toThrow(
      'Shift_JIS で表せない文字があります（2行目「氏名」の 異体字セレクタ U+E0100、2行目「メモ」の ノーブレークスペース U+00A0）。',
    );
  });
});

describe('claimExportFileName', () => {
  it('is ASCII, names kind, office number and month, and marks Shift_JIS', () => {
    expect(claimExportFileName('summary', '1234567890', '2026-12', 'utf-8-bom')).toBe('soudan-kyouka-summary-1234567890-2026-12.csv');
    expect(claimExportFileName('detail', '1234567890', '2026-12', 'shift_jis')).toBe('soudan-kyouka-detail-1234567890-2026-12-sjis.csv');
    expect(claimExportFileName('detail', '１２３４５６７８９０', '2026-01', 'utf-8-bom')).toBe('soudan-kyouka-detail-1234567890-2026-01.csv');
    expect(() => claimExportFileName('detail', '1234567890', '2026-13', 'utf-8-bom')).toThrow(RangeError);
  });

  it('names a file of today\'s figures for a month already 請求済み apart from the one sent (-genzai), Shift_JIS still last', () => {
    expect(claimExportFileName('summary', '1234567890', '2026-12', 'utf-8-bom', { current: true })).toBe('soudan-kyouka-summary-1234567890-2026-12-genzai.csv');
    expect(claimExportFileName('detail', '1234567890', '2026-12', 'shift_jis', { current: true })).toBe('soudan-kyouka-detail-1234567890-2026-12-genzai-sjis.csv');
  });
});

describe('the countersign columns of the detail', () => {
  it('are written for every row: この端末のみ without a hub, the row entry, its hash and the whole entry as ASCII JSON', async () => {
    const entries = await appendEntries([], [openBody({ officeId: office.id }), contactBody({ note: '折り返し〜夜間−確認' })], 'case-c');
    const kase = foldCase(entries);
    const text = claimDetailCsv({ office, month: exportMonthOf(kase, createDecision('case-c', { month: null })), cases: [kase], decisions: decisionsOf(createDecision('case-c', { month: null })) });
    const [row] = parse(text).rows;
    expect(row).toMatchObject({
      拠点署名: 'この端末のみ（拠点の署名なし）',
      拠点受付時刻: '',
      事例の拠点署名: 'この端末のみ（拠点の署名なし）',
      エントリID: entries[1]!.id,
      エントリのハッシュ: entries[1]!.hash,
      拠点の署名: '',
    });
    // Read back from Shift_JIS, the JSON is still the exact entry (〜 and − come back as other code points in the note cell).
    const sjis = Encoding.convert(encodeClaimCsv(text, 'shift_jis'), { to: 'UNICODE', from: 'SJIS', type: 'string' });
    const [back] = parse(sjis).rows;
    expect(JSON.parse(back!['エントリ（JSON）']!)).toEqual(entries[1]);
    expect(back!['エントリ（JSON）']).toMatch(/^[\x20-\x7e]+$/);
  });

  it('say an entry the hub refused is refused, with the reason, and count it on the case', async () => {
    const entries = await appendEntries([], [openBody({ officeId: office.id }), contactBody()], 'case-c');
    const kase = foldCase(entries);
    const refused: CountersignLookup = (id) => (id === entries[1]!.id ? { status: 'refused', reason: '記録の時刻がサーバーの時刻と合いません' } : { status: 'pending' });
    const text = claimDetailCsv({
      office,
      month: exportMonthOf(kase, createDecision('case-c', { month: null })),
      cases: [kase],
      decisions: decisionsOf(createDecision('case-c', { month: null })),
      countersign: refused,
    });
    const [row] = parse(text).rows;
    expect(row).toMatchObject({
      拠点署名: `${COUNTERSIGN_LABELS.refused}: 記録の時刻がサーバーの時刻と合いません`,
      拠点の署名: '',
      事例の拠点署名: '2件中0件 拠点署名済み（1件は拠点が受け付けていません）',
    });
  });

  it('entryCells: the cells a contact or a request alone decides, as written when nothing corrected it', async () => {
    const entries = await appendEntries([], [openBody({ officeId: office.id, detail: '=SUM(A1)' }), contactBody()], 'case-c');
    expect(entryCells(entries[1]!)).toEqual({
      '連絡・調整を行った時刻': '2026-12-01 00:20',
      連絡先事業所: 'あおぞら短期入所',
      連絡先事業所番号: '1210100001',
      短期入所: 'はい',
      方法: '電話',
      結果: '受入可',
      メモ: '',
      記録者: '山田 夜勤',
      記録時刻: '2026-11-30 23:51', // appendEntries records a minute after the request (14:51Z)
    });
    expect(entryCells(entries[0]!)).toMatchObject({ 記録ID: 'case-c', 要請のあった時間: '2026-11-30 23:50', '要請の内容（詳細）': '=SUM(A1)' });
    expect(asWrittenInCsv('=SUM(A1)')).toBe("'=SUM(A1)");
  });
});

describe('both CSVs read back in both encodings (issue 14 「What it must show」; docs/claim-csv.md「Encodings」)', () => {
  /** What a billing tool does with the file: decode the bytes (encoding-japanese), then parse (papaparse). */
  function readBack(bytes: Uint8Array, encoding: 'utf-8-bom' | 'shift_jis'): string[][] {
    let text: string;
    if (encoding === 'utf-8-bom') {
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(Encoding.detect(bytes.subarray(3))).toBe('UTF8');
      text = Encoding.convert(bytes.subarray(3), { to: 'UNICODE', from: 'UTF8', type: 'string' });
    } else {
      expect(Encoding.detect(bytes)).toBe('SJIS');
      text = Encoding.convert(bytes, { to: 'UNICODE', from: 'SJIS', type: 'string' });
    }
    const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    return parsed.data;
  }
  const rowsOf = (text: string) => Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
  /** The JIS characters CP932 writes as Microsoft's code points (documented): the same character, another code point. */
  const asWindowsReadsIt = (rows: string[][]) => rows.map((r) => r.map((cell) => cell.replace(/〜/g, '～').replace(/−/g, '－')));

  // A CP932 extension kanji (髙, 﨑), half-width katakana with a voiced mark (ｶﾞ), circled digits, a wave dash.
  const takahashi: CaseSubject = { householdId: 'hh-2', personId: 'p-2', name: '髙橋 ﾖｳﾀ', recipientNumber: '1200000002' };
  const summaryRows: ClaimSummaryRow[] = [
    { personKey: 'person:p-2', serviceType: '計画相談支援', recipientNumber: '1200000002', name: '髙橋 ﾖｳﾀ', count: 1, units: 700 },
    { personKey: 'person:p-3', serviceType: '障害児相談支援', recipientNumber: '0120000003', name: '﨑田 ｶﾞｸ', count: 2, units: 1400 },
  ];

  async function detailText(subject: CaseSubject): Promise<string> {
    const entries = await appendEntries([], [openBody({ officeId: office.id, subject }), contactBody({ note: '①夜間〜早朝、"至急", 折り返し\n090−0000−0000' })], 'case-rb');
    const kase = foldCase(
      await appendEntries(entries, [{ type: 'correction', corrects: entries[1]!.id, reason: '結果を取り違えた', replacement: contactBody({ result: '受入不可', note: '①夜間〜早朝' }) }]),
    );
    const d = createDecision('case-rb', { month: exportMonthOf(kase, undefined) });
    return claimDetailCsv({ office, month: d.month!, cases: [kase], decisions: decisionsOf(d) });
  }

  it('UTF-8 with BOM: the summary and the detail decode and parse back to exactly the rows written', async () => {
    const summary = claimSummaryCsv(summaryRows, office, '2026-12');
    const back = readBack(encodeClaimCsv(summary, 'utf-8-bom'), 'utf-8-bom');
    expect(back).toEqual([
      [...CLAIM_SUMMARY_HEADERS],
      ['1234567890', '2026年12月', '計画相談支援', '1200000002', '髙橋 ﾖｳﾀ', '1', '700'],
      ['1234567890', '2026年12月', '障害児相談支援', '0120000003', '﨑田 ｶﾞｸ', '2', '1400'],
      ['1234567890', '2026年12月', '', '合計', '2名', '3', '2100'],
    ]);
    // A rare kanji outside CP932 (𠮷) is kept exactly in UTF-8.
    const detail = await detailText({ ...takahashi, name: '𠮷田 ﾖｳﾀ' });
    const rows = readBack(encodeClaimCsv(detail, 'utf-8-bom'), 'utf-8-bom');
    expect(rows).toEqual(rowsOf(detail));
    expect(rows[0]).toEqual([...CLAIM_DETAIL_HEADERS]);
    expect(rows[1]![CLAIM_DETAIL_HEADERS.indexOf('氏名')]).toBe('𠮷田 ﾖｳﾀ');
    expect(rows[1]![CLAIM_DETAIL_HEADERS.indexOf('訂正（訂正前 → 訂正後）')]).toBe('結果 受入可 → 受入不可、メモ ①夜間〜早朝、"至急", 折り返し\n090−0000−0000 → ①夜間〜早朝');
  });

  it('Shift_JIS: the same rows, half-width kana kept one byte each, 〜 and − read back as Windows shows them, 𠮷 refused', async () => {
    const summary = claimSummaryCsv(summaryRows, office, '2026-12');
    const sjis = encodeClaimCsv(summary, 'shift_jis');
    expect(readBack(sjis, 'shift_jis')).toEqual(rowsOf(summary));
    // ﾖｳﾀ is written as the three single bytes D6 B3 C0, not widened to ヨウタ
    expect(Buffer.from(sjis).includes(Buffer.from([0xd6, 0xb3, 0xc0]))).toBe(true);

    const detail = await detailText(takahashi);
    const rows = readBack(encodeClaimCsv(detail, 'shift_jis'), 'shift_jis');
    expect(rows).toEqual(asWindowsReadsIt(rowsOf(detail)));
    expect(rows[1]![CLAIM_DETAIL_HEADERS.indexOf('氏名')]).toBe('髙橋 ﾖｳﾀ');
    expect(rows[1]![CLAIM_DETAIL_HEADERS.indexOf('メモ')]).toBe('①夜間～早朝');
    // The entry's JSON is ASCII: it reads back to the exact entry, 〜 included.
    expect(JSON.parse(rows[1]![CLAIM_DETAIL_HEADERS.indexOf('エントリ（JSON）')]!).body.note).toBe('①夜間〜早朝、"至急", 折り返し\n090−0000−0000');

    const rare = await detailText({ ...takahashi, name: '𠮷田 ﾖｳﾀ' });
    expect(() => encodeClaimCsv(rare, 'shift_jis')).toThrow(ClaimCsvError);
  });
});
