/** Every user-facing string of the emergency case screens, in one place for review (STYLE.md habit 9). */
export const T = {
  listTitle: '緊急対応',
  caseTitle: '緊急対応記録',
  startTitle: '緊急対応を開始',
  // 「同じ緊急事態ですか？」 (Q&A R6 問74: one emergency, one claim)
  sameQuestion: '同じ緊急事態ですか？',
  sameIntro: (n: number) =>
    `この方には、要請が24時間以内の対応記録が${n}件あります。同じ緊急事態なら、新しい記録を開かずにその記録に続けて記録してください（1つの緊急事態につき相談強化加算は1回です）。`,
  /** `otherPerson`: the case is another registered person's (a sibling whose 受給者証番号 was swapped and corrected) */
  sameCaseLine: (when: string, status: string, otherPerson = '') => `要請 ${when}（${status}）${otherPerson ? `　${otherPerson}さんの記録` : ''}`,
  otherPersonUnnamed: '別の方',
  sameOtherPerson:
    '別の方の記録も含まれています（受給者証番号が同じか、以前にその番号で記録された方）。ここからその方の記録は開きません。この方の対応は「別の緊急事態として新しく記録する」で記録し、理由に別の方であることを書いてください。',
  sameOpenExisting: '同じ緊急事態：この記録を開く',
  /** the person is still in a stay an earlier emergency began (the 24 hours of 同じ緊急事態ですか？ long past) */
  inStay: (facility: string, from: string, days: number) =>
    `この方は${facility}に緊急入所中です（${from}から・${days}日目）。延長できない・別の受入先を探すなど、同じ緊急事態の続きなら、新しく開始せず、その記録を開いて「対応を再開」してください。`,
  inStayOpen: '入所中の記録を開く',
  sameOpenTypedTitle: '入力した内容は記録されません',
  sameOpenTypedWhat:
    'この電話のために入力した内容（要請の区分・内容、電話をくれた方など）は、新しい記録を作らないので残りません。必要なことは、開いた記録の連絡・調整のメモや訂正で書き足してください。',
  sameOpenTypedConfirm: '入力をやめて記録を開く',
  sameOpenTypedCancel: '入力に戻る',
  sameSeparate: '別の緊急事態として新しく記録する',
  sameSeparateOn: '別の緊急事態として記録します',
  sameReason: '別の緊急事態とする理由',
  sameReasonHint: '例：前日の要請は入院で対応済み。今回は別の介護者の急病による新たな要請。',
  sameUnanswered: '同じ緊急事態かどうかを選んでください。',
  sameReasonMissing: '別の緊急事態とする理由を入力してください。',
  sameAnswerFailed: '記録は開始しましたが、「別の緊急事態」の回答を保存できませんでした。記録の画面で答え直してください。',
  sameSection: '同じ緊急事態ですか？',
  sameSectionIntro: '同じ方の要請が24時間以内の記録です。答えるまで、後の記録の算定は「要確認」になります。',
  sameAnswerSame: '同じ緊急事態',
  sameAnswerSeparate: '別の緊急事態',
  sameAnswered: (answer: string, reason: string, who: string, when: string) => `回答: ${answer}${reason ? `（理由: ${reason}）` : ''}　${when} ${who}`,
  sameNotAnswered: '未回答',
  sameSave: '回答を記録',
  sameSaved: '回答を記録しました。',
  backToList: '緊急対応の一覧へ',
  backToHousehold: '世帯の詳細へ戻る',
  startUnknown: '本人未特定で開始',
  startUnknownHint: '登録のない方や、名乗らない方からの電話です。後で登録者と結び付けられます。',
  claimsLink: '月次の請求・出力',
  openCases: '対応中',
  recentCases: 'この2か月の記録',
  noCases: 'まだ緊急対応の記録はありません。世帯の詳細の「緊急対応を開始」から始めます。',
  unknownCaller: '本人未特定',
  heardNameField: '氏名（聞き取り）',
  heardNameHint: '電話で聞いた本人の氏名です。わからなければ空欄のままで構いません。',
  notFound: 'この対応記録が見つかりません。別の端末でまだ同期されていない可能性があります。',
  personNotFound: 'この世帯または本人が見つかりません。',
  loading: '読み込んでいます…',

  // start
  stampedAt: (when: string) => `要請時刻 ${when}（開始を押した時刻）`,
  /** the stamp of this user's case start left unfinished within the hour (a lock mid-call) */
  stampedAtRestored: (when: string) => `要請時刻 ${when}（前にこの画面を開いた時刻です。入力も戻しました）`,
  restampNow: '今の時刻にする',
  /** this user's case start left over an hour ago: its text back, under a new stamp */
  restoredTextOnly: (then: string, now: string) => `${then}に開いた画面で入力した内容を戻しました。要請時刻 ${now}（開始を押した時刻）。別の要請なら「入力を消す」を押してください。`,
  clearRestored: '入力を消す',
  /** asked before 「入力を消す」 empties the caller's details: one tap took a call's notes that nothing else holds */
  clearRestoredTitle: '戻した入力を消しますか',
  clearRestoredBody: '電話をくれた方・折り返し先・要請の内容など、戻した入力をすべて消します。消した入力は元に戻せません。',
  clearRestoredKeep: '入力を残す',
  requestedAt: '要請のあった時間（日本時間）',
  requestedAtHint: '後から記録する場合は、実際に電話があった時刻に直してください。',
  requestedAtReason: '要請時間を変更した理由',
  requestedAtReasonHint: '例：電話対応を優先し、終了後に記録した',
  autoStampReason: '要請時刻は「緊急対応を開始」を押した時刻（自動記録）',
  category: '要請の内容（区分）',
  detail: '要請の内容（詳細）',
  callerPick: '電話をくれた方（緊急連絡先から選ぶ）',
  caller: '電話をくれた方（続柄・氏名）',
  callerPhone: '折り返し先の電話番号',
  office: '対応する事業所',
  officePlaceholder: '選んでください',
  officeChooseHint: '相談強化加算は、ここで選んだ事業所で算定されます。',
  officeMissing: '対応する事業所を選んでください。',
  officeChange: '変更',
  noOffice: '（事業所未設定）',
  noOfficeHint: '事業所が設定されていません。このまま記録を始めると、あとから事業所を付けられず、相談強化加算を算定できません。算定する場合は、先に「設定」の「事業所（相談強化加算）」で事業所を登録してください。',
  start: '記録を開始',
  starting: '記録しています…',

  // case
  requestLine: (when: string) => `要請 ${when}`,
  recordedLine: (when: string, who: string) => `記録 ${when}・${who}`,
  setBack: (reason: string) => `要請時刻の変更理由: ${reason}`,
  callerLine: (caller: string, phone: string) => `電話: ${[caller, phone].filter(Boolean).join('　')}`,
  handledBy: (who: string, office: string) => `対応: ${who}（${office}）`,
  rowHandler: (who: string) => `対応: ${who}`,
  statusOpen: '対応中',
  statusClosed: (when: string) => `終了 ${when}`,
  closedAnnounce: '対応を終了しました',
  retention: (until: string) => `保存期限: ${until}まで（5年間、削除できません）`,
  // past it, the screen no longer says 「削除できません」
  retentionPast: (until: string) => `保存期限: ${until}まで（期限を過ぎました）`,
  retentionOpen: '保存期限: 終了から5年間（削除できません）',
  chainOk: (n: number) => `改ざんなし（${n}件の記録を確認）`,
  chainChecking: '記録を確認しています…',
  chainBroken: (problem: string) =>
    `この対応記録は改ざんまたは破損しています: ${problem} 記録を追加せず、管理者に連絡してください。`,
  thisMonth: '今月',
  monthOf: (year: number, month: number) => `${year}年${month}月`,
  monthCount: (month: string, n: number) => `この方の${month}の相談強化加算: ${n}回目（上限4回）`,
  monthFull: (month: string, n: number) =>
    `この方は${month === '今月' ? '今月' : `${month}に`}すでに${n}回、相談強化加算の対象となっています。この対応は記録されますが、算定されません（上限4回）。`,
  /**
   * Before any facility is reached the month is not decided: it is the month of the first reached
   * short-stay call. At 23:55 on the 31st a call reached after midnight is the next month's first.
   */
  monthFullIfNow: (n: number) =>
    `この方は今月すでに${n}回、相談強化加算の対象となっています。この対応は記録されますが、今月中に受入先と連絡がついた場合は算定されません（上限4回）。`,
  findFacilities: '受入先を探して電話する',
  resultRecorded: (name: string, result: string) => `${name}：${result}を記録しました`,
  callbackRecorded: (name: string) => `${name}：折り返しを記録しました。結果を選んでください`,
  categoryMissing: '要請の内容の区分を選んでください。',
  /** the essentials above are cut short; the whole 聞き取り票 (contacts' notes, seizure steps) is there */
  wholeRecord: '聞き取り票の全文（連絡先・発作時の対応など）',
  linkPerson: '登録者と結び付ける',
  linkSearch: '氏名・ふりがな・電話番号で検索',
  linkPick: (name: string) => `${name} と結び付ける`,
  linkNone: '該当する登録者がいません。',
  linkNoName: '（氏名未入力）',
  linkConfirmTitle: 'この方と結び付けますか？',
  linkConfirmWhat: '結び付けると、この記録はこの方の緊急対応になり、相談強化加算もこの方の回数に数えます。結び付けは記録として残り、あとから外せません。',
  linkConfirm: '結び付ける',
  numberFromHousehold: (n: string) =>
    `この記録には受給者証番号がありません。世帯には ${n} が登録されています。記録に入れると、相談強化加算を請求できるようになります。`,
  numberDiffersFromHousehold: (own: string, held: string) =>
    `この記録の受給者証番号（${own}）は、世帯の情報（${held}）と違います。相談強化加算は記録の番号で請求し、上限4回はどちらの番号の記録も合わせて数えます。記録の番号が誤りなら、請求の前に確かめてください。`,
  numberFromHouseholdButton: '世帯の受給者証番号を記録に入れる',

  contactsTitle: '連絡・調整',
  noContacts: 'まだ連絡・調整の記録はありません。「受入先を探して電話する」から電話すると、自動で記録されます。',
  noContactsUnknown:
    'まだ連絡・調整の記録はありません。登録者と結び付けると「受入先を探して電話する」が使え、電話が自動で記録されます。結び付けられないときは「連絡を記録（手入力）」で記録します。',
  contactLine: (when: string, method: string) => `${when}・${method}`,
  /** a call recorded by someone other than who opened the case (the morning's coordinator, say) */
  contactLineBy: (when: string, method: string, by: string) => `${when}・${method}（記録：${by}）`,
  resultPending: '結果未記録',
  chooseResult: '選んでください',
  resultRequired: '結果を選んでください（つながらなかったときは「不在」）。',
  resultAsk: '結果を記録してください',
  /** on a 折り返し待ち card: the call back, a new contact at this minute (as in the match) */
  callback: '折り返しがあった',
  /** on a 折り返し待ち card whose facility was called, or called back, since */
  answeredLater: 'この後の連絡を下に記録しています',
  /** the list row of a case with facilities still to call back */
  awaitingCount: (n: number) => `折り返し待ち ${n}件`,
  /** before closing: the facilities still waiting may hold a bed for the person */
  awaitingBeforeClose: (names: string) => `折り返し待ちの事業所があります（${names}）。受入先が決まったこと、または対応を終えたことを伝えてください。`,
  recordContact: '連絡を記録（手入力）',
  contactFacility: '連絡先の事業所',
  contactFacilityOther: '一覧にない連絡先',
  contactFacilityName: '連絡先の名称',
  contactShortStay: '短期入所事業所である',
  contactedAt: '連絡・調整を行った時刻（日本時間）',
  method: '方法',
  result: '結果',
  note: 'メモ',
  save: '記録する',
  cancel: 'キャンセル',
  saving: '記録しています…',
  withdrawn: '取消',
  corrected: '訂正あり',

  outcomeTitle: '対応結果',
  noOutcome: 'まだ対応結果は記録されていません。',
  outcomeKind: '対応結果',
  outcomeFacility: '入所先',
  outcomeFrom: '入所の日時（日本時間）',
  outcomeNote: '内容・メモ',
  recordOutcome: '対応結果を記録',
  /** an outcome a later 対応結果を記録 replaced (not withdrawn), shown under the current one */
  earlierOutcome: '以前の対応結果',
  /** an outcome recorded on another phone at the same time, which the standing one's writer had not seen (concurrentOutcomes) */
  concurrentOutcome: '同じころに2台で記録',
  outcomesDiffer:
    '2台の端末で、異なる対応結果が同じころに記録されています。どちらが正しいか確かめ、「対応結果を記録」で正しい方を記録し直すか、誤っている方を「取消」してください（終了した記録は、先に「対応を再開」を押します。それまで請求は要確認です）。',
  /** the case list and the stay while two phones' outcomes recorded at once are not settled (standingOutcomes) */
  outcomesUnsettled: '対応結果が2つ記録されています（要確認）',
  /** the stay section meanwhile: an admission is one of them, not a stay known to have begun; no 退所 until it is settled */
  stayUnsettled:
    '入所したかどうかが確定していません。上の「対応結果」で正しい方を確かめ、記録し直すか、誤っている方を「取消」してください。退所はそのあと記録できます。',
  /** an admission among those outcomes, as its phone recorded it (with its 退所, if one was recorded) */
  stayRecorded: (facility: string, from: string, ended: string) => `記録された入所：${facility}（${from}から${ended ? `、${ended}に退所` : ''}）`,
  withdrawOutcome: (line: string) => `「${line}」を取消`,
  /** the 取消 dialog of the outcome that stands: what stands once it is written (earlierOutcomes) */
  withdrawOutcomeRestores: (kind: string, facility: string) =>
    `取り消すと、以前の対応結果「${facility ? `${kind}（${facility}）` : kind}」が有効に戻ります。${
      kind === '短期入所' ? '入所しなかった場合は' : 'その結果でない場合は'
    }、取り消したあと対応結果を記録し直してください。`,
  withdrawOutcomeLeavesNone: '取り消すと、対応結果は未記録になります。',
  outcomeLine: (kind: string, facility: string, from: string) =>
    [kind, facility, from ? `${from}から` : ''].filter(Boolean).join('　'),
  close: '対応を終了',
  closeConfirmTitle: '対応を終了しますか',
  closeConfirmBody:
    '終了後は連絡・調整を追加できません（誤りの訂正と算定に関する事項は記録できます）。対応が続くことになったときは、この画面の「対応を再開」で理由を記録して、もう一度開けます。',
  closed: '対応を終了しました。',

  claimTitle: '算定に関する事項',
  planning: '計画相談支援の担当',
  planningChild: '障害児相談支援の担当',
  independentLiving: '同じ緊急事態について、当事業所が自立生活援助の緊急時支援加算または地域定着支援サービス費を算定する',
  claimNote: '備考',
  saveClaimFacts: '算定に関する事項を記録',
  claimFactsSaved: '算定に関する事項を記録しました。',

  correct: '訂正',
  withdraw: '取消',
  correctionTitle: '記録の訂正',
  correctionHint: '元の記録は消えずに残り、訂正の理由・記録者・時刻とともに表示されます。',
  correctionReason: '訂正の理由',
  withdrawTitle: '記録の取消',
  reopen: '対応を再開',
  reopenTitle: '対応を再開',
  reopenHint:
    '終了した対応をもう一度開きます（受入先から「今夜は預かれない」と電話があった、など）。終了の記録は消えず、記録の履歴に再開の理由とともに残ります。同じ記録に電話や結果を続けて記録できます。新しい記録を作らないので、同じ緊急事態が2回算定されることはありません。',
  reopenReason: '再開の理由',
  saveReopen: '再開する',
  withdrawHint: '誤って記録した連絡などを取り消します。元の記録は「取消」と表示されて残ります。',
  withdrawReasonLabel: '取消の理由',
  saveCorrection: '訂正を記録',
  saveWithdraw: '取消を記録',
  correctionNote: (reason: string, who: string, when: string) => `${when} ${who} が訂正: ${reason}`,
  withdrawNote: (reason: string, who: string, when: string) => `${when} ${who} が取消: ${reason}`,
  /** one field a correction changed: the original stays readable beside the corrected value */
  correctionChange: (field: string, before: string, after: string) => `${field}: 訂正前 ${before} → 訂正後 ${after}`,

  historyTitle: '記録の履歴（証跡）',
  historyHash: (hash: string) => `ハッシュ ${hash.slice(0, 12)}…`,
  /** 拠点の署名 (countersign): per entry in the history, and for the case in its head */
  countersignLine: (summary: string) => `拠点の署名: ${summary}`,
  countersignChecking: '拠点の署名を確認中…',
  /** an entry the hub refused for good: its reason, and where the phone lists it with what to do */
  countersignRefused: (label: string, reason: string) => `${label}：${reason}（設定の「拠点サーバーと同期」の「サーバーが受け付けなかった変更」に、どうするかがあります）`,
  countersignedAt: (label: string, when: string, position: number) => `${label} ${when}（拠点の受付番号 ${position}）`,
  saveFailed: '記録できませんでした。',

  /**
   * A draft the unlocked person left on the case (the screen left by the back button or the nav, the
   * app closed): named atop the case, with 続ける, which opens its form with it (case-view.tsx CaseDrafts).
   */
  draftLeft: (what: string) => `入力途中の記録があります（${what}）`,
  draftContinue: '続ける',
  /** 続ける as a screen reader says it: several may stand one under the other */
  draftContinueOf: (what: string) => `${what}を続ける`,
  /** the draft's form is no longer offered on the case: `why`, then 破棄 (asked first) */
  draftLeftStuck: (what: string, why: string) => `入力途中の記録があります（${what}）。${why}不要なら破棄してください。`,
  draftWhyClosed: 'この対応は終了したため、このままでは記録できません（「対応を再開」すると続けられます）。',
  draftWhyGone: 'その後この記録が変わったため（取消や別の端末での記録など）、続けられません。',
  draftWhyReadOnly: 'この対応記録には記録を追加できないため、続けられません。',
  draftOfContact: '通話メモ',
  draftOfOutcome: '対応結果',
  draftOfStayEnd: '退所の記録',
  draftOfStayEndCorrection: '退所の訂正',
  draftOfRequestCorrection: '要請の訂正',
  draftOfContactCorrection: (facility: string) => `${facility}への連絡の訂正`,
  draftOfWithdraw: (what: string) => `${what}の取消`,
  draftOfReopen: '対応の再開',
  draftOfCorrection: '訂正・取消',
  /** on the case's row in the list: this person left a draft on it */
  rowDraft: '入力途中あり',
} as const;
