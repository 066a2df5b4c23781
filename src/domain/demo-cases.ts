/**
 * FICTIONAL emergency cases for the demo hub, so a new user's 請求・出力 shows every rule on first
 * use (issue 14 point 7): in the month the claims screen opens on (defaultClaimMonth), one case for
 * each status and each reason the claim rules give — 算定, 要確認 for each cause, 算定上限超過,
 * 算定不可 for each of rules a–g, the wording for a child, and 「同じ緊急事態ですか？」 pairs
 * (unanswered, same, separate) — and, the month before, a month already 請求済み with a case synced
 * after the close, so 「請求後の変更」 has an entry.
 *
 * Returned as entry bodies to append in order (the store chains and checks them as it would typed
 * entries); request times are set back with their reason, as the rules ask of any entry made after
 * the fact. 「同じ緊急事態ですか？」 answers name another demo case by its index (its id is known only
 * once appended).
 */
import { claimDetailCsv, claimExportFileName, claimSummaryCsv, encodeClaimCsv, casesForMonth } from './claim-csv';
import { buildMonthClose, sha256OfBytes, type KeptExport, type MonthClose } from './claim-close';
import { childLookupOf, decideClaims, personFactsLookupOf, summarizeClaims } from './claim-rules';
import { EXIT_KINDS, REQUEST_CATEGORIES, type Actor, type CaseSubject, type EmergencyCase, type EntryBody, type Office, type OutcomeKind, type Planning } from './emergency-case';
import type { Facility } from './facility';
import type { Household, IsoDate, IsoInstant } from './household';
import { NO_ONE_BODY } from './office';
import { DEMO_OFFICE_ONE_BODY } from './demo-data';
import { defaultClaimMonth } from './claim-types';
import { addMonthsToDate, ageOn, ADULT_AGE, instantAtJapanWallClock, japanDateOf } from './japan-time';


export interface DemoCase {
  readonly bodies: readonly EntryBody[];
  /** 「同じ緊急事態ですか？」 answered on this case about the demo case at index `other` of beforeClose, then afterClose (the order they are appended in) */
  readonly answer?: { readonly other: number; readonly answer: 'same' | 'separate'; readonly reason: string };
}

export interface DemoClaimMonth {
  /** offices besides the demo hub's own: one not (yet) a hub, one a hub only from mid-month */
  readonly offices: readonly Office[];
  /** the month that shows every rule */
  readonly month: string;
  /** the month before it, closed as 請求済み */
  readonly closedMonth: string;
  readonly sentOn: IsoDate;
  /** appended before the close (both months) */
  readonly beforeClose: readonly DemoCase[];
  /** appended after it: a case of the closed month that synced late */
  readonly afterClose: readonly DemoCase[];
}

type Who = 'adult' | 'child' | 'unknown';
interface Scenario {
  readonly who: Who;
  /** reuse the person of scenario `samePerson` (same-emergency pairs, the cap) */
  readonly samePerson?: number;
  readonly month: 'shown' | 'closed';
  readonly day: number;
  readonly hour: number;
  readonly office?: 'main' | 'hub-later' | 'not-hub' | 'one-body';
  /** pick a person by the household record: enrolled in 地域定着支援 (at the one-body office), enrolment 未確認, or placed under the main office */
  readonly pick?: 'enrolled' | 'unknown-enrolment' | 'placed';
  /** reached: 受入不可 then 受入可; absent: one 不在; not-short-stay: a call to a place that is no 短期入所 */
  readonly contacts?: 'reached' | 'absent' | 'not-short-stay';
  readonly outcome?: OutcomeKind | null;
  readonly planning?: Planning;
  readonly independent?: boolean;
  readonly noNumber?: boolean;
  /** the case names a number one digit off the household's (corrected there since) */
  readonly oldNumber?: boolean;
  /** an unknown caller who gave the person's 受給者証番号, not linked to a registered person */
  readonly givenNumber?: string;
  readonly answer?: DemoCase['answer'];
  readonly late?: boolean;
  /** minutes between the request and the first call (and everything after it): 0 when absent */
  readonly callsAfter?: number;
}

