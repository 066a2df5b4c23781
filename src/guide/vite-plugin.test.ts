// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { Plugin } from 'vite';
import { guidePlugin } from './vite-plugin';

type Hook = (this: unknown, ...args: unknown[]) => unknown;
const hook = (plugin: Plugin, name: 'generateBundle' | 'configureServer') => plugin[name] as unknown as Hook;

describe('the guide plugin', () => {
  it('emits every page, the stylesheet, the print script and the pictures with the bundle (before the precache is listed)', () => {
    const emitted: { fileName: string; source: string | Uint8Array }[] = [];
    hook(guidePlugin(), 'generateBundle').call({ emitFile: (f: { fileName: string; source: string | Uint8Array }) => emitted.push(f) });
    const names = emitted.map((f) => f.fileName);
    expect(names).toEqual(expect.arrayContaining(['guide/index.html', 'guide/night-call.html', 'guide/print-coordinator.html', 'guide/guide.css', 'guide/print.js']));
    expect(names.some((n) => /^guide\/images\/night-1-search\.png$/.test(n))).toBe(true);
    const night = String(emitted.find((f) => f.fileName === 'guide/night-call.html')!.source);
    expect(night).toContain('<title>夜間の緊急対応｜拠点ナビ 利用の手引き</title>');
    expect(night).toContain('<img src="images/night-1-search.png" alt="世帯の一覧で「さとう」を検索したところ" width="360" height="740"');
  });

  it('serves the same pages on the dev server, /guide/ as its index', () => {
    let handler: ((req: { url: string }, res: unknown, next: () => void) => void) | undefined;
    hook(guidePlugin(), 'configureServer').call(undefined, { middlewares: { use: (h: typeof handler) => (handler = h) } });
    const answer = (url: string) => {
      const res = { type: '', body: '' as unknown, setHeader: (_: string, v: string) => void (res.type = v), end: (b: unknown) => void (res.body = b) };
      let passed = false;
      handler!({ url }, res, () => (passed = true));
      return { ...res, passed };
    };
    const index = answer('/guide/');
    expect(index.type).toBe('text/html; charset=utf-8');
    expect(String(index.body)).toContain('<h1>利用の手引き</h1>');
    expect(answer('/guide/images/night-1-search.png').type).toBe('image/png');
    expect(answer('/guide/nothing.html').passed).toBe(true);
    expect(answer('/src/app/main.tsx').passed).toBe(true);
  });
});
