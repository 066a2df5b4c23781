/** Words of the conflict list and of the household form's save over a colleague's edit (STYLE.md habit 9): how a record's field path and values read. */
import { DISABILITY_LABELS, MEDICAL_CARE_LABELS } from '../domain/disability';
import { CLOSURE_KINDS, closurePeriodText, HUB_FUNCTION_LABELS } from '../domain/facility';

import { SEX_LABELS } from '../domain/household-schema';
import { formatJapanShortDateTime, isInstantText } from '../domain/japan-time';
import { ONE_BODY_LABELS } from '../domain/office';
import { FUNCTION_BONUS_KIND_LABELS } from '../protocol/constants';
import { parseConflictPath } from '../sync/conflict-path';

export const CT = {
  title: (n: number) => `重なった変更（${n}件）`,
  intro:
    '同じ項目を二人が別々に変更しました。サーバーは先に届いた値を残し、もう一方も記録しています。どちらを残すか選んでください。選ぶまでは、先に届いた値が表示されます。',
  loading: '重なった変更を読み込んでいます…',
  failed: '重なった変更を読み込めませんでした。同期してからもう一度お試しください。',
  /** a choice that could not be written on this phone (the storage's own words follow) */
  settleFailed: (why: string) => `選んだ値を保存できませんでした。もう一度選んでください。${why}`,
  notYours: 'この記録はあなたの役割では書き換えられないため、書き換えられる人（管理者など）が解決します。',
  unknownRecord: '（この端末にない記録）',
  kind: { household: '世帯', facility: '短期入所事業所', office: '相談支援事業所', ...FUNCTION_BONUS_KIND_LABELS, 'trial-stay': '体験利用' },
  validFrom: (month: string) => `${month}から`,
  field: (label: string) => `項目：${label}`,
  kept: (by: string) => `いまの値（${by || '不明'}）`,
  lost: (by: string) => `もう一方の値（${by || '不明'}）`,
  keep: (by: string) => `いまの値のままにする（${by || '不明'}）`,
  restore: (by: string) => `もう一方の値に戻す（${by || '不明'}）`,
  empty: '（空欄）',
  none: 'なし',
  yes: 'あり',
  accepts: '受入可',
  refuses: '受入不可',
  unknown: '未確認',
  grade: (n: number) => `${n}級`,
  level: (n: number) => `区分${n}`,
  enrolmentNone: '利用なし',
  elsewhere: '拠点外の事業所',
  noOffice: '（未設定）',
  move: (at: string, by: string, from: string, to: string, reason: string) => `${at}　${by}：${from} → ${to}${reason ? `（${reason}）` : ''}`,
  contact: (name: string, relation: string, phones: string) => `${name}${relation ? `（${relation}）` : ''} ${phones}`,
  period: (from: string, to: string | null) => `${from}〜${to ?? ''}`,
  /** a facility with no 休止・廃止 */
  running: '運営中',
  vacancy: (beds: string, asOf: string, by: string) => `空床 ${beds}床（${asOf} 時点、報告: ${by || '不明'}）`,
  item: (label: string, value: string) => `${label}：${value}`,
} as const;

/**
 * Japanese names of the fields of a household (and its persons), a facility, an office and the
 * 機能強化加算 records, as their forms name them. `parent.key` names a key under one parent only.
 */
