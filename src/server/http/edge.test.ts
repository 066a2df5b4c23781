// @vitest-environment node
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { cameOverTls, checkedTarget, failureLogLine } from './edge';

const req = (url: string, headers: Record<string, string> = {}, encrypted = false) =>
  ({ url, headers, socket: { encrypted } }) as unknown as IncomingMessage;

describe('the edge', () => {
  it('[A11] takes a path or an absolute URL (rewritten to its path), and nothing that does not parse or decode', () => {
    expect(checkedTarget(req('/api/session?x=1'))).toBe('/api/session');
    const absolute = req('http://hub.example.jp/healthz?x=%E3%81%82');
    expect(checkedTarget(absolute)).toBe('/healthz');
    expect(absolute.url).toBe('/healthz?x=%E3%81%82');
    for (const bad of ['http://[::1/', '/api/conflicts/%E0%A4%A/resolve', '/?q=%ZZ', '*', 'hub.example.jp/', '']) {
      expect(checkedTarget(req(bad)), bad).toBeNull();
    }
  });

  it('[A11] believes X-Forwarded-Proto only behind a trusted proxy', () => {
    expect(cameOverTls(req('/', {}, true), false)).toBe(true);
    expect(cameOverTls(req('/', { 'x-forwarded-proto': 'https' }), false)).toBe(false);
    expect(cameOverTls(req('/', { 'x-forwarded-proto': 'https, http' }), true)).toBe(true);
    expect(cameOverTls(req('/', { 'x-forwarded-proto': 'http' }), true)).toBe(false);
  });

  it('[A11] logs a failure by where, class, code and stack frames, never its message', () => {
    const error = Object.assign(new Error('value "インスリン 8単位" is out of range'), { code: '22003' });
    const line = failureLogLine('API POST /api/sync/push', error);
    expect(line).toMatch(/^API POST \/api\/sync\/push failed: Error \(22003\)\n\s+at /);
    expect(line).not.toContain('インスリン');
  });
});
