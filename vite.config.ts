import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { guidePlugin } from './src/guide/vite-plugin';
import type { Plugin } from 'vite';
import { precompressPlugin } from './src/server/http/precompress';
import { buildId } from './src/server/build-id';

/**
 * main.tsx imports the app (boot.tsx) dynamically, after the first paint. Its chunks are still
 * fetched with the page: this adds a modulepreload link for each, so the download starts at once
 * and only the running waits.
 */
function preloadBootChunks(): Plugin {
  return {
    name: 'kyoten-preload-boot',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        const entry = ctx.chunk;
        if (bundle === undefined || entry === undefined) return html;
        const seen = new Set<string>([entry.fileName, ...entry.imports]);
        const wanted: string[] = [];
        const visit = (fileName: string) => {
          if (seen.has(fileName)) return;
          seen.add(fileName);
          const chunk = bundle[fileName];
          if (chunk?.type !== 'chunk') return;
          chunk.imports.forEach(visit);
          wanted.push(fileName);
        };
        entry.dynamicImports.forEach(visit);
        return wanted.map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` }, injectTo: 'head' as const }));
      },
    },
  };
}

// The app must start with no network: the service worker precaches the whole shell.
// Updates are never applied silently (registerType: 'prompt'); the app asks first,
// and not while something is unsaved (see src/app/update-prompt.tsx).
// Every text file is compressed once here (brotli and gzip) for the server to send as it is.
export default defineConfig({
  // 設定 → 「この端末の情報」 (src/server/build-id.ts); without git, the build's date stands in for the commit's
  define: { __APP_BUILD__: JSON.stringify(buildId(dirname(fileURLToPath(import.meta.url)), (v) => `${v} (unknown, ${new Date().toISOString().slice(0, 10)})`)) },
  plugins: [
    react(),
    // 利用の手引き at /guide/ (docs/guide), emitted with the bundle so the precache below takes it in.
    guidePlugin(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['favicon.svg', 'icons/*.png'],
      manifest: {
        name: '拠点ナビ 緊急対応（地域生活支援拠点）',
        short_name: '拠点ナビ',
        description: '地域生活支援拠点の緊急時対応：事前登録者の確認、短期入所の調整、対応記録',
        lang: 'ja',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: '#12355b',
        background_color: '#0f1720',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        navigateFallback: '/index.html',
        // licenses.txt: the guide links to it, and it is not precached (build.license below).
        navigateFallbackDenylist: [/^\/api\//, /^\/healthz/, /^\/licenses\.txt$/],
        cleanupOutdatedCaches: true,
        // The first worker takes the open page at once: a phone that installs the app and loses
        // the signal before any reload must still load the screens it has not opened yet. (An
        // update still waits for the user: no skipWaiting; service-worker.ts reloads after it.)
        clientsClaim: true,
      },
    }),
    preloadBootChunks(),
    precompressPlugin(),
  ],
  build: {
    target: 'es2022',
    sourcemap: false,
    // The MIT and Apache-2.0 notices of every library in the bundle, served beside the app (linked
    // from the guide's index; not precached: the notices need no offline copy).
    license: { fileName: 'licenses.txt' },
  },
});