const FIELDS: Readonly<Record<string, string>> = {
  // household (domain/household.ts)
  address: '住所',
  phone: '電話番号',
  persons: '本人',
  emergencyContacts: '緊急連絡先',
  legalRepresentative: '代理人（成年後見人など）',
  family: '家族状況',
  mainCaregiver: '主たる介護者',
  caregiverHealth: '介護者の健康状態',
  registeringOffice: '登録事業所の名前',
  caseWorker: '相談支援専門員',
  caseWorkerPhone: '相談支援専門員の電話',
  caseWorkerUserId: '担当の相談支援専門員',
  officeMoves: '事業所の移管の履歴',
  agencies: 'その他の関係機関',
  consent: '同意書',
  'consent.date': '同意日',
  'consent.consentedBy': '同意者',
  'consent.scope': '共有の範囲',
  lastReviewedOn: '最終見直し日',
  reviews: '見直しの記録',
  withdrawal: '登録廃止',
  'withdrawal.date': '廃止日',
  'withdrawal.reason': '廃止の理由',
  note: '備考',
  // a person
  name: '氏名',
  furigana: 'ふりがな',
  birthDate: '生年月日',
  sex: '性別',
  recipientNumber: '受給者証番号',
  municipality: '支給決定市町村',
  handbooks: '手帳',
  physicalGrade: '身体障害者手帳 等級',
  ryoiku: '療育手帳',
  mentalGrade: '精神障害者保健福祉手帳 等級',
  supportLevel: '障害支援区分',
  disabilityTypes: '障害の種類',
  otherDisabilities: 'その他の障害',
  diagnosis: '診断名',
  severeMultiple: '重症心身障害',
  medicalCare: '医療的ケア',
  medicalCareDetails: '医療的ケアの詳細',
  behaviorScore: '行動関連項目合計点数',
  childBehaviorScore: '強度行動障害判定基準表の合計点',
  doctors: '医師・病院',
  medications: '服薬',
  allergies: 'アレルギー',
  seizures: '発作',
  crisisPlan: '緊急時の対応',
  services: '利用中のサービス',
  pastShortStays: '過去の短期入所',
  enrolments: '地域定着支援・自立生活援助の利用',
  settlement: ONE_BODY_LABELS.settlement,
  independentLiving: ONE_BODY_LABELS.independentLiving,
  dailyLiving: '日常生活状況（支援の程度）',
  meals: '食事',
  toileting: '排せつ',
  bathing: '入浴',
  mobility: '移動',
  dressing: '着替え',
  communication: 'コミュニケーション',
  sleep: '睡眠',
  behaviour: '行動',
  calming: '落ち着く方法',
  triggers: '苦手なこと・きっかけ',
  // facility (domain/facility.ts)
  officeNumber: '事業所番号',
  serviceType: 'サービス種別',
  unitType: '類型',
  area: '地区',
  nightPhone: '夜間・緊急連絡先',
  fax: 'FAX',
  email: 'メールアドレス',
  hubFunctions: '担う拠点機能',
  liaison: '連携担当者',
  capacity: '定員',
  acceptance: '受入可能な障害種別',
  adult: '者',
  child: '児',
  emergencyRequestHow: '緊急時の受入れ依頼方法',
  vacancy: '空床の報告',
  vacancyHistory: '空床の報告の履歴',
  closure: '休止・廃止',
  // office (domain/office.ts)
  hubSince: '拠点としての位置づけ',
  hubPeriods: '拠点として位置付けられていた期間',
  notifiedOn: '加算の届出日',
  designations: '受けている指定',
  specifiedConsultation: '指定特定相談支援',
  childConsultation: '指定障害児相談支援',
  oneBody: '一体的運営',
  // 機能強化加算 (docs/function-bonus.md)
  count: '算定件数',
  offices: '事業所ごとの割合',
  municipalities: '市町村ごとの割合',
  toMonth: '配置終了月',
  fullTime: '常勤',
  dedicated: '専従',
  fromMonth: '配置開始月',
  officeId: '配置事業所',
  yenPerUnit: '単価',
};

/** The few keys a kind names otherwise at its top level. */
const KIND_FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  household: { officeId: '登録事業所（相談支援事業所）' },
  facility: { name: '事業所名' },
  office: { name: '事業所名' },
  // a 体験利用 (domain/trial-stay.ts), as its form names them
  'trial-stay': {
    personId: '本人',
    facilityId: '事業所',
    facilityName: '事業所',
    from: '利用開始日',
    to: '利用終了日',
    purpose: '利用の目的',
    howItWent: '利用の様子',
    nextTime: '次回への申し送り',
    recordedBy: '記録者',
    cancelled: '取消',
  },
};