/** Each line is one case; the comment names what it shows on 請求・出力. */
const SCENARIOS: readonly Scenario[] = [
  { who: 'adult', month: 'shown', day: 1, hour: 2 }, // 0: 算定, 1回目 … the cap person
  { who: 'adult', samePerson: 0, month: 'shown', day: 3, hour: 2 }, // 1
  { who: 'adult', samePerson: 0, month: 'shown', day: 5, hour: 2 }, // 2
  { who: 'adult', samePerson: 0, month: 'shown', day: 7, hour: 2 }, // 3: 4回目
  { who: 'adult', samePerson: 0, month: 'shown', day: 9, hour: 2 }, // 4: 算定上限超過
  { who: 'adult', month: 'shown', day: 2, hour: 23, planning: 'none-this-office-writes' }, // 5: 算定 with the plan fee
  { who: 'adult', month: 'shown', day: 2, hour: 21, planning: 'other-office' }, // 6: d 算定不可
  { who: 'adult', month: 'shown', day: 3, hour: 22, planning: 'unknown' }, // 7: d 要確認
  { who: 'adult', month: 'shown', day: 4, hour: 1, independent: true }, // 8: e 算定不可
  { who: 'adult', month: 'shown', day: 4, hour: 3, contacts: 'absent', outcome: '入院' }, // 9: a (不在 only) + g 入院
  { who: 'adult', month: 'shown', day: 5, hour: 20, contacts: 'not-short-stay', outcome: '在宅で対応' }, // 10: a (no short stay)
  { who: 'adult', month: 'shown', day: 6, hour: 1, outcome: '在宅で対応' }, // 11: g 算定不可
  { who: 'adult', month: 'shown', day: 6, hour: 23, outcome: null }, // 12: g 要確認 (still open)
  { who: 'adult', month: 'shown', day: 7, hour: 22, noNumber: true }, // 13: 要確認, no 受給者証番号
  { who: 'unknown', month: 'shown', day: 8, hour: 1 }, // 14: b 要確認 (nobody linked yet)
  { who: 'adult', month: 'shown', day: 8, hour: 3, office: 'hub-later' }, // 15: c before the hub date
  { who: 'adult', month: 'shown', day: 8, hour: 22, office: 'not-hub' }, // 16: c not a hub
  { who: 'adult', month: 'shown', day: 4, hour: 21 }, // 17: a pair…
  { who: 'adult', samePerson: 17, month: 'shown', day: 5, hour: 1 }, // 18: …unanswered → 要確認
  { who: 'adult', month: 'shown', day: 6, hour: 21 }, // 19: a pair…
  { who: 'adult', samePerson: 19, month: 'shown', day: 7, hour: 3, answer: { other: 19, answer: 'same', reason: '' } }, // 20: 同じ → 算定不可
  { who: 'adult', month: 'shown', day: 8, hour: 20 }, // 21: a pair…
  {
    who: 'adult',
    samePerson: 21,
    month: 'shown',
    day: 9,
    hour: 4,
    answer: { other: 21, answer: 'separate', reason: '（デモ）前夜は母の入院、今回は父の急病による別の要請' },
  }, // 22: 別 → 算定
  { who: 'child', month: 'shown', day: 2, hour: 1 }, // 23: 児 算定
  { who: 'child', month: 'shown', day: 3, hour: 4, planning: 'none-this-office-writes' }, // 24: 児 with 障害児支援利用援助費
  { who: 'child', month: 'shown', day: 9, hour: 22, planning: 'other-office' }, // 25: 児 算定不可
  { who: 'child', month: 'shown', day: 10, hour: 2, planning: 'unknown' }, // 26: 児 要確認
  // the closed month: two claimed, then one synced after the close (請求後の変更: 追加請求)
  { who: 'adult', samePerson: 5, month: 'closed', day: 10, hour: 2 }, // 27
  { who: 'child', samePerson: 23, month: 'closed', day: 12, hour: 22 }, // 28
  { who: 'adult', samePerson: 7, month: 'closed', day: 15, hour: 3, late: true }, // 29
  { who: 'adult', month: 'shown', day: 10, hour: 20, office: 'one-body', pick: 'enrolled' }, // 30: e by enrolment 算定不可
  { who: 'adult', month: 'shown', day: 10, hour: 22, office: 'one-body', pick: 'unknown-enrolment' }, // 31: e 要確認
  { who: 'child', month: 'shown', day: 9, hour: 20, planning: 'unknown', pick: 'placed' }, // 32: d by the household's office
  { who: 'adult', samePerson: 5, month: 'shown', day: 10, hour: 1, callsAfter: 120 }, // 33: a pair whose later request reached a facility first…
  { who: 'adult', samePerson: 33, month: 'shown', day: 10, hour: 2, answer: { other: 33, answer: 'same', reason: '' } }, // 34: …同じ: 33 is claimed at 34's call
  { who: 'adult', samePerson: 6, month: 'shown', day: 10, hour: 3, oldNumber: true }, // 35: 算定, the recorded 受給者証番号 differs from the household's
  { who: 'unknown', month: 'shown', day: 10, hour: 5, givenNumber: '9900000036' }, // 36: 要確認, a 受給者証番号 but no one linked: 児 or 者 not known
];

