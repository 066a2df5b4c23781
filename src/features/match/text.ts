/** Every user-facing string of the match screen, in one place for review (STYLE.md habit 9). */
export const T = {
  title: '受入先を探す',
  back: '世帯の詳細へ戻る',
  loading: '読み込んでいます…',
  backToList: '一覧へ戻る',
  /** the case's 要請のあった時間; a match without a case shows no time (no request was made) */
  callAt: (when: string) => `要請 ${when}`,
  personLine: (name: string, age: number, cat: string) => `${name}（${age}歳・${cat}）`,
  /** a 児 whose 18th birthday comes within the week after the call's day (domain ADULT_SOON_DAYS): a stay may cross it */
  personLineAdultSoon: (name: string, age: number, cat: string, adultOn: string) => `${name}（${age}歳・${cat}、${adultOn}から18歳・者）`,
  /**
   * on the card of a facility that takes this 児 but not a 者 of the same types, among its conditions:
   * one line at 360 px (the person line says 者)
   */
  childOnlyFrom: (adultOn: string) => `${adultOn}（18歳）から受入不可`,
  /** '2026-12-10' → '12月10日': a day within the coming week, whose year goes without saying */
  monthDay: (date: string) => `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`,
  needsLabel: '必要な受入れ',
  noName: '（氏名未入力）',
  notFound: 'この世帯または本人が見つかりません。消去されたか、別の端末でまだ同期されていない可能性があります。',
  editHousehold: '世帯の情報を編集',
  tonightTitle: '今夜の検索だけの条件',
  tonightIntro: '聞き取り票にない条件を、今夜の検索のためだけに選べます。聞き取り票には保存されません（ロックすると消えます）。',
  tonightCategory: '者・児',
  tonightCategoryLabel: { adult: '者（18歳以上）', child: '児（18歳未満）' } as Readonly<Record<'adult' | 'child', string>>,
  tonightTypes: '障害の種類',
  tonightSearch: 'この条件で探す',
  personLineTonight: (name: string, cat: string) => `${name}（${cat}・今夜だけの条件）`,
  tonightNotice: (what: string) =>
    `聞き取り票に${what}がないため、今夜の検索だけの条件で探しています。聞き取り票には保存されていません。わかったら「世帯の情報を編集」で入れてください。`,
  tonightWhat: { birthDate: '生年月日', disabilityTypes: '障害の種類', both: '生年月日と障害の種類' } as const,
  noFacilities: '事業所の一覧が空です。短期入所事業所を登録すると、ここで受入先を探せます。',
  facilitiesLink: '事業所の一覧へ',
  fitsTitle: '受入可能な事業所',
  nearMissTitle: '条件が合わない事業所（参考）',
  nearMissNote: '条件が一つ足りなくても、電話で相談すれば受け入れてもらえることがあります。',
  closedTitle: '休止・廃止中の事業所（受け入れできません）',
  closedNote: '事業所の画面で休止・廃止と登録されています。再開していれば、事業所の画面で「運営中」に戻してください。',
  noFits: '条件に合う事業所はありません。下の「条件が合わない事業所（参考）」にも電話で相談できます。',
  noNearMisses: '該当する事業所はありません。',
  showMore: (rest: number) => `さらに表示（残り${rest}件）`,
  beds: (n: number) => `空き ${n}床`,
  /** a fresh report, some of whose beds an admission in another emergency case took since */
  bedsLeft: (beds: number, left: number) => `空き ${beds}床のうち残り ${left}床`,
  /** a fresh report, all of whose beds admissions in other emergency cases took since */
  bedsTaken: (beds: number) => `空き ${beds}床・埋まった可能性あり`,
  /** 0 beds reported */
  full: '満床',
  bedsFor: (beds: string, from: string, until: string) => `${beds}・${from}〜${until}`,
  vacancy: (beds: string, ago: string) => `${beds}（${ago}の報告）`,
  oldVacancy: (beds: string, ago: string) => `${beds}（${ago}の報告・古い情報）`,
  /** a report for days still to come (the weekend's beds, seen on Tuesday) */
  laterVacancy: (beds: string, ago: string) => `${beds}（${ago}の報告・今夜は対象外）`,
  demoLeftOut: (n: number) => `デモデータの事業所（${n}件）は、実際の方の受入先には表示していません。`,
  noVacancy: '空きの報告なし',
  vacancyNote: (note: string, by: string) => (by ? `「${note}」（${by}）` : `「${note}」`),
  stayedBefore: '以前に利用',
  /** the facility's latest call of the night in another emergency case (a colleague's, or this phone's) */
  calledElsewhere: (when: string, result: string | null) => `別の緊急対応で ${when} に電話済み（${result ?? '結果未記録'}）`,
  /**
   * the latest 短期入所 admission there in another emergency case (`count` of them since the bed
   * report), and whether the report was made before it (its beds may be gone) or after (counted in it)
   */
  admittedElsewhere: (when: string, count: number, report: { at: string; after: boolean } | null) => {
    const notes = [...(count > 1 ? [`ほか${count - 1}件`] : []), ...(report === null ? [] : [`空きの報告 ${report.at} より${report.after ? '後' : '前'}`])];
    return `別の緊急対応で ${when} に入所あり${notes.length > 0 ? `（${notes.join('・')}）` : ''}`;
  },
  twins: (n: number) => `同じ事業所番号の登録が${n}件あります（休止・廃止でない方、空き報告のある方を優先して表示しています）`,
  twinClosed: (closure: string) => `もう一方の登録には「${closure}」とあります（電話で確かめてください）`,
  twinPhones: (phones: string) => `もう一方の登録の電話: ${phones}`,
  /** the facility's own words on how to ask it for an emergency admission (its record's 緊急時の受入れ依頼方法) */
  requestHow: '依頼方法',
  trialStays: (dates: string) => `体験利用あり：${dates}`,
  /** '2026-06-01', '2026-06-03' → '2026/6/1〜6/3' (one day: '2026/6/1') */
  trialPeriod: (from: string, to: string) => {
    const [y, m, d] = from.split('-').map(Number);
    const [ty, tm, td] = to.split('-').map(Number);
    const start = `${y}/${m}/${d}`;
    if (from === to) return start;
    return ty === y ? `${start}〜${tm}/${td}` : `${start}〜${ty}/${tm}/${td}`;
  },
  reasons: '適合の理由',
  /** the domain's condition line already says 「条件あり」 */
  conditions: (c: string) => (c.includes('条件あり') ? c : `条件あり: ${c}`),
  /** 短期入所の「地域生活支援拠点等である場合の加算」(seeds/004 ⑨), short on the card */
  hubBonus: '拠点等である場合の加算（＋200単位）の対象となりうる',
  phone: (p: string) => `電話 ${p}`,
  nightPhone: (p: string) => `夜間 ${p}`,
  noPhone: '電話番号が登録されていません',
  noArea: '地区未登録',
  recording: '記録中：電話すると時刻を記録します',
  notRecorded: 'この画面からの電話は記録されません。',
  startCase: '緊急対応を開始',
  notRecordedOpenCase: (requestedAt: string) =>
    `この画面からの電話は記録されません。この人には対応中の緊急対応（要請 ${requestedAt}）があります。`,
  useOpenCase: '対応中の記録で電話する',
  allCalled: '受入可能な事業所は、すべて電話済みです。',
  /** at the page's foot once every fit was called (not above the near misses, whose numbers it would push off the screen) */
  noneFoundHint: '受入先が見つからないときは、「対応記録へ」から「対応結果を記録」で結果（入院・在宅で対応・その他）を記録し、「対応を終了」します。',
  callNotRecorded: '電話の記録に失敗しました。対応記録の画面の「連絡を記録（手入力）」で記録してください。',
  backToCase: '対応記録へ',
  caseClosed: 'この緊急対応は終了しています。電話をかけても記録されません。',
  numberOf: (name: string) => `（${name}）`,
  calledAt: (time: string) => `${time} 電話を記録しました。結果を選んでください。`,
  resultAsk: (name: string) => `${name} の結果`,
  resultRecorded: (name: string, result: string) => `${name}：${result}を記録しました`,
  resultCorrected: (name: string, result: string) => `${name}：結果を${result}に訂正しました`,
  calledTitle: (n: number) => `電話済み（${n}件）`,
  resultPendingClosed: '結果未記録',
  calledResult: (result: string, time: string) => `${result}・${time}`,
  admittedHere: '入所を記録しました',
  recordAdmission: '入所を記録',
  correctResult: '結果を訂正',
  /** the calls made to one facility in this case, on its 電話済み card */
  callsOf: (name: string) => `${name} への電話`,
  /** unfolds a 電話済み card: its numbers again, 「折り返しがあった」 and each call's 「結果を訂正」 */
  unfold: '電話・訂正',
  fold: '閉じる',
  /** the facility called back: a new contact at this minute, its result asked for like a call made */
  callback: '折り返しがあった',
  correctHint: '訂正の理由を書いてから、正しい結果を選んでください（元の結果も理由と一緒に記録に残ります）。',
  correctReason: '訂正の理由',
  correctReasonMissing: '訂正の理由を入力してください。',
  /** the results a call can be corrected to, on its 電話済み card */
  correctAsk: (name: string) => `${name} の正しい結果`,
  cancel: 'やめる',
  admissionLine: (name: string, when: string) => `${name} に入所（${when}）`,
  admissionChangeFrom: '日時を変える',
  admissionFrom: (name: string) => `${name} に入所した日時`,
  admissionFromMissing: '入所の日時を入力してください。',
  /** on 入所を記録: the facilities that said they would call back may hold a bed for the person */
  awaitingOnAdmit: (names: string) => `折り返し待ちの事業所があります（${names}）。入所先が決まったことを伝えてください。`,
  pendingBeforeClose: (names: string) => `結果が未記録の電話があります（${names}）。結果を選ぶと終了できます。`,
  admitAndClose: '入所を記録して対応を終了',
  admitOnly: '入所だけ記録',
  saveFailed: '記録に失敗しました。もう一度押してください。',
} as const;
