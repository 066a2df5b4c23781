/**
 * Reading a case's chain of entries into the case as it stands (`foldCase`), and the rules a new
 * entry must pass before it is written (`validateEntry`): times in order, a closed case takes no
 * new contacts, a case closes only with an outcome, a correction names an entry and a reason.
 *
 * Entries are never changed: a correction replaces the fact it names from then on, and the
 * replaced version stays listed in `corrections` so every report can show what changed and why.
 * A later outcome entry replaces the outcome too, without a reason: `earlierOutcomes` keeps the
 * ones it replaced readable.
 *
 * Several phones may continue a case at once (case-chain.ts), so "from then on" is what the
 * correction's writer had seen (`writerHeld`), not what happens to come before it in read order.
 */
import { addMonthsToDate, formatJapanDateTime, japanDateOf } from './japan-time';
import type { IsoDate, IsoInstant } from './household';
import {
  CONTACT_METHODS,
  CONTACT_RESULTS,
  DEFAULT_CLAIM_FACTS,
  EXIT_KINDS,
  OUTCOME_KINDS,
  PLANNING_VALUES,
  REQUEST_CATEGORIES,
  RETENTION_YEARS,
  type CaseEntry,
  type CaseSubject,
  type ClaimFactsBody,
  type ContactBody,
  type Current,
  type EmergencyCase,
  type EntryBody,
  type FactBody,
  type OpenBody,
  type OutcomeBody,
  type ResultBody,
  type SameEmergencyBody,
  type StayEndBody,
  type Superseded,
} from './emergency-case';

/**
 * How far a stated time may run ahead of the device's clock (a clock a little behind the caller's
 * watch), and how far 要請のあった時間 may be set back before a reason is required.
 */
export const CLOCK_TOLERANCE_MS = 5 * 60_000;

interface Slot<B extends FactBody> {
  entryId: string;
  body: B;
  recordedAt: IsoInstant;
  recordedBy: CaseEntry['recordedBy'];
  corrections: Superseded[];
  withdrawn: boolean;
  /** position in read order of the entry that stated it */
  seq: number;
  /** the body as stated, then as each correction replaced it, with the position of the entry that said so */
  versions: { readonly seq: number; readonly body: B }[];
  /** a contact's result recorded by an entry of its own: who recorded it, and when */
  resultBy?: { readonly recordedAt: IsoInstant; readonly recordedBy: CaseEntry['recordedBy'] };
}

/** Whether the writer of the entry at read position `writer` held the entry at position `held`. */
type WriterHeld = (writer: number, held: number) => boolean;

/** Reads entries (sorted by index, starting with the open entry) into the case as it stands. */
export function foldCase(entries: readonly CaseEntry[]): EmergencyCase {
  const first = entries[0];
  if (first === undefined || first.body.type !== 'open') {
    throw new RangeError('case-fold: a case starts with its open entry');
  }
  const { standing, held } = readFacts(entries);
  const latest = <T extends FactBody['type']>(type: T) =>
    standing.filter((s) => s.body.type === type && !s.withdrawn).at(-1) as Slot<Extract<FactBody, { type: T }>> | undefined;

  const open = current(standing[0] as Slot<OpenBody>);
  const contactSlots = standing
    .filter((s): s is Slot<ContactBody> => s.body.type === 'contact')
    .map((s) => shownContact(s, standing, held, () => true));
  // By instant, not by text: '…T15:20Z' and '…T15:20:30.000Z' are both valid and sort wrongly as text.
  const byTime = (a: Current<ContactBody>, b: Current<ContactBody>) =>
    Date.parse(a.body.contactedAt) - Date.parse(b.body.contactedAt) || Date.parse(a.recordedAt) - Date.parse(b.recordedAt);
  const link = latest('link');
  const outcome = latest('outcome');
  const close = latest('close');
  const stayEnd = outcome === undefined ? undefined : stayEndOf(outcome, standing, held);
  const last = entries.at(-1)!;
  const answers = new Map<string, Slot<SameEmergencyBody>>();
  for (const s of standing) if (s.body.type === 'same-emergency' && !s.withdrawn) answers.set(s.body.otherCaseId, s as Slot<SameEmergencyBody>);

  return {
    id: first.caseId,
    entries,
    open,
    subject: link?.body.subject ?? open.body.subject,
    contacts: contactSlots.filter((s) => !s.withdrawn).map(current).sort(byTime),
    withdrawnContacts: contactSlots.filter((s) => s.withdrawn).map(current).sort(byTime),
    claimFacts: latest('claim-facts')?.body ?? DEFAULT_CLAIM_FACTS,
    outcome: outcome ? current(outcome) : null,
    withdrawnOutcomes: standing.filter((s): s is Slot<OutcomeBody> => s.body.type === 'outcome' && s.withdrawn).map(current),
    sameEmergency: [...answers.values()].map(current),
    closedAt: close?.body.closedAt ?? null,
    stayEnd: stayEnd ? current(stayEnd) : null,
    handler: first.recordedBy,
    headHash: last.hash,
  };
}

