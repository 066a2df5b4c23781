/** Every user-facing string of the 機能強化加算 screen (issue 15 point 5), in one place for review. */
import { placementStanding, type BonusCoordinator, type CountWarning } from '../../domain/function-bonus';

const yen = (n: number) => `${n.toLocaleString('ja-JP')}円`;
const num = (n: number) => n.toLocaleString('ja-JP');
const names = (list: readonly string[]) => list.join('、');

export const B = {
  /** demo records left out once real ones are held */
  demoLeftOut: (n: number) => `デモデータの記録${n}件は集計に入れていません（実際の記録があるため）。デモデータは、世帯の一覧の「デモデータを消去」で消せます。`,
  title: '機能強化加算',
  back: '請求・出力へ戻る',
  intro:
    '地域生活支援拠点等機能強化加算（1件 500単位／月）。上限は常勤専従の拠点コーディネーター1人につき月100件で、拠点機能強化事業所の算定件数の合計にかかります。事前に取り決めた割合で、事業所ごと・市町村ごとの件数を確認します。',
  tabs: { month: '月次', year: '年度', setup: '取り決め・コーディネーター' },
  print: '印刷',
  month: '対象月',
  fiscalYear: '年度',
  fiscalYearOption: (y: number) => `${y}年度（${y}年4月〜${y + 1}年3月）`,
  monthLabel: (m: string) => `${Number(m.slice(0, 4))}年${Number(m.slice(5, 7))}月`,
  readOnly: '取り決め・コーディネーター・算定件数は管理者だけが変更できます（拠点サーバーの管理者アカウント）。',
  noOffices: '事業所が登録されていません。「設定」の「事業所（相談強化加算）」で拠点機能強化事業所を登録してください。',
  openSettings: '設定を開く',

  // month
  capLine: (cap: number, coordinators: number) => `上限 ${num(cap)}件（常勤専従のコーディネーター${coordinators}人 × 100件）`,
  /** [FB2] someone in post with 常勤・専従 not stated: left out of the cap, the month undecided */
  notStatedMonth: (who: readonly string[]) =>
    `要確認：${names(who)}の常勤・専従が記入されていません。記入されるまで上限に数えていないため、この月の上限と算定不可の件数は確定していません。「取り決め・コーディネーター」で記入してください。`,
  statePlacement: '常勤・専従を記入する',
  /** [FB2] coordinators in post, none 常勤専従 (Q&A VOL.1 問6) */
  noFullTimeMonth: (who: readonly string[]) =>
    `常勤専従の拠点コーディネーターが配置されていない月は算定できません（Q&A 問6）。${names(who)}は非常勤または兼務のため、上限に数えていません。`,
  notCountedMonth: (who: readonly string[]) => `${names(who)}は非常勤または兼務のため、上限に数えていません。`,
  claimedLine: (claimed: number, remaining: number) =>
    remaining >= 0 ? `算定 ${num(claimed)}件・残り ${num(remaining)}件` : `算定 ${num(claimed)}件・上限を ${num(-remaining)}件 超えています`,
  totalLine: (units: number, y: number | null) => `${num(units)}単位${y === null ? '（単価未設定のため金額なし）' : `・${yen(y)}`}`,
  /** [FB9] the claims above the cap, shown apart from the units and yen */
  unpayableLine: (count: number, units: number) => `算定不可 ${num(count)}件・${num(units)}単位（上限を超えた分は、単位数・金額に含めていません）`,
  noSplit: 'この月に有効な取り決め（割合の表）がありません。「取り決め・コーディネーター」で登録してください。',
  noPrice: 'この月に有効な地域区分の単価がありません。金額は表示されません。',
  officesTitle: '事業所ごと',
  municipalitiesTitle: '市町村ごと',
  col: { name: '名称', percent: '割合', share: '割当', claimed: '算定件数', over: '割当超過', units: '単位数', yen: '金額', unpayable: '算定不可' },
  notEntered: '未入力',
  unknownOffice: (id: string) => `（登録のない事業所 ${id}）`,
  totalRow: '合計',
  yenCell: (y: number | null) => (y === null ? '—' : yen(y)),
  numCell: (n: number | null) => (n === null ? '—' : num(n)),
  percentCell: (p: number | null) => (p === null ? '—' : `${p}%`),

  // entry
  entryTitle: '算定件数の入力',
  entryIntro: '各事業所が請求した件数を月ごとに入力します（請求の明細はこのアプリにはありません）。',
  office: '事業所',
  count: '算定件数',
  save: '保存',
  saved: (office: string, month: string, n: number) => `${office}の${month}の算定件数を ${n}件 で保存しました。`,
  totalIfSaved: (total: number, cap: number) => `保存すると、この月の合計は ${num(total)}件（上限 ${num(cap)}件）です。`,
  warning: (w: CountWarning, office: string): string => {
    switch (w.kind) {
      case 'over-cap':
        return `上限を超えます：この月の合計が ${num(w.total)}件 になり、上限 ${num(w.cap)}件 を ${num(w.total - w.cap)}件 超えます。超えた分は算定できません。`;
      case 'no-coordinator':
        return 'この月に配置されているコーディネーターがいないため、上限は0件です。';
      case 'no-full-time':
        return '常勤専従の拠点コーディネーターが配置されていない月は算定できません（Q&A 問6）。この月の上限は0件です。';
      case 'not-stated':
        return `要確認：${names(w.names)}の常勤・専従が未記入のため、上限に数えていません。「取り決め・コーディネーター」で記入すると、上限が変わります。`;
      case 'over-share':
        return `${office}の割当 ${num(w.share)}件 を ${num(w.count - w.share)}件 超えます。取り決めの見直しが必要です。`;
      case 'no-share':
        return `${office}はこの月の取り決めに含まれていません。`;
    }
  },
  confirmOverTitle: '上限を超えて保存しますか？',
  confirmOverBody: 'この件数のまま保存すると、この月の算定件数の合計が上限を超えます。請求前に事業所間で件数を調整してください。',
  confirmOver: '上限を超えて保存',
  cancel: 'やめる',

  // year
  yearMonthsTitle: '月ごと',
  yearTotal: (claimed: number, cap: number, units: number, y: number | null) =>
    `算定 ${num(claimed)}件／上限 ${num(cap)}件・${num(units)}単位${y === null ? '（単価未設定の月があるため金額なし）' : `・${yen(y)}`}`,
  yearUnpayableLine: (count: number, units: number) => `算定不可 ${num(count)}件・${num(units)}単位（各月の上限を超えた分は、単位数・金額に含めていません）`,
  colMonth: '月',
  colCap: '上限',
  colCoordinators: 'コーディネーター（常勤専従）',
  /** [FB2] a month whose cap leaves out someone with 常勤・専従 not stated */
  capCell: (cap: number, needsCheck: boolean) => (needsCheck ? `${num(cap)}（要確認）` : num(cap)),
  notStatedYear: (months: readonly string[]) =>
    `要確認：${months.join('・')}は、常勤・専従が未記入のコーディネーターを上限に数えていません（上限と算定不可の件数は確定していません）。「取り決め・コーディネーター」で記入してください。`,

  // csv
  csvTitle: 'CSVで保存',
  encoding: '文字コード',
  encodingUtf8: 'UTF-8（BOM付き・Excel向け）',
  encodingSjis: 'Shift_JIS',
  csvMonth: 'この月のCSVを保存',
  csvYear: 'この年度のCSVを保存',
  csvSaved: (file: string) => `${file} を書き出しました（ダウンロードに保存されます。iPhone・iPad は「ファイル」アプリで確かめてください）。`,
  csvFailed: 'CSVを書き出せませんでした。もう一度お試しください。',

  // setup
  priceTitle: '地域区分の単価',
  priceIntro: '拠点の地域区分の1単位の単価（例：10.18円）。報酬改定で変わるときは、適用開始月を付けて追加します。金額は 単位数 × 単価 の1円未満切り捨てです。',
  yenPerUnit: '単価（円／単位）',
  validFrom: '適用開始月',
  priceLine: (from: string, p: number) => `${from}から　${p}円／単位`,
  /** after a table another from the same month, entered later, replaces */
  replaced: '（同じ月から後で登録したものに置き換え・使いません）',
  coordinatorsTitle: '拠点コーディネーター',
  coordinatorsIntro:
    '配置した月から配置終了月まで（両端を含む）、常勤で拠点コーディネート業務に専従の人1人につき月100件が上限に加わります。非常勤の人（0.5人×2 の常勤換算も）と、他の職務を兼ねている人は上限に数えません（Q&A 問6、留意事項通知）。',
  fullTime: '常勤・非常勤',
  fullTimeOptions: [
    { value: '', label: '選んでください' },
    { value: 'yes', label: '常勤' },
    { value: 'no', label: '非常勤' },
  ],
  dedicated: '専従・兼務',
  dedicatedOptions: [
    { value: '', label: '選んでください' },
    { value: 'yes', label: '専従' },
    { value: 'no', label: '兼務（他の職務を兼ねている）' },
  ],
  dedicatedHint: '市町村が特に必要と認めた緊急時の支援などを自ら行うことがあっても、ほかに職務を兼ねていなければ「専従」です。',
  /** [FB2] how a coordinator stands towards the cap, after the line */
  standing: (c: BonusCoordinator): string => {
    switch (placementStanding(c)) {
      case 'counted':
        return '常勤専従';
      case 'not-stated':
        return '常勤・専従が未記入（要確認：上限に数えていません）';
      case 'not-counted':
        return `${[c.fullTime === false ? '非常勤' : '', c.dedicated === false ? '兼務' : ''].filter(Boolean).join('・')}（上限に数えません）`;
    }
  },
  notStatedSetup: (n: number, canEdit: boolean) =>
    `常勤・専従が未記入のコーディネーターが${n}人います。記入されるまで上限に数えず、その人が配置されている月は要確認になります。${canEdit ? '「編集」で、常勤か非常勤か、専従か兼務かを選んでください。' : '管理者に記入を頼んでください。'}`,
  coordinatorName: '氏名',
  coordinatorOffice: '配置事業所',
  fromMonth: '配置開始月',
  toMonth: '配置終了月（継続中は空欄）',
  coordinatorLine: (name: string, office: string, from: string, to: string | null, standing: string) => `${name}　${office}　${from}〜${to ?? '継続中'}　${standing}`,
  edit: '編集',
  add: '追加',
  update: '更新',
  cancelEdit: '編集をやめる',
  none: 'まだ登録されていません。',
  splitTitle: '取り決め（件数の割り振り）',
  splitIntro:
    '事業所ごとと市町村ごとの割合（%）を、適用開始月を付けて登録します。それぞれ合計100%にしてください。各事業所の割当件数は 上限 × 割合 の端数切り捨てです。割り振りを見直したときは、新しい適用開始月で追加します。',
  splitLine: (from: string) => `${from}から`,
  officeShares: '事業所ごとの割合',
  municipalityShares: '市町村ごとの割合（任意）',
  municipality: '市町村名',
  percent: '割合（%）',
  addOffice: '事業所を追加',
  addMunicipality: '市町村を追加',
  remove: '削除',
  sum: (label: string, total: number) => `${label}の合計 ${Math.round(total * 10) / 10}%`,
  note: 'メモ（覚書の日付など）',
  /** with the storage's own words (the phone full, the storage gone): a retry alone would fail the same way */
  saveFailedWhy: (why: string) => `保存できませんでした。${why}`,
  savedSetup: '保存しました。',
} as const;
