/**
 * Figure 0 of `npm run bench`: the first visit of a new phone, as the browser receives it. Every
 * response until the set-up screen is idle, with the bytes that came over the wire (compressed:
 * the server sends the brotli copies made at build) beside the files' own size; then one run of
 * Lighthouse's mobile preset (bench/lighthouse.ts) on the same build. BENCH_SKIP_LIGHTHOUSE=1
 * leaves Lighthouse out.
 */
import { resolve } from 'node:path';
import { openBrowser } from '../test/e2e/browser';
import { formatLighthouse, lighthouseOnDist } from './lighthouse';

interface Transfer {
  readonly path: string;
  readonly encoding: string;
  /** body bytes as sent (compressed when encoded) */
  readonly sent: number;
  /** the file's own size */
  readonly size: number;
}

export async function benchFirstVisit(baseUrl: string, distDir: string): Promise<void> {
  const browser = await openBrowser();
  try {
    const transfers: Promise<Transfer | null>[] = [];
    browser.page.on('requestfinished', (request) => {
      transfers.push(
        (async () => {
          const response = await request.response();
          if (response === null || response.fromServiceWorker()) return null;
          const [sizes, body] = await Promise.all([request.sizes(), response.body().catch(() => Buffer.alloc(0))]);
          return { path: new URL(request.url()).pathname, encoding: response.headers()['content-encoding'] ?? '-', sent: sizes.responseBodySize, size: body.length };
        })(),
      );
    });
    await browser.page.goto(baseUrl);
    await browser.page.getByLabel('表示名').waitFor();
    await browser.page.waitForLoadState('networkidle');
    const list = (await Promise.all(transfers)).filter((t): t is Transfer => t !== null).sort((a, b) => b.sent - a.sent);
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`.padStart(9);
    const sent = list.reduce((a, t) => a + t.sent, 0);
    const size = list.reduce((a, t) => a + t.size, 0);
    console.log(`\nFirst visit, a new phone to the set-up screen (${list.length} responses, before the service worker's precache):`);
    for (const t of list) console.log(`  ${kb(t.sent)} sent ${t.encoding.padEnd(5)} ${kb(t.size)} file  ${t.path}`);
    console.log(`  ${kb(sent)} sent in all, for ${kb(size).trim()} of files (${((sent / size) * 100).toFixed(0)} %)`);
  } finally {
    await browser.dispose();
  }
  if (process.env.BENCH_SKIP_LIGHTHOUSE !== '1') console.log(`\n${formatLighthouse(await lighthouseOnDist(resolve(distDir)))}`);
}
