import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONSULTATION_BONUS_UNITS, MONTHLY_CAP, type ClaimDecision } from './claim-types';
import { capGroupKeyLookupOf, casesNear, casesWithin24Hours, CLAIM_REASONS, childLookupOf, claimMonthOf, countThisMonth, decideClaims, personFactsLookupOf, personKeyOf, summarizeClaims, summaryTotals } from './claim-rules';
import { claimSummaryCsv } from './claim-csv';
import { orderEntries } from './case-chain';
import { foldCase } from './case-fold';
import { appendEntries, contactBody, openBody } from '../../test/factories/emergency-case';
import type { ServiceEnrolments } from './household';
import {
  DEFAULT_CLAIM_FACTS,
  type Actor,
  type CaseSubject,
  type ContactBody,
  type Current,
  type EmergencyCase,
  type ContactResult,
  type Office,
  type OutcomeBody,
  type OutcomeKind,
  type Planning,
  type SameEmergencyBody,
} from './emergency-case';
import { addDaysToDate, japanDateOf } from './japan-time';

// ─── Factories: plain EmergencyCase values, as foldCase would hand them over ─────────────────

const COORDINATOR: Actor = { userId: 'u-1', name: '拠点 太郎' };
const HUB_OFFICE: Office = {
  id: 'office-hub',
  name: '相談支援センター みなと',
  officeNumber: '1234567890',
  // notified to the city in March (on or before the 15th): claimed from its first day (留意事項通知 第一の1(4))
  hubPeriods: [{ from: '2026-04-01', to: null, note: '', notifiedOn: '2026-03-13' }], oneBody: { settlement: false, independentLiving: false },
  createdAt: '2026-03-01T00:00:00.000Z',
  updatedAt: '2026-03-01T00:00:00.000Z',
};
const NOT_HUB_OFFICE: Office = { ...HUB_OFFICE, id: 'office-plain', name: '相談支援 さくら', hubPeriods: [], oneBody: { settlement: false, independentLiving: false } };
const OFFICES: ReadonlyMap<string, Office> = new Map([HUB_OFFICE, NOT_HUB_OFFICE].map((o) => [o.id, o]));

const HANAKO: CaseSubject = { householdId: 'h-1', personId: 'p-1', name: '山田 花子', recipientNumber: '0000000001' };
const JIRO: CaseSubject = { householdId: 'h-2', personId: 'p-2', name: '鈴木 次郎', recipientNumber: '0000000002' };
const UNKNOWN_CALLER: CaseSubject = { householdId: null, personId: null, name: '（不明）', recipientNumber: '' };

interface ContactSpec {
  readonly at: string;
  readonly shortStay?: boolean;
  readonly facility?: string;
  /** 受入可 unless told */
  readonly result?: ContactResult | null;
}

interface CaseSpec {
  readonly id: string;
  readonly officeId?: string;
  readonly subject?: CaseSubject;
  /** 要請のあった時間; defaults to 10 minutes before the first contact */
  readonly requestedAt?: string;
  readonly contacts?: readonly ContactSpec[];
  readonly planning?: Planning;
  readonly independentLivingClaimed?: boolean;
  /** how the emergency ended: 短期入所 (admitted) unless told; null while open */
  readonly outcome?: OutcomeKind | null;
  /** 「同じ緊急事態ですか？」 answers recorded on the case */
  readonly sameEmergency?: readonly Current<SameEmergencyBody>[];
}

function current<B extends ContactBody | OutcomeBody>(entryId: string, body: B, at: string): Current<B> {
  return { entryId, body, recordedAt: at, recordedBy: COORDINATOR, corrections: [] };
}

function contactOf(caseId: string, spec: ContactSpec, i: number): Current<ContactBody> {
  const body: ContactBody = {
    type: 'contact',
    facilityId: `f-${i}`,
    facilityName: spec.facility ?? `短期入所 ${i + 1}`,
    facilityOfficeNumber: '',
    shortStay: spec.shortStay ?? true,
    contactedAt: spec.at,
    method: '電話',
    result: spec.result === undefined ? '受入可' : spec.result,
    note: '',
  };
  return current(`${caseId}-c${i}`, body, spec.at);
}

function makeCase(spec: CaseSpec): EmergencyCase {
  const contacts = (spec.contacts ?? []).map((k, i) => contactOf(spec.id, k, i));
  const firstAt = spec.contacts?.[0]?.at;
  const requestedAt =
    spec.requestedAt ?? (firstAt ? new Date(Date.parse(firstAt) - 10 * 60_000).toISOString() : '2026-11-01T00:00:00.000Z');
  const subject = spec.subject ?? HANAKO;
  return {
    id: spec.id,
    entries: [],
    open: {
      entryId: `${spec.id}-open`,
      body: {
        type: 'open',
        officeId: spec.officeId ?? HUB_OFFICE.id,
        subject,
        requestedAt,
        requestedAtReason: '',
        category: '介護者の急病・けが',
        detail: '母が救急搬送され、本人が一人で自宅にいる',
        caller: '叔母',
        callerPhone: '090-0000-0000',
      },
      recordedAt: requestedAt,
      recordedBy: COORDINATOR,
      corrections: [],
    },
    subject,
    contacts,
    withdrawnContacts: [],
    withdrawnOutcomes: [],
    claimFacts: {
      ...DEFAULT_CLAIM_FACTS,
      planning: spec.planning ?? 'this-office',
      independentLivingClaimed: spec.independentLivingClaimed ?? false,
    },
    outcome: outcomeOf(spec),
    sameEmergency: spec.sameEmergency ?? [],
    closedAt: null,
    handler: COORDINATOR,
    headHash: '',
  };
}

function outcomeOf(spec: CaseSpec): Current<OutcomeBody> | null {
  const kind = spec.outcome === undefined ? '短期入所' : spec.outcome;
  if (kind === null) return null;
  const at = spec.contacts?.at(-1)?.at ?? '2026-11-01T01:00:00.000Z';
  const admitted = kind === '短期入所';
  return current(
    `${spec.id}-outcome`,
    { type: 'outcome', outcome: kind, facilityId: admitted ? 'f-0' : null, facilityName: admitted ? '短期入所 1' : '', from: admitted ? at : null, note: '' },
    at,
  );
}

/** n emergencies of one person on days 1.. of a Japan month, each with one short-stay contact at 02:00 JST. */
function emergenciesIn(month: string, n: number, spec: Omit<CaseSpec, 'id' | 'contacts'> = {}, prefix = month): EmergencyCase[] {
  return Array.from({ length: n }, (_, i) =>
    makeCase({ ...spec, id: `${prefix}-${i + 1}`, contacts: [{ at: `${month}-${String(i + 1).padStart(2, '0')}T02:00:00+09:00` }] }),
  );
}

/** 「同じ緊急事態ですか？」 answered for a pair, as recorded on the case `on`. */
function answer(on: EmergencyCase, other: EmergencyCase, answer: 'same' | 'separate', reason = answer === 'separate' ? '別の日の別の要請' : ''): EmergencyCase {
  const body: SameEmergencyBody = { type: 'same-emergency', otherCaseId: other.id, otherRequestedAt: other.open.body.requestedAt, answer, reason };
  const at = new Date(Date.parse(on.open.body.requestedAt) + 3 * 3_600_000).toISOString();
  return { ...on, sameEmergency: [...on.sameEmergency, { entryId: `${on.id}-same-${other.id}`, body, recordedAt: at, recordedBy: COORDINATOR, corrections: [] }] };
}

/** Every pair of one person within 24 hours answered 「別の緊急事態」 (Q&A R6 問74), for tests about other rules. */
function allSeparate(cases: readonly EmergencyCase[]): EmergencyCase[] {
  return cases.map((c) => casesWithin24Hours(c, cases).reduce((on, other) => answer(on, other, 'separate'), c));
}

function only(decisions: readonly ClaimDecision[]): ClaimDecision {
  expect(decisions).toHaveLength(1);
  return decisions[0]!;
}

// ─── personKeyOf, claimMonthOf ──────────────────────────────────────────────────────────────

describe('personKeyOf', () => {
  it('uses the 受給者証番号 (the claim is billed by it), else the linked person, else nobody', () => {
    expect(personKeyOf(HANAKO)).toBe('recipient:0000000001');
    expect(personKeyOf({ ...HANAKO, recipientNumber: '' })).toBe('person:p-1');
    expect(personKeyOf({ ...UNKNOWN_CALLER, recipientNumber: '0000000009' })).toBe('recipient:0000000009');
    expect(personKeyOf(UNKNOWN_CALLER)).toBeNull();
  });

  it('reads a full-width 受給者証番号 as the same number, and never confuses an id with a number', () => {
    expect(personKeyOf({ ...UNKNOWN_CALLER, recipientNumber: '０００００００００９' })).toBe('recipient:0000000009');
    expect(personKeyOf({ ...UNKNOWN_CALLER, personId: '0000000009' })).not.toBe(
      personKeyOf({ ...UNKNOWN_CALLER, recipientNumber: '0000000009' }),
    );
  });
});

describe('claimMonthOf (DOMAIN.md §5: the month of the coordination)', () => {
  it('request 2026-11-30 23:50 JST, contact 2026-12-01 00:20 JST → December', () => {
    const c = makeCase({ id: 'c1', requestedAt: '2026-11-30T23:50:00+09:00', contacts: [{ at: '2026-12-01T00:20:00+09:00' }] });
    expect(claimMonthOf(c)).toEqual({ month: '2026-12', coordinatedAt: '2026-12-01T00:20:00+09:00' });
  });

  it('reads a UTC instant in Japan time (15:20Z on 30 Nov is 1 Dec in Japan)', () => {
    expect(claimMonthOf(makeCase({ id: 'c1', contacts: [{ at: '2026-11-30T15:20:00.000Z' }] }))?.month).toBe('2026-12');
    expect(claimMonthOf(makeCase({ id: 'c2', contacts: [{ at: '2026-11-30T14:59:00.000Z' }] }))?.month).toBe('2026-11');
  });

  it('takes the first short-stay contact by time, skipping contacts that are not short stays', () => {
    const c = makeCase({
      id: 'c1',
      contacts: [
        { at: '2026-12-01T00:40:00+09:00' },
        { at: '2026-11-30T23:55:00+09:00', shortStay: false, facility: '基幹相談支援センター' },
        { at: '2026-12-01T00:20:00+09:00' },
      ],
    });
    expect(claimMonthOf(c)).toEqual({ month: '2026-12', coordinatedAt: '2026-12-01T00:20:00+09:00' });
  });

  it('contacts spanning a month end: the first one fixes the month (open question in docs/claim-rules.md)', () => {
    const c = makeCase({ id: 'c1', contacts: [{ at: '2026-11-30T23:58:00+09:00' }, { at: '2026-12-01T00:30:00+09:00' }] });
    expect(claimMonthOf(c)?.month).toBe('2026-11');
  });

  it('is null without a short-stay contact', () => {
    expect(claimMonthOf(makeCase({ id: 'c1' }))).toBeNull();
    expect(claimMonthOf(makeCase({ id: 'c2', contacts: [{ at: '2026-12-01T00:20:00+09:00', shortStay: false }] }))).toBeNull();
  });
});

// ─── decideClaims: the seed rules ───────────────────────────────────────────────────────────

describe('問74: one emergency is one time, however many facilities were contacted', () => {
  it('two facilities contacted for one emergency = 1 claim of 700 units', () => {
    const c = makeCase({
      id: 'c1',
      contacts: [
        { at: '2026-12-01T00:20:00+09:00', facility: '短期入所 あおば' },
        { at: '2026-12-01T00:45:00+09:00', facility: '短期入所 わかば' },
      ],
    });
    const d = only(decideClaims([c], OFFICES));
    expect(d).toMatchObject({ status: 'claimed', ordinal: 1, units: 700, month: '2026-12' });
    expect(d.reasons).toEqual([
      '短期入所事業所への連絡・調整あり（2026年12月1日 00:20）',
      '拠点として位置付けられていた期間（2026年4月1日から）の連絡・調整です',
      '指定短期入所の利用に至りました',
      '当事業所が計画相談支援を担当しています',
      'この月の1回目',
    ]);
    expect(summarizeClaims([d], [c], HUB_OFFICE.id, '2026-12')).toEqual([
      { personKey: 'recipient:0000000001', serviceType: '計画相談支援', recipientNumber: '0000000001', name: '山田 花子', count: 1, units: 700 },
    ]);
  });
});

