/** The review worklist's and 「見直しを記録」's strings (issue 15 point 3), in one place for review. */
import type { ReviewUrgency } from '../../domain/review-worklist';

export const RT = {
  worklistTitle: '見直し予定',
  worklistLink: (n: number) => `見直し予定（${n}件）`,
  worklistIntro: (months: number, days: number) =>
    `前回の見直し（なければ同意日）から${months}か月で見直し時期になります。期限切れと、${days}日以内に期限が来る世帯です（日付は日本時間）。`,
  view: '表示',
  viewMine: (name: string) => `自分の担当（${name}）`,
  viewByCaseWorker: '担当者別',
  viewByOffice: '事業所別',
  noneMine: '自分が担当の世帯で、見直し予定はありません。',
  none: '見直し予定の世帯はありません。',
  unassignedCaseWorker: '担当者未設定',
  unassignedOffice: '事業所未設定',
  groupCount: (n: number) => `${n}件`,
  urgency: { overdue: '期限切れ', today: '本日期限', soon: '期限前' } satisfies Record<ReviewUrgency, string>,
  daysLeft: (n: number) => (n < 0 ? `${-n}日超過` : n === 0 ? '本日' : `あと${n}日`),
  dueOn: (date: string) => `見直し期限 ${date}`,
  lastReviewed: (date: string | null, by: string | null) =>
    date === null ? '前回見直し：なし（同意日から起算）' : `前回見直し ${date}${by ? `（${by}）` : '（見直した人の記録なし）'}`,
  caseWorker: (name: string) => `担当 ${name || '未設定'}`,
  // the record
  nextReview: '次回見直し日',
  lastReview: '前回見直し',
  /** the print sheet's row: how current what it says is */
  sheetReviewed: '記載内容の見直し',
  sheetNoReview: 'なし（同意日から起算）',
  /** a 仮登録: no 同意日 to count from */
  sheetNoReviewNoConsent: 'なし（同意書なし）',
  reviewHistory: '見直しの記録',
  noReviews: '見直しの記録はまだありません',
  historyLine: (date: string, by: string, note: string) => `${date}　${by}${note ? `　${note}` : ''}`,
  record: '見直しを記録',
  dialogTitle: '見直しを記録',
  dialogBody: '家族と聞き取り票の内容を確認した日を記録します。記録は消えず、履歴に残ります。内容に変更があれば、続けて「編集」で直してください。',
  reviewedOn: '見直し日',
  reviewedBy: '見直した人',
  note: 'メモ（任意）',
  confirm: '記録する',
  saved: (date: string) => `見直しを記録しました（${date}）。`,
  retry: 'もう一度試す',
} as const;
