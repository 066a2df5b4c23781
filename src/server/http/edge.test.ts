// @vitest-environment node
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { answerClientError, cameOverTls, checkedTarget, everyTenSeconds, failureLogLine } from './edge';

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

/** Sends `text` on a raw connection and reads the whole answer: its status line, headers and JSON body. */
async function rawAnswer(port: number, text: string) {
  const raw = await new Promise<string>((done, fail) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let out = '';
    socket.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    socket.on('error', fail);
    socket.on('close', () => done(out));
  });
  const [head, body] = raw.split('\r\n\r\n');
  const [statusLine, ...headers] = head!.split('\r\n');
  return { status: Number(statusLine!.split(' ')[1]), headers: headers.join('\n').toLowerCase(), body: JSON.parse(body!) as { error: string; message: string; detail: string } };
}

describe('[A11] what Node cannot take from a client', () => {
  it('[A11] a request whose body or headers come too slowly is 408 in words, a broken request 400, headers too large 431; each with the security headers', async () => {
    // Node's own timeouts, short: the whole request in 600 ms, its headers in 300 ms.
    const server = createServer({ connectionsCheckingInterval: 50, requestTimeout: 600, headersTimeout: 300 }, (req, res) => {
      req.resume();
      req.on('end', () => res.end('{}'));
    });
    server.on('clientError', answerClientError);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    try {
      const slowBody = await rawAnswer(port, 'POST /api/sync/push HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"changes":[');
      expect(slowBody.status).toBe(408);
      expect(slowBody.body).toMatchObject({ error: 'bad-request', detail: expect.stringMatching(/did not arrive within/) });
      expect(slowBody.body.message).toMatch(/時間がかかりすぎた/);
      expect(slowBody.headers).toContain("frame-ancestors 'none'");
      expect(slowBody.headers).toContain('cache-control: no-store');

      const slowHeaders = await rawAnswer(port, 'GET /api/sync/pull HTTP/1.1\r\nHost: hub\r\n');
      expect(slowHeaders.status).toBe(408);

      const tooLarge = await rawAnswer(port, `GET / HTTP/1.1\r\nHost: hub\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect(tooLarge.status).toBe(431);
      expect(tooLarge.body.detail).toMatch(/headers are too large/);

      const broken = await rawAnswer(port, 'NOT HTTP AT ALL\r\n\r\n');
      expect(broken.status).toBe(400);
      expect(broken.body).toMatchObject({ error: 'bad-request', detail: 'malformed HTTP request' });
      expect(broken.headers).toContain('x-content-type-options: nosniff');
    } finally {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  });
});

describe('everyTenSeconds', () => {
  it('says a thing at most once every 10 s, then how many came meanwhile', () => {
    let now = 0;
    const lines: string[] = [];
    const log = everyTenSeconds((what, more) => lines.push(`${what} +${more}`), () => now);
    log('a');
    log('b');
    now = 5_000;
    log('c');
    now = 10_001;
    log('d');
    expect(lines).toEqual(['a +0', 'd +2']);
  });
});
