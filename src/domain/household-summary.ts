/**
 * What the household list and the search index need of a household, and nothing more: names, kana,
 * birth dates (for ages), 受給者証番号, phones, contacts' names, status and review dates.
 * A summary of every household is kept as one encrypted snapshot, so unlocking shows a searchable
 * list without reading every full record first (docs/performance.md). A summary is never shown as
 * a household's detail: the detail always reads the full record.
 */
import type { Consent, EmergencyContact, FamilyMember, Household, OfficeMove, Person } from './household';
import { lastReview } from './household-rules';
import type { StoredSearchIndex } from './search-stored';
import { normalizeKana } from './normalize';

/** enrolments: for the claim's rule e on the claims screen (absent when never recorded: 未確認) */
export type PersonSummary = Pick<Person, 'id' | 'name' | 'furigana' | 'birthDate' | 'recipientNumber' | 'enrolments'>;

export interface HouseholdSummary
  extends Pick<Household, 'id' | 'phone' | 'caseWorker' | 'caseWorkerUserId' | 'caseWorkerPhone' | 'withdrawal' | 'lastReviewedOn' | 'officeId'> {
  /** Whether there is a 同意書 and its date: the status needs no more, and its 共有範囲 text would be a
   *  quarter of the snapshot that every unlock reads. */
  readonly consent: Pick<Consent, 'date'> | null;
  readonly persons: readonly PersonSummary[];
  readonly emergencyContacts: readonly Pick<EmergencyContact, 'name' | 'furigana' | 'relation' | 'phones'>[];
  readonly family: readonly Pick<FamilyMember, 'name' | 'relation'>[];
  /** 登録した相談支援事業所, for the review worklist per office (absent in snapshots written before it) */
  readonly registeringOffice?: string;
  /** who did the latest review (household-rules lastReview), null when unknown (absent in older snapshots) */
  readonly lastReviewedBy?: string | null;
  /** its moves between offices, oldest first: the claim's rule d default on an earlier day (absent: never moved, or an older snapshot) */
  readonly officeMoves?: readonly Pick<OfficeMove, 'at' | 'from' | 'to'>[];
}

export function summarizeHousehold(h: Household): HouseholdSummary {
  const last = lastReview(h);
  return {
    id: h.id,
    phone: h.phone,
    caseWorker: h.caseWorker,
    // the 担当's hub user id, for 見直し予定 › 自分の担当 (absent when none, or in an older snapshot)
    ...(h.caseWorkerUserId ? { caseWorkerUserId: h.caseWorkerUserId } : {}),
    caseWorkerPhone: h.caseWorkerPhone,
    consent: h.consent && { date: h.consent.date },
    withdrawal: h.withdrawal,
    // The latest review, typed or recorded: the summary has no review list (household-rules lastReview).
    lastReviewedOn: last?.date ?? null,
    lastReviewedBy: last?.by ?? null,
    registeringOffice: h.registeringOffice,
    // the office it is placed under: the claim's rule d default (absent when never placed)
    ...(h.officeId ? { officeId: h.officeId } : {}),
    ...(h.officeMoves && h.officeMoves.length > 0 ? { officeMoves: h.officeMoves.map(({ at, from, to }) => ({ at, from, to })) } : {}),
    persons: h.persons.map(({ id, name, furigana, birthDate, recipientNumber, enrolments }) => ({
      id,
      name,
      furigana,
      birthDate,
      recipientNumber,
      ...(enrolments ? { enrolments } : {}),
    })),
    emergencyContacts: h.emergencyContacts.map(({ name, furigana, relation, phones }) => (furigana ? { name, furigana, relation, phones } : { name, relation, phones })),
    family: h.family.map(({ name, relation }) => ({ name, relation })),
  };
}

/** The snapshot as stored: summaries plus which demo households they include. */
export interface SummarySnapshot {
  readonly version: 1;
  readonly summaries: readonly HouseholdSummary[];
  readonly demoIds: readonly string[];
  /**
   * The summaries' ids in furigana order (the list's order with no query), so the first screen
   * can show the list before the search index is built. Absent in snapshots written before it.
   */
  readonly order?: readonly string[];
  /**
   * The search index built over these summaries (search-stored.ts), so unlocking need not build it
   * (~0.2 s at 10,000 households). Absent in older snapshots and when it could not be stored.
   */
  readonly index?: StoredSearchIndex;
}

/** A person of another registered household who may be the same as one being saved. */
export interface PossibleDuplicate {
  readonly householdId: string;
  /** the other household's person, as registered there */
  readonly name: string;
  /** the person being saved */
  readonly savedName: string;
  readonly why: '受給者証番号' | '氏名と生年月日' | 'ふりがなと生年月日';
}

/**
 * The people of other households (not withdrawn) who may be the same as a person of `record`: the
 * same 受給者証番号, or the same name (spaces and 異体字 aside) and 生年月日, or the same ふりがな and
 * 生年月日 (佐藤 琢海 typed for 佐藤 拓海, another choice of the IME; a sibling reads otherwise).
 * Two records of one person show two answers at night, and count twice in the yearly report.
 */
export function possibleDuplicates(record: Pick<Household, 'id' | 'persons'>, others: Iterable<HouseholdSummary>): PossibleDuplicate[] {
  const found: PossibleDuplicate[] = [];
  // each name of the record keyed once, not once for every person of every other household
  const keyOf = (text: string) => (text.trim() === '' ? null : normalizeKana(text));
  const mineKeyed = record.persons.map((p) => ({ p, key: keyOf(p.name), kana: keyOf(p.furigana) }));
  for (const other of others) {
    if (other.id === record.id || other.withdrawal !== null) continue;
    for (const theirs of other.persons) {
      // keyed only when a birth date matches
      let theirKey: string | null | undefined;
      let theirKana: string | null | undefined;
      for (const { p: mine, key, kana } of mineKeyed) {
        const number = mine.recipientNumber !== '' && mine.recipientNumber === theirs.recipientNumber;
        const born = !number && mine.birthDate !== null && mine.birthDate === theirs.birthDate;
        const named = born && key !== null && key === (theirKey === undefined ? (theirKey = keyOf(theirs.name)) : theirKey);
        const read = born && !named && kana !== null && kana === (theirKana === undefined ? (theirKana = keyOf(theirs.furigana)) : theirKana);
        if (number || named || read) found.push({ householdId: other.id, name: theirs.name, savedName: mine.name, why: number ? '受給者証番号' : named ? '氏名と生年月日' : 'ふりがなと生年月日' });
      }
    }
  }
  return found;
}
