/**
 * A month of FICTIONAL emergency cases for the demo hub, so a new user's 請求・出力 has something
 * to show: each a night call over the last 30 days, two facilities called (受入不可, then 受入可),
 * the admission, the claim facts and the closing. Returned as the entry bodies to append in order
 * (the store chains and checks them as it would typed entries); the request time is set back with
 * its reason, as the rules ask of any entry made after the fact.
 */
import { EXIT_KINDS, REQUEST_CATEGORIES, type EntryBody } from './emergency-case';
import type { Facility } from './facility';
import type { Household, IsoInstant } from './household';

/** days before `now` of each demo call, and the hour (Japan time) it came in */
const CALLS: readonly (readonly [daysAgo: number, hourJst: number])[] = [
  [27, 23],
  [20, 2],
  [13, 21],
  [9, 3],
  [5, 22],
  [2, 1],
];

const MINUTE = 60_000;
const JST_MS = 9 * 60 * MINUTE;

/** The instant `daysAgo` days before `now`, at `hour`:10 Japan time. */
function pastNight(now: IsoInstant, daysAgo: number, hour: number): number {
  const day = new Date(Date.parse(now) + JST_MS - daysAgo * 24 * 60 * MINUTE);
  return Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour, 10) - JST_MS;
}

/** How many days after the admission each demo stay ended; null: the person is still there. */
const STAY_DAYS: readonly (number | null)[] = [3, 6, 2, 4, null, null];

/**
 * One case per call, for registered demo households (not `skip`, e.g. the 02:10 scenario's, which
 * a new user tries by hand). Empty when there is no office or fewer than two facilities.
 */
export function demoCases(
  households: readonly Household[],
  facilities: readonly Facility[],
  officeId: string | null,
  now: IsoInstant,
  skip: ReadonlySet<string> = new Set(),
): EntryBody[][] {
  if (officeId === null || facilities.length < 2) return [];
  const people = households
    .filter((h) => h.consent !== null && !h.withdrawal && !skip.has(h.id))
    .flatMap((h) => h.persons.filter((p) => p.birthDate !== null).map((p) => ({ h, p })));
  return CALLS.slice(0, people.length).map(([daysAgo, hour], i) => {
    const { h, p } = people[i]!;
    const requested = pastNight(now, daysAgo, hour);
    const at = (minutes: number) => new Date(requested + minutes * MINUTE).toISOString();
    const no = facilities[(i * 2) % facilities.length]!;
    const yes = facilities[(i * 2 + 1) % facilities.length]!;
    const contact = (f: Facility, minutes: number, result: '受入不可' | '受入可'): EntryBody => ({
      type: 'contact',
      facilityId: f.id,
      facilityName: f.name,
      facilityOfficeNumber: f.officeNumber,
      shortStay: true,
      contactedAt: at(minutes),
      method: '電話',
      result,
      note: '',
    });
    return [
      {
        type: 'open',
        officeId,
        subject: { householdId: h.id, personId: p.id, name: p.name, recipientNumber: p.recipientNumber },
        requestedAt: at(0),
        requestedAtReason: 'デモデータ（過去の対応の例）',
        category: REQUEST_CATEGORIES[i % (REQUEST_CATEGORIES.length - 1)]!,
        detail: '（デモ）主たる介護者が救急搬送。本人は自宅に一人。',
        caller: h.emergencyContacts[0]?.relation ?? '',
        callerPhone: h.emergencyContacts[0]?.phones[0] ?? '',
      },
      contact(no, 6, '受入不可'),
      contact(yes, 14, '受入可'),
      { type: 'outcome', outcome: '短期入所', facilityId: yes.id, facilityName: yes.name, from: at(60), note: '' },
      { type: 'claim-facts', planning: 'this-office', independentLivingClaimed: false, note: '' },
      { type: 'close', closedAt: at(75) },
      ...stayEnd(i, at(60)),
    ];
  });
}

/** The end of the i-th demo stay (an exit of each kind in turn), or nothing for one still going on. */
function stayEnd(i: number, admittedAt: IsoInstant): EntryBody[] {
  const days = STAY_DAYS[i] ?? null;
  if (days === null) return [];
  const exit = EXIT_KINDS[i % EXIT_KINDS.length]!;
  const note = exit === '別の事業所' ? '（デモ）共同生活援助 みなとホームへ' : exit === 'その他' ? '（デモ）親族宅へ' : '';
  return [{ type: 'stay-end', endedAt: new Date(Date.parse(admittedAt) + days * 24 * 60 * MINUTE).toISOString(), exit, note }];
}