/**
 * The outcomes a later outcome entry replaced (not withdrawn: replaced by recording the outcome
 * again, e.g. 在宅で対応 at night and 短期入所 the next day, or two phones recording at once), in
 * read order. Read from the case's entries, so it holds for every case foldCase made; a case
 * without entries (built by hand) has none.
 */
export function earlierOutcomes(c: Pick<EmergencyCase, 'entries'>): Current<OutcomeBody>[] {
  if (c.entries[0]?.body.type !== 'open') return [];
  const standing = readFacts(c.entries).standing.filter((s): s is Slot<OutcomeBody> => s.body.type === 'outcome' && !s.withdrawn);
  return standing.slice(0, -1).map(current);
}

/**
 * The outcomes recorded on another phone at the same time as the one that stands, which its writer
 * had not seen (`writerHeld`), saying something else (another outcome, another facility), and which
 * nobody who held both has settled since (by recording the outcome again, or by a correction or 取消
 * of either). Read order alone picked the one that stands: the phone that held more entries won, and
 * a colleague's admission at F read as superseded by a basement phone's 在宅で対応. The case screen
 * shows both and the claim waits (要確認) until someone settles it. Empty for a case built by hand.
 */
export function concurrentOutcomes(c: Pick<EmergencyCase, 'entries'>): Current<OutcomeBody>[] {
  return rivalOutcomes(c)?.rivals.map(current) ?? [];
}

/** concurrentOutcomes as slots, with the facts they were read from (for the stays they began); null when there are none to read. */
function rivalOutcomes(c: Pick<EmergencyCase, 'entries'>): { rivals: Slot<OutcomeBody>[]; standing: Slot<FactBody>[]; held: WriterHeld } | null {
  if (c.entries[0]?.body.type !== 'open' || c.entries.filter((e) => e.body.type === 'outcome').length < 2) return null;
  const { standing, held } = readFacts(c.entries);
  const outcomes = standing.filter((s): s is Slot<OutcomeBody> => s.body.type === 'outcome' && !s.withdrawn);
  const stands = outcomes.at(-1);
  if (stands === undefined) return null;
  const differs = (a: OutcomeBody, b: OutcomeBody) => a.outcome !== b.outcome || a.facilityId !== b.facilityId || a.facilityName !== b.facilityName;
  // an outcome recorded since and withdrawn settles nothing: the choice went back to read order
  const withdrawn = new Set(standing.filter((s) => s.withdrawn).map((s) => s.entryId));
  const settles = (seq: number, other: Slot<OutcomeBody>) => {
    const entry = c.entries[seq]!;
    const body = entry.body;
    return (
      held(seq, stands.seq) &&
      held(seq, other.seq) &&
      ((body.type === 'outcome' && !withdrawn.has(entry.id)) || (body.type === 'correction' && (body.corrects === stands.entryId || body.corrects === other.entryId)))
    );
  };
  const rivals = outcomes
    .filter((o) => o !== stands && !held(stands.seq, o.seq) && differs(o.body, stands.body))
    .filter((o) => !c.entries.some((_, seq) => seq > stands.seq && seq > o.seq && settles(seq, o)));
  return { rivals, standing, held };
}

/**
 * The end of the stay the standing outcome began: a stay-end whose writer held the entry that
 * stated that outcome as it stands (the outcome entry, or the correction that last replaced it).
 * One written before belongs to an outcome since replaced (短期入所 A ended on day 2, the case
 * reopened and 短期入所 G recorded from day 4): it ends no stay of G's, and stays in the history.
 * Read by who held what (as corrections are), not by read order alone: a 退所 written on a phone that
 * had not yet seen G is A's, wherever the chain's order puts it. One written before that still ends
 * it when it comes after the admission that stands: the same admission recorded again with its time
 * corrected (対応を再開, then 対応結果を記録, as the guide says to) keeps its 退所. No field says which
 * outcome a stay-end is for, so older phones keep reading the chain.
 */
