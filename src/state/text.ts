/** The words of the shared state's own components (the restored-draft notice), in Japanese. */
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
  /** an entry refused because the case's chain does not hold (as the case screen's banner says it) */
  chainBroken: (problem: string) =>
    `この対応記録は、改ざん・破損しているか、新しい版のアプリで記録された項目をこの端末で読めないため、記録を追加できません: ${problem} アプリを最新にして、それでも続くときは管理者に連絡してください。`,
} as const;