const MINUTE = 60_000;

/** '1234567890' → '1234567891': the number as mistyped when the case was recorded. */
const oneDigitOff = (n: string): string => n.slice(0, -1) + String((Number(n.at(-1)) + 1) % 10);

export const DEMO_OFFICE_NOT_HUB = 'demo-office-not-hub';
export const DEMO_OFFICE_HUB_LATER = 'demo-office-hub-later';
export { DEMO_OFFICE_ONE_BODY };

/** The other demo offices (事業所番号 starting 99: no real office has it); names sort after the hub's own. */
function otherOffices(month: string, at: IsoInstant): Office[] {
  return [
    { id: DEMO_OFFICE_NOT_HUB, name: 'さくら相談支援事業所（デモ・拠点外）', officeNumber: '9912345679', hubPeriods: [], oneBody: NO_ONE_BODY, createdAt: at, updatedAt: at },
    {
      id: DEMO_OFFICE_HUB_LATER,
      name: 'みなと相談支援事業所（デモ・月の途中から拠点）',
      officeNumber: '9912345680',
      hubPeriods: [{ from: `${month}-15`, to: null, note: '' }],
      oneBody: NO_ONE_BODY,
      createdAt: at,
      updatedAt: at,
    },
    {
      id: DEMO_OFFICE_ONE_BODY,
      name: 'ひかり相談支援事業所（デモ・地域定着支援と自立生活援助を一体的に運営）',
      officeNumber: '9912345681',
      hubPeriods: [{ from: '2024-04-01', to: null, note: '' }],
      oneBody: { settlement: true, independentLiving: true },
      createdAt: at,
      updatedAt: at,
    },
  ];
}

/** Too few registered persons of the kinds the scenarios need: the demo makes no claim month. */
class NotEnoughPersons extends Error {}

interface Person {
  readonly h: Household;
  readonly p: Household['persons'][number];
}

/** How many days after the admission each demo stay ended; null: the person is still there. */
const STAY_DAYS: readonly (number | null)[] = [3, 6, 2, 4, null, null];

/**
 * The demo claim months. Empty (no cases) when there is no office, fewer than two facilities, or
 * too few registered adults and children for every scenario (a demo hub of 40 households has them).
 */