function stayEndOf(outcome: Slot<OutcomeBody>, standing: readonly Slot<FactBody>[], held: WriterHeld): Slot<StayEndBody> | undefined {
  const stated = outcome.versions.at(-1)!.seq;
  const from = outcome.body.from === null ? NaN : Date.parse(outcome.body.from);
  const ends = (s: Slot<FactBody>): s is Slot<StayEndBody> => s.body.type === 'stay-end' && !s.withdrawn;
  return standing.filter(ends).filter((s) => held(s.seq, stated) || Date.parse(s.body.endedAt) >= from).at(-1);
}

function current<B extends FactBody>(s: Slot<B>): Current<B> {
  return { entryId: s.entryId, body: s.body, recordedAt: s.recordedAt, recordedBy: s.recordedBy, corrections: s.corrections, ...(s.resultBy ? { resultBy: s.resultBy } : {}) };
}

/** Every fact of the case in read order, each with the corrections applied to it. */
function readFacts(entries: readonly CaseEntry[]): { standing: Slot<FactBody>[]; held: WriterHeld } {
  const held = writerHeld(entries);
  const slots = new Map<string, Slot<FactBody>>();
  const order: string[] = [];
  entries.forEach((entry, seq) => {
    const { body } = entry;
    if (body.type === 'correction') {
      const slot = slots.get(body.corrects);
      if (slot === undefined) return; // validateEntry refuses these; a damaged chain is reported by verifyChain
      const replaces = body.replacement !== null && body.replacement.type === slot.body.type;
      slot.corrections.push({
        byEntryId: entry.id,
        reason: body.reason,
        at: entry.recordedAt,
        by: entry.recordedBy,
        withdrawn: body.replacement === null,
        // What its writer was shown: a contact with the result recorded after the call.
        before:
          slot.body.type === 'contact'
            ? shownContact(slot as Slot<ContactBody>, slots.values(), held, (at) => held(seq, at)).body
            : slot.body,
        after: body.replacement,
      });
      if (body.replacement === null) slot.withdrawn = true;
      else if (replaces) {
        slot.body = body.replacement;
        slot.versions.push({ seq, body: body.replacement });
      }
      return;
    }
    slots.set(entry.id, {
      entryId: entry.id,
      body,
      recordedAt: entry.recordedAt,
      recordedBy: entry.recordedBy,
      corrections: [],
      withdrawn: false,
      seq,
      versions: [{ seq, body }],
    });
    order.push(entry.id);
  });
  return { standing: order.map((id) => slots.get(id)!), held };
}

/**
 * Which entries the writer of an entry held when it wrote it, as far as the chain tells
 * (case-chain.ts: `index` counts the entries the writer held, `prevHash` names the last of them
 * in read order). When the entries up to its parent are exactly `index` many, it held all of
 * them; otherwise (another phone's entry came in later below its parent) only its ancestors
 * through `prevHash` are certain. An entry whose parent is missing (a damaged chain, reported by
 * verifyChain) is read as having held everything before it.
 */
function writerHeld(entries: readonly CaseEntry[]): WriterHeld {
  const position = new Map(entries.map((e, i) => [e.hash, i]));
  const parentOf = (i: number) => (i === 0 ? undefined : position.get(entries[i]!.prevHash));
  const ancestors = new Map<number, ReadonlySet<number>>();
  const ancestorsOf = (i: number): ReadonlySet<number> => {
    let found = ancestors.get(i);
    if (found === undefined) {
      const path = new Set<number>();
      for (let p = parentOf(i); p !== undefined && p < i && !path.has(p); p = parentOf(p)) path.add(p);
      ancestors.set(i, (found = path));
    }
    return found;
  };
  return (writer, heldAt) => {
    const parent = parentOf(writer);
    if (parent === undefined || parent >= writer) return heldAt < writer;
    if (heldAt > parent) return false;
    return parent + 1 === entries[writer]!.index || ancestorsOf(writer).has(heldAt);
  };
}

/**
 * The contact as shown to a reader who holds the entries `shown` accepts (everyone: every entry).
 * A correction of the contact restates the whole of what its writer was shown (the dialog starts
 * from it, result and note included), so a result its writer had seen no longer applies after it;
 * a result its writer could not have seen (recorded on another phone at the same time) still does.
 */
