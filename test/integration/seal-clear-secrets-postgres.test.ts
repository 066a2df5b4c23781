/**
 * A hub over DATABASE_URL first started without KYOTEN_SECRET_KEY keeps its signing key and the
 * TOTP secrets in clear (and says so); once the key is set, the next start seals them all in the
 * database, keeps the same signing key, and says that the dumps taken before still hold them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { API } from '../../src/protocol/sync';
import { createAccounts } from '../../src/server/services/accounts';
import { totpCode } from '../../src/server/services/credentials';
import { startHub, type Hub } from '../../src/server/services/hub';
import { openSecret } from '../../src/server/services/secret-box';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const HUB = 'hub-matsudo';
const PASSWORD = 'yoru-no-denwa-2026';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function distDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kyoten-seal-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>shell</title>');
  return dir;
}

describe('secrets stored in clear before KYOTEN_SECRET_KEY was set', () => {
  it('are sealed at the first start with the key, in one go even when two servers start at once; the signing key stays the same, sign-in with the code works, and a later start changes nothing', async () => {
    const schema = `kyoten_seal_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    const databaseUrl = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const now = new Date('2026-11-30T12:00:00.000Z');
    const secretKey = Buffer.alloc(32, 11);
    const logs: string[] = [];
    const running = new Set<Hub>();
    const start = async (env: { DATABASE_URL: string; KYOTEN_SECRET_KEY?: string }) => {
      const hub = await startHub({ port: 0, host: '127.0.0.1', distDir: distDir(), env, now: () => now, log: (l) => logs.push(l) });
      running.add(hub);
      return { hub, store: await hub.store };
    };
    const stop = async (hub: Hub) => {
      running.delete(hub);
      await hub.close();
    };
    const held = async () => ({
      key: (await admin.query<{ private_key: string }>(`SELECT private_key FROM ${schema}.hub_signing_key`)).rows.map((r) => r.private_key),
      totp: (await admin.query<{ id: string; totp_secret: string }>(`SELECT id, totp_secret FROM ${schema}.users ORDER BY id`)).rows,
    });
    // every start's "hub signing key <fingerprint> (<source>)", the source left off
    const fingerprints = () => logs.filter((l) => l.startsWith('hub signing key')).map((l) => l.replace(/ \(.*\)$/, ''));
    const sealedLines = () => logs.filter((l) => l.startsWith('sealed '));
    try {
      // 1. No key: the signing key and the TOTP secrets are stored in clear, and the start says so.
      const first = await start({ DATABASE_URL: databaseUrl });
      await first.store.createTenant({ id: HUB, name: '松戸市 地域生活支援拠点' });
      const accounts = createAccounts(first.store, { idleMinutes: 30, maxHours: 12, now: () => now, secretKey: null });
      const users = await Promise.all(
        ['sato', 'suzuki', 'tanaka'].map(async (login) => {
          const id = `u-${login}`;
          const { totpSecret } = await accounts.createUser({ id, tenantId: HUB, role: 'coordinator', loginName: login, displayName: `${login} さん`, officeId: null, facilityId: null, password: PASSWORD });
          return { id, login, totpSecret };
        }),
      );
      await stop(first.hub);
      const clear = await held();
      expect(clear.key).toHaveLength(1);
      expect(clear.key[0]).not.toMatch(/^v1:/);
      expect(clear.totp.map((r) => r.totp_secret)).toEqual(users.map((u) => u.totpSecret));
      expect(logs.filter((l) => l.startsWith('KYOTEN_SECRET_KEY is not set'))).toHaveLength(1);

      // 2. The key set, two servers start at once: every value is sealed once, for its owner.
      const keyed = { DATABASE_URL: databaseUrl, KYOTEN_SECRET_KEY: secretKey.toString('base64') };
      const [two, three] = await Promise.all([start(keyed), start(keyed)]);
      const sealed = await held();
      expect(sealed.key[0]).toMatch(/^v1:/);
      expect(openSecret(secretKey, sealed.key[0]!, 'hub-signing-key')).toBe(clear.key[0]);
      for (const [i, u] of users.entries()) {
        expect(sealed.totp[i]!.totp_secret).toMatch(/^v1:/);
        expect(sealed.totp[i]!.totp_secret).not.toContain(u.totpSecret);
        expect(openSecret(secretKey, sealed.totp[i]!.totp_secret, u.id)).toBe(u.totpSecret);
      }
      expect(sealedLines()).toEqual([
        'sealed 4 secrets the database held in clear (the hub signing key, 3 TOTP secrets) with the secret key. ' +
          'Database dumps taken before this start still hold them in clear: keep those dumps encrypted or delete them (docs/hub-server.md).',
      ]);
      expect(fingerprints()).toHaveLength(3);
      expect(new Set(fingerprints()).size).toBe(1);
      expect(logs.filter((l) => l.startsWith('KYOTEN_SECRET_KEY is not set'))).toHaveLength(1);

      // Sign-in with the authenticator's code, through either server.
      for (const [hub, u] of [
        [two.hub, users[0]!],
        [three.hub, users[1]!],
      ] as const) {
        const answer = await fetch(`http://127.0.0.1:${(hub.server.address() as AddressInfo).port}${API.session}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ hub: HUB, loginName: u.login, password: PASSWORD, totp: totpCode(u.totpSecret, now) }),
        });
        expect(answer.status).toBe(200);
      }
      await stop(two.hub);
      await stop(three.hub);

      // 3. Another start with the key: nothing is in clear, nothing is written, nothing said.
      const fourth = await start(keyed);
      await stop(fourth.hub);
      expect((await held()).key).toEqual(sealed.key);
      expect((await held()).totp).toEqual(sealed.totp);
      expect(sealedLines()).toHaveLength(1);
      expect(fingerprints()).toHaveLength(4);
      expect(new Set(fingerprints()).size).toBe(1);
    } finally {
      await Promise.all([...running].map((h) => h.close().catch(() => undefined)));
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });
});
