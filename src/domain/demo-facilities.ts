/**
 * Fictional short-stay facilities of 「みなと市」 for the demo hub, with acceptance matrices that
 * differ the way real ones do (児 only, 者 only, medical care only with a nurse on duty).
 */
import { DISABILITY_TYPES, type DisabilityType, type MedicalCareKind } from './disability';
import { emptyAcceptance, type Acceptance, type Facility, type HubFunction } from './facility';
import type { IsoInstant } from './household';
import { demoMobile, demoOfficePhone } from './demo-phones';
import { createRandom, streamSeed, type Random } from './demo-random';
import { AREAS, CITY, SURNAMES, TOWNS, GIVEN_NAMES } from './demo-names';

const NAME_STEMS = [
  'あおぞら', 'ひだまり', 'さくら', 'かもめ', 'なぎさ', 'つばさ', 'こもれび', 'わかば', 'ひまわり', 'すずらん',
  'いちょう', 'やまびこ', 'はまかぜ', 'しおさい', 'たんぽぽ', 'みなと', 'あさひ', 'ふたば',
];
const NAME_FORMS = ['ショートステイ ', '短期入所 ', '短期入所事業所 '];
const NAME_SUFFIXES = ['の家', 'ホーム', '園', 'ハウス', '荘'];
const MEDICAL_NAMES = ['みなと療育センター', 'みなと医療福祉センター', '汐見こども病院 短期入所', 'みなと市民病院 医療型短期入所'];
const WELFARE_CARE: readonly MedicalCareKind[] = ['tube-feeding', 'gastrostomy', 'insulin', 'catheter'];
const MEDICAL_CARE: readonly MedicalCareKind[] = ['suction', 'tube-feeding', 'gastrostomy', 'ventilator', 'oxygen', 'tracheostomy', 'catheter', 'insulin'];

const REQUEST_HOW = [
  '平日9時〜17時は代表電話へ。夜間・休日は夜間連絡先（当直携帯）へ。受入れ可否は30分以内に折り返します。',
  '代表電話へ連絡し「緊急短期入所の依頼」と伝えてください。夜間は当直職員が対応します。',
  '事前登録者は夜間連絡先へ直接連絡可。初回利用の方は相談支援専門員から依頼してください。',
];

const NOTES: Partial<Record<DisabilityType, readonly string[]>> = {
  'medical-care': ['看護師配置日のみ（夜間の吸引は要相談）', '胃ろう注入のみ対応'],
  'severe-behavior': ['個室対応のため要相談', '行動援護の利用歴がある方'],
  mental: ['主治医の了承がある場合'],
  intellectual: [''],
};

function facilityName(r: Random, n: number, medical: boolean): string {
  if (medical) {
    const base = MEDICAL_NAMES[(n - 1) % MEDICAL_NAMES.length]!;
    return n <= MEDICAL_NAMES.length ? base : `${base} 第${Math.ceil(n / MEDICAL_NAMES.length)}`;
  }
  const stem = NAME_STEMS[(n - 1) % NAME_STEMS.length]!;
  const round = Math.floor((n - 1) / NAME_STEMS.length);
  return `${r.pick(NAME_FORMS)}${stem}${NAME_SUFFIXES[round % NAME_SUFFIXES.length]}${round >= NAME_SUFFIXES.length ? ` ${round}` : ''}`;
}

function acceptanceFor(r: Random, medical: boolean) {
  const matrix: Record<DisabilityType, Acceptance> = { ...emptyAcceptance() };
  const adults = medical || r.chance(0.75);
  const children = medical || !adults || r.chance(0.5);
  for (const t of DISABILITY_TYPES) {
    let open: boolean;
    if (medical) open = t !== 'mental' && t !== 'severe-behavior';
    else if (t === 'intellectual' || t === 'developmental') open = true;
    else if (t === 'medical-care') open = r.chance(0.25);
    else if (t === 'severe-multiple') open = r.chance(0.1);
    else open = r.chance(0.55);
    if (!open) continue;
    const note = r.chance(0.25) ? r.pick(NOTES[t] ?? ['']) : '';
    matrix[t] = { adult: adults && (t !== 'developmental' || r.chance(0.8)), child: children, note };
  }
  return matrix;
}

function hubFunctionsFor(r: Random): HubFunction[] {
  const fns: HubFunction[] = ['emergency-acceptance'];
  if (r.chance(0.6)) fns.push('experience');
  if (r.chance(0.2)) fns.push('specialists');
  if (r.chance(0.15)) fns.push('consultation');
  return fns;
}

function hoursBefore(now: IsoInstant, hours: number): IsoInstant {
  return new Date(Date.parse(now) - hours * 3_600_000).toISOString();
}

export function generateDemoFacility(n: number, seed: number, now: IsoInstant): Facility {
  const r = createRandom(streamSeed(seed, n, 2));
  const medical = n % 5 === 0;
  const [surname] = r.pick(SURNAMES);
  const [given] = r.pick(GIVEN_NAMES[r.chance(0.6) ? 'female' : 'male'].middle);
  const liaison = r.chance(0.85) ? `${surname} ${given}` : '';
  // A scramble coprime with 10^6 keeps 事業所番号 unique without looking sequential.
  const officeNumber = `131${medical ? '1' : '5'}${String((n * 104_729) % 1_000_000).padStart(6, '0')}`;
  const reported = r.chance(0.65);
  const capacity = medical ? r.int(2, 6) : r.int(3, 12);
  return {
    id: `demo-f-${String(n).padStart(5, '0')}`,
    name: facilityName(r, medical ? n / 5 : n - Math.floor(n / 5), medical),
    officeNumber,
    serviceType: medical ? '医療型' : '福祉型',
    unitType: medical ? '併設型' : r.pick(['単独型', '併設型', '空床型'] as const),
    address: `${CITY}${r.pick(TOWNS)}${r.int(1, 5)}丁目${r.int(1, 30)}番${r.int(1, 20)}号`,
    area: r.pick(AREAS),
    phone: demoOfficePhone(r),
    nightPhone: demoMobile(r),
    fax: demoOfficePhone(r),
    email: `tanki${String(n).padStart(3, '0')}@example.jp`,
    hubFunctions: hubFunctionsFor(r),
    liaison,
    capacity,
    acceptance: acceptanceFor(r, medical),
    medicalCare: medical ? r.some(MEDICAL_CARE, r.int(5, MEDICAL_CARE.length)) : r.chance(0.3) ? r.some(WELFARE_CARE, r.int(1, 2)) : [],
    emergencyRequestHow: r.pick(REQUEST_HOW),
    vacancy: reported ? { beds: r.int(0, Math.min(3, capacity)), asOf: hoursBefore(now, r.int(1, 96)), reportedBy: liaison || '施設職員' } : null,
    createdAt: hoursBefore(now, 24 * r.int(60, 900)),
    updatedAt: hoursBefore(now, 24 * r.int(1, 59)),
  };
}