function shownContact(s: Slot<ContactBody>, slots: Iterable<Slot<FactBody>>, held: WriterHeld, shown: (seq: number) => boolean): Slot<ContactBody> {
  // The contact itself is always held: whoever corrects it or records its result has it.
  const versions = s.versions.filter((v, i) => i === 0 || shown(v.seq));
  const restated = versions.slice(1).map((v) => v.seq);
  const body = versions.at(-1)!.body;
  let result: ResultBody | undefined;
  let resultSlot: Slot<FactBody> | undefined;
  let resultSeq = -1;
  for (const r of slots) {
    if (r.body.type !== 'result' || r.withdrawn || r.body.contact !== s.entryId || !shown(r.seq) || r.seq < resultSeq) continue;
    if (restated.some((c) => held(c, r.seq))) continue;
    result = r.body;
    resultSlot = r;
    resultSeq = r.seq;
  }
  if (result === undefined) return body === s.body ? s : { ...s, body };
  const note = [body.note, result.note].filter((n) => n.trim() !== '').join(' / ');
  return { ...s, body: { ...body, result: result.result, note }, resultBy: { recordedAt: resultSlot!.recordedAt, recordedBy: resultSlot!.recordedBy } };
}

/**
 * The close entries that stand, in read order, for 対応を再開 (a 取消 of each, with a reason, opens
 * the case again: two phones may each have closed it, and withdrawing the last left the other
 * standing, the case still 終了); none for a case that is open.
 */
export function standingClosesOf(c: Pick<EmergencyCase, 'entries' | 'closedAt'>): string[] {
  if (c.closedAt === null || c.entries[0]?.body.type !== 'open') return [];
  return readFacts(c.entries)
    .standing.filter((s) => s.body.type === 'close' && !s.withdrawn)
    .map((s) => s.entryId);
}

/** The entry with this id, if the case has it. */
export function entryOf(c: EmergencyCase, entryId: string): CaseEntry | undefined {
  return c.entries.find((e) => e.id === entryId);
}

// ─── Validation of a new entry ──────────────────────────────────────────────

const isInstant = (s: unknown): s is IsoInstant =>
  typeof s === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/.test(s) && !Number.isNaN(Date.parse(s));
const ms = (s: IsoInstant) => Date.parse(s);

/**
 * Whether `at` is before the minute of `reference`. Times typed into the case forms have whole
 * minutes, while a request recorded as 'now' has seconds: a call made in the same minute as the
 * request (02:10 for a request at 02:10:35) is not before it.
 */
function beforeMinuteOf(at: IsoInstant, reference: IsoInstant): boolean {
  const minute = Math.floor(ms(reference) / 60_000) * 60_000;
  return ms(at) < minute;
}

function checkNotAhead(errors: string[], label: string, at: IsoInstant, recordedAt: IsoInstant): void {
  if (ms(at) > ms(recordedAt) + CLOCK_TOLERANCE_MS) errors.push(`${label}が未来の時刻になっています。`);
}

function checkSubject(errors: string[], subject: CaseSubject): void {
  if ((subject.personId === null) !== (subject.householdId === null)) {
    errors.push('対象者の世帯と本人の指定が揃っていません。');
  }
  if (subject.recipientNumber !== '' && !/^\d{10}$/.test(subject.recipientNumber)) {
    errors.push('受給者証番号は10桁の数字です。');
  }
}

/**
 * `setBackJudged`: the request time is the one already recorded (a correction of the 区分 or the
 * words only), whose distance from its own recording was judged when it was written; measured from
 * the correction instead, any correction made more than 5 minutes later would ask for a reason.
 */
function checkOpen(errors: string[], body: OpenBody, recordedAt: IsoInstant, setBackJudged = false): void {
  if (!isInstant(body.requestedAt)) {
    errors.push('要請のあった時間を入力してください。');
    return;
  }
  checkNotAhead(errors, '要請のあった時間', body.requestedAt, recordedAt);
  if (!setBackJudged && ms(body.requestedAt) < ms(recordedAt) - CLOCK_TOLERANCE_MS && body.requestedAtReason.trim() === '') {
    errors.push('要請のあった時間を記録時刻より前にする場合は、その理由を入力してください。');
  }
  if (!REQUEST_CATEGORIES.includes(body.category)) errors.push('要請の内容の区分を選んでください。');
  if (body.category === 'その他' && body.detail.trim() === '') errors.push('「その他」の場合は、要請の内容を入力してください。');
  checkSubject(errors, body.subject);
}

