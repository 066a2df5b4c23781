/** Small read-only building blocks shared by the detail view and the print sheet. */
import type { ReactNode } from 'react';
import { DISABILITY_LABELS, MEDICAL_CARE_LABELS } from '../../domain/disability';
import type { Household, Person } from '../../domain/household';
import { useApp } from '../../state/store';
import { formatJapanDate, isValidIsoDate } from '../../domain/japan-time';
import { formatPhoneForTel, withoutInvisible } from '../../domain/normalize';
import { formatJapanesePhone } from '../../domain/night-call';
import { F, T } from './text';

export type DlRow = readonly [label: string, value: ReactNode];

function isEmpty(v: ReactNode): boolean {
  return v === null || v === undefined || v === false || (typeof v === 'string' && v.trim() === '');
}

/** A definition list that leaves out empty answers, so a night reader sees only what was written. */
export function Dl({ rows }: { rows: readonly DlRow[] }) {
  const shown = rows.filter(([, v]) => !isEmpty(v));
  if (shown.length === 0) return null;
  return (
    <dl className="hh-dl">
      {shown.map(([label, value]) => (
        <div key={label} className="hh-dl__row">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A big tap-to-call link: 「電話 母 090-1234-5678」. Plain text when the number cannot be dialled. */
export function CallLink({ label, phone }: { label: string; phone: string }) {
  const href = formatPhoneForTel(phone);
  // a label's direction marks would turn the number after it around (formatJapanesePhone)
  const text = T.call(withoutInvisible(label), formatJapanesePhone(phone));
  return href ? (
    <a className="tel" href={href}>
      {text}
    </a>
  ) : (
    <span>{text}</span>
  );
}

export function dateText(d: string | null | undefined): string {
  if (!d) return '';
  return isValidIsoDate(d) ? formatJapanDate(d) : d;
}

export function medicalCareText(p: Person): string {
  return p.medicalCare.map((k) => MEDICAL_CARE_LABELS[k]).join('、');
}

export function disabilityText(p: Person): string {
  return [...p.disabilityTypes.map((t) => DISABILITY_LABELS[t]), p.otherDisabilities.trim()].filter(Boolean).join('、');
}

export function handbookText(p: Person): string {
  const h = p.handbooks;
  return [
    h.physicalGrade ? `身体 ${F.grade(h.physicalGrade)}` : '',
    h.ryoiku ? `療育 ${h.ryoiku}` : '',
    h.mentalGrade ? `精神 ${F.grade(h.mentalGrade)}` : '',
  ]
    .filter(Boolean)
    .join('、');
}

export function dailyRows(p: Person): DlRow[] {
  const d = p.dailyLiving;
  return [
    [F.meals, d.meals],
    [F.toileting, d.toileting],
    [F.bathing, d.bathing],
    [F.mobility, d.mobility],
    [F.dressing, d.dressing],
    [F.communication, d.communication],
    [F.sleep, d.sleep],
    [F.behaviour, d.behaviour],
  ];
}

export function medicalRows(p: Person): DlRow[] {
  return [
    [F.medicalCare, [medicalCareText(p), p.medicalCareDetails.trim()].filter(Boolean).join('\n')],
    [F.severeMultiple, p.severeMultiple ? T.severeMultipleYes : ''],
    [T.medications, p.medications],
    [T.allergies, p.allergies],
    [T.seizures, p.seizures],
    [T.crisisPlan, p.crisisPlan],
  ];
}

/**
 * The household's 登録事業所 by its office record's name today, or the name typed when none is known:
 * renamed or merged, the office kept its old name on the contacts and the print sheet.
 */
export function useRegisteringOffice(h: Pick<Household, 'officeId' | 'registeringOffice'>): string {
  const name = useApp((s) => (h.officeId ? s.offices.get(h.officeId)?.name : undefined));
  return name ?? h.registeringOffice;
}