/** A key's name: under its parent, then for its kind (top level), then anywhere; a disability type by its label. */
function keyLabel(key: string, parent: string | undefined, kind: string | undefined): string {
  if (parent !== undefined && FIELDS[`${parent}.${key}`] !== undefined) return FIELDS[`${parent}.${key}`]!;
  if (parent === undefined && kind !== undefined && KIND_FIELDS[kind]?.[key] !== undefined) return KIND_FIELDS[kind][key]!;
  if (parent === 'acceptance' && key in DISABILITY_LABELS) return DISABILITY_LABELS[key as keyof typeof DISABILITY_LABELS];
  return FIELDS[key] ?? key;
}

/** 「本人（山田 太郎）の服薬」 for `persons[p-1].medications`; `kind`: the record's (facility: 「事業所名」 for `name`). */
export function fieldLabel(path: string, personName: (id: string) => string | undefined, kind?: string): string {
  const steps = parseConflictPath(path);
  if (steps === null) return path;
  const words: string[] = [];
  let parent: string | undefined;
  for (const step of steps) {
    if ('key' in step) {
      words.push(keyLabel(step.key, parent, kind));
      parent = step.key;
    } else {
      words[words.length - 1] = `${words.at(-1) ?? ''}（${personName(step.id) ?? step.id}）`;
    }
  }
  return words.join('の');
}

/** How ids in a value are named: offices by their name, the hub's users by theirs. */
export interface ValueNames {
  readonly office?: (id: string) => string | undefined;
  readonly staff?: (id: string) => string | undefined;
}

type Obj = Readonly<Record<string, unknown>>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
/** the words of a line, the empty ones left out */
const line = (...parts: unknown[]) => parts.map(str).filter((p) => p !== '').join(' ');

const CODE_LABELS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  disabilityTypes: DISABILITY_LABELS,
  medicalCare: MEDICAL_CARE_LABELS,
  hubFunctions: HUB_FUNCTION_LABELS,
};

/** One item of a list the hub holds whole (no ids): 「氏名（続柄） 電話」 for a contact. */
function itemLine(key: string | undefined, item: Obj, names: ValueNames): string | undefined {
  const office = (id: unknown) => (typeof id === 'string' ? (names.office?.(id) ?? id) : '');
  switch (key) {
    case 'emergencyContacts':
      return line(CT.contact(`${str(item['name'])}${str(item['furigana']) ? `（${str(item['furigana'])}）` : ''}`, str(item['relation']), Array.isArray(item['phones']) ? item['phones'].map(str).join('、') : ''), item['note']);
    case 'family':
      return line(`${str(item['name'])}${str(item['relation']) ? `（${str(item['relation'])}）` : ''}`, item['age'], item['note']);
    case 'agencies':
      return line(`${str(item['name'])}${str(item['role']) ? `（${str(item['role'])}）` : ''}`, item['contactPerson'], item['phone']);
    case 'doctors':
      return line(item['hospital'], item['name'], item['phone'], item['note']);
    case 'services':
      return line(item['service'], item['office'], item['schedule'], item['phone']);
    case 'pastShortStays':
      return line(item['facility'], item['when'], item['howItWent']);
    case 'settlement':
    case 'independentLiving':
      return line(CT.period(str(item['from']), typeof item['to'] === 'string' ? item['to'] : null), item['officeId'] === undefined ? '' : item['officeId'] === null ? CT.elsewhere : office(item['officeId']));
    case 'hubPeriods':
      return line(CT.period(str(item['from']), typeof item['to'] === 'string' ? item['to'] : null), typeof item['notifiedOn'] === 'string' ? `届出 ${item['notifiedOn']}` : '', item['note']);
    case 'officeMoves':
      return CT.move(typeof item['at'] === 'string' ? (isInstantText(item['at']) ? formatJapanShortDateTime(item['at']) : item['at']) : '', str(item['byName']), office(item['from']) || CT.noOffice, office(item['to']) || CT.noOffice, str(item['reason']));
    case 'vacancy':
    case 'vacancyHistory':
      // another device's time that is not an instant shows as its text, not as a thrown error
      return CT.vacancy(str(item['beds']), typeof item['asOf'] === 'string' ? (isInstantText(item['asOf']) ? formatJapanShortDateTime(item['asOf']) : item['asOf']) : '', str(item['reportedBy']));
    case 'closure': {
      // another device's value, read as far as it is one
      const kind = CLOSURE_KINDS.find((k) => k === item['kind']);
      return kind
        ? line(closurePeriodText({ kind, from: str(item['from']), until: typeof item['until'] === 'string' ? item['until'] : null }), item['note'])
        : line(item['kind'], item['from'], item['until'], item['note']);
    }
    case 'persons':
      return `${str(item['name']) || CT.empty}${str(item['furigana']) ? `（${str(item['furigana'])}）` : ''}`;
    case 'reviews':
      return line(item['reviewedOn'], item['reviewedBy'], item['note']);
    default:
      return undefined;
  }
}

