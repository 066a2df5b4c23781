/** Every user-facing string of the facilities feature, in one place for review (STYLE.md habit 9). */
import type { FacilityFieldChange, FacilityImportRow } from '../../domain/facility-csv';
import { DISABILITY_LABELS } from '../../domain/disability';
import { DATE_PARTLY_TYPED } from '../../ui/field';
import { formatJapanDate } from '../../domain/japan-time';
import { MAX_BEDS } from '../../domain/vacancy-report';

export const T = {
  listTitle: '短期入所事業所',
  searchLabel: '事業所を検索',
  searchPlaceholder: '事業所名・住所・地区・担当者・電話番号',
  categoryLabel: '者／児',
  categoryOptions: [
    { value: 'any', label: '者・児どちらも' },
    { value: 'adult', label: '者（18歳以上）' },
    { value: 'child', label: '児（18歳未満）' },
  ] as const,
  typesLegend: '障害種別（すべて受入可の事業所）',
  /** as the household list's button */
  showMore: 'さらに表示',
  count: (n: number) => `${n}件`,
  noMatch: '条件に合う事業所はありません。条件を減らしてください。',
  empty: 'この端末にはまだ事業所がありません。「事業所を登録」か「CSVを取り込む」から登録してください。',
  /** a facility's liaison on a joined phone: they register nothing, the hub hands them their own */
  emptyLiaison: 'この端末にはまだ事業所がありません。同期すると、ご自分の事業所が表示されます。',
  /** a 相談支援専門員 on a joined phone: they register nothing */
  emptyReadOnly: 'この端末にはまだ事業所がありません。同期すると、拠点に登録された事業所が表示されます。',
  register: '事業所を登録',
  importCsv: 'CSVを取り込む',
  exportUtf8: 'CSV（Excel用 UTF-8）',
  exportSjis: 'CSV（Shift_JIS）',
  exportFailed: '書き出せませんでした。',
  /** beside the CSV buttons while demo facilities are held: they are not written */
  exportDemoLeftOut: (n: number) => `デモデータの事業所 ${n.toLocaleString('ja-JP')}件は、CSVに含めていません。`,
  exportTwinsLeftOut: (n: number) =>
    `同じ事業所番号で2件以上登録されている事業所は、受入先を探す画面に出る方だけを書き出します（${n.toLocaleString('ja-JP')}件を除きます。このCSVをそのまま取り込めるように）。1件にまとめるには、拠点の管理者に取り下げを依頼してください。`,
  vacancy: (beds: number) => (beds > 0 ? `空き ${beds}床` : '満床'),
  vacancyUnknown: '空床情報なし',
  full: '満床',
  /** '（12分前の報告）' after the beds in the list */
  vacancyAgo: (ago: string) => `${ago}の報告`,
  badgeLater: '今夜は対象外',
  badgeOld: '古い情報',

  // 空床を報告 (vacancy-report.tsx)
  /** a 相談支援専門員 (or a facility's liaison, for the list) on a phone joined to a hub */
  readOnlyForRole: '事業所の登録・変更と空床の報告は、拠点のコーディネーターと各事業所の連携担当者が行います。',
  liaisonOwnOnly: 'この端末では、ご自分の事業所の空床の報告と情報の変更ができます。',
  reportVacancy: '空床を報告',
  reportVacancyOf: (name: string) => `${name} の空床を報告`,
  reportTitle: '空床を報告',
  backToFacility: '事業所の詳細へ戻る',
  current: '今の登録: ',
  period: (from: string, until: string) => `${from}〜${until}`,
  reportedAgo: (ago: string, by: string) => `${ago}の報告・${by || '報告者不明'}`,
  reportBeds: '空床数',
  reportBedsHint: '満床なら 0。いま登録されている数を入れてあります。',
  reportWhen: 'いつの空床か',
  reportNow: '今（この報告から）',
  reportRange: '期間を指定（週末など）',
  reportNowEndsPeriod: (from: string, until: string) =>
    `「今」の報告にすると、${from}〜${until}の報告は今夜から使われなくなります（「今」の報告は24時間で古い情報になります）。期間の数を直すときは「期間を指定」で同じ期間を報告してください。`,
  reportFrom: '初日（その日の夜から）',
  reportUntil: '最終日（その夜、翌朝6時まで）',
  reportNote: 'ひとこと（任意）',
  /** the word goes with the facility to every phone of the hub, a case worker's too */
  reportNoteHint: '拠点のすべての端末に表示されます。利用者のお名前は書かないでください。',
  /** under the facility's 「休止中（12/20まで）」 on the report screen: the match lists it among the closed */
  reportWhileClosed:
    '休止・廃止の間は、空床を報告しても受入先の候補に出ません（受入先の一覧では「休止・廃止中の事業所」に出ます）。受け入れを再開したら、事業所の「編集」で「運営の状況」を「運営中」にしてください。',
  /** a period reported that runs into a planned 休止・廃止 */
  reportRangeInClosure: (from: string) =>
    `${from}からの休止・廃止の間の夜は、報告しても受入先の候補に出ません（受入先の一覧では「休止・廃止中の事業所」に出ます）。予定が変わったら、事業所の「編集」で「運営の状況」を直してください。`,
  reportSubmit: '報告する',
  /** a draft from an earlier night (Japan time, until 06:00) is not restored: the count is not tonight's */
  reportDraftDropped: (typedAt: string) => `${typedAt}に入力して保存していなかった報告は、前の夜の数なので破棄しました。いまの空床を確かめて入力してください。`,
  reportDraftDroppedUndated: '前に入力して保存していなかった報告は、いつの数か分からないため破棄しました。いまの空床を確かめて入力してください。',
  reportsAhead: 'この先の夜の報告',
  reportFailed: '保存できませんでした。もう一度「報告する」を押してください。',
  /** after 「記録が大きすぎて保存できません（… KB、上限 128 KB）。」: the 事業所's record holds the last reports with their words */
  reportTooLargeNote: 'ひとことを短くしてください。',
  reportTooLargeRecord: '事業所の「編集」で、緊急時の受入れ依頼方法・備考などの長い文章を短くしてから報告してください。',
  historyTitle: 'これまでの報告',
  noHistory: 'これまでの報告はありません。',
  noArea: '地区未設定',
  noName: '（事業所名未入力）',

  // detail
  back: '一覧へ戻る',
  backToDetail: '詳細へ戻る',
  notFound: 'この事業所は見つかりません。別の端末でまだ同期されていない可能性があります。',
  edit: '編集',
  phone: (p: string) => `電話 ${p}`,
  nightPhone: (p: string) => `夜間 ${p}`,
  noPhone: '電話番号が登録されていません',
  acceptanceTitle: '受入可能な障害種別',
  acceptanceType: '障害種別',
  adult: '者',
  child: '児',
  note: '備考',
  yes: '可',
  no: '—',
  medicalCareTitle: '対応できる医療的ケア',
  none: 'なし',
  emergencyHowTitle: '緊急時の受入れ依頼方法',
  notEntered: '未入力',
  vacancyTitle: '空床',
  vacancyAsOf: (beds: string, when: string, by: string) => `${beds}（${when} 時点、報告: ${by || '不明'}）`,
  basicsTitle: '基本情報',
  officeNumber: '事業所番号',
  address: '住所',
  area: '地区',
  liaison: '連携担当者',
  capacity: '定員',

  /** one office registered twice (facility-twins.ts) */
  twinsShort: (n: number) => `同じ事業所番号の登録が${n}件`,
  twinsTitle: '同じ事業所番号の登録がほかにもあります',
  twinsBody: (number: string) =>
    `事業所番号 ${number} は次の登録にもあります。別々の端末で同じ事業所が登録されたものです。受入先を探す画面では、休止・廃止でない方、空き報告のある方を優先して1件だけ表示します。1件にまとめるには、使わない方の登録の取り下げを拠点の管理者に依頼してください（電話の記録は残ります）。`,
  /** a case is open on this phone: a call made from here records nothing in it */
  openCaseTitle: '緊急対応中です',
  /** the facility said it would call back, in an open case (any phone's): where its call back is recorded */
  awaitingTitle: 'この事業所からの折り返しを待っています',
  awaitingBody: '電話がかかってきたら、対応の画面の「折り返しがあった」で記録してください。',
  awaitingCase: (name: string, since: string) => `${name}（${since}〜）の対応の画面へ`,
  openCaseBody: 'この画面からの電話は、対応の記録に残りません。',
  /** a registered person's case: its match records each call made from it */
  openCaseBodyMatch: '記録に残すには、下のリンクから受入先の一覧に移って電話してください。',
  /** a case not linked to a registered person has no match: the call is recorded by hand, its button's label as the case screen shows it */
  openCaseBodyUnlinked: '登録者と結び付けていない対応は、電話の後に、下のリンクから対応の画面に移って「連絡を記録（手入力）」で記録してください。',
  openCaseMatch: (name: string, since: string) => `${name ? `${name}さん` : '氏名未入力の方'}（${since}〜）の受入先の一覧へ`,
  openCaseScreen: (name: string, since: string) => `${name}（${since}〜）の対応の画面へ`,
  unknownCaller: '本人未特定',

  // form
  newTitle: '事業所を登録',
  editTitle: '事業所を編集',
  name: '事業所名',
  serviceType: 'サービス種別',
  unitType: '類型',
  phoneLabel: '電話番号',
  nightPhoneLabel: '夜間・緊急連絡先',
  faxLabel: 'FAX',
  emailLabel: 'メールアドレス',
  hubFunctionsLegend: '担う拠点機能',
  draftRestored: '保存されていない入力を復元しました。内容を確認して保存してください。',
  medicalCareLegend: '対応できる医療的ケア',
  emergencyHowLabel: '緊急時の受入れ依頼方法',
  vacancyBeds: '空床数（今の時点）',
  vacancyReporter: '報告者',
  vacancyHint: '空床数を入れると、今の日時で記録します。空欄なら前回の報告のままです。',
  acceptanceNote: (type: string) => `${type} 備考`,
  acceptanceBox: (type: string, who: string) => `${type} ${who}`,
  closureTitle: '休止・廃止',
  closureKind: '運営の状況',
  closureOptions: [
    { value: '', label: '運営中' },
    { value: 'suspended', label: '休止' },
    { value: 'closed', label: '廃止' },
  ] as const,
  closureHint: '休止・廃止の間は受入先の候補に入らず、受入先の一覧の最後に「休止・廃止中の事業所」として理由とともに出ます。',
  /** a 休止 whose last day has passed, opened again */
  closureEnded: (until: string) => `この休止は${formatJapanDate(until)}で終わり、受入先の候補に戻っています。次の休止を登録するときは、日付を書き換えてください。`,
  closureFrom: { suspended: '休止の開始日', closed: '廃止日（この日から受け入れません）' } as const,
  closureUntil: '休止の最終日（未定なら空欄）',
  closureNote: '休止・廃止の理由・備考',
  save: '保存',
  cancel: 'キャンセル',
  saving: '保存しています…',
  errors: {
    name: '事業所名を入力してください',
    officeNumber: '事業所番号は10桁の数字で入力してください',
    officeNumberTaken: (name: string) => `この事業所番号は「${name}」で登録済みです。その事業所を開いて編集してください。`,
    /** after the household form's words for a number that cannot be dialled */
    phoneHint: '（例：047-123-4567、090-1234-5678。内線や時間帯は番号の後に書けます）',
    email: 'メールアドレスの形式を確認してください（例：tanki@example.jp）',
    capacity: '定員は0〜9999の整数で入力してください',
    /** as the hub bounds a report (MAX_BEDS); 定員 keeps its own */
    beds: `空床数は0〜${MAX_BEDS}の整数で入力してください`,
    summary: '入力内容を確認してください（赤い項目）',
    /** after 「記録が大きすぎて保存できません（… KB、上限 128 KB）。」 */
    tooLarge: '緊急時の受入れ依頼方法・備考などの長い文章を短くしてください。',
    datePartlyTyped: DATE_PARTLY_TYPED,
  },

  // import
  importTitle: 'CSVを取り込む',
  fileLabel: 'CSVファイル',
  fileHint: 'Excel で保存した CSV（UTF-8 または Shift_JIS）を選んでください。事業所番号が同じ行は上書きします。',
  reading: 'ファイルを読んでいます…',
  previewTitle: '取り込み内容の確認',
  encoding: (e: string) => `文字コード: ${e}`,
  ignored: (cols: readonly string[]) => `読み取らない列: ${cols.join('、')}`,
  acceptanceUnread: (cols: readonly string[]) =>
    `受入れ（障害種別ごとの 者・児）の列を読み取れませんでした（読み取らない列: ${cols.join('、')}）。見出しを「知的」「身体（視覚）」のように直してください。このまま取り込むと受入れは変わらず、新規の事業所はすべて受入不可になります。`,
  hasNotices: (n: number) => `${n}か所は、書かれたとおりには取り込みません（先頭の0を補う、空欄なので今の値を消す、など）。取り込む前に、下の一覧で確認してください。`,
  summary: (create: number, update: number, unchanged: number) => `新規 ${create}件・更新 ${update}件・変更なし ${unchanged}件`,
  hasErrors: (n: number) =>
    `エラーが${n}件あります。このファイルからは何も取り込みません。ファイルを直して、選び直してください。`,
  importButton: '取り込む',
  importing: '取り込んでいます…',
  imported: (n: number) => `${n}件の事業所を取り込みました。`,
  importFailed: '取り込めませんでした。何も書き込まれていません。',
  arrivedSincePreview: (officeNumbers: readonly string[]) =>
    `確認の後に、事業所番号 ${officeNumbers.join('、')} の事業所が同期で届きました。新規のままでは二重に登録されるため、届いた内容と照らして読み直しました。何も書き込まれていません。上の一覧を確かめて、もう一度「取り込む」を押してください。`,
  rowLine: (line: number) => `${line}行目`,
  action: { create: '新規', update: '更新', unchanged: '変更なし' } satisfies Record<FacilityImportRow['action'], string>,
  // A row's errors and notices read alike in the one list (in grayscale, the row's red is no help):
  // each says which it is first, an error stopping the whole file and a notice only to be looked at.
  rowError: (line: number, column: string, message: string) => `エラー：${line}行目「${column}」: ${message}`,
  rowNotice: (line: number, column: string, message: string) => `注意：${line}行目「${column}」: ${message}`,
  /** an 更新 row's field, named as the form names it, with its value now and the file's */
  rowChange: (c: FacilityFieldChange) => `${changeLabel(c)}: ${changeValue(c.before)} → ${changeValue(c.after)}`,
  /** a change wanting a look before the import: a 受入れ narrowed, a number dialled at night changed, a 休止 or 廃止 */
  rowAlert: (c: FacilityFieldChange) => `要確認：${changeLabel(c)}: ${changeValue(c.before)} → ${changeValue(c.after)}`,
  alertRows: (n: number) =>
    `受入れが減る行・電話番号が変わる行・休止や廃止になる行が${n}件あります（一覧の「要確認」）。取り込むと元に戻せません。内容を確かめてから取り込んでください。`,
  alertConfirmTitle: '受入れ・電話番号・休止廃止を書き換えます',
  alertConfirmBody: (n: number) =>
    `${n}件の事業所で、受入れが減るか、電話番号が変わるか、休止・廃止になります（一覧の「要確認」）。取り込むと元に戻せません。受入れが減った事業所は、その障害種別（者・児）の方の受入先の候補に出なくなります。休止・廃止の事業所は、その期間、候補に出なくなります。`,
  alertConfirm: 'このまま取り込む',
  alertCancel: '一覧に戻る',
} as const;

