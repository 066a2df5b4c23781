/**
 * Compresses the built app once, at build time (vite.config.ts), so the server never compresses on
 * a request: beside each text file of dist/ go `name.br` (brotli, best quality) and `name.gz`
 * (gzip level 9). static-files.ts picks one by the request's Accept-Encoding, once it has checked
 * that the copy decodes to the file (a copy of dist/ need not keep the build's timestamps). A
 * variant that would not be smaller than the file is not written (the file goes as it is).
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';

/** Extensions worth compressing; images (png) and fonts (woff2) are compressed already. */
export const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.svg', '.txt', '.ico']);
/** Below this a compressed answer saves less than its headers cost. */
const MIN_BYTES = 256;

export interface CompressedFile {
  /** path inside dist, with '/' */
  readonly path: string;
  readonly bytes: number;
  readonly br: number | null;
  readonly gzip: number | null;
}

export function precompressDir(root: string): CompressedFile[] {
  const out: CompressedFile[] = [];
  for (const path of listFiles(root)) {
    if (!COMPRESSIBLE.has(extname(path))) continue;
    const body = readFileSync(path);
    const entry = { path: relative(root, path).split('\\').join('/'), bytes: body.length, br: null as number | null, gzip: null as number | null };
    if (body.length >= MIN_BYTES) {
      const br = brotliCompressSync(body, {
        params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
      });
      const gz = gzipSync(body, { level: 9 });
      if (br.length < body.length) {
        writeFileSync(`${path}.br`, br);
        entry.br = br.length;
      }
      if (gz.length < body.length) {
        writeFileSync(`${path}.gz`, gz);
        entry.gzip = gz.length;
      }
    }
    out.push(entry);
  }
  return out;
}

function listFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...listFiles(path));
    else if (!name.endsWith('.br') && !name.endsWith('.gz')) files.push(path);
  }
  return files;
}

/**
 * The Vite plugin: runs after the bundle and the service worker are written (vite-plugin-pwa
 * writes sw.js in its own closeBundle, which runs first), so sw.js is compressed too and the
 * precache list names only the plain files.
 */
export function precompressPlugin() {
  let outDir = 'dist';
  return {
    name: 'kyoten-precompress',
    apply: 'build' as const,
    configResolved(config: { root: string; build: { outDir: string } }) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post' as const,
      sequential: true,
      handler() {
        precompressDir(outDir);
      },
    },
  };
}