/**
 * How far before the request a call may be dated when the request was stamped on a clock ahead of
 * this one: the gap measured (the open entry's stamp less this device's clock), at least the hub's
 * tolerance, at most half an hour (network time putting a fast phone's clock back mid-call is
 * minutes; a phone a year behind is another trouble, not to be read as a call's time).
 */
const CLOCK_GAP_ALLOWED_MAX_MS = 30 * 60_000;

function checkContact(errors: string[], c: EmergencyCase, body: ContactBody, recordedAt: IsoInstant, deviceNow: IsoInstant): void {
  if (body.facilityName.trim() === '') errors.push('連絡先の事業所名を入力してください。');
  if (!CONTACT_METHODS.includes(body.method)) errors.push('連絡の方法を選んでください。');
  if (body.result !== null && !CONTACT_RESULTS.includes(body.result)) errors.push('連絡の結果を選んでください。');
  if (!isInstant(body.contactedAt)) {
    errors.push('連絡・調整を行った時刻を入力してください。');
    return;
  }
  checkNotAhead(errors, '連絡・調整を行った時刻', body.contactedAt, recordedAt);
  // A request stamped on a clock ahead of this one (its open entry is dated after now, here: a
  // colleague's fast phone, or this phone's own before network time put it back mid-call): a call
  // that much before it is the two clocks, not a mistyped time, and refusing it left the call
  // unrecorded while the dialer opened. `deviceNow` is this device's clock itself, not the stamp
  // floored after the case's entries (stampAfter), which hid most of the gap.
  const opened = c.entries[0];
  const aheadBy = opened !== undefined && isInstant(opened.recordedAt) ? ms(opened.recordedAt) - Math.min(ms(recordedAt), ms(deviceNow)) : 0;
  const allowed = Math.min(Math.max(CLOCK_TOLERANCE_MS, aheadBy + 60_000), CLOCK_GAP_ALLOWED_MAX_MS);
  const early = aheadBy > 0 ? ms(body.contactedAt) < ms(c.open.body.requestedAt) - allowed : beforeMinuteOf(body.contactedAt, c.open.body.requestedAt);
  if (early) {
    errors.push(
      `連絡・調整を行った時刻が、要請のあった時間（${formatJapanDateTime(c.open.body.requestedAt)}）より前になっています。`,
    );
  }
}

function checkOutcome(errors: string[], c: EmergencyCase, body: OutcomeBody, recordedAt: IsoInstant): void {
  if (!OUTCOME_KINDS.includes(body.outcome)) errors.push('対応結果を選んでください。');
  if (body.outcome === 'その他' && body.note.trim() === '') errors.push('「その他」の場合は、対応結果の内容を入力してください。');
  if (body.outcome !== '短期入所') return;
  if (body.facilityName.trim() === '') errors.push('入所先の事業所を選んでください。');
  if (body.from === null || !isInstant(body.from)) {
    errors.push('入所の日時を入力してください。');
    return;
  }
  checkNotAhead(errors, '入所の日時', body.from, recordedAt);
  if (beforeMinuteOf(body.from, c.open.body.requestedAt)) errors.push('入所の日時が、要請のあった時間より前になっています。');
}

function checkClose(errors: string[], c: EmergencyCase, closedAt: IsoInstant, recordedAt: IsoInstant): void {
  if (c.outcome === null) errors.push('対応結果を記録してから終了してください。');
  const pending = c.contacts.filter((k) => k.body.result === null);
  if (pending.length > 0) {
    errors.push(`結果が未記録の連絡があります（${pending.map((k) => k.body.facilityName).join('、')}）。結果を記録してから終了してください。`);
  }
  if (!isInstant(closedAt)) {
    errors.push('終了時刻を入力してください。');
    return;
  }
  checkNotAhead(errors, '終了時刻', closedAt, recordedAt);
  // A call typed up to the clock tolerance ahead of this phone's clock leaves 「対応を終了」 (now)
  // before it for a few minutes: the message names that call and says what to do.
  const lastContact = c.contacts.at(-1);
  if (lastContact !== undefined && beforeMinuteOf(closedAt, lastContact.body.contactedAt)) {
    errors.push(
      `終了時刻が、${lastContact.body.facilityName}への連絡（${formatJapanDateTime(lastContact.body.contactedAt)}）より前になります。その時刻を過ぎてから終了するか、連絡の時刻を訂正してください。`,
    );
  } else if (beforeMinuteOf(closedAt, c.open.body.requestedAt)) {
    errors.push(
      `終了時刻が、要請のあった時間（${formatJapanDateTime(c.open.body.requestedAt)}）より前になります。その時刻を過ぎてから終了するか、要請のあった時間を訂正してください。`,
    );
  }
}