/** The labels of the facility form (above), so that a change reads as the form shows the field. */
const CHANGE_LABELS = {
  name: T.name,
  serviceType: T.serviceType,
  unitType: T.unitType,
  address: T.address,
  area: T.area,
  phone: T.phoneLabel,
  nightPhone: T.nightPhoneLabel,
  fax: T.faxLabel,
  email: T.emailLabel,
  hubFunctions: T.hubFunctionsLegend,
  liaison: T.liaison,
  capacity: T.capacity,
  medicalCare: T.medicalCareLegend,
  emergencyRequestHow: T.emergencyHowLabel,
  vacancy: T.vacancyTitle,
  closure: T.closureTitle,
} as const satisfies Record<Exclude<FacilityFieldChange['field'], 'acceptance' | 'acceptanceNote'>, string>;

function changeLabel(c: FacilityFieldChange): string {
  const type = c.type === undefined ? '' : DISABILITY_LABELS[c.type];
  if (c.field === 'acceptance') return `受入れ ${type}`;
  if (c.field === 'acceptanceNote') return T.acceptanceNote(type);
  return CHANGE_LABELS[c.field];
}

/** A long text (緊急時の受入れ依頼方法) cut short, so that a row stays a few lines on a phone. */
const CHANGE_VALUE_CHARS = 40;

function changeValue(v: string): string {
  if (v.trim() === '') return '（空欄）';
  const chars = Array.from(v.replace(/\s+/g, ' ').trim());
  return chars.length > CHANGE_VALUE_CHARS ? `${chars.slice(0, CHANGE_VALUE_CHARS).join('')}…` : chars.join('');
}