// seeds/004 §24 告示 別表16 注: 「要支援者が指定短期入所を利用する場合において、指定短期入所事業者に対して…必要な情報の提供
// 及び当該指定短期入所の利用に関する調整…を行った場合」; seeds/002 (松戸市)「短期入所事業所への受け入れ実績（回数）に応じて」.
// The product owner's decision: claimable only when the person began to use 指定短期入所 as the outcome of this emergency and
// at least one short-stay facility was reached (不在 or 折り返し待ち alone is not coordination).
describe('Q&A R6 問74: one emergency, one claim — two cases of one person requested within 24 hours', () => {
  // 「同一の緊急事態において…当該加算を1回のみ算定するものである」: a second case opened the same night may be that emergency again.
  const first = makeCase({ id: 'night-1', requestedAt: '2026-12-05T23:00:00+09:00', contacts: [{ at: '2026-12-05T23:20:00+09:00' }] });
  const second = makeCase({ id: 'night-2', requestedAt: '2026-12-06T03:00:00+09:00', contacts: [{ at: '2026-12-06T03:15:00+09:00' }] });

  it('問74: unanswered, the later request is 要確認 naming the earlier request time, and holds its slot under the cap', () => {
    const [a, b] = decideClaims([first, second], OFFICES);
    expect(a).toMatchObject({ status: 'claimed', ordinal: 1, units: 700 });
    expect(b).toMatchObject({ status: 'pending', ordinal: 2, units: 0 });
    expect(b!.reasons).toContain(CLAIM_REASONS.sameEmergencyUnanswered(first.open.body.requestedAt));
    expect(b!.reasons.join()).toContain('2026年12月5日 23:00の要請の記録と同じ緊急事態か未確認です');
  });

  it('問74: answered 「別の緊急事態」 with a reason (on either case), both are claimed and the reason is shown', () => {
    for (const cases of [[first, answer(second, first, 'separate', '朝に別の介護者も倒れた')], [answer(first, second, 'separate', '朝に別の介護者も倒れた'), second]]) {
      const [a, b] = decideClaims(cases, OFFICES);
      expect(a).toMatchObject({ status: 'claimed', ordinal: 1 });
      expect(b).toMatchObject({ status: 'claimed', ordinal: 2, units: 700 });
      expect(b!.reasons).toContain(CLAIM_REASONS.separateEmergency(first.open.body.requestedAt, '朝に別の介護者も倒れた'));
    }
  });

  it('問74: answered 「同じ緊急事態」, the later case is 算定不可 and takes no slot: the next emergency moves up', () => {
    const third = makeCase({ id: 'night-3', requestedAt: '2026-12-20T03:00:00+09:00', contacts: [{ at: '2026-12-20T03:15:00+09:00' }] });
    const [a, b, c] = decideClaims([first, answer(second, first, 'same'), third], OFFICES);
    expect(a).toMatchObject({ status: 'claimed', ordinal: 1 });
    expect(b).toMatchObject({ status: 'not-claimable', ordinal: null, units: 0, reasons: [CLAIM_REASONS.sameEmergency(first.open.body.requestedAt)] });
    expect(c).toMatchObject({ status: 'claimed', ordinal: 2 });
  });

  it('問74: the answer recorded last stands (a wrong answer is answered again)', () => {
    const sameThenSeparate = answer(answer(second, first, 'same'), first, 'separate');
    const answers = sameThenSeparate.sameEmergency.map((x, i) => ({ ...x, recordedAt: `2026-12-06T0${5 + i}:00:00.000Z` }));
    expect(decideClaims([first, { ...sameThenSeparate, sameEmergency: answers }], OFFICES)[1]!.status).toBe('claimed');
  });

  it('問74: within 24 hours means less than 24 hours, across a month end too; exactly 24 hours apart is not asked', () => {
    const at = (id: string, requestedAt: string) => makeCase({ id, requestedAt, contacts: [{ at: new Date(Date.parse(requestedAt) + 10 * 60_000).toISOString() }] });
    const nov = at('nov-30', '2026-11-30T23:50:00+09:00');
    expect(decideClaims([nov, at('dec-1', '2026-12-01T23:49:00+09:00')], OFFICES)[1]!.status).toBe('pending');
    expect(decideClaims([nov, at('dec-1', '2026-12-01T23:50:00+09:00')], OFFICES)[1]!.status).toBe('claimed');
  });

  it('問74: is not asked for two persons, nor when the other case does not count (its claim is not made)', () => {
    const jiro = makeCase({ id: 'jiro', subject: JIRO, requestedAt: '2026-12-06T01:00:00+09:00', contacts: [{ at: '2026-12-06T01:10:00+09:00' }] });
    expect(decideClaims([first, jiro], OFFICES).map((d) => d.status)).toEqual(['claimed', 'claimed']);
    const hospital = makeCase({ id: 'night-1', requestedAt: '2026-12-05T23:00:00+09:00', contacts: [{ at: '2026-12-05T23:20:00+09:00' }], outcome: '入院' });
    expect(decideClaims([hospital, second], OFFICES).map((d) => d.status)).toEqual(['not-claimable', 'claimed']);
  });

  it('casesWithin24Hours: the same person (by 受給者証番号 too), oldest request first, never the case itself nor an unknown caller', () => {
    const byNumber = makeCase({ id: 'by-number', subject: { ...UNKNOWN_CALLER, recipientNumber: HANAKO.recipientNumber }, requestedAt: '2026-12-05T22:00:00+09:00' });
    expect(casesWithin24Hours(second, [second, first, byNumber]).map((c) => c.id)).toEqual(['by-number', 'night-1']);
    const unknown = makeCase({ id: 'u', subject: UNKNOWN_CALLER, requestedAt: '2026-12-05T22:00:00+09:00' });
    expect(casesWithin24Hours(unknown, [unknown, { ...unknown, id: 'u2' }])).toEqual([]);
  });
});

describe('issue 14 Why「Unanswered calls are claimed」— seeds/004 §24 告示「…調整…を行った場合」, seeds/002「受け入れ実績」(owner decision): admitted to 指定短期入所, and a short-stay facility reached', () => {
  it('the issue\'s case: the only short-stay call was 不在 and the person went to hospital → 算定不可 (not 700 units) with both reasons', () => {
    const c = makeCase({ id: 'c-absent', contacts: [{ at: '2026-12-01T01:00:00+09:00', result: '不在' }], outcome: '入院' });
    const d = only(decideClaims([c], OFFICES));
    expect(d).toMatchObject({ status: 'not-claimable', units: 0, ordinal: null, month: null });
    expect(d.reasons).toEqual([
      '短期入所事業所と連絡がついた記録がありません（「不在」「折り返し待ち」だけでは連絡・調整に当たりません。結果を記録すると判定されます）',
      '対応結果が「入院」のため算定できません（指定短期入所の利用に至った場合に算定します）',
    ]);
  });

  it('不在 and 折り返し待ち alone (or no result) are not coordination → 算定不可, even when the person was admitted (the admission came another way)', () => {
    for (const result of ['不在', '折り返し待ち', null] as const) {
      const c = makeCase({ id: `c-${result}`, contacts: [{ at: '2026-12-01T01:00:00+09:00', result }] });
      expect(only(decideClaims([c], OFFICES))).toMatchObject({ status: 'not-claimable', month: null });
    }
  });

  it('a facility that answered 受入不可 was reached: admitted elsewhere, the case is claimable, its month that call\'s', () => {
    const c = makeCase({
      id: 'c-refused-then',
      contacts: [
        { at: '2026-11-30T23:40:00+09:00', result: '不在' },
        { at: '2026-12-01T00:10:00+09:00', result: '受入不可' },
        { at: '2026-12-01T00:30:00+09:00', result: '受入可' },
      ],
    });
    const d = only(decideClaims([c], OFFICES));
    // the unanswered call at 23:40 on 30 November does not fix the month: the first call that reached a facility does
    expect(d).toMatchObject({ status: 'claimed', units: 700, month: '2026-12', coordinatedAt: '2026-12-01T00:10:00+09:00' });
    expect(claimMonthOf(c)).toEqual({ month: '2026-12', coordinatedAt: '2026-12-01T00:10:00+09:00' });
  });

  it('a facility reached but the person stayed at home, went to hospital or elsewhere: 算定不可 with the outcome named', () => {
    for (const outcome of ['入院', '在宅で対応', 'その他'] as const) {
      const c = makeCase({ id: `c-${outcome}`, contacts: [{ at: '2026-12-01T01:00:00+09:00' }], outcome });
      const d = only(decideClaims([c], OFFICES));
      expect(d.status).toBe('not-claimable');
      expect(d.reasons).toContain(`対応結果が「${outcome}」のため算定できません（指定短期入所の利用に至った場合に算定します）`);
      // the month is still the coordination's, so the case is listed under it with its reason
      expect(d.month).toBe('2026-12');
    }
  });

  it('a case still open without an outcome waits as 要確認 「対応結果が未記録です」, holding its slot under the cap', () => {
    const open = makeCase({ id: 'c-open', contacts: [{ at: '2026-12-02T01:00:00+09:00' }], outcome: null });
    const others = [1, 2, 3, 4].map((n) => makeCase({ id: `c-${n}`, contacts: [{ at: `2026-12-0${n + 2}T01:00:00+09:00` }] }));
    const decisions = decideClaims([open, ...others], OFFICES);
    expect(decisions[0]).toMatchObject({ status: 'pending', units: 0, ordinal: 1 });
    expect(decisions[0]!.reasons).toContain('対応結果が未記録です（指定短期入所の利用に至った場合に算定します）');
    expect(decisions.slice(1).map((d) => d.status)).toEqual(['claimed', 'claimed', 'claimed', 'over-cap']);
    // recorded as 入院, it gives its slot back
    const hospital = decideClaims([{ ...open, outcome: makeCase({ id: 'x', outcome: '入院' }).outcome }, ...others], OFFICES);
    expect(hospital.map((d) => d.status)).toEqual(['not-claimable', 'claimed', 'claimed', 'claimed', 'claimed']);
  });
});

// seeds/004 §24: the same 加算 belongs to 障害児相談支援 for a child, whose plan is the 障害児支援利用計画.
describe('issue 14 Why「children\'s wording」— seeds/004 §24 for a child (児): 障害児相談支援事業所, 障害児支援利用計画, 障害児相談支援給付費', () => {
  const child = () => true;
  it('another office provides 障害児相談支援 → not claimable, in the words for a child', () => {
    const c = makeCase({ id: 'c-child', contacts: [{ at: '2026-12-01T01:00:00+09:00' }], planning: 'other-office' });
    expect(only(decideClaims([c], OFFICES, child)).reasons).toContain('他の指定障害児相談支援事業所が障害児相談支援を担当しているため算定できません');
    expect(only(decideClaims([c], OFFICES)).reasons).toContain('他の指定特定相談支援事業所が計画相談支援を担当しているため算定できません');
  });

  it('claimed for a child names 障害児相談支援; the plan fee for a child with no services is the 障害児支援利用援助費', () => {
    const mine = makeCase({ id: 'c-mine', contacts: [{ at: '2026-12-01T01:00:00+09:00' }] });
    expect(only(decideClaims([mine], OFFICES, child)).reasons).toContain('当事業所が障害児相談支援を担当しています');
    const none = makeCase({ id: 'c-none', contacts: [{ at: '2026-12-01T01:00:00+09:00' }], planning: 'none-this-office-writes' });
    expect(only(decideClaims([none], OFFICES, child)).reasons).toContain(
      'サービス未利用の児童で、当事業所が障害児支援利用計画を作成するため、障害児相談支援給付費（障害児支援利用援助費）と併せて算定します',
    );
  });

  it('the lookup is asked with the day of the coordination (a child who turns 18 that month is judged on that day)', () => {
    const asked: string[] = [];
    const c = makeCase({ id: 'c-age', contacts: [{ at: '2026-12-01T00:20:00+09:00' }] });
    decideClaims([c], OFFICES, (_case, at) => {
      asked.push(at);
      return false;
    });
    // asked for the wording and for the 給付 billed, each time with that day
    expect(asked.length).toBeGreaterThan(0);
    expect([...new Set(asked)]).toEqual(['2026-12-01T00:20:00+09:00']);
  });
});

describe('§24 注: at most 4 times per person per month', () => {
  it('5 emergencies in one month = 4 claimed + 1 over-cap', () => {
    const cases = emergenciesIn('2026-12', 5);
    const decisions = decideClaims(cases, OFFICES);
    expect(decisions.map((d) => d.status)).toEqual(['claimed', 'claimed', 'claimed', 'claimed', 'over-cap']);
    expect(decisions.map((d) => d.ordinal)).toEqual([1, 2, 3, 4, 5]);
    expect(decisions.map((d) => d.units)).toEqual([700, 700, 700, 700, 0]);
    expect(decisions[1]!.reasons).toContain('この月の2回目');
    expect(decisions[4]!.reasons.at(-1)).toBe('この月の5回目：上限4回を超えるため算定しません');
    expect(summarizeClaims(decisions, cases, HUB_OFFICE.id, '2026-12')).toEqual([
      { personKey: 'recipient:0000000001', serviceType: '計画相談支援', recipientNumber: '0000000001', name: '山田 花子', count: 4, units: 2800 },
    ]);
  });

  it('numbers by coordination time, not by input order, and keeps the input order in the output', () => {
    const cases = emergenciesIn('2026-12', 5).reverse();
    const decisions = decideClaims(cases, OFFICES);
    expect(decisions.map((d) => d.caseId)).toEqual(cases.map((c) => c.id));
    expect(decisions[0]).toMatchObject({ caseId: '2026-12-5', status: 'over-cap', ordinal: 5 });
    expect(decisions[4]).toMatchObject({ caseId: '2026-12-1', status: 'claimed', ordinal: 1 });
  });

  it('breaks a tie in coordination time by case id', () => {
    const at = '2026-12-05T03:00:00+09:00';
    const cases = ['e', 'b', 'd', 'a', 'c'].map((id) => makeCase({ id, contacts: [{ at }] }));
    const byId = new Map(decideClaims(cases, OFFICES).map((d) => [d.caseId, d]));
    expect(['a', 'b', 'c', 'd', 'e'].map((id) => byId.get(id)?.ordinal)).toEqual([1, 2, 3, 4, 5]);
    expect(byId.get('e')?.status).toBe('over-cap');
  });

  it('counts each person apart, and each office apart', () => {
    const cases = [
      ...emergenciesIn('2026-12', 4, { subject: HANAKO }, 'hanako'),
      ...emergenciesIn('2026-12', 4, { subject: JIRO }, 'jiro'),
    ];
    expect(decideClaims(cases, OFFICES).every((d) => d.status === 'claimed')).toBe(true);
    const otherHub: Office = { ...HUB_OFFICE, id: 'office-hub-2' };
    const offices = new Map([...OFFICES, [otherHub.id, otherHub]]);
    // the same person on the same night at two offices: answered as two emergencies (Q&A R6 問74).
    // The cap numbers each office apart (the 5th is the other office's 1st, not over the cap); both
    // offices saying they provide the person's 計画相談支援 holds them all (below).
    const twoOffices = allSeparate([...emergenciesIn('2026-12', 4, {}, 'a'), ...emergenciesIn('2026-12', 1, { officeId: otherHub.id }, 'b')]);
    expect(decideClaims(twoOffices, offices).map((d) => d.ordinal)).toEqual([1, 2, 3, 4, 1]);
    expect(decideClaims(twoOffices, offices).map((d) => d.status)).toEqual(Array(5).fill('pending'));
  });

  it('the same person known only by 受給者証番号 shares the cap across those cases', () => {
    const byNumber: CaseSubject = { ...UNKNOWN_CALLER, name: '山田 花子', recipientNumber: '0000000001' };
    const decisions = decideClaims(emergenciesIn('2026-12', 5, { subject: byNumber }), OFFICES);
    expect(decisions.map((d) => d.personKey)).toEqual(Array(5).fill('recipient:0000000001'));
    expect(decisions.at(-1)?.status).toBe('over-cap');
  });

  it('a linked case and an unlinked one with the same 受給者証番号 share one cap of 4', () => {
    const byNumber: CaseSubject = { ...UNKNOWN_CALLER, name: '山田 花子', recipientNumber: '0000000001' };
    const cases = allSeparate([...emergenciesIn('2026-12', 3, { subject: HANAKO }, 'linked'), ...emergenciesIn('2026-12', 2, { subject: byNumber }, 'unlinked')]);
    const statuses = decideClaims(cases, OFFICES).map((d) => d.status);
    expect(statuses.filter((st) => st === 'claimed')).toHaveLength(4);
    expect(statuses.filter((st) => st === 'over-cap')).toHaveLength(1);
  });

  it('a linked person without a 受給者証番号 waits as 要確認 (it cannot be billed), holding a cap slot', () => {
    const [d] = decideClaims(emergenciesIn('2026-12', 1, { subject: { ...HANAKO, recipientNumber: '' } }), OFFICES);
    expect(d).toMatchObject({ status: 'pending', ordinal: 1, units: 0 });
    expect(d!.reasons.join()).toContain('受給者証番号が未登録です');
  });
});

