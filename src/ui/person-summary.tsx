/**
 * What matters at 2 a.m., on one phone screen (SCENARIOS.md §1): for each person the name, age and
 * 者/児, 医療的ケア, allergies then 服薬, what calms and what triggers; then the household's first
 * two contacts to call now as tap-to-call buttons (a 夜間 number first at night, one the family
 * marked as not answering at night last). Long answers are cut to two
 * lines (what calms and triggers to one) here; the full 聞き取り票 follows on the household screen.
 * Shared by the household screen and the case screen.
 */
import { useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { DISABILITY_LABELS, MEDICAL_CARE_LABELS } from '../domain/disability';
import type { EmergencyContact, IsoDate, Person } from '../domain/household';
import { householdStatus, personAgeLabel, type StatusFields } from '../domain/household-rules';
import { contactsInCallOrder, formatJapanesePhone } from '../domain/night-call';
import { formatPhoneForTel, withoutInvisible } from '../domain/normalize';

const L = {
  medicalCare: '医ケア',
  medications: '服薬',
  allergies: 'アレルギー',
  calming: '落ち着く',
  triggers: '苦手',
  seizures: '発作',
  none: 'なし',
  provisionalNone: '未記入（仮登録）',
  careNotWritten: '要（内容未記入）',
  noName: '（氏名未入力）',
  summaryOf: (name: string) => `${name}さんの要点`,
  contacts: '緊急連絡先',
  noAnswerNow: '今の時間は不在の記載あり',
  caseWorker: '相談支援専門員',
  more: '＋',
  less: '－',
  unfold: '続きを表示',
  fold: '折りたたむ',
  noConsent: '仮登録（同意書なし）：短期入所先などに伝えてよいのは、本人の生命・身体の保護に必要なことだけです',
  withdrawn: '登録廃止（同意書による共有は終わっています）：短期入所先などに伝えてよいのは、本人の生命・身体の保護に必要なことだけです',
} as const;

/** `text`: the words shown, when `children` is markup made at each render (measured again only when they change). */
function Line({ label, children, short = false, text }: { label: string; children: ReactNode; short?: boolean; text?: string }) {
  if (children === null || children === '' || children === undefined) return null;
  return (
    <CutLine label={label} short={short} text={text ?? children}>
      {children}
    </CutLine>
  );
}

/**
 * An answer cut to its lines, which says so: when the text runs past them, the label becomes a
 * button over the whole line (「服薬 ＋」) that shows the rest in place, and folds it again. A
 * medication list cut at two lines read as the whole list at 2 a.m.
 */
function CutLine({ label, children, short, text }: { label: string; children: ReactNode; short: boolean; text: ReactNode }) {
  const value = useRef<HTMLElement>(null);
  const id = useId();
  const [cut, setCut] = useState(false);
  const [open, setOpen] = useState(false);
  useLayoutEffect(() => {
    const el = value.current;
    if (!el || open) return undefined;
    const measure = () => setCut(el.scrollHeight > el.clientHeight + 1);
    measure();
    // the screen turned, the text grew: measured again
    if (typeof ResizeObserver === 'undefined') return undefined;
    const watch = new ResizeObserver(measure);
    watch.observe(el);
    return () => watch.disconnect();
  }, [text, open]);
  const classes = ['ps-line', short ? 'ps-line--short' : '', open ? 'ps-line--open' : ''].filter(Boolean).join(' ');
  return (
    <div className={classes}>
      <dt className="ps-line__label">
        {cut || open ? (
          <button type="button" className="ps-line__toggle" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
            <span>{label}</span>
            <span aria-hidden="true">{open ? L.less : L.more}</span>
            <span className="visually-hidden">{open ? L.fold : L.unfold}</span>
          </button>
        ) : (
          label
        )}
      </dt>
      <dd className="ps-line__value" id={id} ref={value}>
        {children}
      </dd>
    </div>
  );
}

function join(...parts: readonly string[]): string {
  return parts.map((p) => p.trim()).filter(Boolean).join('／');
}

/**
 * A household shared without a 同意書 in force, a 仮登録 or a 登録廃止 (as the print sheet holds
 * them), said where the person's information is passed on at night (the match, the case): only what
 * protects their life and body may go to a facility. Nothing for a household registered now.
 */
export function NoConsentLine({ household }: { household: StatusFields }) {
  const status = householdStatus(household);
  if (status === 'registered') return null;
  return <p className="ps-no-consent">{status === 'withdrawn' ? L.withdrawn : L.noConsent}</p>;
}

/**
 * One person's lines (no contacts): name and age, 医ケア, アレルギー・服薬, 発作 (when written),
 * 落ち着く・苦手.
 * `provisional`: a 仮登録, often a name and a number taken in a hurry, where an empty 医ケア is not
 * known to be none: it reads 未記入, not なし. `compact`: one line each (a household of several
 * persons, whose essentials share the first screen), each unfolded by its label as a cut line is.
 */
export function PersonEssentials({
  person: p,
  today,
  headingLevel = 2,
  provisional = false,
  compact = false,
}: {
  person: Person;
  today: IsoDate;
  headingLevel?: 2 | 3;
  provisional?: boolean;
  compact?: boolean;
}) {
  const name = p.name.trim() || L.noName;
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const care = join(p.medicalCare.map((k) => MEDICAL_CARE_LABELS[k]).join('、'), p.medicalCareDetails);
  // 障害の種類 says 医療的ケア or 重症心身障害 but no care is written: the match treats them as
  // needing it, so the first screen must not say なし (same line, no new one: 360×740).
  const severe = p.severeMultiple || p.disabilityTypes.includes('severe-multiple');
  const careUnwritten = severe || p.disabilityTypes.includes('medical-care') ? join(L.careNotWritten, severe ? DISABILITY_LABELS['severe-multiple'] : '') : '';
  // The allergy leads the line: a long medication list is cut at two lines and must not take
  // 「ペニシリン」 with it (same line, no new one: 360×740).
  const allergies = p.allergies.trim();
  const medications = p.medications.trim();
  const meds =
    allergies || medications ? (
      <>
        {allergies ? <strong>{`${L.allergies}: ${allergies}`}</strong> : null}
        {allergies && medications ? '／' : null}
        {medications}
      </>
    ) : null;
  return (
    <section className={compact ? 'ps-person ps-person--compact' : 'ps-person'} aria-label={L.summaryOf(name)}>
      <Heading className="ps-person__name">
        {/* isolated: a name in Arabic script took the age's digits to its own side (「45محمد علی歳」) */}
        <bdi>{name}</bdi>
        <span className="ps-person__age">{personAgeLabel(p, today)}</span>
      </Heading>
      <dl className="ps-lines">
        <Line label={L.medicalCare}>{care || careUnwritten || (provisional ? L.provisionalNone : L.none)}</Line>
        <Line label={L.medications} text={`${allergies}／${medications}`}>
          {meds}
        </Line>
        {/* what to do in a seizure is what a facility asks first: on the first screen when written */}
        <Line label={L.seizures} short>
          {p.seizures.trim()}
        </Line>
        <Line label={L.calming} short>
          {p.calming.trim()}
        </Line>
        <Line label={L.triggers} short>
          {p.triggers.trim()}
        </Line>
      </dl>
    </section>
  );
}

/**
 * The first two contacts to call now, each its first number to try as a big call button: at night
 * one whose note or number says no one answers then (「夜勤のため夜間は不在」「21時まで」) goes after the
 * others and, when still shown, says so under its number. With fewer than two, the 相談支援専門員's
 * number fills the place.
 */
export function FirstContacts({
  contacts,
  caseWorker,
  at,
  onCall,
}: {
  contacts: readonly EmergencyContact[];
  caseWorker?: { readonly name: string; readonly phone: string };
  at: Date;
  /** a number tapped (the case screen of an open case notes the call for the idle lock) */
  onCall?: () => void;
}) {
  const shown = contactsInCallOrder(contacts, at).flatMap(({ contact: c, phone, noAnswerNow }) => {
    const href = formatPhoneForTel(phone);
    if (!href) return [];
    // The relation says who it is at a glance; the name is in the full list below.
    const who = withoutInvisible(c.relation.trim() || c.name.trim());
    return [{ href, who, number: formatJapanesePhone(phone), note: noAnswerNow ? c.note.trim() || L.noAnswerNow : '' }];
  });
  const caseWorkerHref = caseWorker ? formatPhoneForTel(caseWorker.phone) : null;
  const caseWorkerCall = caseWorker && caseWorkerHref ? { href: caseWorkerHref, who: L.caseWorker, number: formatJapanesePhone(caseWorker.phone), note: caseWorker.name.trim() } : null;
  // With fewer than two contacts, the 相談支援専門員 takes the second button; else a slim line under
  // them (SCENARIOS.md 1: who to call is the relatives and the case worker).
  const second = caseWorkerCall !== null && shown.length < 2;
  if (second) shown.push(caseWorkerCall);
  if (shown.length === 0) return null;
  return (
    <>
      <ul className="ps-calls" aria-label={L.contacts}>
        {shown.slice(0, 2).map((c, i) => (
          <li key={i}>
            <a className="tel ps-call" href={c.href} onClick={onCall}>
              <span className="ps-call__who">{c.who}</span> <span className="ps-call__number">{c.number}</span>
              {c.note ? <span className="ps-call__note">{c.note}</span> : null}
            </a>
          </li>
        ))}
      </ul>
      {caseWorkerCall !== null && !second ? (
        <p className="ps-caseworker">
          <a href={caseWorkerCall.href} className="ps-caseworker__call" onClick={onCall}>
            {L.caseWorker}
            {caseWorkerCall.note ? ` ${caseWorkerCall.note}` : ''} <span className="ps-call__number">{caseWorkerCall.number}</span>
          </a>
        </p>
      ) : null}
    </>
  );
}
