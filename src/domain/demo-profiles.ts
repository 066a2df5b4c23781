/**
 * Disability profiles for the fictional demo hub: each yields the clinical part of a person
 * (types, 手帳, 区分, scores, medical care, medication, daily living) so that the fields agree
 * with each other the way a real 聞き取り票 would. Medications are plausible, not real prescriptions.
 */
import type { DailyLiving, Person } from './household';
import type { Random } from './demo-random';
import { CALMING, TRIGGERS } from './demo-names';

export type ProfileFields = Pick<
  Person,
  | 'disabilityTypes'
  | 'otherDisabilities'
  | 'diagnosis'
  | 'severeMultiple'
  | 'medicalCare'
  | 'medicalCareDetails'
  | 'behaviorScore'
  | 'childBehaviorScore'
  | 'handbooks'
  | 'supportLevel'
  | 'medications'
  | 'seizures'
  | 'crisisPlan'
  | 'dailyLiving'
  | 'calming'
  | 'triggers'
>;

export interface Profile {
  readonly key: string;
  readonly ageGroup: 'child' | 'adult';
  /** relative frequency within its age group */
  readonly weight: number;
  build(r: Random): ProfileFields;
}

type Level = 1 | 2 | 3 | 4 | 5 | 6;

const SEIZURE_TEXT = '年に数回、強直間代発作（1〜2分）。5分以上続く場合はジアゼパム坐剤を使用し救急要請';
const ANTIEPILEPTICS = ['バルプロ酸ナトリウム徐放錠 200mg 朝・夕', 'レベチラセタム 500mg 朝・夕', 'ラモトリギン 25mg 朝'];

function living(overrides: Partial<DailyLiving>): DailyLiving {
  return {
    meals: '見守りで自立',
    toileting: '自立',
    bathing: '洗髪・洗身に一部介助',
    mobility: '自立歩行',
    dressing: '声かけで自立',
    communication: '簡単な会話は可能',
    sleep: '22時〜6時、夜間は安定',
    behaviour: '特記なし',
    ...overrides,
  };
}

function none(): Pick<ProfileFields, 'otherDisabilities' | 'severeMultiple' | 'medicalCare' | 'medicalCareDetails'> {
  return { otherDisabilities: '', severeMultiple: false, medicalCare: [], medicalCareDetails: '' };
}

const autismChild: Profile = {
  key: 'autism-child',
  ageGroup: 'child',
  weight: 5,
  build: (r) => ({
    ...none(),
    disabilityTypes: ['intellectual', 'developmental'],
    diagnosis: r.pick(['自閉スペクトラム症、知的障害（中度）', '自閉スペクトラム症、知的障害（重度）', '知的障害（中度）、ADHD']),
    behaviorScore: null,
    childBehaviorScore: r.chance(0.4) ? r.int(20, 34) : r.int(4, 19),
    handbooks: { physicalGrade: null, ryoiku: r.pick(['A', 'B', 'A2', 'B1']), mentalGrade: null },
    supportLevel: null,
    medications: r.chance(0.5) ? `${r.pick(['リスペリドン 0.5mg 夕食後', 'アリピプラゾール 3mg 朝'])}、メラトニン 1mg 就寝前` : 'なし',
    seizures: r.chance(0.2) ? SEIZURE_TEXT : 'なし',
    crisisPlan: 'パニック時は安全な場所へ誘導し、刺激を減らして見守る。無理に押さえない',
    dailyLiving: living({ toileting: 'トイレ誘導が必要（2時間おき）', communication: '単語と絵カードで伝える', behaviour: '不安が強いと自分の手を噛む' }),
    calming: r.pick(CALMING),
    triggers: r.pick(TRIGGERS),
  }),
};

