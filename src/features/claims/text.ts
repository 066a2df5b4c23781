/** Every user-facing string of the claim screen and the evidence report, in one place for review (STYLE.md habit 9). */
import { claimedInReason } from '../../domain/claim-csv';
const units = (n: number) => `${n.toLocaleString('ja-JP')}単位`;

export const T = {
  title: '相談強化加算 請求・出力',
  backToCases: '緊急対応の一覧へ',
  /** the link to the 機能強化加算 screen (served by the function-bonus feature) */
  functionBonusLink: '機能強化加算（上限と割り振り）',
  intro: '地域生活支援拠点等相談強化加算（700単位／回、1人月4回まで）の月次の請求一覧と、記録明細・証跡レポートを出力します。',
  office: '事業所',
  month: '対象月',
  noOffices: '事業所が登録されていません。「設定」の「事業所（相談強化加算）」で相談支援事業所を登録すると、ここで請求・出力ができます。',
  openSettings: '設定を開く',
  officeNotFound: 'この事業所が見つかりません。事業所を選び直してください。',
  notHub:
    'この事業所は、運営規程で地域生活支援拠点等として位置付けられた日が登録されていないため、相談強化加算を算定できません。「設定」の「事業所（相談強化加算）」で確認してください。',

  notHubThisMonth: (month: string, periods: string) =>
    `${month}は、この事業所が地域生活支援拠点等だった期間（${periods}）に入っていないため、この月の緊急対応は相談強化加算を算定できません。期間が違う場合は「設定」の「事業所（相談強化加算）」で確認してください。`,

  // chain checks
  checking: '記録に改ざんがないか確認しています…',
  chainAllOk: (n: number) => `この月の${n}件の記録を確認しました。改ざんはありません。`,
  demoLeftOut: (n: number) => `デモデータの対応記録（${n}件）は、実際の記録がある端末では請求に含めません。`,
  signatureMismatch: (n: number) => `${n}番目の記録が拠点の署名と一致しません（端末で書き換えられた可能性があります）`,
  chainBrokenTitle: '改ざんまたは破損している記録があります',
  chainBrokenItem: (name: string, id: string, problem: string) => `${name}（記録ID ${id}）: ${problem}`,
  exportsBlockedUnreadable:
    'この端末に読み取れない記録（対応記録・請求済み・事業所）があるため、請求一覧と明細の出力と請求済みの記録はできません（欠けた記録で請求しないため）。管理者に連絡してください。',
  exportsBlocked:
    '改ざんまたは破損している記録があるため、この月の請求一覧と明細は出力できません（確認できない記録で請求しないため）。記録を開いて内容を確かめ、管理者に連絡してください。',
  chainUnreadable: '記録の形式が正しくないため確認できません。',
  unreadable: (ids: string) =>
    `読み込めない対応記録があります（記録ID ${ids}）。1件目（要請）の記録がないため、どの月・どの事業所の分か判断できず、請求・出力に含まれていません。管理者に連絡してください。`,

  // summary
  summaryTitle: '請求一覧（算定分）',
  /** on the printed report of a 請求済み month, the list as the records decide it now */
  summaryNowTitle: 'いまの記録での請求一覧（算定分・参考）',
  colRecipient: '受給者証番号',
  colName: '氏名・サービス種別',
  colCount: '回数',
  colUnits: '単位',
  total: '合計',
  persons: (n: number) => `${n}名`,
  units,
  totalLine: (persons: number, count: number, total: number) => `合計 ${persons}名・${count}回・${units(total)}`,
  noClaimed: 'この月に「算定」となる記録はありません。',
  noRecipient: '（番号未入力）',

  // cases
  casesTitle: (n: number) => `この月の記録（${n}件）`,
  unknownCaller: '本人未特定',
  noName: '（氏名未入力）',
  requestLine: (when: string) => `要請 ${when}`,
  coordinatedLine: (when: string) => `短期入所への連絡・調整 ${when}`,
  statusOpen: '対応中（未終了）',
  statusClosed: (when: string) => `終了 ${when}`,
  openCase: '記録を開く',
  chainBrokenTag: '改ざん・破損',
  pendingWarning: (n: number) =>
    `「要確認」の記録が${n}件あります。各記録の判定理由にある未確認の事項（登録者との結び付け、計画相談支援（障害児相談支援）の担当事業所、対応結果、受給者証番号、同じ緊急事態かなど）を記録すると、算定の可否が決まります。要確認の記録は請求一覧に入りません。`,
  claimedBeforeWarning: (n: number) =>
    `別の月（請求済み）に算定として請求した記録が${n}件、この月に入っています（訂正で月が変わった記録）。その月の「請求後の変更」で返還（過誤調整）を確かめてから請求してください。二重に請求しないためです。`,
  /** 'YYYY-MM' → the line the case shows, as 判定理由 in the 明細 CSV */
  claimedIn: claimedInReason,
  openWarning: (n: number) =>
    `対応中（未終了）の記録が${n}件あります。対応結果と終了を記録してから出力すると、明細に終了時刻まで残ります。`,

  // exports
  exportTitle: '出力',
  encoding: '文字コード',
  encodingUtf8: 'UTF-8（BOM付き・推奨）',
  encodingSjis: 'Shift_JIS',
  encodingHint:
    'UTF-8 は Excel でそのまま開けます。ただし、ダブルクリックで開くと受給者証番号・事業所番号の先頭の0が消えます。番号を写すときは、Excel の「データ」→「テキストまたはCSVから」で、その列を「文字列」にして開いてください。請求ソフトなどが Shift_JIS しか読めない場合だけ Shift_JIS を選んでください。',
  exportSummary: '集計CSV',
  exportDetail: '明細CSV',
  exportKinds: { summary: '集計CSV', detail: '明細CSV' } as Readonly<Record<'summary' | 'detail', string>>,
  encodingNames: { 'utf-8-bom': 'UTF-8（BOM付き）', shift_jis: 'Shift_JIS' } as Readonly<Record<'utf-8-bom' | 'shift_jis', string>>,
  exported: (file: string, kind: string, encoding: string) => `${kind}を書き出しました: ${file}（${encoding}）`,
  exportFailed: '書き出せませんでした。もう一度お試しください。',
  reportNotLogged: '閲覧記録に書き込めないため、この証跡レポートは印刷できません（個人情報が端末の外に出る操作は記録してから行います）。空き容量を確かめて、画面を開き直してください。',
  exportNotLogged: '閲覧記録に書き込めないため、書き出しませんでした（個人情報が端末の外に出る操作は記録してから行います）。空き容量を確かめて、もう一度お試しください。',
  exportPrivacy:
    '書き出すファイルには、氏名・受給者証番号・要請の内容など要配慮個人情報が暗号化されずに入ります。保存先と受け渡しに注意し、請求が済んだら事業所の請求書類として決まった場所に保管し（請求済みの月の「請求時のファイルか確かめる」で、請求したものと同じか確かめられます）、端末のダウンロードなどからは削除してください。書き出しは閲覧記録に残ります。',
  exportWaiting: '記録の確認が終わると出力できます。',
  exportReady: '確認が済みました。出力できます。',
  useUtf8: 'UTF-8 で書き出す',
  printReport: '証跡レポートを印刷',

  // month close (請求済み)
  closeTitle: '請求済みにする',
  closeIntro:
    '国保連へ請求したら、請求日を入れて「請求済みにする」を押してください。この月の判定・回数・単位数と、書き出す集計CSV・明細CSVのハッシュ（SHA-256）をそのまま記録します。後から記録が追加・訂正されても請求済みの内容は変わらず、違いは「請求後の変更」に出ます。',
  sentOn: '請求日',
  sentOnHint: '国保連へ請求（送信）した日',
  closeButton: '請求済みにする',
  closeConfirmTitle: (month: string) => `${month}を請求済みにしますか？`,
  closeConfirmBody: (persons: number, count: number, units: string, encoding: string) =>
    `請求一覧 ${persons}名・${count}回・${units} で請求済みにします。集計CSVと明細CSV（${encoding}）を書き出し、そのハッシュを記録します。請求済みは取り消せますが、記録は消えません（取消の理由が残ります）。`,
  closeConfirm: '請求済みにする',
  /** the month's 要確認 cases, not in the claim: the confirmation and the summary's 合計 row say so */
  closeHeldBack: (n: number) => `要確認の記録${n}件は請求一覧に入りません（集計CSVの合計の行にも「要確認${n}件は含みません」と書きます）。`,
  /** a case worker's phone holds only its own office's cases: rule d's check across offices cannot be made here */
  closeOwnOfficeOnly:
    'この端末には、ほかの事業所の記録がありません。同じ方をほかの事業所も請求していないかは、拠点コーディネーターの端末の請求の画面で確かめられます。',
  /** the close writes its files in the encoding the month's files were last written in */
  closeEncodingFromExport: (encoding: string) => `文字コードは、この月に最後に書き出したファイルと同じ ${encoding} にします（送ったファイルと比べられるように）。`,
  changedWhileConfirming: '確認中に記録が届いたか、変わりました。請求済みにはしていません。内容を確かめてから、もう一度「請求済みにする」を押してください。',
  changedSinceExport: (kind: string, at: string) => `${at}に書き出した${kind}と、いまの内容が違います（書き出した後に届いた記録や訂正があります）。`,
  changedSinceAdvice:
    '請求済みには、いまの内容が「請求した内容」として記録されます。国保連に送ったのが書き出したときのファイルなら、送っていない内容まで請求したことになり、後で「請求後の変更」にも出ません。送ったファイルを確かめ、違うときは、いまの内容のファイルを送り直してから請求済みにしてください。',
  closeBlocked: '記録の確認が終わるまで、または改ざん・破損した記録がある間は請求済みにできません。',
  closing: '請求済みにしています…',
  closeFailed: '請求済みにできませんでした。もう一度お試しください。',
  closedTitle: (month: string) => `${month}　請求済み`,
  closedLine: (sentOn: string, by: string, at: string) => `請求日 ${sentOn}（${at} ${by} が記録）`,
  closedIntro: '下は請求したときの内容です（請求後に記録が変わっても、ここは変わりません）。',
  keptFiles: '請求時に書き出したファイル（SHA-256）',
  keptFile: (name: string, size: number) => `${name}（${size.toLocaleString('ja-JP')}バイト）`,
  /** a file from the office's archive checked against the kept hashes (an audit years later) */
  checkFileLabel: '請求時のファイルか確かめる',
  checkFileHint: '保管しておいたCSVファイルを選ぶと、請求時に書き出したファイルと同じ内容か、SHA-256 で確かめます（ファイルは端末の外に出ません）。',
  checkFileSame: (file: string, kept: string) => `一致します：「${file}」は、請求時に書き出した「${kept}」と同じ内容です。`,
  checkFileDiffers: (file: string, sha256: string) =>
    `一致しません：「${file}」は、請求時に書き出したどのファイルとも内容が違います（このファイルの SHA-256: ${sha256}）。文字コード（UTF-8／Shift_JIS）や拠点署名の欄が違うだけでも一致しません。「請求済みにする」を押したときに書き出されたファイル（上の「請求時に書き出したファイル」の名前）を選んでください。`,
  checkFileFailed: 'ファイルを読めませんでした。もう一度選んでください。',
  keptCases: (n: number) => `請求時の記録（${n}件）`,
  changesTitle: '請求後の変更',
  noChanges: '請求後に判定が変わった記録はありません。',
  changesIntro: '請求済みの内容と、いまの記録で判定し直した結果が違う記録です。差の単位数を追加請求するか、過誤調整で返還してください。',
  changeLine: (before: string, after: string) => `${before} → ${after}`,
  /** the after side of a change this phone cannot judge (not-held, entries-missing) */
  unknowableAfter: '判定できません（この端末にない記録があります）',
  unknowableTotal: (n: number) => `ほかに確認が必要な記録 ${n}件（この端末では判定できません）`,
  changeCause: (cause: string, detail: string) => (detail ? `${cause}: ${detail}` : cause),
  movedTo: (month: string) => `${month}の記録に移動`,
  changeDifference: (label: string, n: number) => `${label} ${units(Math.abs(n))}`,
  /** a case billed under another 受給者証番号: its row returned whole, billed again under the number now */
  changeRebill: (back: number, more: number) => `返還 ${units(back)}・再請求 ${units(more)}（過誤調整）`,
  changesTotal: (claim: number, ret: number) => `追加請求 ${units(claim)}・返還（過誤調整） ${units(ret)}`,
  exportChanges: '請求後の変更CSV',
  cancelButton: '請求済みを取り消す',
  cancelTitle: (office: string, month: string) => `${office}の${month}の請求済みを取り消しますか？`,
  cancelBody: '誤って請求済みにした場合だけ取り消してください。請求済みの記録は消えず、取消の理由とともに残ります。',
  cancelReason: '取消の理由',
  cancelConfirm: '取り消す',
  history: '請求済みの履歴',
  historyClose: (sentOn: string, by: string, at: string) => `請求済み（請求日 ${sentOn}）${at} ${by}`,
  historyCancel: (reason: string, by: string, at: string) => `取消 ${at} ${by}: ${reason}`,
  closedExportNote:
    '請求済みの月です。ここで書き出すファイルは、いまの記録から作ります。請求時のファイルと取り違えないよう、名前の末尾に「-genzai」（現在）が付きます（請求時のファイルのハッシュは上にあります）。',
  /** the summary as it was sent, rebuilt from the close */
  exportKeptSummary: '請求時の集計CSV',
  exportKeptSummaryHint: '請求したときの集計CSVを、請求済みの記録から作り直して書き出します（請求時と同じ文字コード・同じ内容。上のハッシュと一致します）。',
  keptSummaryUnavailable: '請求時の集計CSVを、請求時と同じ内容で作り直せませんでした。事業所に保管しておいたファイルを使ってください。',

  // evidence report
  reportTitle: '相談強化加算 証跡レポート',
  backToClaims: '請求・出力へ戻る',
  print: '印刷',
  printHint: '印刷の画面で「PDFに保存」を選ぶと PDF になります。',
  printWaiting: '記録の確認が終わると印刷できます。',
  officeNumber: '事業所番号',
  printedAt: '印刷日時',
  printedBy: '印刷者',
  noOfficeNumber: '（未登録）',
  none: 'なし',
  reportCases: (n: number) => `記録 ${n}件`,
  caseHeading: (n: number, name: string) => `${n}. ${name}`,
  caseId: '記録ID',
  person: '対象者',
  requestedAt: '要請のあった時間',
  requestRecordedAt: '要請の記録時刻',
  requestedAtReason: '要請時間を遡った理由',
  caller: '要請者',
  request: '要請の内容',
  requestCorrections: '要請の訂正',
  contactsTitle: '連絡・調整',
  noContacts: '連絡・調整の記録はありません。',
  colContactedAt: '連絡・調整を行った時刻',
  colFacility: '連絡先',
  colMethod: '方法',
  colResult: '結果',
  colNote: 'メモ',
  colRecorded: '記録',
  shortStay: '短期入所',
  resultNotRecorded: '未記録',
  /** a result recorded after the call, by an entry of its own */
  resultRecordedBy: (when: string, who: string) => `結果の記録: ${when} ${who}`,
  withdrawnMark: '取消',
  /** an outcome replaced by one recorded later (claim-csv.ts 以前の対応結果) */
  earlierOutcomeMark: '以前の対応結果',
  correctedMark: '訂正',
  correctionLine: (kind: string, reason: string, who: string, when: string) => `${kind}（${when} ${who}）: ${reason}`,
  correctionChange: (field: string, before: string, after: string) => `${field}: 訂正前 ${before} → 訂正後 ${after}`,
  recordedBy: (when: string, who: string) => `${when} ${who}`,
  /** a 登録者との結び付け in the entries table: to whom (the audit reads who the case was made to be about) */
  linkedTo: (name: string, recipientNumber: string) => `（${name || '（氏名未入力）'}${recipientNumber ? `・受給者証番号 ${recipientNumber}` : ''}）`,
  outcome: '対応結果',
  outcomeFrom: (from: string) => `${from}から`,
  noOutcome: '未記録',
  outcomeCorrections: '対応結果の訂正',
  handler: '対応者',
  closedAt: '終了時刻',
  notClosed: '対応中（未終了）',
  decision: '算定判定',
  /** on the printed report of a 請求済み month: the decision as claimed, beside the one made now */
  keptDecision: '請求時の判定',
  keptDecisionLine: (label: string, headHash: string) => `${label}（請求時の最後のエントリ ${headHash.slice(0, 16)}…）`,
  keptDecisionNone: 'この記録は請求時の記録にありません（請求後に加わった記録です）',
  keptClaimTitle: '請求時の記録（請求済み）',
  keptClaimIntro: '国保連へ請求したときの集計と、そのとき書き出したファイルのハッシュです。下の各記録の「算定判定」はいまの記録での判定、「請求時の判定」は請求したときの判定です。',
  reasons: '判定理由',
  retention: '保存期限',
  retentionUntil: (date: string) => `${date}まで（5年間）`,
  retentionOpen: '終了の日から5年間（対応中のため未確定）',
  chain: '改ざんの確認',
  chainChecking: '確認中…',
  // what the chain proves, and no more: an entry the hub has not signed could have been rewritten on the phone with every hash after it (the 拠点の署名 row says how many are signed)
  chainOk: (n: number, unsigned: number) =>
    `記録のつながりに矛盾なし（${n}件を確認）${unsigned > 0 ? `。拠点の署名のない${unsigned}件は、端末で書き直されていないことまでは確かめられません` : ''}`,
  chainBroken: (problem: string) => `改ざんまたは破損しています: ${problem}`,
  headHash: 'ハッシュ（最後の記録）',
  /** a case continued on two phones at once: SHA-256 over every entry's hash, in read order (case-chain.ts) */
  stateHash: '事例全体のハッシュ（複数の端末で同時に記録されたため、全記録から計算）',
  /** 拠点の署名 (countersign) */
  hubKey: '拠点の署名鍵（指紋）',
  /**
   * Under the fingerprint: what it is worth. The key is the one this phone holds, and whoever can
   * unlock the phone (or print a page) can make it theirs, so only the hub's own record of it proves
   * anything; the phone's 設定 shows the same held key, so it is no record to compare with.
   */
  hubKeyCompare:
    'この指紋が、拠点の管理者が控えている署名鍵の指紋（拠点サーバーの起動時の記録「hub signing key …」）と一致することを確かめてください。一致しなければ、この報告書の署名は拠点のものと確かめられません（端末の「設定」に出る指紋は、この報告書と同じ端末の控えなので、比べる相手になりません）。',
  /**
   * The whole public key, printed for verify-evidence --public-key once the hub is gone (the start
   * log holds only the fingerprint); said to prove nothing by itself: the command runs only with
   * the hub's fingerprint beside it.
   */
  hubPublicKey: (key: string) =>
    `公開鍵（Ed25519、base64。この報告書を作った端末が控えていた鍵で、これだけでは拠点の鍵である証明になりません。明細CSVを verify-evidence --public-key で確かめるときは、拠点の管理者が控えている指紋を --fingerprint に指定します）: ${key}`,
  hubKeyNone: 'この端末のみ（拠点の署名なし）',
  hubKeyMissing: '拠点の鍵をまだ受け取っていません（次の同期で受け取ります）',
  countersign: '拠点の署名',
  countersignChecking: '拠点の署名を確認中…',
  entriesTitle: '記録ごとの拠点の署名',
  colEntry: '記録',
  colEntryRecorded: '記録時刻・記録者',
  colEntryHash: 'ハッシュ',
  colCountersign: '拠点の署名（受付時刻・受付番号）',
  countersignedAt: (label: string, when: string, position: number) => `${label} ${when}（受付番号 ${position}）`,
  verifyHint: '拠点の署名は、書き出した明細CSVを拠点サーバーの管理者に渡すと、拠点の鍵で確かめてもらえます（手引き「拠点サーバーの管理」の「証跡の確認」）。',
  reportClaimState: '請求',
  reportNotClosed: '未請求（この月の締めは記録されていません）',
  reportChangedSinceClose: (n: number) =>
    `この月は請求済みですが、請求後に${n}件の変更があります。以下は印刷時点の記録です。請求時の内容と差分は、請求・出力の「請求後の変更」で確認してください。`,
  reportFoot: 'この証跡レポートは端末に保存された対応記録から作成しました。ハッシュは記録の状態を示し、後から記録と照合できます。時刻はすべて日本時間です。',
  /** at the foot of every printed page, so a page taken out of the file still says which report it is */
  reportRunning: (officeName: string, officeNumber: string, month: string) => `${officeName}${officeNumber ? `（${officeNumber}）` : ''}・${month}・証跡レポート`,
} as const;
