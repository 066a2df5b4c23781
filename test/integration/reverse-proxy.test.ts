/**
 * docs/nginx-kyoten.conf, the TLS proxy a hub puts in front (docs/hub-server.md "TLS"): it must
 * forward to where `npm start` listens and say what TRUST_PROXY reads. When nginx is on this
 * machine ($NGINX_BIN, or nginx on PATH or in /usr/sbin; .ci/run installs Debian's nginx-light) the file
 * is also run, included inside an http block as the recipe installs it: `nginx -t`, then real https
 * requests through it to a hub with TRUST_PROXY, which must answer with HSTS and a Secure
 * __Host- cookie, and nginx naming no version. The test prints which of the two it did.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { API, MAX_BODY_BYTES } from '../../src/protocol/sync';
import { totpCode } from '../../src/server/services/credentials';
import { HUB, PASSWORD, startApi } from './api-harness';
import { schemaTarget } from './schema-target';

const CONF = readFileSync(new URL('../../docs/nginx-kyoten.conf', import.meta.url), 'utf8');
const directives = CONF.split('\n')
  .map((l) => l.replace(/#.*/, '').trim())
  .filter((l) => l !== '');

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
const work = mkdtempSync(join(tmpdir(), 'kyoten-nginx-'));
/** certbot's webroot, apart from `work` (keys, mode 0700): nginx's workers must read it */
const webroot = mkdtempSync(join(tmpdir(), 'kyoten-webroot-'));
chmodSync(webroot, 0o755);
afterAll(async () => {
  await target.dropAll();
  rmSync(work, { recursive: true, force: true });
  rmSync(webroot, { recursive: true, force: true });
});