describe('留意事項通知 第四19 (2): one office provides a person\'s 計画相談支援, so one office claims', () => {
  const OTHER_HUB: Office = { ...HUB_OFFICE, id: 'office-hub-2', name: '相談支援 あおば' };
  const offices = new Map([...OFFICES, [OTHER_HUB.id, OTHER_HUB]]);

  it('the same person at two offices in one month, both recorded 「当事業所が担当」: neither is plain 算定; each waits naming the other office', () => {
    // two months' caps of 4 at two offices would bill 8; only the office providing the plan may claim
    const cases = allSeparate([...emergenciesIn('2026-12', 4, {}, 'a'), ...emergenciesIn('2026-12', 4, { officeId: OTHER_HUB.id }, 'b')]);
    const decisions = decideClaims(cases, offices);
    expect(decisions.filter((d) => d.status === 'claimed')).toEqual([]);
    expect(decisions.map((d) => d.status)).toEqual(Array(8).fill('pending'));
    expect(decisions.map((d) => d.units)).toEqual(Array(8).fill(0));
    expect(decisions[0]!.reasons.at(-1)).toBe(CLAIM_REASONS.otherOfficeClaims(['相談支援 あおば'], false));
    expect(decisions[0]!.reasons.at(-1)).toContain('「相談支援 あおば」');
    expect(decisions[0]!.reasons.at(-1)).toContain('この方の計画相談支援を提供している事業所だけです');
    expect(decisions[4]!.reasons.at(-1)).toContain('「相談支援センター みなと」');
    expect(summarizeClaims(decisions, cases, HUB_OFFICE.id, '2026-12')).toEqual([]);
    expect(summarizeClaims(decisions, cases, OTHER_HUB.id, '2026-12')).toEqual([]);
  });

  it('once the other office records that another office provides it, the one that provides it claims', () => {
    const cases = allSeparate([...emergenciesIn('2026-12', 2, {}, 'a'), ...emergenciesIn('2026-12', 1, { officeId: OTHER_HUB.id, planning: 'other-office' }, 'b')]);
    expect(decideClaims(cases, offices).map((d) => d.status)).toEqual(['claimed', 'claimed', 'not-claimable']);
  });

  it('a 要確認 case at the other office holds the claim too (it may yet become 算定)', () => {
    const cases = allSeparate([...emergenciesIn('2026-12', 1, {}, 'a'), ...emergenciesIn('2026-12', 1, { officeId: OTHER_HUB.id, planning: 'unknown' }, 'b')]);
    const [here, there] = decideClaims(cases, offices);
    expect(here).toMatchObject({ status: 'pending', units: 0, ordinal: 1 });
    expect(here!.reasons.at(-1)).toBe(CLAIM_REASONS.otherOfficeClaims(['相談支援 あおば'], false));
    expect(there!.status).toBe('pending');
  });

  it('different claim months at two offices are unaffected (the household moved its plan between months)', () => {
    const cases = [...emergenciesIn('2026-11', 2, {}, 'a'), ...emergenciesIn('2026-12', 2, { officeId: OTHER_HUB.id }, 'b')];
    expect(decideClaims(cases, offices).map((d) => d.status)).toEqual(Array(4).fill('claimed'));
  });

  it('the same office twice in the month is unaffected: the cap of 4 handles it', () => {
    const decisions = decideClaims(emergenciesIn('2026-12', 5), offices);
    expect(decisions.map((d) => d.status)).toEqual(['claimed', 'claimed', 'claimed', 'claimed', 'over-cap']);
    expect(decisions.flatMap((d) => d.reasons).some((r) => r.includes('ほかの事業所'))).toBe(false);
  });

  it('another person at the other office the same month is unaffected', () => {
    const cases = [...emergenciesIn('2026-12', 1, { subject: HANAKO }, 'a'), ...emergenciesIn('2026-12', 1, { subject: JIRO, officeId: OTHER_HUB.id }, 'b')];
    expect(decideClaims(cases, offices).map((d) => d.status)).toEqual(['claimed', 'claimed']);
  });

  it('finds the person as the cap does: a case under the number and an unlinked one under the same number at another office', () => {
    const byNumber: CaseSubject = { ...UNKNOWN_CALLER, name: '山田 花子', recipientNumber: '0000000001' };
    const cases = allSeparate([...emergenciesIn('2026-12', 1, { subject: HANAKO }, 'a'), ...emergenciesIn('2026-12', 1, { subject: byNumber, officeId: OTHER_HUB.id }, 'b')]);
    expect(decideClaims(cases, offices)[0]!.reasons.at(-1)).toBe(CLAIM_REASONS.otherOfficeClaims(['相談支援 あおば'], false));
  });
});

describe('§24-3 (2) and 告示 exclusions', () => {
  const AT = '2026-12-01T00:20:00+09:00';

  it('another office provides 計画相談支援 → not claimable', () => {
    const d = only(decideClaims([makeCase({ id: 'c1', contacts: [{ at: AT }], planning: 'other-office' })], OFFICES));
    expect(d).toMatchObject({ status: 'not-claimable', units: 0, ordinal: null, month: '2026-12' });
    expect(d.reasons).toEqual(['他の指定特定相談支援事業所が計画相談支援を担当しているため算定できません']);
  });

  it('no services used and this office writes the サービス等利用計画 → claimable, with the plan fee', () => {
    const d = only(decideClaims([makeCase({ id: 'c1', contacts: [{ at: AT }], planning: 'none-this-office-writes' })], OFFICES));
    expect(d).toMatchObject({ status: 'claimed', units: 700, ordinal: 1 });
    expect(d.reasons.join()).toContain('計画相談支援給付費（サービス利用支援費）と併せて算定します');
  });

  it('this office claims 自立生活援助 緊急時支援加算 / 地域定着支援サービス費 for the same emergency → not claimable', () => {
    const d = only(decideClaims([makeCase({ id: 'c1', contacts: [{ at: AT }], independentLivingClaimed: true })], OFFICES));
    expect(d).toMatchObject({ status: 'not-claimable', units: 0, ordinal: null });
    expect(d.reasons[0]).toContain('緊急時支援加算または地域定着支援サービス費');
  });

  it('§24-2: an office not positioned as a hub in its 運営規程 → not claimable', () => {
    const d = only(decideClaims([makeCase({ id: 'c1', contacts: [{ at: AT }], officeId: NOT_HUB_OFFICE.id })], OFFICES));
    expect(d.status).toBe('not-claimable');
    expect(d.reasons).toEqual(['当事業所は運営規程で地域生活支援拠点等として位置付けられていません']);
  });

  it('§24-2: an office that is not registered in the app → not claimable', () => {
    const d = only(decideClaims([makeCase({ id: 'c1', contacts: [{ at: AT }], officeId: 'office-missing' })], OFFICES));
    expect(d).toMatchObject({ status: 'not-claimable', officeId: 'office-missing' });
    expect(d.reasons[0]).toContain('登録されていません');
  });

  it('計画相談別告示 十一: coordinated before the hub period (Japan date) → not claimable; on its first day → claimable', () => {
    const before = makeCase({ id: 'before', contacts: [{ at: '2026-03-31T23:59:00+09:00' }] });
    const onDay = makeCase({ id: 'on', contacts: [{ at: '2026-03-31T15:00:00.000Z' }] }); // 2026-04-01 00:00 JST
    const [b, o] = decideClaims([before, onDay], OFFICES);
    expect(b?.status).toBe('not-claimable');
    expect(b?.reasons).toEqual(['連絡・調整の日（2026年3月31日）は当事業所が拠点として位置付けられていた期間（2026年4月1日〜）の外です']);
    expect(o?.status).toBe('claimed');
  });

  it('§24 注: no contact with a 短期入所 → not claimable, with no month', () => {
    const none = makeCase({ id: 'none' });
    const notShortStay = makeCase({ id: 'other', contacts: [{ at: AT, shortStay: false, facility: 'グループホーム' }] });
    for (const d of decideClaims([none, notShortStay], OFFICES)) {
      expect(d).toMatchObject({ status: 'not-claimable', month: null, coordinatedAt: null, ordinal: null, units: 0 });
      expect(d.reasons[0]).toContain('短期入所事業所への連絡・調整の記録がありません');
    }
  });

  it('nobody identified (no linked person, no 受給者証番号), admitted to a short stay → 要確認 until linked, numbered under no one', () => {
    const d = only(decideClaims([makeCase({ id: 'c1', contacts: [{ at: AT }], subject: UNKNOWN_CALLER })], OFFICES));
    expect(d).toMatchObject({ status: 'pending', personKey: null, ordinal: null, units: 0 });
    expect(d.reasons).toContain(
      '対象者が特定されていません。記録の画面の「登録者と結び付ける」で、この方の登録者と結び付けると判定されます（世帯がまだ登録されていないときは、先に「世帯を登録」で登録してください）',
    );
    expect(d.reasons).not.toContain(CLAIM_REASONS.noRecipientNumber);
  });

  it('lists every exclusion that applies, not just the first (nobody identified is no exclusion: linking would not help)', () => {
    const c = makeCase({
      id: 'c1',
      contacts: [{ at: AT }],
      subject: UNKNOWN_CALLER,
      officeId: NOT_HUB_OFFICE.id,
      planning: 'other-office',
      independentLivingClaimed: true,
      outcome: '入院',
    });
    const d = only(decideClaims([c], OFFICES));
    expect(d.status).toBe('not-claimable');
    expect(d.reasons).toHaveLength(4);
    expect(d.reasons).not.toContain(CLAIM_REASONS.noPerson);
  });

  it('planning unknown → pending: not claimed, but it takes a slot under the cap', () => {
    const cases = [
      ...emergenciesIn('2026-12', 2),
      makeCase({ id: 'pending', contacts: [{ at: '2026-12-03T02:00:00+09:00' }], planning: 'unknown' }),
      makeCase({ id: 'fourth', contacts: [{ at: '2026-12-04T02:00:00+09:00' }] }),
      makeCase({ id: 'fifth', contacts: [{ at: '2026-12-05T02:00:00+09:00' }] }),
    ];
    const decisions = decideClaims(cases, OFFICES);
    const pending = decisions[2]!;
    expect(pending).toMatchObject({ status: 'pending', ordinal: 3, units: 0 });
    expect(pending.reasons).toContain('計画相談支援をどの事業所が担当しているか未確認です。確認して記録すると算定の可否が決まります');
    expect(decisions[3]).toMatchObject({ status: 'claimed', ordinal: 4 });
    expect(decisions[4]).toMatchObject({ status: 'over-cap', ordinal: 5 });
    expect(summarizeClaims(decisions, cases, HUB_OFFICE.id, '2026-12')[0]).toMatchObject({ count: 3, units: 2100 });
  });

  it('a not-claimable case does not take a slot: the 5th emergency is then the 4th that counts', () => {
    const cases = emergenciesIn('2026-12', 5).map((c, i) =>
      i === 1 ? { ...c, claimFacts: { ...c.claimFacts, planning: 'other-office' as const } } : c,
    );
    expect(decideClaims(cases, OFFICES).map((d) => d.status)).toEqual([
      'claimed',
      'not-claimable',
      'claimed',
      'claimed',
      'claimed',
    ]);
  });
});

describe('DOMAIN.md §5: the month boundary', () => {
  it('4 in November + 1 coordinated at 00:20 on 1 December (requested 23:50 on 30 November) = 5 claimed', () => {
    const november = emergenciesIn('2026-11', 4);
    const boundary = makeCase({
      id: 'boundary',
      requestedAt: '2026-11-30T23:50:00+09:00',
      contacts: [{ at: '2026-12-01T00:20:00+09:00' }],
    });
    const decisions = decideClaims([...november, boundary], OFFICES);
    expect(decisions.map((d) => d.status)).toEqual(Array(5).fill('claimed'));
    expect(decisions.at(-1)).toMatchObject({ month: '2026-12', ordinal: 1 });
    expect(decisions.at(-1)?.reasons[0]).toBe('短期入所事業所への連絡・調整あり（2026年12月1日 00:20）');
    expect(summarizeClaims(decisions, [...november, boundary], HUB_OFFICE.id, '2026-11')[0]).toMatchObject({ count: 4 });
    expect(summarizeClaims(decisions, [...november, boundary], HUB_OFFICE.id, '2026-12')[0]).toMatchObject({ count: 1 });
  });
});

