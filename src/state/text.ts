/** The words of the shared state's own components (the restored-draft notice), in Japanese. */
export const T = {
  draftRestored: '保存していない入力を復元しました',
  discardDraft: '破棄',
} as const;
