/** The words of the shared state's own components (the restored-draft notice, when-heard.tsx), in Japanese. */
export const T = {
  draftRestored: '保存していない入力を復元しました',
  discardDraft: '破棄',
  // asked before 「破棄」 throws the restored input away, worded as the forms' キャンセル asks
  discardDraftTitle: '復元した入力を破棄しますか',
  discardDraftBody: '保存していない入力は失われます。破棄すると元に戻せません。',
  discardDraftConfirm: '破棄する',
  // asked before a small form's キャンセル (or Esc) throws away what was typed, in the household form's words
  discardTitle: '入力内容を破棄しますか',
  discardBody: '保存していない入力は失われます。',
  /** the way back to the form: not 「キャンセル」, which is what was just pressed */
  keepTyping: '入力を続ける',
  /**
   * a 受入可 or 受入不可 chosen over ten minutes after the call (emergency-case.ts ASK_WHEN_HEARD_AFTER_MS),
   * on the match and on the case screen (when-heard.tsx): heard on the call, or now on the facility's
   * call back; the time the facility was reached is the claim's 連絡・調整を行った時刻 and decides its month
   */
  whenAsk: (result: string) => `「${result}」と聞いたのはいつですか？`,
  whenNow: (time: string) => `いま（折り返しの電話・${time}）`,
  whenCalled: (time: string) => `電話をかけたとき（${time}）`,
  /** the call asked about is itself a call back recorded earlier (「折り返しがあった」) */
  whenCalledBack: (time: string) => `前の折り返しのとき（${time}）`,
  /** `stays`: what the call keeps (折り返し待ち for a call with no result yet, or its 不在 corrected) */
  whenStays: (time: string, stays: string, result: string) => `「いま」を選ぶと、${time}の電話は「${stays}」、いまの折り返しが「${result}」と記録されます。`,
  whenBack: '結果を選び直す',
  /** the call back written and the call's 折り返し待ち not: only that is offered again */
  whenRetryLine: '折り返しの記録は保存しました。最初の電話の結果（折り返し待ち）をもう一度記録してください',
  whenRetry: '記録を続ける',
  /** an entry refused because the case's chain does not hold (as the case screen's banner says it) */
  chainBroken: (problem: string) =>
    `この対応記録は、改ざん・破損しているか、新しい版のアプリで記録された項目をこの端末で読めないため、記録を追加できません: ${problem} アプリを最新にして、それでも続くときは管理者に連絡してください。`,
  /** a real case opened under a demo office: the screens offer none for a real call, a draft or an older screen could */
  demoOfficeInRealCase: 'デモデータの事業所では、実際の緊急対応を記録できません。対応する事業所を選び直してください。',
  /** a real case linked to a person of the demo (made-up) data */
  demoPersonInRealCase: 'デモデータの方には、実際の対応記録を結び付けられません。登録されている方から選んでください。',
} as const;
