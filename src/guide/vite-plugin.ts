/**
 * Vite plugin: the guide (docs/guide) is built into dist/guide/ with the app, before the service
 * worker is generated, so its pages and pictures are precached and open offline. `npm run dev`
 * serves the same pages, rebuilt on each request.
 */
import type { Plugin } from 'vite';
import { buildGuide } from './build';

const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  png: 'image/png',
};

export function guidePlugin(): Plugin {
  return {
    name: 'kyoten-guide',
    generateBundle() {
      for (const file of buildGuide()) this.emitFile({ type: 'asset', fileName: file.fileName, source: file.source });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0] ?? '';
        if (!path.startsWith('/guide/')) return next();
        const wanted = path === '/guide/' ? 'guide/index.html' : path.slice(1);
        const file = buildGuide().find((f) => f.fileName === wanted);
        if (!file) return next();
        res.setHeader('Content-Type', TYPES[wanted.split('.').pop() ?? ''] ?? 'application/octet-stream');
        res.end(file.source);
      });
    },
  };
}