export function demoClaimMonth(
  households: readonly Household[],
  facilities: readonly Facility[],
  officeId: string | null,
  now: IsoInstant,
  skip: ReadonlySet<string> = new Set(),
): DemoClaimMonth {
  const today = japanDateOf(now);
  // the month the claims screen opens on
  const month = defaultClaimMonth(today);
  const closedMonth = addMonthsToDate(`${month}-01`, -1).slice(0, 7);
  const empty: DemoClaimMonth = { offices: [], month, closedMonth, sentOn: `${month}-10`, beforeClose: [], afterClose: [] };
  // every demo facility is a 短期入所 (福祉型 / 医療型)
  const places = facilities;
  if (officeId === null || places.length < 2) return empty;
  const registered = households
    .filter((h) => h.consent !== null && !h.withdrawal && !skip.has(h.id))
    .flatMap((h) => h.persons.filter((p) => p.birthDate !== null && p.recipientNumber !== '').map((p) => ({ h, p })));
  // Adults on the first day of the closed month, children still today: 者/児 holds over both months.
  const adults = registered.filter(({ p }) => ageOn(p.birthDate!, `${closedMonth}-01`) >= ADULT_AGE);
  const children = registered.filter(({ p }) => ageOn(p.birthDate!, today) < ADULT_AGE);
  const needed = (who: Who) => SCENARIOS.filter((s) => s.who === who && s.samePerson === undefined).length;
  if (adults.length < needed('adult') || children.length < needed('child')) return empty;
  // Persons picked by their household record (rule e by enrolment, rule d's default), unused by the others.
  const picks: Readonly<Record<NonNullable<Scenario['pick']>, (x: Person) => boolean>> = {
    enrolled: ({ p }) => (p.enrolments?.settlement ?? []).some((e) => e.to === null && e.officeId === DEMO_OFFICE_ONE_BODY),
    'unknown-enrolment': ({ p }) => p.enrolments === undefined,
    placed: ({ h }) => h.officeId === officeId,
  };
  // Picked first, from the end of the list; the others take persons in order, skipping these.
  const used = new Set<string>();
  const picked = new Map<number, Person>();
  for (const [i, s] of SCENARIOS.entries()) {
    if (s.pick === undefined) continue;
    const found = [...(s.who === 'adult' ? adults : children)].reverse().find((x) => !used.has(x.p.id) && picks[s.pick!](x));
    if (found === undefined) return empty;
    used.add(found.p.id);
    picked.set(i, found);
  }

  const personOf: (Person | null)[] = [];
  // In order, each person once; a case that leaves 計画相談 未確認 needs a household not placed
  // under the office (else the placement answers it: rule d's default).
  const pickOf = (s: Scenario, i: number): Person => {
    const chosen = picked.get(i) ?? (s.who === 'adult' ? adults : children).find((x) => !used.has(x.p.id) && (s.planning !== 'unknown' || x.h.officeId !== officeId));
    if (chosen === undefined) throw new NotEnoughPersons();
    used.add(chosen.p.id);
    return chosen;
  };
  let cases: (DemoCase & { late: boolean })[];
  try {
  cases = SCENARIOS.map((s, i): DemoCase & { late: boolean } => {
    const person = s.who === 'unknown' ? null : s.samePerson !== undefined ? personOf[s.samePerson]! : pickOf(s, i);
    personOf.push(person);
    const m = s.month === 'shown' ? month : closedMonth;
    const requested = Date.parse(instantAtJapanWallClock(Number(m.slice(0, 4)), Number(m.slice(5, 7)), s.day, s.hour, 10));
    const at = (minutes: number) => new Date(requested + minutes * MINUTE).toISOString();
    // after the request, every time moves on by the scenario's wait for the first call
    const after = (minutes: number) => at(minutes + (s.callsAfter ?? 0));
    const subject: CaseSubject = person
      ? { householdId: person.h.id, personId: person.p.id, name: person.p.name, recipientNumber: s.noNumber ? '' : s.oldNumber ? oneDigitOff(person.p.recipientNumber) : person.p.recipientNumber }
      : s.givenNumber !== undefined
        ? { householdId: null, personId: null, name: '（デモ）受給者証番号だけ伝えた相談者', recipientNumber: s.givenNumber }
        : { householdId: null, personId: null, name: '（デモ）名乗らなかった相談者', recipientNumber: '' };
    const no = places[(i * 2) % places.length]!;
    const yes = places[(i * 2 + 1) % places.length]!;
    const contact = (f: Facility | null, minutes: number, result: '受入不可' | '受入可' | '不在'): EntryBody => ({
      type: 'contact',
      facilityId: f?.id ?? null,
      facilityName: f?.name ?? '基幹相談支援センター（デモ）',
      facilityOfficeNumber: f?.officeNumber ?? '',
      shortStay: f !== null,
      contactedAt: after(minutes),
      method: '電話',
      result,
      note: '',
    });
    const contacts =
      s.contacts === 'absent'
        ? [contact(yes, 6, '不在')]
        : s.contacts === 'not-short-stay'
          ? [contact(null, 6, '受入不可')]
          : [contact(no, 6, '受入不可'), contact(yes, 14, '受入可')];
    const outcome = s.outcome === undefined ? '短期入所' : s.outcome;
    const bodies: EntryBody[] = [
      {
        type: 'open',
        officeId: s.office === 'not-hub' ? DEMO_OFFICE_NOT_HUB : s.office === 'hub-later' ? DEMO_OFFICE_HUB_LATER : s.office === 'one-body' ? DEMO_OFFICE_ONE_BODY : officeId,
        subject,
        requestedAt: at(0),
        requestedAtReason: s.late ? 'デモデータ（請求後に同期された過去の対応の例）' : 'デモデータ（過去の対応の例）',
        category: REQUEST_CATEGORIES[i % (REQUEST_CATEGORIES.length - 1)]!,
        detail: '（デモ）主たる介護者が救急搬送。本人は自宅に一人。',
        caller: person?.h.emergencyContacts[0]?.relation ?? '',
        callerPhone: person?.h.emergencyContacts[0]?.phones[0] ?? '',
      },
      ...contacts,
      { type: 'claim-facts', planning: s.planning ?? 'this-office', independentLivingClaimed: s.independent ?? false, note: '' },
    ];
    if (outcome !== null) {
      const admitted = outcome === '短期入所';
      bodies.push(
        { type: 'outcome', outcome, facilityId: admitted ? yes.id : null, facilityName: admitted ? yes.name : '', from: admitted ? after(60) : null, note: '' },
        { type: 'close', closedAt: after(75) },
        ...(admitted ? stayEnd(i, after(60), now) : []),
      );
    }
    return { bodies, late: s.late ?? false, ...(s.answer ? { answer: s.answer } : {}) };
  });
  } catch (e) {
    if (e instanceof NotEnoughPersons) return empty;
    throw e;
  }
  // The scenarios' answers name scenarios; the plan's name the cases in the order they are appended.
  const appended = [...cases.filter((c) => !c.late), ...cases.filter((c) => c.late)];
  const strip = ({ late: _late, ...c }: DemoCase & { late: boolean }): DemoCase =>
    c.answer === undefined ? c : { ...c, answer: { ...c.answer, other: appended.indexOf(cases[c.answer.other]!) } };
  return {
    offices: otherOffices(month, now),
    month,
    closedMonth,
    sentOn: `${month}-10` <= today ? `${month}-10` : today,
    beforeClose: cases.filter((c) => !c.late).map(strip),
    afterClose: cases.filter((c) => c.late).map(strip),
  };
}

