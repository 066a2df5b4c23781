/**
 * The pages of the guide (docs/guide/*.md), served by the app at /guide/<slug>.html and precached
 * with it. Browser-safe data only: the app's 「使い方」 links are made from it.
 */
export const GUIDE_PAGES = {
  index: { file: 'README.md', title: '利用の手引き' },
  start: { file: 'getting-started.md', title: 'はじめに' },
  nightCall: { file: 'night-call.md', title: '夜間の緊急対応' },
  registration: { file: 'registration.md', title: '事前登録' },
  facilities: { file: 'facilities.md', title: '事業所と空床' },
  claims: { file: 'claims.md', title: '月次の請求' },
  yearly: { file: 'yearly-report.md', title: '年次の報告' },
  handover: { file: 'handover-sync.md', title: '端末の受け渡しと同期' },
  hubAdmin: { file: 'hub-admin.md', title: '拠点サーバーの管理' },
  faq: { file: 'faq.md', title: 'よくある質問' },
} as const satisfies Readonly<Record<string, { file: string; title: string }>>;

export type GuidePage = keyof typeof GUIDE_PAGES;

/** Where the app serves the guide. */
export const GUIDE_BASE = '/guide/';

/** The served address of a page: 'night-call.md' → '/guide/night-call.html', 'README.md' → '/guide/index.html'. */
export function guideUrl(page: GuidePage): string {
  const file = GUIDE_PAGES[page].file;
  return `${GUIDE_BASE}${file === 'README.md' ? 'index' : file.replace(/\.md$/, '')}.html`;
}

/** The coordinator's pages, printed together on A4 (one page each start on a new sheet). */
export const COORDINATOR_PRINT: readonly GuidePage[] = ['nightCall', 'handover', 'facilities', 'faq'];
export const COORDINATOR_PRINT_FILE = 'print-coordinator.html';
export const COORDINATOR_PRINT_TITLE = '印刷用：コーディネーターの手引き';