/** The end of a stay needs a stay: an admission (短期入所) with its time, and the end after it. */
function checkStayEnd(errors: string[], c: EmergencyCase, body: StayEndBody, recordedAt: IsoInstant): void {
  const admission = c.outcome?.body;
  if (admission?.outcome !== '短期入所' || admission.from === null) {
    errors.push('退所を記録できるのは、対応結果が「短期入所」で入所の日時がある対応記録だけです。');
    return;
  }
  if (!EXIT_KINDS.includes(body.exit)) errors.push('退所後の行き先を選んでください。');
  if ((body.exit === 'その他' || body.exit === '別の事業所') && body.note.trim() === '') {
    errors.push(`「${body.exit}」の場合は、退所後の行き先（備考）を入力してください。`);
  }
  if (!isInstant(body.endedAt)) {
    errors.push('退所の日時を入力してください。');
    return;
  }
  checkNotAhead(errors, '退所の日時', body.endedAt, recordedAt);
  if (ms(body.endedAt) < ms(admission.from)) {
    errors.push(`退所の日時が、入所の日時（${formatJapanDateTime(admission.from)}）より前になっています。`);
  }
}

function checkFact(errors: string[], c: EmergencyCase, body: FactBody, recordedAt: IsoInstant, deviceNow: IsoInstant = recordedAt): void {
  switch (body.type) {
    case 'open':
      return checkOpen(errors, body, recordedAt);
    case 'contact':
      return checkContact(errors, c, body, recordedAt, deviceNow);
    case 'outcome':
      return checkOutcome(errors, c, body, recordedAt);
    case 'close':
      return checkClose(errors, c, body.closedAt, recordedAt);
    case 'stay-end':
      return checkStayEnd(errors, c, body, recordedAt);
    case 'result': {
      const contact = c.contacts.find((k) => k.entryId === body.contact);
      if (contact === undefined) errors.push('結果を記録する連絡が見つかりません。');
      if (!CONTACT_RESULTS.includes(body.result)) errors.push('連絡の結果を選んでください。');
      return;
    }
    case 'link':
      if (body.subject.personId === null) errors.push('結び付ける登録者を選んでください。');
      return checkSubject(errors, body.subject);
    case 'claim-facts':
      if (!PLANNING_VALUES.includes(body.planning)) errors.push('計画相談支援（障害児相談支援）の担当を選んでください。');
      return;
    case 'same-emergency':
      if (body.otherCaseId === '' || body.otherCaseId === c.id) errors.push('比べる緊急対応の記録を選んでください。');
      if (body.answer !== 'same' && body.answer !== 'separate') errors.push('同じ緊急事態かどうかを選んでください。');
      if (body.answer === 'separate' && body.reason.trim() === '') errors.push('別の緊急事態とする理由を入力してください。');
      return;
  }
}

/** What a closed case still takes: corrections, claim facts, who it was about, the same-emergency answer, and the end of the stay it began. */
const AFTER_CLOSE: ReadonlySet<EntryBody['type']> = new Set(['correction', 'claim-facts', 'link', 'same-emergency', 'stay-end']);

/**
 * Japanese messages for everything wrong with a new entry; empty when it may be written.
 * `c` is null for the open entry of a new case. `deviceNow`: this device's clock when the stamp was
 * floored after the case's entries (stampAfter), to measure a clock ahead of this one.
 */