const tubeFeedingChild: Profile = {
  key: 'tube-feeding-child',
  ageGroup: 'child',
  weight: 2,
  build: (r) => ({
    otherDisabilities: '',
    severeMultiple: false,
    disabilityTypes: ['intellectual', 'medical-care'],
    medicalCare: r.chance(0.4) ? ['suction', 'tube-feeding'] : ['tube-feeding'],
    medicalCareDetails: '夜間のみ経鼻経管栄養（21時〜翌5時、ポンプ使用）。チューブの自己抜去に注意',
    diagnosis: '知的障害（重度）、摂食嚥下障害',
    behaviorScore: null,
    childBehaviorScore: r.int(2, 16),
    handbooks: { physicalGrade: null, ryoiku: 'A', mentalGrade: null },
    supportLevel: null,
    medications: `${r.pick(ANTIEPILEPTICS)}（注入）`,
    seizures: r.chance(0.5) ? SEIZURE_TEXT : 'なし',
    crisisPlan: 'チューブが抜けた場合は再挿入せず、注入を中止して主治医へ連絡',
    dailyLiving: living({ meals: '昼はペースト食を全介助、夜間は経管栄養', bathing: '全介助', communication: '発語なし。表情と声で快・不快を伝える' }),
    calming: r.pick(CALMING),
    triggers: r.pick(TRIGGERS),
  }),
};

function smid(ageGroup: 'child' | 'adult'): Profile {
  return {
    key: `smid-${ageGroup}`,
    ageGroup,
    weight: 2,
    build: (r) => {
      const ventilator = r.chance(0.3);
      return {
        otherDisabilities: '',
        severeMultiple: true,
        disabilityTypes: ['physical-limb', 'intellectual', 'medical-care', 'severe-multiple'],
        medicalCare: ventilator ? ['suction', 'gastrostomy', 'tracheostomy', 'ventilator'] : ['suction', 'gastrostomy'],
        medicalCareDetails: ventilator
          ? '気管切開、夜間は人工呼吸器。吸引は1〜2時間おき。胃ろうから1日4回注入'
          : '口鼻腔吸引（随時）。胃ろうから1日4回注入（7時・12時・17時・21時）',
        diagnosis: '脳性まひ、重症心身障害',
        behaviorScore: null,
        childBehaviorScore: null,
        handbooks: { physicalGrade: 1, ryoiku: 'A', mentalGrade: null },
        supportLevel: ageGroup === 'adult' ? 6 : null,
        medications: `${r.pick(ANTIEPILEPTICS)}（胃ろうから）、酸化マグネシウム、ジアゼパム坐剤（発作時）`,
        seizures: SEIZURE_TEXT,
        crisisPlan: 'SpO2 90%未満が続く場合は吸引・体位変換のうえ救急要請。かかりつけ病院へ搬送希望',
        dailyLiving: living({
          meals: '胃ろうから注入（全介助）',
          toileting: 'おむつ使用',
          bathing: '全介助（2人介助）',
          mobility: 'リクライニング車いす、全介助',
          dressing: '全介助',
          communication: '発語なし。笑顔・声で快を表す',
          sleep: '2〜3時間おきに体位変換',
        }),
        calming: r.pick(['抱っこして揺らすと入眠しやすい', '音楽（童謡）を小さく流す']),
        triggers: '体温調節が苦手で、暑さ・寒さで体調を崩しやすい',
      };
    },
  };
}

const intellectualAdult: Profile = {
  key: 'intellectual-adult',
  ageGroup: 'adult',
  weight: 5,
  build: (r) => {
    const severe = r.chance(0.35);
    return {
      ...none(),
      disabilityTypes: severe ? ['intellectual', 'developmental', 'severe-behavior'] : ['intellectual'],
      diagnosis: severe ? '自閉スペクトラム症、知的障害（重度）、強度行動障害' : '知的障害（軽度〜中度）',
      behaviorScore: severe ? r.int(10, 20) : r.int(0, 9),
      childBehaviorScore: null,
      handbooks: { physicalGrade: null, ryoiku: severe ? 'A' : r.pick(['B', 'B1', 'B2']), mentalGrade: null },
      supportLevel: (severe ? r.int(5, 6) : r.int(2, 4)) as Level,
      medications: severe ? 'リスペリドン 2mg 朝・夕、ブロチゾラム 0.25mg 就寝前' : r.pick(['なし', 'なし', `${r.pick(ANTIEPILEPTICS)}`]),
      seizures: r.chance(0.2) ? SEIZURE_TEXT : 'なし',
      crisisPlan: severe
        ? '他害の恐れがあるときは周囲の人を離し、2人以上で距離をとって見守る。頓服: リスペリドン内用液 1mL'
        : '不安時は職員が一人ついて話を聞く',
      dailyLiving: living({ behaviour: severe ? '興奮時に壁を叩く・大声を出す。こだわり（物の位置）が強い' : '特記なし' }),
      calming: r.pick(CALMING),
      triggers: r.pick(TRIGGERS),
    };
  },
};

