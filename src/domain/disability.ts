/**
 * Disability categories of the facility acceptance matrix (DOMAIN.md §3, seeds/004 §27 別紙).
 * The same codes describe a registered person, so the match (facility issue) can compare them directly.
 */
export const DISABILITY_TYPES = [
  'physical-visual',
  'physical-hearing',
  'physical-speech',
  'physical-limb',
  'physical-internal',
  'intellectual',
  'mental',
  'developmental',
  'medical-care',
  'severe-multiple',
  'severe-behavior',
  'higher-brain',
  'intractable',
] as const;

export type DisabilityType = (typeof DISABILITY_TYPES)[number];

/** Japanese labels exactly as the facility registration form prints them. */
export const DISABILITY_LABELS: Readonly<Record<DisabilityType, string>> = {
  'physical-visual': '身体（視覚）',
  'physical-hearing': '身体（聴覚又は平衡機能）',
  'physical-speech': '身体（音声、言語又はそしゃく機能）',
  'physical-limb': '身体（肢体不自由）',
  'physical-internal': '身体（内部）',
  intellectual: '知的',
  mental: '精神',
  developmental: '発達',
  'medical-care': '医療的ケア',
  'severe-multiple': '重症心身障害',
  'severe-behavior': '強度行動障害',
  'higher-brain': '高次脳機能障害',
  intractable: '難病',
};

/** Kinds of 医療的ケア a person may need (and, later, a facility may handle). */
export const MEDICAL_CARE_KINDS = [
  'suction',
  'tube-feeding',
  'gastrostomy',
  'ventilator',
  'oxygen',
  'tracheostomy',
  'catheter',
  'insulin',
  'dialysis',
  'other',
] as const;

export type MedicalCareKind = (typeof MEDICAL_CARE_KINDS)[number];

export const MEDICAL_CARE_LABELS: Readonly<Record<MedicalCareKind, string>> = {
  suction: '喀痰吸引',
  'tube-feeding': '経管栄養（経鼻）',
  gastrostomy: '胃ろう・腸ろう',
  ventilator: '人工呼吸器',
  oxygen: '酸素療法',
  tracheostomy: '気管切開',
  catheter: '導尿・カテーテル',
  insulin: 'インスリン注射',
  dialysis: '透析',
  other: 'その他',
};