export function validateEntry(c: EmergencyCase | null, body: EntryBody, recordedAt: IsoInstant, deviceNow: IsoInstant = recordedAt): string[] {
  const errors: string[] = [];
  if (c === null) {
    if (body.type !== 'open') return ['対応記録は「要請」の記録から始まります。'];
    checkOpen(errors, body, recordedAt);
    return errors;
  }
  if (body.type === 'open') return ['この対応記録はすでに開始されています。'];
  if (c.closedAt !== null && !AFTER_CLOSE.has(body.type)) {
    return ['終了した対応記録には追加できません。続きを記録するときは「対応を再開」を押してください。誤りは「訂正」で記録してください。'];
  }
  if (body.type === 'stay-end' && (c.stayEnd ?? null) !== null) return ['退所はすでに記録されています。誤りは「訂正」で記録してください。'];
  if (body.type !== 'correction') {
    checkFact(errors, c, body, recordedAt, deviceNow);
    return errors;
  }
  const target = entryOf(c, body.corrects);
  if (target === undefined) return ['訂正する記録が見つかりません。'];
  if (target.body.type === 'correction') return ['訂正の記録そのものは訂正できません。元の記録を訂正してください。'];
  if (body.reason.trim() === '') errors.push('訂正の理由を入力してください。');
  if (body.replacement === null) {
    // 取消 of the close reopens the case (対応を再開): the facility called back at 04:00, say.
    if (target.body.type !== 'contact' && target.body.type !== 'outcome' && target.body.type !== 'close') {
      errors.push('取り消せるのは連絡・調整、対応結果、終了の記録だけです。');
    }
    // Withdrawn on a closed case, the outcome that stands would leave it 終了 with the one before
    // it (or none) standing, unseen. A rival recorded on another phone at once may go: the standing one stays.
    if (target.body.type === 'outcome' && c.closedAt !== null && target.id === c.outcome?.entryId) {
      errors.push('終了した対応記録の対応結果を取り消すときは、先に「対応を再開」してください。');
    }
  } else if (body.replacement.type !== target.body.type) {
    errors.push('訂正後の記録は、元の記録と同じ種類にしてください。');
  } else if (body.replacement.type === 'open') {
    // The request time moves: every contact, the admission and the close must still come after it.
    const requestedAt = body.replacement.requestedAt;
    const sameTime = requestedAt === c.open.body.requestedAt;
    checkOpen(errors, body.replacement, recordedAt, sameTime);
    // Only a moved request is checked against the calls: one taken within the clock tolerance before
    // a request a fast phone stamped (checkContact) must not block correcting its 区分 or 内容.
    if (!sameTime && isInstant(requestedAt)) checkRequestMoved(errors, c, requestedAt);
  } else if (body.replacement.type === 'contact') {
    checkContact(errors, c, body.replacement, recordedAt, deviceNow);
    // A closed case's call moved after its close: the close would no longer be the last thing done.
    const was = c.contacts.find((k) => k.entryId === target.id)?.body.contactedAt;
    const { contactedAt } = body.replacement;
    if (c.closedAt !== null && contactedAt !== was && isInstant(contactedAt) && beforeMinuteOf(c.closedAt, contactedAt)) {
      errors.push(`連絡・調整を行った時刻が、終了時刻（${formatJapanDateTime(c.closedAt)}）より後になっています。終了の後の連絡なら、先に「対応を再開」してください。`);
    }
  } else if (body.replacement.type === 'close') {
    checkClose(errors, c, body.replacement.closedAt, recordedAt);
  } else {
    checkFact(errors, c, body.replacement, recordedAt);
  }
  return errors;
}

/** A corrected 要請のあった時間 must still come before the calls, the admission that stands, and the close. */
function checkRequestMoved(errors: string[], c: EmergencyCase, requestedAt: IsoInstant): void {
  const early = c.contacts.find((k) => beforeMinuteOf(k.body.contactedAt, requestedAt));
  if (early !== undefined) errors.push('訂正後の要請のあった時間が、記録済みの連絡・調整の時刻より後になっています。');
  const admission = c.outcome?.body.outcome === '短期入所' ? c.outcome.body.from : null;
  if (admission !== null && isInstant(admission) && beforeMinuteOf(admission, requestedAt)) {
    errors.push(`訂正後の要請のあった時間が、入所の日時（${formatJapanDateTime(admission)}）より後になっています。`);
  }
  if (c.closedAt !== null && beforeMinuteOf(c.closedAt, requestedAt)) {
    errors.push(`訂正後の要請のあった時間が、終了時刻（${formatJapanDateTime(c.closedAt)}）より後になっています。`);
  }
}

// ─── Stays ──────────────────────────────────────────────────────────────────

/** A 短期入所 stay a case began: the Japan days it started and (if it has) ended. */
export interface Stay {
  readonly caseId: string;
  readonly from: IsoInstant;
  readonly fromDay: IsoDate;
  readonly endedAt: IsoInstant | null;
  readonly endDay: IsoDate | null;
}

/**
 * The stay a case began (an outcome 短期入所 with its time), or null. The outcome that stands in
 * read order: while two phones' outcomes recorded at once are not settled, read standingOutcomes.
 */
export function stayOf(c: EmergencyCase): Stay | null {
  return c.outcome === null ? null : stayFrom(c.id, c.outcome.body, c.stayEnd?.body.endedAt ?? null);
}

