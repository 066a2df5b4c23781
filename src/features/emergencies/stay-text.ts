/** Every user-facing string of a case's stay (入所から退所まで) and the in-stay list, in one place for review (STYLE.md habit 9). */
export const ST = {
  title: '入所と退所',
  admitted: (facility: string, at: string) => `${facility} に入所（${at}）`,
  inStay: (days: number) => `入所中・${days}日目`,
  ended: (at: string, days: number) => `退所 ${at}（${days}日間）`,
  exitLine: (exit: string, note: string) => (note ? `退所後：${exit}（${note}）` : `退所後：${exit}`),
  record: '退所を記録',
  endedAt: '退所の日時',
  exit: '退所後の行き先',
  note: '備考（行き先の事業所名・病院名など）',
  noteHint: '「別の事業所」「その他」のときは必須',
  save: '記録する',
  saving: '記録しています…',
  cancel: 'やめる',
  listTitle: (n: number) => `緊急入所中（${n}人）`,
  listLine: (facility: string, from: string, days: number) => `${facility}・${from}から・${days}日目`,
} as const;