/**
 * The end of the i-th demo stay, an exit of each kind in turn, after 2 to 7 days; nothing for one
 * in nine (still in emergency stay) or for one that would end after `now`.
 */
function stayEnd(i: number, admittedAt: IsoInstant, now: IsoInstant): EntryBody[] {
  if (i % 9 === 8) return [];
  const endedAt = new Date(Date.parse(admittedAt) + (2 + (i % 6)) * 24 * 60 * MINUTE).toISOString();
  if (endedAt > now) return [];
  const exit = EXIT_KINDS[i % EXIT_KINDS.length]!;
  const note = exit === '別の事業所' ? '（デモ）共同生活援助 みなとホームへ' : exit === 'その他' ? '（デモ）親族宅へ' : '';
  return [{ type: 'stay-end', endedAt, exit, note }];
}

/**
 * The close of the demo's closed month, as 請求済みにする would record it (the files' hashes are of
 * the files it would write, UTF-8 with BOM; no file is written for the demo).
 */
export async function demoMonthClose(input: {
  readonly id: string;
  readonly cases: readonly EmergencyCase[];
  readonly offices: ReadonlyMap<string, Office>;
  readonly households: ReadonlyMap<string, { readonly persons: readonly { readonly id: string; readonly birthDate: string | null }[] }>;
  readonly office: Office;
  readonly month: string;
  readonly sentOn: IsoDate;
  readonly recordedAt: IsoInstant;
  readonly recordedBy: Actor;
  readonly deviceId: string;
}): Promise<MonthClose> {
  const { office, month } = input;
  const childAt = childLookupOf(input.households);
  const decisions = new Map(decideClaims(input.cases, input.offices, childAt, personFactsLookupOf(input.households)).map((d) => [d.caseId, d] as const));
  const cases = casesForMonth(input.cases, decisions, office.id, month);
  const summary = summarizeClaims([...decisions.values()], input.cases, office.id, month, childAt);
  const texts = { summary: claimSummaryCsv(summary, office, month), detail: claimDetailCsv({ office, month, cases, decisions }) };
  const exports = await Promise.all(
    (['summary', 'detail'] as const).map(async (kind): Promise<KeptExport> => {
      const bytes = encodeClaimCsv(texts[kind], 'utf-8-bom');
      return { kind, fileName: claimExportFileName(kind, office.officeNumber, month, 'utf-8-bom'), sha256: await sha256OfBytes(bytes), size: bytes.length };
    }),
  );
  return buildMonthClose({ ...input, cases, decisions, summary, encoding: 'utf-8-bom', exports });
}