const mentalAdult: Profile = {
  key: 'mental-adult',
  ageGroup: 'adult',
  weight: 3,
  build: (r) => ({
    ...none(),
    disabilityTypes: ['mental'],
    diagnosis: r.pick(['統合失調症', '双極性障害', 'うつ病']),
    behaviorScore: r.int(0, 6),
    childBehaviorScore: null,
    handbooks: { physicalGrade: null, ryoiku: null, mentalGrade: r.pick([1, 2, 2, 3] as const) },
    supportLevel: r.pick([2, 3, 4] as const),
    medications: r.pick(['オランザピン 10mg 就寝前', 'アリピプラゾール 12mg 朝', '炭酸リチウム 200mg 朝・夕、ゾルピデム 5mg 就寝前']),
    seizures: 'なし',
    crisisPlan: '服薬の中断に注意。不眠が3日続いたら主治医へ相談。自傷の訴えがあれば救急へ',
    dailyLiving: living({ sleep: '不眠傾向。頓服あり', communication: '会話は可能。疲れると口数が減る' }),
    calming: '静かな個室で10分ほど一人にすると落ち着く',
    triggers: '人の多い場所、大きな声で話しかけられること',
  }),
};

const physicalAdult: Profile = {
  key: 'physical-adult',
  ageGroup: 'adult',
  weight: 2,
  build: (r) => {
    const kind = r.pick(['cp', 'brain', 'muscular'] as const);
    const muscular = kind === 'muscular';
    return {
      otherDisabilities: muscular ? '筋ジストロフィー（指定難病）' : '',
      severeMultiple: false,
      disabilityTypes:
        kind === 'cp' ? ['physical-limb'] : kind === 'brain' ? ['physical-limb', 'higher-brain'] : ['physical-limb', 'intractable', 'medical-care'],
      medicalCare: muscular ? ['ventilator', 'suction'] : [],
      medicalCareDetails: muscular ? '夜間のみNPPV（鼻マスク式人工呼吸器）。痰が多いときは吸引' : '',
      diagnosis: kind === 'cp' ? '脳性まひ（四肢まひ）' : kind === 'brain' ? '交通事故による高次脳機能障害、右片まひ' : 'デュシェンヌ型筋ジストロフィー',
      behaviorScore: kind === 'brain' ? r.int(2, 11) : 0,
      childBehaviorScore: null,
      handbooks: { physicalGrade: r.pick([1, 1, 2] as const), ryoiku: null, mentalGrade: kind === 'brain' ? 2 : null },
      supportLevel: r.pick([4, 5, 6] as const),
      medications: muscular ? 'プレドニゾロン 5mg 朝、エナラプリル 2.5mg 朝' : 'バクロフェン 5mg 1日3回',
      seizures: 'なし',
      crisisPlan: muscular ? '呼吸器のトラブル時は業者（24時間）と主治医へ連絡。アンビューバッグを同行' : '転倒時は頭部打撲の有無を確認',
      dailyLiving: living({
        mobility: '電動車いす',
        toileting: '移乗に介助が必要',
        bathing: '全介助',
        communication: kind === 'brain' ? '会話は可能だが記憶が続かない。メモで伝える' : '会話は可能',
      }),
      calming: '本人に説明してから介助する',
      triggers: kind === 'brain' ? '一度に複数のことを言われると混乱する' : '体位を急に変えられること',
    };
  },
};

export const PROFILES: readonly Profile[] = [autismChild, tubeFeedingChild, smid('child'), smid('adult'), intellectualAdult, mentalAdult, physicalAdult];

export function pickProfile(r: Random, ageGroup: 'child' | 'adult'): Profile {
  const candidates = PROFILES.filter((p) => p.ageGroup === ageGroup);
  let ticket = r.next() * candidates.reduce((sum, p) => sum + p.weight, 0);
  for (const p of candidates) {
    ticket -= p.weight;
    if (ticket < 0) return p;
  }
  return candidates[candidates.length - 1]!;
}

export function profileByKey(key: string): Profile {
  const found = PROFILES.find((p) => p.key === key);
  if (!found) throw new RangeError(`Unknown demo profile: ${key}`);
  return found;
}