/** A value as lines of words: codes by their labels, ids by their names, lists one item a line; never JSON. */
function lines(value: unknown, key: string | undefined, parent: string | undefined, names: ValueNames): string[] {
  if (value === null && (key === 'settlement' || key === 'independentLiving') && parent === 'enrolments') return [CT.unknown];
  if ((value === null || value === undefined) && key === 'closure') return [CT.running];
  if (value === null || value === undefined || value === '') return [CT.empty];
  if (typeof value === 'boolean') {
    if (key === 'adult' || key === 'child') return [value ? CT.accepts : CT.refuses];
    return [value ? CT.yes : CT.none];
  }
  if (typeof value === 'number') {
    if (key === 'physicalGrade' || key === 'mentalGrade') return [CT.grade(value)];
    if (key === 'supportLevel') return [CT.level(value)];
    return [String(value)];
  }
  if (typeof value === 'string') {
    if (key === 'sex') return [SEX_LABELS[value as keyof typeof SEX_LABELS] || CT.empty];
    if (key === 'officeId') return [names.office?.(value) ?? value];
    if (key === 'caseWorkerUserId') return [names.staff?.(value) ?? value];
    return [value];
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return [parent === 'enrolments' ? CT.enrolmentNone : CT.none];
    const codes = key === undefined ? undefined : CODE_LABELS[key];
    if (codes !== undefined) return [value.map((c) => codes[str(c)] ?? str(c)).join('、')];
    if (value.every((v) => !isObj(v) && !Array.isArray(v))) return [value.map((v) => lines(v, undefined, key, names)[0]).join('、')];
    return value.flatMap((item) => (isObj(item) ? [itemLine(key, item, names) ?? objectLine(item, key, names)] : lines(item, undefined, key, names)));
  }
  if (isObj(value)) return [itemLine(key, value, names) ?? objectLine(value, key, names)];
  return [String(value)];
}

/** An object no line is made for (a 同意書, a person's 手帳): 「同意日：…　同意者：…」. */
function objectLine(value: Obj, key: string | undefined, names: ValueNames): string {
  return Object.entries(value)
    .filter(([k]) => k !== 'id')
    .map(([k, v]) => CT.item(keyLabel(k, key, undefined), lines(v, k, key, names).join('、')))
    .join('　');
}

/**
 * The value at a conflict's `path` as lines to show, in Japanese: codes (障害の種類, 医療的ケア, 拠点機能,
 * 性別) by the app's labels, lists one item a line (a contact as 「氏名（続柄） 電話」), never JSON.
 */
export function valueLines(value: unknown, path = '', names: ValueNames = {}): string[] {
  const steps = parseConflictPath(path) ?? [];
  const keys = steps.flatMap((s) => ('key' in s ? [s.key] : []));
  const last = steps.at(-1);
  // `persons[p-1]`: one item of the list, as its line says it
  if (last !== undefined && 'id' in last) {
    const key = keys.at(-1);
    return isObj(value) ? [itemLine(key, value, names) ?? objectLine(value, key, names)] : lines(value, undefined, key, names);
  }
  return lines(value, keys.at(-1), keys.at(-2), names);
}

export function valueText(value: unknown, path = '', names: ValueNames = {}): string {
  return valueLines(value, path, names).join('\n');
}