function findNginx(): string | null {
  for (const candidate of [process.env['NGINX_BIN'], '/usr/sbin/nginx']) if (candidate && existsSync(candidate)) return candidate;
  try {
    return execFileSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

function https(port: number, method: string, path: string, body?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, rejectUnauthorized: false, headers: body === undefined ? {} : { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('the reverse proxy configuration in docs/', () => {
  it('[A11] forwards to 127.0.0.1:8080 with X-Forwarded-For/-Proto, lets a full push through, redirects http to https', () => {
    expect(directives).toContain('proxy_pass http://127.0.0.1:8080;');
    expect(directives).toContain('proxy_set_header X-Forwarded-Proto $scheme;');
    expect(directives).toContain('proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;');
    expect(directives).toContain('return 301 https://$host$request_uri;');
    // a pull page (every household in scope) is never spooled to nginx's temporary files
    expect(directives).toContain('proxy_max_temp_file_size 0;');
    // every server block says "nginx" and no version, on its error pages and in its Server header
    const servers = directives.filter((d) => d === 'server {').length;
    expect(servers).toBe(2);
    expect(directives.filter((d) => d === 'server_tokens off;')).toHaveLength(servers);
    expect(directives.some((d) => /^listen 443 ssl\b/.test(d))).toBe(true);
    const maxBody = /^client_max_body_size (\d+)m;$/.exec(directives.find((d) => d.startsWith('client_max_body_size')) ?? '');
    expect(Number(maxBody?.[1]) * 1024 * 1024).toBeGreaterThanOrEqual(MAX_BODY_BYTES);
    // the hub's own defaults are what the file points at
    const main = readFileSync(new URL('../../src/server/main.ts', import.meta.url), 'utf8');
    expect(main).toContain("process.env.HOST ?? '127.0.0.1'");
    expect(main).toContain('process.env.PORT ?? 8080');
  });

  it('[A11] runs under nginx when it is installed: https answers carry HSTS and a Secure __Host- cookie, http is redirected, no version is named', async () => {
    const nginx = findNginx();
    if (nginx === null) {
      // .ci/run installs it: in CI the file is always run, never only read.
      if (process.env['CI'] !== undefined) throw new Error('nginx is missing: .ci/run installs Debian nginx-light');
      console.log('nginx is not installed here: docs/nginx-kyoten.conf was checked by reading it only');
      return;
    }
    const hub = await startApi(target, { trustProxy: true });
    let proxy: ChildProcess | undefined;
    try {
      const coord = await hub.user('coord1', 'coordinator');
      const [tlsPort, plainPort] = [await freePort(), await freePort()];
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', join(work, 'key.pem'), '-out', join(work, 'cert.pem')], { stdio: 'ignore' });
      const hubPort = new URL(hub.base).port;
      const conf = CONF.replace(/^\s*listen \[::\].*$/gm, '')
        .replace('listen 443 ssl http2;', `listen 127.0.0.1:${tlsPort} ssl http2;`)
        .replace('listen 80;', `listen 127.0.0.1:${plainPort};`)
        .replace(/ssl_certificate\s+\S+;/, `ssl_certificate ${join(work, 'cert.pem')};`)
        .replace(/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${join(work, 'key.pem')};`)
        .replace('proxy_pass http://127.0.0.1:8080;', `proxy_pass http://127.0.0.1:${hubPort};`)
        .replace(/access_log \S+;/, `access_log ${join(work, 'access.log')};`)
        .replace('root /var/www/html;', `root ${webroot};`);
      // certbot's webroot, as step 4 makes it: a renewal's challenge file, readable by nginx's workers
      mkdirSync(join(webroot, '.well-known', 'acme-challenge'), { recursive: true, mode: 0o755 });
      writeFileSync(join(webroot, '.well-known', 'acme-challenge', 'renewal-token'), 'renewal-token.key-authorization', { mode: 0o644 });
      // Included inside an http block, as Debian's nginx.conf includes conf.d/*.conf (the recipe's
      // step 4): a file that brought its own events or http block would fail `nginx -t` here.
      const site = join(work, 'kyoten.conf');
      writeFileSync(site, conf);
      const confPath = join(work, 'nginx.conf');
      writeFileSync(
        confPath,
        [
          `pid ${join(work, 'nginx.pid')};`,
          'events {}',
          'http {',
          `  access_log ${join(work, 'other-access.log')};`,
          ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${join(work, t)};`),
          `  include ${site};`,
          '}',
          '',
        ].join('\n'),
      );
      execFileSync(nginx, ['-t', '-p', work, '-e', 'stderr', '-c', confPath], { stdio: 'pipe' });
      proxy = spawn(nginx, ['-p', work, '-e', 'stderr', '-c', confPath, '-g', 'daemon off;'], { stdio: 'ignore' });
      await expect.poll(() => https(tlsPort, 'GET', '/healthz').then((r) => r.status, () => 0), { timeout: 30_000 }).toBe(200);

      const page = await https(tlsPort, 'GET', '/');
      expect(page.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      const signIn = await https(tlsPort, 'POST', API.session, JSON.stringify({ hub: HUB, loginName: coord.loginName, password: PASSWORD, totp: totpCode(coord.totpSecret, hub.clock.now) }));
      expect(signIn.status).toBe(200);
      // the hub saw https in the proxy's X-Forwarded-Proto: the cookie no other host can plant [A5]
      const cookie = [signIn.headers['set-cookie'] ?? []].flat()[0] ?? '';
      expect(cookie).toMatch(/^__Host-kyoten_session=[^;]+; /);
      expect(cookie).toContain('Secure');
      expect(page.headers['server']).toBe('nginx');
      const plain = await fetch(`http://127.0.0.1:${plainPort}/`, { redirect: 'manual' });
      expect(plain.status).toBe(301);
      expect(plain.headers.get('server')).toBe('nginx');
      expect(plain.headers.get('location')).toMatch(/^https:\/\//);
      // Let's Encrypt's renewal check is answered over plain http from the webroot, not redirected to the hub
      const challenge = await fetch(`http://127.0.0.1:${plainPort}/.well-known/acme-challenge/renewal-token`, { redirect: 'manual' });
      expect(challenge.status).toBe(200);
      expect(await challenge.text()).toBe('renewal-token.key-authorization');
      console.log(`nginx ${nginx}: docs/nginx-kyoten.conf passed nginx -t and served the hub over https`);
    } finally {
      proxy?.kill();
      await hub.close();
    }
  });
});