function stayFrom(caseId: string, o: OutcomeBody, endedAt: IsoInstant | null): Stay | null {
  if (o.outcome !== '短期入所' || o.from === null) return null;
  return { caseId, from: o.from, fromDay: japanDateOf(o.from), endedAt, endDay: endedAt === null ? null : japanDateOf(endedAt) };
}

/** An outcome a case stands on, with the stay it began (短期入所 with its time) and that stay's 退所, or null. */
export interface StandingOutcome {
  readonly outcome: Current<OutcomeBody>;
  readonly stay: Stay | null;
}

export interface StandingOutcomes {
  /**
   * The outcome that stands; while `unsettled`, every outcome recorded at once on another phone
   * too, by the time each was recorded (then id), not by read order. Empty with no outcome.
   */
  readonly outcomes: readonly StandingOutcome[];
  /** two phones recorded different outcomes at once and nobody has settled which (concurrentOutcomes): 要確認 */
  readonly unsettled: boolean;
}

/**
 * What a case says of where the person went, for every screen and report that reads it (緊急入所中,
 * the case's stay, the yearly report, the match's 入所 mark). Settled, the outcome that stands and
 * its stay, as `stayOf`. Two phones having recorded different outcomes at once (concurrentOutcomes,
 * the notion the claim rules wait on), read order alone chose the one that stands: the person
 * admitted to ふじ on one phone read as handled at home because the basement phone held more entries,
 * or the other way round in another order. So every one of them is given, in an order that does not
 * depend on read order, marked `unsettled`, until someone who holds both settles it.
 */
export function standingOutcomes(c: EmergencyCase): StandingOutcomes {
  if (c.outcome === null) return { outcomes: [], unsettled: false };
  const stands: StandingOutcome = { outcome: c.outcome, stay: stayOf(c) };
  const found = rivalOutcomes(c);
  if (found === null || found.rivals.length === 0) return { outcomes: [stands], unsettled: false };
  const { rivals, standing, held } = found;
  const others = rivals.map((s): StandingOutcome => ({ outcome: current(s), stay: stayFrom(c.id, s.body, stayEndOf(s, standing, held)?.body.endedAt ?? null) }));
  const byRecording = (a: StandingOutcome, b: StandingOutcome) =>
    Date.parse(a.outcome.recordedAt) - Date.parse(b.outcome.recordedAt) || (a.outcome.entryId < b.outcome.entryId ? -1 : a.outcome.entryId > b.outcome.entryId ? 1 : 0);
  return { outcomes: [stands, ...others].sort(byRecording), unsettled: true };
}

/**
 * Days of stay counted as short-stay days are billed: the admission day and every Japan day up to
 * `untilDay` (the day of leaving, or today for a stay still going on), both counted. 1 on the
 * admission day itself.
 */
export function stayDays(fromDay: IsoDate, untilDay: IsoDate): number {
  if (untilDay < fromDay) return 0;
  return Math.round((Date.parse(`${untilDay}T00:00:00Z`) - Date.parse(`${fromDay}T00:00:00Z`)) / 86_400_000) + 1;
}

// ─── Retention ──────────────────────────────────────────────────────────────

/**
 * The last day the case must be kept: 5 years from the Japan date it was closed (seeds/004 §24-3
 * (3)), counted from the next day (民法第140条, 初日不算入): closed 2026-12-01, kept through
 * 2031-12-01, as the screens say (「2031年12月1日まで」). An entry written after the close (a
 * correction, a 算定に関する事項 for a 過誤調整 years on) is a record of its own: the 5 years run from
 * the last of them, or the paper was thrown away with that entry's years still to run. Null while
 * it is open (never deletable).
 */
export function retentionUntil(c: EmergencyCase): IsoDate | null {
  if (c.closedAt === null) return null;
  const close = c.entries.findLastIndex((e) => e.body.type === 'close');
  let from = japanDateOf(c.closedAt);
  for (const e of c.entries.slice(close + 1)) {
    const day = japanDateOf(e.recordedAt);
    if (day > from) from = day;
  }
  return addMonthsToDate(from, RETENTION_YEARS * 12);
}

/** From the day after the last day it must be kept (on that day it was deletable, against 「…まで」). */
export function mayBeDeleted(c: EmergencyCase, today: IsoDate): boolean {
  const until = retentionUntil(c);
  return until !== null && today > until;
}