// ─── summarizeClaims, countThisMonth ────────────────────────────────────────────────────────

describe('summarizeClaims', () => {
  it('one row per person with a claimed case, for that office and month only, sorted by 受給者証番号', () => {
    const cases = [
      ...emergenciesIn('2026-12', 2, { subject: JIRO }, 'jiro'),
      ...emergenciesIn('2026-12', 1, { subject: HANAKO }, 'hanako'),
      ...emergenciesIn('2026-12', 1, { subject: HANAKO, planning: 'unknown' }, 'hanako-pending'),
      ...emergenciesIn('2026-11', 1, { subject: HANAKO }, 'hanako-nov'),
      ...emergenciesIn('2026-12', 1, { subject: { ...HANAKO, personId: 'p-3', recipientNumber: '0000000003' }, planning: 'unknown' }),
    ];
    const rows = summarizeClaims(decideClaims(cases, OFFICES), cases, HUB_OFFICE.id, '2026-12');
    expect(rows).toEqual([
      { personKey: 'recipient:0000000001', serviceType: '計画相談支援', recipientNumber: '0000000001', name: '山田 花子', count: 1, units: 700 },
      { personKey: 'recipient:0000000002', serviceType: '計画相談支援', recipientNumber: '0000000002', name: '鈴木 次郎', count: 2, units: 1400 },
    ]);
    expect(summarizeClaims(decideClaims(cases, OFFICES), cases, NOT_HUB_OFFICE.id, '2026-12')).toEqual([]);
  });

  it('takes the name and number from the latest claimed case', () => {
    const cases = [
      makeCase({ id: 'a', contacts: [{ at: '2026-12-09T02:00:00+09:00' }], subject: { ...HANAKO, name: '山田 はなこ' } }),
      makeCase({ id: 'b', contacts: [{ at: '2026-12-01T02:00:00+09:00' }], subject: { ...HANAKO, name: '山田 花子（旧）' } }),
    ];
    expect(summarizeClaims(decideClaims(cases, OFFICES), cases, HUB_OFFICE.id, '2026-12')[0]?.name).toBe('山田 はなこ');
  });
});

describe('countThisMonth', () => {
  const cases = [
    ...emergenciesIn('2026-12', 3),
    makeCase({ id: 'pending', contacts: [{ at: '2026-12-10T02:00:00+09:00' }], planning: 'unknown' }),
    makeCase({ id: 'over', contacts: [{ at: '2026-12-11T02:00:00+09:00' }] }),
    makeCase({ id: 'excluded', contacts: [{ at: '2026-12-12T02:00:00+09:00' }], independentLivingClaimed: true }),
    ...emergenciesIn('2026-11', 2),
  ];

  it('counts claimed + pending (not over-cap, not excluded) in the Japan month of the call: 「今月はすでに4回」', () => {
    expect(countThisMonth(cases, OFFICES, HANAKO, HUB_OFFICE.id, '2026-12-20T10:00:00+09:00')).toBe(4);
    expect(countThisMonth(cases, OFFICES, HANAKO, HUB_OFFICE.id, '2026-11-30T14:59:00.000Z')).toBe(2); // 23:59 JST 30 Nov
    expect(countThisMonth(cases, OFFICES, HANAKO, HUB_OFFICE.id, '2026-11-30T15:00:00.000Z')).toBe(4); // 00:00 JST 1 Dec
  });

  it('is 0 for another person, another office, or an unidentified caller', () => {
    const at = '2026-12-20T10:00:00+09:00';
    expect(countThisMonth(cases, OFFICES, JIRO, HUB_OFFICE.id, at)).toBe(0);
    expect(countThisMonth(cases, OFFICES, HANAKO, 'office-hub-2', at)).toBe(0);
    expect(countThisMonth(cases, OFFICES, UNKNOWN_CALLER, HUB_OFFICE.id, at)).toBe(0);
  });

  it('finds a person known by 受給者証番号 on the new call', () => {
    const byNumber: CaseSubject = { ...UNKNOWN_CALLER, recipientNumber: '0000000009' };
    const numbered = emergenciesIn('2026-12', 2, { subject: byNumber });
    expect(countThisMonth(numbered, OFFICES, byNumber, HUB_OFFICE.id, '2026-12-20T10:00:00+09:00')).toBe(2);
  });

  it("counts the cases under a number the household has since corrected, as the claim's cap does", () => {
    // four cases recorded under a typo (1… and 3… both, so the group's name is not the new number)
    for (const old of ['1000000000', '3000000000']) {
      const recorded: CaseSubject = { ...HANAKO, recipientNumber: old };
      const four = emergenciesIn('2026-12', 4, { subject: recorded });
      const facts = personFactsLookupOf(new Map([['h-1', { officeId: null, persons: [{ id: 'p-1', recipientNumber: '2000000000' }] }]]));
      const now: CaseSubject = { ...HANAKO, recipientNumber: '2000000000' };
      expect(countThisMonth(four, OFFICES, now, HUB_OFFICE.id, '2026-12-20T10:00:00+09:00', facts), old).toBe(4);
    }
  });
});

// ─── Purity and time-zone independence ──────────────────────────────────────────────────────

describe('purity', () => {
  it('does not change its inputs', () => {
    const cases = [...emergenciesIn('2026-12', 5), makeCase({ id: 'x', subject: UNKNOWN_CALLER })].reverse();
    const before = structuredClone(cases);
    const decisions = decideClaims(cases, OFFICES);
    const decisionsBefore = structuredClone(decisions);
    summarizeClaims(decisions, cases, HUB_OFFICE.id, '2026-12');
    countThisMonth(cases, OFFICES, HANAKO, HUB_OFFICE.id, '2026-12-20T10:00:00+09:00');
    expect(cases).toEqual(before);
    expect(decisions).toEqual(decisionsBefore);
  });

  it('gives the same decisions whatever the process time zone', () => {
    const cases = [
      ...emergenciesIn('2026-11', 4),
      makeCase({ id: 'boundary', contacts: [{ at: '2026-11-30T15:20:00.000Z' }] }),
      makeCase({ id: 'hub-day', contacts: [{ at: '2026-03-31T15:00:00.000Z' }] }),
    ];
    const original = process.env.TZ;
    const expected = decideClaims(cases, OFFICES);
    try {
      const offsets = { UTC: 0, 'America/Los_Angeles': 480, 'Pacific/Kiritimati': -840, 'Asia/Tokyo': -540 } as const;
      for (const [tz, offset] of Object.entries(offsets)) {
        process.env.TZ = tz;
        expect(new Date(Date.UTC(2026, 0, 15)).getTimezoneOffset()).toBe(offset); // the switch took effect
        expect(decideClaims(cases, OFFICES)).toEqual(expected);
      }
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
    expect(expected.map((d) => d.month)).toEqual(['2026-11', '2026-11', '2026-11', '2026-11', '2026-12', '2026-04']);
  });
});

// ─── Properties ─────────────────────────────────────────────────────────────────────────────

/** An independent reading of the Japan month, through Intl rather than japan-time.ts. */
const TOKYO_MONTH = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit' });

function tokyoMonth(instant: string): string {
  return TOKYO_MONTH.format(new Date(instant)).slice(0, 7);
}

const SUBJECTS: readonly CaseSubject[] = [
  HANAKO,
  JIRO,
  UNKNOWN_CALLER,
  { ...UNKNOWN_CALLER, name: '佐藤 三郎', recipientNumber: '0000000003' },
];
const OFFICE_IDS = [HUB_OFFICE.id, NOT_HUB_OFFICE.id, 'office-missing'];
// Ten days around a month end, where the Japan date and the UTC date differ: narrow enough that
// a person often has more than 4 emergencies in a month, so the cap is really exercised.
const FROM = Date.parse('2026-11-25T00:00:00+09:00');
const TO = Date.parse('2026-12-05T00:00:00+09:00');

const contactArb: fc.Arbitrary<ContactSpec> = fc.record({
  at: fc.integer({ min: FROM, max: TO }).map((ms) => new Date(ms).toISOString()),
  shortStay: fc.integer({ min: 0, max: 4 }).map((n) => n !== 0),
});

const casesArb: fc.Arbitrary<EmergencyCase[]> = fc
  .array(
    fc.record({
      subject: fc.constantFrom(...SUBJECTS),
      officeId: fc.constantFrom(...OFFICE_IDS, HUB_OFFICE.id, HUB_OFFICE.id),
      contacts: fc.array(contactArb, { maxLength: 3 }),
      planning: fc.constantFrom<Planning>('this-office', 'this-office', 'none-this-office-writes', 'other-office', 'unknown'),
      independentLivingClaimed: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
    }),
    { maxLength: 60, size: 'max' },
  )
  .map((specs) =>
    specs.map((s, i) =>
      makeCase({
        ...s,
        id: `case-${String(i).padStart(3, '0')}`,
        contacts: [...s.contacts].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)),
      }),
    ),
  );

