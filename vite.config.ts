import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { precompressPlugin } from './src/server/http/precompress';

// The app must start with no network: the service worker precaches the whole shell.
// Updates are never applied silently (registerType: 'prompt'); the app asks first,
// and not while something is unsaved (see src/app/update-prompt.tsx).
// Every text file is compressed once here (brotli and gzip) for the server to send as it is.
export default defineConfig({
  plugins: [
    react(),
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
        orientation: 'portrait',
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
        navigateFallbackDenylist: [/^\/api\//, /^\/healthz/],
        cleanupOutdatedCaches: true,
      },
    }),
    precompressPlugin(),
  ],
  build: {
    target: 'es2022',
    sourcemap: false,
  },
});