function groupCount<T>(items: readonly T[], keyOf: (t: T) => string | null): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of items) {
    const key = keyOf(t);
    if (key !== null) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

describe('properties over random sets of cases', () => {
  it('per office, person and month: claimed ≤ 4, and ≤ the emergencies with a short-stay contact that month', () => {
    fc.assert(
      fc.property(casesArb, (cases) => {
        const decisions = decideClaims(cases, OFFICES);
        const claimed = groupCount(
          decisions.filter((d) => d.status === 'claimed'),
          (d) => JSON.stringify([d.officeId, d.personKey, d.month]),
        );
        const emergencies = groupCount(cases, (c) => {
          const shortStay = c.contacts.filter((k) => k.body.shortStay).map((k) => k.body.contactedAt);
          const first = shortStay.sort((a, b) => Date.parse(a) - Date.parse(b))[0];
          const person = personKeyOf(c.subject);
          return first && person ? JSON.stringify([c.open.body.officeId, person, tokyoMonth(first)]) : null;
        });
        for (const [key, n] of claimed) {
          expect(n).toBeLessThanOrEqual(MONTHLY_CAP);
          expect(n).toBeLessThanOrEqual(emergencies.get(key) ?? 0);
        }
      }),
    );
  });

  it('per person and month: claimed ≤ 4 (only one of the generated offices is a hub)', () => {
    fc.assert(
      fc.property(casesArb, (cases) => {
        const claimed = groupCount(
          decideClaims(cases, OFFICES).filter((d) => d.status === 'claimed'),
          (d) => JSON.stringify([d.personKey, d.month]),
        );
        for (const n of claimed.values()) expect(n).toBeLessThanOrEqual(MONTHLY_CAP);
      }),
    );
  });

  it('every decision: one per case in order, reasons never empty, 700 units only when claimed, ordinal iff it counts or is over the cap', () => {
    fc.assert(
      fc.property(casesArb, (cases) => {
        const decisions = decideClaims(cases, OFFICES);
        expect(decisions.map((d) => d.caseId)).toEqual(cases.map((c) => c.id));
        for (const d of decisions) {
          expect(d.reasons.length).toBeGreaterThan(0);
          expect(d.units).toBe(d.status === 'claimed' ? CONSULTATION_BONUS_UNITS : 0);
          // a case of nobody identified waits (要確認) under no one's cap
          expect(d.ordinal === null).toBe(d.status === 'not-claimable' || d.personKey === null);
          if (d.status === 'over-cap') expect(d.ordinal).toBeGreaterThan(MONTHLY_CAP);
          if ((d.status === 'claimed' || d.status === 'pending') && d.personKey !== null) expect(d.ordinal).toBeLessThanOrEqual(MONTHLY_CAP);
        }
      }),
    );
  });

  it('the decisions do not depend on the order of the input', () => {
    fc.assert(
      fc.property(casesArb.chain((cases) => fc.tuple(fc.constant(cases), fc.shuffledSubarray(cases, { minLength: cases.length }))), ([cases, shuffled]) => {
        const byId = (ds: readonly ClaimDecision[]) => new Map(ds.map((d) => [d.caseId, d]));
        expect(byId(decideClaims(shuffled, OFFICES))).toEqual(byId(decideClaims(cases, OFFICES)));
      }),
    );
  });

  it('summary: units = 700 × count, 1 ≤ count ≤ 4, and the counts add up to the claimed decisions', () => {
    fc.assert(
      fc.property(casesArb, fc.constantFrom('2026-10', '2026-11', '2026-12'), (cases, month) => {
        const decisions = decideClaims(cases, OFFICES);
        const rows = summarizeClaims(decisions, cases, HUB_OFFICE.id, month);
        for (const row of rows) {
          expect(row.units).toBe(CONSULTATION_BONUS_UNITS * row.count);
          expect(row.count).toBeGreaterThanOrEqual(1);
          expect(row.count).toBeLessThanOrEqual(MONTHLY_CAP);
        }
        const claimed = decisions.filter((d) => d.status === 'claimed' && d.officeId === HUB_OFFICE.id && d.month === month);
        expect(rows.reduce((sum, r) => sum + r.count, 0)).toBe(claimed.length);
        expect(new Set(rows.map((r) => r.personKey)).size).toBe(rows.length);
      }),
    );
  });
});

describe('childLookupOf: 者/児 from the household, in Japan time on the day of the coordination', () => {
  const households = new Map([['h-1', { persons: [{ id: 'p-1', birthDate: '2008-12-01' }] }]]);
  const lookup = childLookupOf(households);
  const kase = makeCase({ id: 'c-l', contacts: [{ at: '2026-12-01T00:20:00+09:00' }] });
  it('is a child the day before the 18th birthday (Japan date), an adult on it', () => {
    // 2026-11-30 15:20 UTC is already 1 December in Japan: the 18th birthday
    expect(lookup(kase, '2026-11-30T15:20:00.000Z')).toBe(false);
    expect(lookup(kase, '2026-11-30T14:59:00.000Z')).toBe(true);
  });
  it('does not guess for an unlinked caller or a person no longer held', () => {
    expect(lookup(makeCase({ id: 'c-u', subject: UNKNOWN_CALLER }), '2026-12-01T00:00:00.000Z')).toBeNull();
    expect(lookup(makeCase({ id: 'c-j', subject: JIRO }), '2026-12-01T00:00:00.000Z')).toBeNull();
  });
  it('does not guess, nor stop the claims screen, on a birth date that is not a day (held from before the hub checked days)', () => {
    const held = childLookupOf(new Map([['h-1', { persons: [{ id: 'p-1', birthDate: '2008-02-31' }] }]]));
    expect(held(kase, '2026-12-01T00:00:00.000Z')).toBeNull();
  });
});

// seeds/004 §24: a child's 相談強化加算 is claimed with the 障害児相談支援給付費; the summary CSV's サービス種別 says which.
describe('issue 14 Why「the summary CSV has no サービス種別」— seeds/004 §24 (a child\'s claim belongs to 障害児相談支援給付費): サービス種別 per person', () => {
  it('is 障害児相談支援 for a person who was a child on the day of their latest claimed coordination, else 計画相談支援', () => {
    const cases = [
      makeCase({ id: 'c-child', contacts: [{ at: '2026-12-01T01:00:00+09:00' }], subject: HANAKO }),
      makeCase({ id: 'c-adult', contacts: [{ at: '2026-12-02T01:00:00+09:00' }], subject: JIRO }),
    ];
    const childAt = (c: EmergencyCase) => c.subject.personId === HANAKO.personId;
    const decisions = decideClaims(cases, OFFICES, childAt);
    const rows = summarizeClaims(decisions, cases, HUB_OFFICE.id, '2026-12', childAt);
    expect(rows.map((r) => [r.name, r.serviceType])).toEqual([
      ['山田 花子', '障害児相談支援'],
      ['鈴木 次郎', '計画相談支援'],
    ]);
  });

  it('gives a person who turns 18 in the month a 児 row and a 者 row, each claim under the 給付 of its day, as the detail says; the 合計 counts the person once', () => {
    const households = new Map([['h-1', { persons: [{ id: 'p-1', birthDate: '2008-12-15' }] }]]);
    const childAt = childLookupOf(households);
    const cases = [
      makeCase({ id: 'c-17', contacts: [{ at: '2026-12-05T01:00:00+09:00' }] }),
      makeCase({ id: 'c-17b', contacts: [{ at: '2026-12-14T23:00:00+09:00' }] }),
      makeCase({ id: 'c-18', contacts: [{ at: '2026-12-20T01:00:00+09:00' }] }),
    ];
    const decisions = decideClaims(cases, OFFICES, childAt);
    expect(decisions.map((d) => d.status)).toEqual(['claimed', 'claimed', 'claimed']);
    const rows = summarizeClaims(decisions, cases, HUB_OFFICE.id, '2026-12', childAt);
    expect(rows.map((r) => [r.serviceType, r.count, r.units])).toEqual([
      ['障害児相談支援', 2, 1400],
      ['計画相談支援', 1, 700],
    ]);
    expect(summaryTotals(rows)).toEqual({ persons: 1, count: 3, units: 2100 });
    const csv = claimSummaryCsv(rows, HUB_OFFICE, '2026-12');
    expect(csv.split('\r\n').at(-2)).toBe(`${HUB_OFFICE.officeNumber},2026年12月,,合計,1名,3,2100`);
  });
});

// ─── Hub periods (issue 14: the hub date has history) ───────────────────────────────────────
// 計画相談別告示 十一「運営規程において、市町村により地域生活支援拠点等として位置付けられていること」: the
// claim stands on the period in force on the Japan day of the coordination, so a 廃止届 (an end date)
// or a new positioning never moves a month already decided.

const periodOffice = (hubPeriods: Office['hubPeriods']): Office => ({ ...HUB_OFFICE, id: 'office-periods', hubPeriods });
const officesWith = (office: Office): ReadonlyMap<string, Office> => new Map([[office.id, office]]);

describe('計画相談別告示 十一: hub periods', () => {
  it('計画相談別告示 十一: 廃止届 ends the period: its last day (Japan time) is claimed, the next day is 算定不可 naming the period', () => {
    const office = periodOffice([{ from: '2026-04-01', to: '2026-09-30', note: '廃止届' }]);
    const lastDay = makeCase({ id: 'last', officeId: office.id, contacts: [{ at: '2026-09-30T14:59:00.000Z' }] }); // 23:59 JST
    const nextDay = makeCase({ id: 'next', officeId: office.id, contacts: [{ at: '2026-09-30T15:00:00.000Z' }] }); // 10/1 00:00 JST
    const [l, n] = decideClaims([lastDay, nextDay], officesWith(office));
    expect(l?.status).toBe('claimed');
    expect(l?.reasons).toContain('拠点として位置付けられていた期間（2026年4月1日から）の連絡・調整です');
    expect(n?.status).toBe('not-claimable');
    expect(n?.reasons).toEqual(['連絡・調整の日（2026年10月1日）は当事業所が拠点として位置付けられていた期間（2026年4月1日〜2026年9月30日）の外です']);
  });

  it('計画相談別告示 十一: positioned again after a gap: the gap is 算定不可 naming every period, the new period is claimed', () => {
    const office = periodOffice([
      { from: '2025-04-01', to: '2025-12-31', note: '' },
      { from: '2026-11-01', to: null, note: '再指定', notifiedOn: '2026-10-15' },
    ]);
    const inGap = makeCase({ id: 'gap', officeId: office.id, contacts: [{ at: '2026-06-01T02:00:00+09:00' }] });
    const inNew = makeCase({ id: 'new', officeId: office.id, contacts: [{ at: '2026-11-01T00:05:00+09:00' }] });
    const inOld = makeCase({ id: 'old', officeId: office.id, contacts: [{ at: '2025-12-31T23:55:00+09:00' }] });
    const [g, n, o] = decideClaims([inGap, inNew, inOld], officesWith(office));
    expect(g?.reasons).toEqual([
      '連絡・調整の日（2026年6月1日）は当事業所が拠点として位置付けられていた期間（2025年4月1日〜2025年12月31日、2026年11月1日〜）の外です',
    ]);
    expect(n).toMatchObject({ status: 'claimed', month: '2026-11' });
    expect(n?.reasons).toContain('拠点として位置付けられていた期間（2026年11月1日から）の連絡・調整です');
    expect(o).toMatchObject({ status: 'claimed', month: '2025-12' });
  });

  // 留意事項通知 第一の1(4) (seeds/004 §6-5 ※提出期限): a 届出 on or before the 15th is claimed from the next
  // month's services, one on the 16th or later from the month after that.
  const at = (day: string) => `${day}T02:00:00+09:00`;
  const decidedOn = (office: Office, days: readonly string[]) =>
    decideClaims(
      days.map((day, i) => makeCase({ id: `d${i}`, officeId: office.id, subject: { ...HANAKO, recipientNumber: String(i + 1).padStart(10, '0') }, contacts: [{ at: at(day) }] })),
      officesWith(office),
    );

  it('留意事項通知 第一の1(4): positioned and notified on 20 April: 25 April and 10 May are 算定不可 saying why; 1 June is claimed', () => {
    const office = periodOffice([{ from: '2026-04-20', to: null, note: '', notifiedOn: '2026-04-20' }]);
    const [april, may, lastOfMay, june] = decidedOn(office, ['2026-04-25', '2026-05-10', '2026-05-31', '2026-06-01']);
    expect(april).toMatchObject({ status: 'not-claimable', units: 0, ordinal: null });
    expect(april?.reasons).toEqual([
      '連絡・調整の日（2026年4月25日）は相談強化加算の算定開始の前です。加算の届出（2026年4月20日）が16日以降のため、2026年6月のサービス提供分からの算定です（届出が15日以前なら翌月、16日以降なら翌々月から：留意事項通知 第一の1(4)）',
    ]);
    expect(may?.status).toBe('not-claimable');
    expect(may?.reasons[0]).toContain('連絡・調整の日（2026年5月10日）は相談強化加算の算定開始の前です');
    expect(lastOfMay?.status).toBe('not-claimable');
    expect(june).toMatchObject({ status: 'claimed', month: '2026-06', units: CONSULTATION_BONUS_UNITS });
    expect(june?.reasons).toContain('拠点として位置付けられていた期間（2026年4月20日から）の連絡・調整です');
  });

  it('留意事項通知 第一の1(4): notified on the 15th: claimed from the 1st of the next month; notified before the positioning: from its first day, never before', () => {
    const office = periodOffice([{ from: '2026-04-01', to: null, note: '', notifiedOn: '2026-04-15' }]);
    const [april, may] = decidedOn(office, ['2026-04-30', '2026-05-01']);
    expect(april?.reasons[0]).toContain('加算の届出（2026年4月15日）が15日以前のため、2026年5月のサービス提供分からの算定です');
    expect(may?.status).toBe('claimed');
    const early = periodOffice([{ from: '2026-06-20', to: null, note: '', notifiedOn: '2026-05-01' }]);
    const [before, first] = decidedOn(early, ['2026-06-19', '2026-06-20']);
    expect(before?.reasons[0]).toContain('の外です');
    expect(first?.status).toBe('claimed');
  });

  it('留意事項通知 第一の1(4): no 届出日 recorded: the start is taken as the 届出日, saying so and where to record it (from 1 April: 1 May, not 1 April)', () => {
    const office = periodOffice([{ from: '2026-04-01', to: null, note: '' }]);
    const [first, may] = decidedOn(office, ['2026-04-01', '2026-05-01']);
    expect(first?.status).toBe('not-claimable');
    expect(first?.reasons).toEqual([
      '連絡・調整の日（2026年4月1日）は相談強化加算の算定開始の前です。加算の届出日が記録されていないため、拠点の期間の開始日を届出日としています。加算の届出（2026年4月1日）が15日以前のため、2026年5月のサービス提供分からの算定です（届出が15日以前なら翌月、16日以降なら翌々月から：留意事項通知 第一の1(4)）。届出日が違うときは、設定の「事業所（相談強化加算）」で届出日を記録してください',
    ]);
    expect(may?.status).toBe('claimed');
    // a mid-month start saved before the 届出日 was asked (no migration): from the 20th, June
    const [midMay, june] = decidedOn(periodOffice([{ from: '2026-04-20', to: null, note: '' }]), ['2026-05-31', '2026-06-01']);
    expect([midMay?.status, june?.status]).toEqual(['not-claimable', 'claimed']);
  });


  it('計画相談別告示 十一: an office with no period at all is not a hub', () => {
    const d = only(decideClaims([makeCase({ id: 'c', officeId: 'office-periods', contacts: [{ at: '2026-12-01T00:20:00+09:00' }] })], officesWith(periodOffice([]))));
    expect(d.reasons).toEqual(['当事業所は運営規程で地域生活支援拠点等として位置付けられていません']);
  });

  it('計画相談別告示 十一 (property): ending the period or adding a later one never changes a decision coordinated before the change', () => {
    // Days of the generated cases: 2026-11-25 .. 2026-12-04 (Japan). The edit ends the open period on
    // `end` and may add a period from a later day; every case coordinated on or before `end` keeps its decision.
    const dayArb = fc.integer({ min: 24, max: 36 }).map((n) => (n <= 30 ? `2026-11-${String(n).padStart(2, '0')}` : `2026-12-${String(n - 30).padStart(2, '0')}`));
    fc.assert(
      fc.property(
        casesArb,
        dayArb,
        fc.option(fc.record({ gap: fc.integer({ min: 1, max: 5 }), length: fc.option(fc.integer({ min: 0, max: 5 })) })),
        (generated, end, later) => {
          // One person per case: the period rule is per case, and a pair of one person's cases (問74)
          // rightly changes when the other case stops counting.
          const cases = generated.map((c, i) => {
            const subject = { ...c.subject, personId: `p-${i}`, recipientNumber: String(i + 1).padStart(10, '0') };
            return { ...c, subject, open: { ...c.open, body: { ...c.open.body, subject, officeId: HUB_OFFICE.id } } };
          });
          const before = decideClaims(cases, OFFICES);
          const ended = [{ ...HUB_OFFICE.hubPeriods[0]!, to: end, note: '廃止届' }];
          const addFrom = later ? addDaysToDate(end, later.gap) : null;
          const edited: Office = {
            ...HUB_OFFICE,
            hubPeriods: addFrom === null ? ended : [...ended, { from: addFrom, to: later!.length === null ? null : addDaysToDate(addFrom, later!.length), note: '' }],
          };
          const after = decideClaims(cases, new Map([[HUB_OFFICE.id, edited], [NOT_HUB_OFFICE.id, NOT_HUB_OFFICE]]));
          before.forEach((d, i) => {
            if (d.coordinatedAt !== null && japanDateOf(d.coordinatedAt) <= end) expect(after[i]).toEqual(d);
          });
        },
      ),
    );
  });
});

// ─── Rule e by enrolment (issue 14): 一体的運営 and the person's months in the service ─────────────
// 告示 別表16 注の括弧書き / 留意事項通知 第四19 (2)「なお…」: not claimable for a person for whom this office, run as one
// body with a 地域定着支援 or 自立生活援助 office, claims 地域定着支援サービス費 or the 緊急時支援加算. The product owner:
// per person and month of enrolment; 要確認 when the office runs one and the enrolment is unknown.

describe('留意事項通知 第四19 (2) なお書き: 地域定着支援 / 自立生活援助 run as one body', () => {
  const settlementOffice: Office = { ...HUB_OFFICE, oneBody: { settlement: true, independentLiving: false } };
  const offices = new Map([[settlementOffice.id, settlementOffice]]);
  const decemberCase = makeCase({ id: 'dec', contacts: [{ at: '2026-12-10T02:00:00+09:00' }] });
  const enrolled = (settlement: ServiceEnrolments['settlement'], independentLiving: ServiceEnrolments['independentLiving'] = null) =>
    personFactsLookupOf(new Map([['h-1', { persons: [{ id: 'p-1', enrolments: { settlement, independentLiving } }] }]]));

  it('留意事項通知 第四19 (2): enrolled in 地域定着支援 in the claim month → 算定不可 naming the service, the month and the period', () => {
    const d = only(decideClaims([decemberCase], offices, undefined, enrolled([{ from: '2026-10-01', to: null, officeId: HUB_OFFICE.id }])));
    expect(d).toMatchObject({ status: 'not-claimable', units: 0, ordinal: null });
    expect(d.reasons).toEqual([
      '当事業所が一体的に運営する地域定着支援を、本人が2026年12月に利用しています（利用期間 2026年10月1日〜）。地域定着支援サービス費の対象となる月のため、相談強化加算は算定できません',
    ]);
  });

  it('留意事項通知 第四19 (2): an enrolment that touches the month by one day excludes it; one that ended the month before does not', () => {
    const lastDayInDecember = only(decideClaims([decemberCase], offices, undefined, enrolled([{ from: '2026-06-01', to: '2026-12-01', officeId: HUB_OFFICE.id }])));
    expect(lastDayInDecember.status).toBe('not-claimable');
    const endedInNovember = only(decideClaims([decemberCase], offices, undefined, enrolled([{ from: '2026-06-01', to: '2026-11-30', officeId: HUB_OFFICE.id }])));
    expect(endedInNovember).toMatchObject({ status: 'claimed', units: CONSULTATION_BONUS_UNITS });
    const startsInJanuary = only(decideClaims([decemberCase], offices, undefined, enrolled([{ from: '2027-01-01', to: null, officeId: HUB_OFFICE.id }])));
    expect(startsInJanuary.status).toBe('claimed');
  });

  it('留意事項通知 第四19 (2): 利用なし recorded → claimed; enrolment 未確認 (or an unlinked caller) → 要確認, holding its cap slot', () => {
    expect(only(decideClaims([decemberCase], offices, undefined, enrolled([]))).status).toBe('claimed');
    const unknown = only(decideClaims([decemberCase], offices, undefined, enrolled(null)));
    expect(unknown).toMatchObject({ status: 'pending', ordinal: 1, units: 0 });
    expect(unknown.reasons).toContain(
      '当事業所は地域定着支援を一体的に運営していますが、本人の地域定着支援の利用状況が未確認です。世帯の情報に利用期間（または利用なし）を記録すると算定の可否が決まります',
    );
    const unlinked = makeCase({ id: 'u', subject: { ...UNKNOWN_CALLER, recipientNumber: '0000000009' }, contacts: [{ at: '2026-12-10T02:00:00+09:00' }] });
    expect(only(decideClaims([unlinked], offices, undefined, enrolled([]))).status).toBe('pending');
  });

  it('留意事項通知 第四19 (2): enrolled at another office (of the hub or 拠点外: the fee is not this office\'s) → claimed; where not recorded, or an office not held here → taken as here, as before', () => {
    const withOther = new Map([...offices, ['office-2', { ...HUB_OFFICE, id: 'office-2', name: '別の事業所' }]]);
    const elsewhere = only(decideClaims([decemberCase], withOther, undefined, enrolled([{ from: '2026-10-01', to: null, officeId: 'office-2' }])));
    expect(elsewhere).toMatchObject({ status: 'claimed', units: CONSULTATION_BONUS_UNITS });
    const outside = only(decideClaims([decemberCase], withOther, undefined, enrolled([{ from: '2026-10-01', to: null, officeId: null }])));
    expect(outside.status).toBe('claimed');
    const notRecorded = only(decideClaims([decemberCase], withOther, undefined, enrolled([{ from: '2026-10-01', to: null }])));
    expect(notRecorded.status).toBe('not-claimable');
    // the same reason as before the office was recorded: a month already closed sees no change
    expect(notRecorded.reasons).toEqual(only(decideClaims([decemberCase], withOther, undefined, enrolled([{ from: '2026-10-01', to: null, officeId: HUB_OFFICE.id }]))).reasons);
    const gone = only(decideClaims([decemberCase], offices, undefined, enrolled([{ from: '2026-10-01', to: null, officeId: 'office-2' }])));
    expect(gone.status).toBe('not-claimable');
    // at another office until the 5th, at this one from the 6th: excluded, naming the one here
    const both = only(decideClaims([decemberCase], withOther, undefined, enrolled([{ from: '2026-10-01', to: '2026-12-05', officeId: 'office-2' }, { from: '2026-12-06', to: null, officeId: HUB_OFFICE.id }])));
    expect(both.status).toBe('not-claimable');
    expect(both.reasons[0]).toContain('（利用期間 2026年12月6日〜）');
  });

  it('留意事項通知 第四19 (2): an office running neither service never asks, whatever the enrolment', () => {
    expect(only(decideClaims([decemberCase], OFFICES, undefined, enrolled([{ from: '2026-10-01', to: null, officeId: HUB_OFFICE.id }], null))).status).toBe('claimed');
  });

  it('留意事項通知 第四19 (2): 自立生活援助 run as one body is judged on its own enrolment, not 地域定着支援’s', () => {
    const both: Office = { ...HUB_OFFICE, oneBody: { settlement: false, independentLiving: true } };
    const d = only(decideClaims([decemberCase], new Map([[both.id, both]]), undefined, enrolled(null, [{ from: '2026-12-20', to: '2027-03-31', officeId: HUB_OFFICE.id }])));
    expect(d.status).toBe('not-claimable');
    expect(d.reasons[0]).toContain('自立生活援助を利用している月のため（拠点の運用による判断）');
  });

  // 地域定着支援 and 自立生活援助 are services for 障害者 (seeds/004): a child's claim does not wait on them.
  it('a child (児 on the day of the coordination) at an office running both as one body is not asked about them: claimed, where an adult waits', () => {
    const both: Office = { ...HUB_OFFICE, oneBody: { settlement: true, independentLiving: true } };
    const child = only(decideClaims([decemberCase], new Map([[both.id, both]]), () => true, enrolled(null, null)));
    expect(child).toMatchObject({ status: 'claimed', serviceType: '障害児相談支援', units: CONSULTATION_BONUS_UNITS });
    expect(child.reasons.filter((r) => r.includes('利用状況が未確認'))).toEqual([]);
    const adult = only(decideClaims([decemberCase], new Map([[both.id, both]]), () => false, enrolled(null, null)));
    expect(adult.status).toBe('pending');
    expect(adult.reasons.filter((r) => r.includes('利用状況が未確認'))).toHaveLength(2);
  });

  it('the per-case fact 「同じ緊急事態について…算定する」 still excludes on its own', () => {
    const claimedFact = makeCase({ id: 'f', contacts: [{ at: '2026-12-10T02:00:00+09:00' }], independentLivingClaimed: true });
    expect(only(decideClaims([claimedFact], OFFICES)).reasons).toEqual([CLAIM_REASONS.independentLiving]);
  });
});

// ─── Rule d's default from the household's office (issue 14) ──────────────────────────────────
// 留意事項通知 第四19 (2): the office that provides the person's 計画相談支援. A household placed under this office is
// its 計画相談支援 office, so a case that has not recorded it is judged 当事業所; a case that recorded another is not.

describe('留意事項通知 第四19 (2): 計画相談 default from the household placed under an office', () => {
  const unknownCase = makeCase({ id: 'c', planning: 'unknown', contacts: [{ at: '2026-12-10T02:00:00+09:00' }] });
  const placed = (officeId: string | null) =>
    personFactsLookupOf(new Map([['h-1', { officeId, persons: [{ id: 'p-1', enrolments: { settlement: [], independentLiving: [] } }] }]]));

  it('留意事項通知 第四19 (2): household under this office, nothing recorded on the case → 算定 as 当事業所, saying it is the default', () => {
    const d = only(decideClaims([unknownCase], OFFICES, undefined, placed(HUB_OFFICE.id)));
    expect(d.status).toBe('claimed');
    expect(d.reasons).toContain(CLAIM_REASONS.planning['this-office']);
    expect(d.reasons).toContain(CLAIM_REASONS.planningDefault);
  });

  it('留意事項通知 第四19 (2): household under another office, or none → still 要確認; a case that recorded 他の事業所 keeps it', () => {
    expect(only(decideClaims([unknownCase], OFFICES, undefined, placed('office-other'))).status).toBe('pending');
    expect(only(decideClaims([unknownCase], OFFICES, undefined, placed(null))).status).toBe('pending');
    const recordedOther = makeCase({ id: 'o', planning: 'other-office', contacts: [{ at: '2026-12-10T02:00:00+09:00' }] });
    expect(only(decideClaims([recordedOther], OFFICES, undefined, placed(HUB_OFFICE.id))).status).toBe('not-claimable');
  });
});

// ─── The person, the emergency and the placement as the claim reads them (review of 2026-12-05) ─────

describe('one person under the cap, though their first case was recorded before the 受給者証番号', () => {
  const noNumberYet: CaseSubject = { ...HANAKO, recipientNumber: '' };
  // The household holds the number now; the cases recorded after it copied it.
  const facts = personFactsLookupOf(new Map([['h-1', { officeId: null, persons: [{ id: 'p-1', recipientNumber: HANAKO.recipientNumber }] }]]));
  const cases = [
    makeCase({ id: 'c0', subject: noNumberYet, contacts: [{ at: '2026-12-01T02:00:00+09:00' }] }),
    ...[3, 5, 7, 9].map((day) => makeCase({ id: `c${day}`, contacts: [{ at: `2026-12-0${day}T02:00:00+09:00` }] })),
  ];

  it('counts five emergencies against one cap of 4: the fifth is over it, not a second person’s first', () => {
    const decisions = decideClaims(cases, OFFICES, undefined, facts);
    expect(decisions.map((d) => [d.caseId, d.status, d.ordinal])).toEqual([
      ['c0', 'pending', 1],
      ['c3', 'claimed', 2],
      ['c5', 'claimed', 3],
      ['c7', 'claimed', 4],
      ['c9', 'over-cap', 5],
    ]);
    expect(decisions.filter((d) => d.units > 0)).toHaveLength(3);
    // The case still waits for its number to be linked before it is billed.
    expect(decisions[0]!.reasons).toContain(CLAIM_REASONS.noRecipientNumber);
  });

  it('asks 「同じ緊急事態ですか？」 between such cases, and counts them for 「今月はすでに4回」', () => {
    const night = makeCase({ id: 'night', subject: noNumberYet, contacts: [{ at: '2026-12-12T02:00:00+09:00' }] });
    const next = makeCase({ id: 'next', contacts: [{ at: '2026-12-12T20:00:00+09:00' }] });
    const keyOf = capGroupKeyLookupOf([night, next], facts);
    expect(casesWithin24Hours(next, [night, next], (c) => keyOf(c.subject)).map((c) => c.id)).toEqual(['night']);
    expect(only(decideClaims([night, next], OFFICES, undefined, facts).filter((d) => d.caseId === 'next')).status).toBe('pending');
    // A new call for her first case's subject finds all four that count (the fifth is over the cap).
    expect(countThisMonth(cases, OFFICES, noNumberYet, HUB_OFFICE.id, '2026-12-20T10:00:00+09:00', facts)).toBe(4);
    expect(countThisMonth(cases, OFFICES, noNumberYet, HUB_OFFICE.id, '2026-12-20T10:00:00+09:00')).toBe(1);
  });
});

describe('one person under the cap, though their 受給者証番号 was corrected on the household mid-month', () => {
  // Three cases under the mistyped number, then the household's number is corrected and two more follow.
  const mistyped: CaseSubject = { ...HANAKO, recipientNumber: '0000000001' };
  const corrected: CaseSubject = { ...HANAKO, recipientNumber: '0000000011' };
  const facts = personFactsLookupOf(new Map([['h-1', { officeId: null, persons: [{ id: 'p-1', recipientNumber: corrected.recipientNumber }] }]]));
  const cases = [
    ...[1, 3, 5].map((day) => makeCase({ id: `o${day}`, subject: mistyped, contacts: [{ at: `2026-12-0${day}T02:00:00+09:00` }] })),
    ...[7, 9].map((day) => makeCase({ id: `n${day}`, subject: corrected, contacts: [{ at: `2026-12-0${day}T02:00:00+09:00` }] })),
  ];

  it('counts all five against one cap of 4 (it billed 5), and says the recorded number differs', () => {
    const decisions = decideClaims(cases, OFFICES, undefined, facts);
    expect(decisions.map((d) => [d.caseId, d.status, d.ordinal])).toEqual([
      ['o1', 'claimed', 1],
      ['o3', 'claimed', 2],
      ['o5', 'claimed', 3],
      ['n7', 'claimed', 4],
      ['n9', 'over-cap', 5],
    ]);
    expect(decisions[0]!.reasons).toContain(CLAIM_REASONS.numberDiffers('0000000011'));
    expect(decisions[3]!.reasons.some((r) => r.startsWith('記録の受給者証番号が'))).toBe(false);
    // billed by the number each record names: two rows, four claims, and two 名 as the billing
    // counts them (by number)
    const rows = summarizeClaims(decisions, cases, HUB_OFFICE.id, '2026-12');
    expect(rows.map((r) => [r.recipientNumber, r.count])).toEqual([
      ['0000000001', 3],
      ['0000000011', 1],
    ]);
    expect(summaryTotals(rows)).toEqual({ persons: 2, count: 4, units: 4 * CONSULTATION_BONUS_UNITS });
  });

  it('keeps one cap of 4 on a number recorded by mistake for a sibling: the two are one group, never 6 under one number', () => {
    // A's number was typed as B's (0000000002) for three of A's cases; B has three cases of their own.
    const siblings = personFactsLookupOf(
      new Map([['h-1', { officeId: null, persons: [{ id: 'p-a', recipientNumber: '0000000001' }, { id: 'p-b', recipientNumber: '0000000002' }] }]]),
    );
    const asB = (personId: string): CaseSubject => ({ householdId: 'h-1', personId, name: personId, recipientNumber: '0000000002' });
    const all = [
      ...[1, 3, 5].map((day) => makeCase({ id: `a${day}`, subject: asB('p-a'), contacts: [{ at: `2026-12-0${day}T02:00:00+09:00` }] })),
      ...[2, 4, 6].map((day) => makeCase({ id: `b${day}`, subject: asB('p-b'), contacts: [{ at: `2026-12-0${day}T02:00:00+09:00` }] })),
    ];
    const decisions = decideClaims(all, OFFICES, undefined, siblings);
    expect(decisions.filter((d) => d.status === 'claimed')).toHaveLength(4);
    const rows = summarizeClaims(decisions, all, HUB_OFFICE.id, '2026-12');
    expect(rows.filter((r) => r.recipientNumber === '0000000002').reduce((n, r) => n + r.count, 0)).toBeLessThanOrEqual(4);
  });
});

describe('every pair the claim asks 「同じ緊急事態ですか？」 about is one the case screens ask', () => {
  // The household's number was corrected from …0001 to …0007 after a case recorded …0001; the aunt
  // later called giving the old number, and that case was not linked to the household.
  const facts = personFactsLookupOf(new Map([['h-1', { officeId: null, persons: [{ id: 'p-1', recipientNumber: '0000000007' }] }]]));
  const recorded = makeCase({ id: 'recorded', contacts: [{ at: '2026-12-10T02:00:00+09:00' }] });
  const caller: CaseSubject = { householdId: null, personId: null, name: '叔母からの電話', recipientNumber: '0000000001' };
  const unlinked = makeCase({ id: 'unlinked', subject: caller, requestedAt: '2026-12-10T20:00:00+09:00', contacts: [{ at: '2026-12-10T20:30:00+09:00' }] });

  it('joins an unlinked caller’s old number to the household’s corrected one, as the cap does', () => {
    const decisions = decideClaims([recorded, unlinked], OFFICES, undefined, facts);
    expect(decisions.find((d) => d.caseId === 'unlinked')!.reasons.some((r) => r.includes('同じ緊急事態'))).toBe(true);
    const keyOf = capGroupKeyLookupOf([recorded, unlinked], facts);
    expect(casesWithin24Hours(unlinked, [recorded, unlinked], (c) => keyOf(c.subject)).map((c) => c.id)).toEqual(['recorded']);
    expect(casesWithin24Hours(recorded, [recorded, unlinked], (c) => keyOf(c.subject)).map((c) => c.id)).toEqual(['unlinked']);
    // a third call giving the old number, while it is started
    expect(casesNear(caller, '2026-12-11T01:00:00+09:00', [recorded, unlinked], keyOf).map((c) => c.id)).toEqual(['recorded', 'unlinked']);
  });
});

// seeds/002 「特定相談支援事業所及び障害児相談支援事業所が対象の加算」: a 者's claim is billed under the office's
// 指定特定相談支援, a 児's under its 指定障害児相談支援.
describe('the office’s designations (指定特定相談支援 / 指定障害児相談支援)', () => {
  const kase = makeCase({ id: 'c', contacts: [{ at: '2026-12-10T02:00:00+09:00' }] });
  const holding = (designations: Office['designations']) => new Map([[HUB_OFFICE.id, { ...HUB_OFFICE, designations }]]);
  const adultsOnly = holding({ specifiedConsultation: true, childConsultation: false });
  const childrenOnly = holding({ specifiedConsultation: false, childConsultation: true });

  it('an office designated for 特定相談支援 only: a child’s claim is 算定不可 naming the 指定 it lacks; an adult’s is claimed; not recorded (absent, or neither ticked), both as before', () => {
    const child = only(decideClaims([kase], adultsOnly, () => true));
    expect(child).toMatchObject({ status: 'not-claimable', units: 0 });
    expect(child.reasons).toEqual([CLAIM_REASONS.notDesignated('障害児相談支援')]);
    expect(child.reasons[0]).toContain('指定障害児相談支援事業所の指定がないため');
    expect(only(decideClaims([kase], adultsOnly, () => false))).toMatchObject({ status: 'claimed', serviceType: '計画相談支援' });
    for (const offices of [OFFICES, holding({ specifiedConsultation: false, childConsultation: false })]) {
      expect(only(decideClaims([kase], offices, () => true))).toMatchObject({ status: 'claimed', serviceType: '障害児相談支援' });
      expect(only(decideClaims([kase], offices, () => false))).toMatchObject({ status: 'claimed', serviceType: '計画相談支援' });
    }
  });

  it('an office designated for 障害児相談支援 only: an adult’s claim is 算定不可; a child’s is claimed as 障害児相談支援; one whose age is not known waits for it (要確認)', () => {
    const adult = only(decideClaims([kase], childrenOnly, () => false));
    expect(adult.status).toBe('not-claimable');
    expect(adult.reasons[0]).toContain('指定特定相談支援事業所の指定がないため');
    expect(only(decideClaims([kase], childrenOnly, () => true))).toMatchObject({ status: 'claimed', serviceType: '障害児相談支援' });
    const households = new Map([['h-1', { officeId: null, persons: [{ id: 'p-1', recipientNumber: HANAKO.recipientNumber, birthDate: null }] }]]);
    const unaged = only(decideClaims([kase], childrenOnly, childLookupOf(households), personFactsLookupOf(households)));
    expect(unaged.status).toBe('pending');
    expect(unaged.reasons).toContain(CLAIM_REASONS.noBirthDate);
  });
});

describe('a registered person with no 生年月日', () => {
  it('waits (要確認) with the reason instead of being billed as 者 by default; with the date entered it is claimed', () => {
    const kase = makeCase({ id: 'c', contacts: [{ at: '2026-12-10T02:00:00+09:00' }] });
    const households = (birthDate: string | null) => new Map([['h-1', { officeId: null, persons: [{ id: 'p-1', recipientNumber: HANAKO.recipientNumber, birthDate }] }]]);
    const unknown = only(decideClaims([kase], OFFICES, childLookupOf(households(null)), personFactsLookupOf(households(null))));
    expect(unknown.status).toBe('pending');
    expect(unknown.reasons).toContain(CLAIM_REASONS.noBirthDate);
    const known = only(decideClaims([kase], OFFICES, childLookupOf(households('1990-04-01')), personFactsLookupOf(households('1990-04-01'))));
    expect(known.status).toBe('claimed');
    expect(known.reasons).not.toContain(CLAIM_REASONS.noBirthDate);
  });
});

describe('a person the app cannot age', () => {
  it('waits (要確認) for a caller who gave a 受給者証番号 and was not linked, rather than billed as 者; once linked to a child, 障害児相談支援', () => {
    const caller: CaseSubject = { householdId: null, personId: null, name: '名前だけ名乗った方', recipientNumber: '0120000009' };
    const households = new Map([['h-1', { officeId: null, persons: [{ id: 'p-1', recipientNumber: '0120000009', birthDate: '2011-04-01' }] }]]);
    const lookups = [childLookupOf(households), personFactsLookupOf(households)] as const;
    const unlinked = only(decideClaims([makeCase({ id: 'c', subject: caller, contacts: [{ at: '2026-12-10T02:00:00+09:00' }] })], OFFICES, ...lookups));
    expect(unlinked.status).toBe('pending');
    expect(unlinked.reasons).toContain(CLAIM_REASONS.notLinkedAge);
    const linked = only(decideClaims([makeCase({ id: 'c', subject: { ...caller, householdId: 'h-1', personId: 'p-1' }, contacts: [{ at: '2026-12-10T02:00:00+09:00' }] })], OFFICES, ...lookups));
    expect([linked.status, linked.serviceType]).toEqual(['claimed', '障害児相談支援']);
  });

  it('bills a linked person whose household this phone does not hold as 者, saying so (holding it would stop the claim on every phone of the office)', () => {
    const kase = makeCase({ id: 'c', contacts: [{ at: '2026-12-10T02:00:00+09:00' }] });
    const none = new Map<string, { officeId: null; persons: { id: string; recipientNumber: string; birthDate: string }[] }>();
    const d = only(decideClaims([kase], OFFICES, childLookupOf(none), personFactsLookupOf(none)));
    expect([d.status, d.serviceType]).toEqual(['claimed', '計画相談支援']);
    expect(d.reasons).toContain(CLAIM_REASONS.householdNotHeld);
  });
});

describe('one emergency opened twice (answered 同じ) is claimed in the month of its first coordination', () => {
  // A: requested 23:00 on 30 November, a facility reached at 00:30 on 1 December.
  // B: requested 23:30 the same night, a facility reached at 23:45: the emergency's first coordination.
  const a = makeCase({ id: 'a', requestedAt: '2026-11-30T23:00:00+09:00', contacts: [{ at: '2026-12-01T00:30:00+09:00' }] });
  const b = answer(makeCase({ id: 'b', requestedAt: '2026-11-30T23:30:00+09:00', contacts: [{ at: '2026-11-30T23:45:00+09:00' }] }), a, 'same');

  it('claims it once, by the first request’s case, in November, saying why', () => {
    const [da, db] = decideClaims([a, b], OFFICES);
    expect([da!.status, da!.month, da!.coordinatedAt, da!.units]).toEqual(['claimed', '2026-11', '2026-11-30T23:45:00+09:00', CONSULTATION_BONUS_UNITS]);
    expect(da!.reasons).toContain(CLAIM_REASONS.firstInSameEmergency(b.open.body.requestedAt, '2026-11-30T23:45:00+09:00'));
    expect([db!.status, db!.units]).toEqual(['not-claimable', 0]);
    expect(summarizeClaims([da!, db!], [a, b], HUB_OFFICE.id, '2026-11').map((r) => r.count)).toEqual([1]);
    expect(summarizeClaims([da!, db!], [a, b], HUB_OFFICE.id, '2026-12')).toEqual([]);
  });

  it('takes November’s room: December’s four stay claimed', () => {
    // more than 24 hours after the night's requests: no 問74 pair with them
    const december = [3, 4, 5, 6].map((day, i) => makeCase({ id: `dec-${i + 1}`, contacts: [{ at: `2026-12-0${day}T02:00:00+09:00` }] }));
    const decisions = decideClaims([a, b, ...december], OFFICES);
    expect(decisions.filter((d) => d.status === 'claimed').map((d) => [d.caseId, d.month])).toEqual([
      ['a', '2026-11'],
      ['dec-1', '2026-12'],
      ['dec-2', '2026-12'],
      ['dec-3', '2026-12'],
      ['dec-4', '2026-12'],
    ]);
  });

  it('dates the claim by a call of a case that does not count on its own: 23:30 on 30 November, nobody could take him; 01:00, a bed', () => {
    // the review's trap: the first case, closed 在宅 after a facility was reached, was left out of the
    // pairing, so the emergency first coordinated on 30 November was claimed in December
    const none = makeCase({ id: 'none', requestedAt: '2026-11-30T23:00:00+09:00', contacts: [{ at: '2026-11-30T23:30:00+09:00', result: '受入不可' }], outcome: '在宅で対応' });
    const bed = answer(makeCase({ id: 'bed', requestedAt: '2026-12-01T00:40:00+09:00', contacts: [{ at: '2026-12-01T01:00:00+09:00' }] }), none, 'same');
    const [dn, db] = decideClaims([none, bed], OFFICES);
    expect(dn!.status).toBe('not-claimable');
    expect(db).toMatchObject({ status: 'claimed', month: '2026-11', coordinatedAt: '2026-11-30T23:30:00+09:00', units: CONSULTATION_BONUS_UNITS });
    expect(db!.reasons).toContain(CLAIM_REASONS.firstInSameEmergency(none.open.body.requestedAt, '2026-11-30T23:30:00+09:00'));
    // answered 「別の緊急事態」, or a first case that reached no short-stay facility, leaves December's own call
    expect(decideClaims([answer(none, bed, 'separate'), makeCase({ id: 'bed', requestedAt: '2026-12-01T00:40:00+09:00', contacts: [{ at: '2026-12-01T01:00:00+09:00' }] })], OFFICES)[1]!.month).toBe('2026-12');
    const notReached = makeCase({ id: 'none', requestedAt: '2026-11-30T23:00:00+09:00', contacts: [{ at: '2026-11-30T23:30:00+09:00', result: '不在' }], outcome: '在宅で対応' });
    expect(decideClaims([notReached, bed], OFFICES)[1]).toMatchObject({ status: 'claimed', month: '2026-12' });
    // a chain of such cases, each answered with its neighbour only, is one emergency too
    const f1 = makeCase({ id: 'f1', requestedAt: '2026-11-30T23:00:00+09:00', contacts: [{ at: '2026-11-30T23:10:00+09:00', result: '受入不可' }], outcome: '在宅で対応' });
    const f2 = answer(makeCase({ id: 'f2', requestedAt: '2026-11-30T23:50:00+09:00', contacts: [{ at: '2026-12-01T00:05:00+09:00', result: '受入不可' }], outcome: '在宅で対応' }), f1, 'same');
    const last = answer(makeCase({ id: 'last', requestedAt: '2026-12-01T00:40:00+09:00', contacts: [{ at: '2026-12-01T01:00:00+09:00' }] }), f2, 'same');
    expect(decideClaims([f1, f2, last], OFFICES)[2]).toMatchObject({ status: 'claimed', month: '2026-11', coordinatedAt: '2026-11-30T23:10:00+09:00' });
    // nor does one 算定不可 for more than its outcome: here another office plans for the person
    const otherOffice = makeCase({ id: 'none', requestedAt: '2026-11-30T23:00:00+09:00', contacts: [{ at: '2026-11-30T23:30:00+09:00', result: '受入不可' }], outcome: '在宅で対応', planning: 'other-office' });
    expect(decideClaims([otherOffice, bed], OFFICES)[1]).toMatchObject({ status: 'claimed', month: '2026-12' });
  });

  it("asks 「同じ緊急事態ですか？」 (要確認) of such a case in another month, as the answer moves the claim's month; not of one in the same month", () => {
    const none = makeCase({ id: 'none', requestedAt: '2026-11-30T23:00:00+09:00', contacts: [{ at: '2026-11-30T23:30:00+09:00', result: '受入不可' }], outcome: '在宅で対応' });
    const bed = makeCase({ id: 'bed', requestedAt: '2026-12-01T00:40:00+09:00', contacts: [{ at: '2026-12-01T01:00:00+09:00' }] });
    const unanswered = decideClaims([none, bed], OFFICES)[1]!;
    expect(unanswered).toMatchObject({ status: 'pending', units: 0 });
    expect(unanswered.reasons).toContain(CLAIM_REASONS.sameEmergencyUnanswered(none.open.body.requestedAt));
    expect(decideClaims([none, answer(bed, none, 'same')], OFFICES)[1]).toMatchObject({ status: 'claimed', month: '2026-11' });
    expect(decideClaims([none, answer(bed, none, 'separate')], OFFICES)[1]).toMatchObject({ status: 'claimed', month: '2026-12' });
    // both calls in December: either answer claims December, so nothing is asked
    const early = makeCase({ id: 'none', requestedAt: '2026-12-01T00:10:00+09:00', contacts: [{ at: '2026-12-01T00:20:00+09:00', result: '受入不可' }], outcome: '在宅で対応' });
    expect(decideClaims([early, bed], OFFICES)[1]).toMatchObject({ status: 'claimed', month: '2026-12' });
    // the case that ended without a stay requested after the one admitted, its call first (the review's case)
    const admitted = makeCase({ id: 'admitted', requestedAt: '2026-11-30T23:00:00+09:00', contacts: [{ at: '2026-12-01T00:30:00+09:00' }] });
    const home = makeCase({ id: 'home', requestedAt: '2026-11-30T23:30:00+09:00', contacts: [{ at: '2026-11-30T23:45:00+09:00', result: '受入不可' }], outcome: '在宅で対応' });
    expect(decideClaims([admitted, home], OFFICES)[0]).toMatchObject({ status: 'pending' });
    expect(decideClaims([answer(admitted, home, 'same'), home], OFFICES)[0]).toMatchObject({ status: 'claimed', month: '2026-11' });
  });

  it('keeps the first request’s own month when its own call came first', () => {
    const later = answer(makeCase({ id: 'b2', requestedAt: '2026-11-30T23:30:00+09:00', contacts: [{ at: '2026-12-01T01:00:00+09:00' }] }), a, 'same');
    const [held] = decideClaims([a, later], OFFICES);
    expect(held).toMatchObject({ status: 'claimed', month: '2026-12', coordinatedAt: '2026-12-01T00:30:00+09:00' });
    expect(held!.reasons.some((r) => r.startsWith('同じ緊急事態と記録された'))).toBe(false);
  });
});

describe('留意事項通知 第四19 (2): the default is the household’s office on the day of the coordination', () => {
  const december = makeCase({ id: 'dec', planning: 'unknown', contacts: [{ at: '2026-12-01T02:00:00+09:00' }] });
  const movedInJanuary = personFactsLookupOf(
    new Map([['h-1', { officeId: HUB_OFFICE.id, officeMoves: [{ at: '2027-01-10T01:00:00.000Z', from: 'office-2', to: HUB_OFFICE.id }], persons: [{ id: 'p-1' }] }]]),
  );

  it('a household moved here after the call was not this office’s then: still 要確認', () => {
    expect(only(decideClaims([december], OFFICES, undefined, movedInJanuary)).status).toBe('pending');
    const january = makeCase({ id: 'jan', planning: 'unknown', contacts: [{ at: '2027-01-12T02:00:00+09:00' }] });
    expect(only(decideClaims([january], OFFICES, undefined, movedInJanuary)).status).toBe('claimed');
  });

  it('a household moved away after the call was this office’s then: 算定 as 当事業所', () => {
    const movedAway = personFactsLookupOf(
      new Map([['h-1', { officeId: 'office-2', officeMoves: [{ at: '2027-01-10T01:00:00.000Z', from: HUB_OFFICE.id, to: 'office-2' }], persons: [{ id: 'p-1' }] }]]),
    );
    expect(only(decideClaims([december], OFFICES, undefined, movedAway))).toMatchObject({ status: 'claimed', reasons: expect.arrayContaining([CLAIM_REASONS.planningDefault]) });
  });
});

describe('「今月はすでに4回」 counts as the claims screen decides', () => {
  it('leaves out cases excluded by the person’s enrolment at an office run as one body with 地域定着支援', () => {
    const oneBody = new Map([[HUB_OFFICE.id, { ...HUB_OFFICE, oneBody: { settlement: true, independentLiving: false } }]]);
    const enrolled = personFactsLookupOf(
      new Map([['h-1', { persons: [{ id: 'p-1', enrolments: { settlement: [{ from: '2026-10-01', to: null, officeId: HUB_OFFICE.id }], independentLiving: [] } }] }]]),
    );
    const cases = emergenciesIn('2026-12', 4);
    expect(countThisMonth(cases, oneBody, HANAKO, HUB_OFFICE.id, '2026-12-20T10:00:00+09:00', enrolled)).toBe(0);
  });
});

describe('two phones recorded different outcomes at once', () => {
  it('waits (要確認) naming both, rather than letting read order bill or refuse it; claimed once someone settles it', async () => {
    const hub = { by: { userId: 'u-1', name: '拠点 太郎' }, deviceId: 'phone-1', idPrefix: 'p1' };
    const home = { by: { userId: 'u-2', name: '自宅 花子' }, deviceId: 'phone-2', idPrefix: 'p2' };
    const base = await appendEntries([], [
      { body: openBody({ officeId: HUB_OFFICE.id, subject: HANAKO, requestedAt: '2026-12-10T01:50:00+09:00' }), at: '2026-12-10T01:51:00+09:00' },
      { body: { type: 'claim-facts', planning: 'this-office', independentLivingClaimed: false, note: '' }, at: '2026-12-10T01:52:00+09:00' },
    ], 'fork');
    // The basement phone: two refusals and 在宅で対応; the colleague at home: ふじ 受入可 and the admission.
    const one = (await appendEntries(base, [
      { body: contactBody({ contactedAt: '2026-12-10T02:10:00+09:00', result: '受入不可' }), at: '2026-12-10T02:11:00+09:00' },
      { body: contactBody({ contactedAt: '2026-12-10T02:20:00+09:00', result: '受入不可' }), at: '2026-12-10T02:21:00+09:00' },
      { body: { type: 'outcome', outcome: '在宅で対応', facilityId: null, facilityName: '', from: null, note: '' }, at: '2026-12-10T02:45:00+09:00' },
    ], 'fork', hub)).slice(base.length);
    const two = (await appendEntries(base, [
      { body: contactBody({ facilityId: 'fac-f', facilityName: 'ふじ短期入所', contactedAt: '2026-12-10T02:38:00+09:00' }), at: '2026-12-10T02:39:00+09:00' },
      { body: { type: 'outcome', outcome: '短期入所', facilityId: 'fac-f', facilityName: 'ふじ短期入所', from: '2026-12-10T03:30:00+09:00', note: '' }, at: '2026-12-10T02:52:00+09:00' },
    ], 'fork', home)).slice(base.length);
    const entries = orderEntries([...base, ...one, ...two]);
    const d = only(decideClaims([foldCase(entries)], OFFICES));
    expect(d.status).toBe('pending');
    expect(d.reasons).toContain(CLAIM_REASONS.outcomesDiffer(['在宅で対応', '短期入所（ふじ短期入所）']));
    // The colleague, holding both, records the admission again: claimed.
    const again = (await appendEntries(entries, [{ body: two.at(-1)!.body, at: '2026-12-10T03:40:00+09:00' }], 'fork', home)).slice(entries.length);
    const settled = only(decideClaims([foldCase(orderEntries([...entries, ...again]))], OFFICES));
    expect(settled.status).toBe('claimed');
  });

  it('does not wait when the two outcomes agree on what the claim reads: neither admitted, or both', async () => {
    const base = await appendEntries([], [
      { body: openBody({ officeId: HUB_OFFICE.id, subject: HANAKO, requestedAt: '2026-12-10T01:50:00+09:00' }), at: '2026-12-10T01:51:00+09:00' },
      { body: contactBody({ contactedAt: '2026-12-10T02:10:00+09:00' }), at: '2026-12-10T02:11:00+09:00' },
      { body: { type: 'claim-facts', planning: 'this-office', independentLivingClaimed: false, note: '' }, at: '2026-12-10T02:12:00+09:00' },
    ], 'fork2');
    const outcome = (o: Partial<OutcomeBody>): OutcomeBody => ({ type: 'outcome', outcome: '在宅で対応', facilityId: null, facilityName: '', from: null, note: '', ...o });
    const fork = async (a: OutcomeBody, b: OutcomeBody) => {
      const one = (await appendEntries(base, [{ body: a, at: '2026-12-10T02:45:00+09:00' }], 'fork2', { by: COORDINATOR, deviceId: 'phone-1', idPrefix: 'p1' })).slice(base.length);
      const two = (await appendEntries(base, [{ body: b, at: '2026-12-10T02:46:00+09:00' }], 'fork2', { by: { userId: 'u-2', name: '自宅 花子' }, deviceId: 'phone-2', idPrefix: 'p2' })).slice(base.length);
      return only(decideClaims([foldCase(orderEntries([...base, ...one, ...two]))], OFFICES));
    };
    expect((await fork(outcome({}), outcome({ outcome: '入院' }))).status).toBe('not-claimable');
    const twinA = outcome({ outcome: '短期入所', facilityId: 'fac-a', facilityName: 'ふじ短期入所', from: '2026-12-10T03:30:00+09:00' });
    expect((await fork(twinA, { ...twinA, facilityId: 'fac-a-twin' })).status).toBe('claimed');
  });
});

describe('本人未特定で開始: a case opened for nobody registered, linked to a household registered later', () => {
  const linkedLater = async (id: string, outcome: OutcomeBody['outcome'] = '短期入所') => {
    const entries = await appendEntries([], [
      { body: openBody({ officeId: HUB_OFFICE.id, subject: UNKNOWN_CALLER, requestedAt: '2026-12-10T01:50:00+09:00' }), at: '2026-12-10T01:51:00+09:00' },
      { body: contactBody({ contactedAt: '2026-12-10T02:10:00+09:00' }), at: '2026-12-10T02:11:00+09:00' },
      {
        body: { type: 'outcome', outcome, facilityId: outcome === '短期入所' ? 'fac-1' : null, facilityName: outcome === '短期入所' ? 'あおぞら短期入所' : '', from: outcome === '短期入所' ? '2026-12-10T03:00:00+09:00' : null, note: '' },
        at: '2026-12-10T02:40:00+09:00',
      },
      // the household was registered the next morning, under this office, and the case linked to it
      { body: { type: 'link', subject: HANAKO }, at: '2026-12-10T10:00:00+09:00' },
    ], id);
    return foldCase(entries);
  };
  const placedHere = new Map([['h-1', { officeId: HUB_OFFICE.id, persons: [{ id: 'p-1', recipientNumber: HANAKO.recipientNumber, birthDate: '1990-04-01' }] }]]);
  const lookups = [childLookupOf(placedHere), personFactsLookupOf(placedHere)] as const;

  it('留意事項通知 第四19 (2): the household placed under this office gives no 計画相談 default: 要確認 until someone records who provides it', async () => {
    const d = only(decideClaims([await linkedLater('late')], OFFICES, ...lookups));
    expect(d.status).toBe('pending');
    expect(d.reasons).toContain(CLAIM_REASONS.planning.unknown);
    expect(d.reasons).not.toContain(CLAIM_REASONS.planningDefault);
    expect(d.reasons).not.toContain(CLAIM_REASONS.noPerson);
    // a case opened for the registered person still takes the default
    const opened = only(decideClaims([makeCase({ id: 'reg', planning: 'unknown', contacts: [{ at: '2026-12-10T02:10:00+09:00' }] })], OFFICES, ...lookups));
    expect(opened).toMatchObject({ status: 'claimed', reasons: expect.arrayContaining([CLAIM_REASONS.planningDefault]) });
  });

  it('before the link: 要確認 saying to link it (register the household first), not to enter a 受給者証番号; one that ended in hospital stays 算定不可 for that alone', async () => {
    const before = (await linkedLater('before')).entries.filter((e) => e.body.type !== 'link');
    const d = only(decideClaims([foldCase(before)], OFFICES, ...lookups));
    expect(d).toMatchObject({ status: 'pending', personKey: null, units: 0 });
    expect(d.reasons).toContain(CLAIM_REASONS.noPerson);
    expect(d.reasons.some((r) => r.includes('受給者証番号の入力'))).toBe(false);
    expect(d.reasons).not.toContain(CLAIM_REASONS.notLinkedAge);
    expect(d.reasons).not.toContain(CLAIM_REASONS.householdNotHeld);
    const hospital = (await linkedLater('hospital', '入院')).entries.filter((e) => e.body.type !== 'link');
    expect(only(decideClaims([foldCase(hospital)], OFFICES, ...lookups))).toMatchObject({ status: 'not-claimable', reasons: [CLAIM_REASONS.notAdmitted('入院')] });
  });

  it('§24 注 (cap of 4): five unknown callers in a month are five people, not one over the cap; they hold no registered person\'s slot', () => {
    const unknown = emergenciesIn('2026-12', 5, { subject: UNKNOWN_CALLER }, 'anon');
    const hanako = emergenciesIn('2026-12', 4, {}, 'hanako');
    const decisions = decideClaims([...unknown, ...hanako], OFFICES);
    expect(decisions.slice(0, 5).map((d) => [d.status, d.ordinal])).toEqual(Array.from({ length: 5 }, () => ['pending', null]));
    expect(decisions.slice(5).map((d) => [d.status, d.ordinal])).toEqual([1, 2, 3, 4].map((n) => ['claimed', n]));
  });
});
