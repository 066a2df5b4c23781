/**
 * The sync API over HTTP (docs/sync-protocol.md), run against PostgreSQL and the embedded store:
 * sign-in, sessions, enrolment, push and pull, scope, forged requests, and a disabled user's
 * device. Each test starts its own server over its own schema, with a clock it moves.
 */
import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API, DEVICE_ID_HEADER, DEVICE_SECRET_HEADER, HUB_ONLY_OFFICE, MAX_BODY_BYTES, SECURE_SESSION_COOKIE, SESSION_COOKIE, type ChangeResult, type ErrorResponse } from '../../src/protocol/sync';
import { totpCode } from '../../src/server/services/credentials';
import { appendEntries, contactBody, openBody } from '../factories/emergency-case';
import { orderEntries, verifyChain } from '../../src/domain/case-chain';
import type { CaseEntry } from '../../src/domain/emergency-case';
import { accessWire, DeviceClient, entryWire, facilityPayload, householdWire, HUB, OFFICES, startApi, wireChange, type ApiHarness, type TestUser } from './api-harness';
import type { ContractTarget } from './store-contract';

const MINUTE = 60_000;

export function apiSuite(name: string, target: ContractTarget): void {
  describe(`sync API: ${name}`, () => {
    let api: ApiHarness;
    let coord: TestUser;
    beforeEach(async () => {
      api = await startApi(target);
      coord = await api.user('coord1', 'coordinator');
    });
    afterEach(() => api.close());

    const device = (id: string) => new DeviceClient(api, id);
    const head = async () => (await api.store.health()).headVersion;

    describe('sign-in and sessions', () => {
      it('[A3][A5][A1] signs in with password and TOTP: an HttpOnly, SameSite=Strict cookie and the session, never cached', async () => {
        const phone = device('phone-1');
        const answer = await phone.signIn(coord);
        expect(answer.status).toBe(200);
        expect(answer.body).toEqual({
          user: { id: coord.id, hub: HUB, displayName: 'coord1 さん', role: 'coordinator', officeId: null, facilityId: null },
          expiresAt: '2026-12-01T00:00:00.000Z',
          idleTimeoutSeconds: 1800,
        });
        const cookie = answer.headers.get('set-cookie') ?? '';
        expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; `));
        expect(cookie).toContain('HttpOnly');
        expect(cookie).toContain('SameSite=Strict');
        expect(cookie).toContain('Path=/');
        expect(cookie).not.toContain('Secure');
        expect(answer.headers.get('cache-control')).toBe('no-store');
        expect(answer.headers.get('content-security-policy')).toContain("default-src 'self'");
        const session = await phone.request('GET', API.session);
        expect(session.status).toBe(200);
        expect(session.body).toMatchObject({ user: { id: coord.id } });
        // the token is stored only as its hash
        const ids = await api.raw.query<{ id: string }>('SELECT id FROM sessions');
        expect(ids.rows.map((r) => r.id)).not.toContain(phone.cookie!.split('=')[1]);
      });

      it('[A5] marks the cookie Secure behind a TLS proxy (X-Forwarded-Proto: https)', async () => {
        const answer = await device('p').request('POST', API.session, {
          hub: HUB,
          loginName: coord.loginName,
          password: 'yoru-no-denwa-2026',
          totp: totpCode(coord.totpSecret, api.clock.now),
        }, { 'x-forwarded-proto': 'https' });
        expect(answer.status).toBe(200);
        expect(answer.headers.get('set-cookie')).toContain('Secure');
      });

      it('[A3] answers a wrong hub, login, password or code alike with bad-credentials, and a used code is not taken again', async () => {
        const phone = device('phone-1');
        const wrongs = [
          await phone.signIn(coord, { hub: 'hub-other' }),
          await phone.signIn(coord, { loginName: 'nobody' }),
          await phone.signIn(coord, { password: 'wrong-password-1' }),
          await phone.signIn(coord, { totp: totpCode(coord.totpSecret, new Date(api.clock.now.getTime() + 5 * MINUTE)) }),
        ];
        for (const w of wrongs) {
          expect(w.status).toBe(401);
          // alike but for the request's own id (random: it tells nothing of which was wrong)
          expect(w.body).toEqual({ error: 'bad-credentials', message: '拠点ID・ログインID・パスワード・確認コードのいずれかが違います。', requestId: expect.stringMatching(/^[0-9a-f]{8}$/) });
          expect(w.headers.get('set-cookie')).toBeNull();
        }
        expect((await phone.signIn(coord)).status).toBe(200);
        // the same code again (someone who saw it) is refused, even with the right password
        expect((await device('other').signIn(coord)).status).toBe(401);
        api.clock.advance(30_000);
        expect((await device('other').signIn(coord)).status).toBe(200);
      });

      it('[A2] refuses a malformed sign-in with 400 and the field in detail', async () => {
        const answer = await device('p').request<ErrorResponse>('POST', API.session, { hub: HUB, loginName: 'coord1', password: 'x', totp: '12345' });
        expect(answer.status).toBe(400);
        expect(answer.body.error).toBe('bad-request');
        expect(answer.body.detail).toMatch(/^totp: /);
        const notJson = await device('p').request<ErrorResponse>('POST', API.session, '{"hub":', { 'content-type': 'application/json' });
        expect(notJson.status).toBe(400);
        const extra = await device('p').request<ErrorResponse>('POST', API.session, {
          hub: HUB, loginName: 'coord1', password: 'x', totp: '123456', admin: true,
        });
        expect(extra.status).toBe(400);
        expect(extra.body.detail).toMatch(/admin/);
      });

      it('[A4] locks a login after 5 failures (429 throttled, growing), then lets the right password in once the lock is over', async () => {
        const phone = device('phone-1');
        for (let i = 0; i < 5; i++) expect((await phone.signIn(coord, { password: `guess-${i}-xxxxx` })).status).toBe(401);
        const locked = await phone.signIn(coord);
        expect(locked.status).toBe(429);
        expect(locked.body).toMatchObject({ error: 'throttled', retryAfterSeconds: 30 });
        expect(locked.headers.get('retry-after')).toBe('30');
        // an unknown login locks the same way, so a lock says nothing about who exists
        for (let i = 0; i < 5; i++) await phone.signIn(coord, { loginName: 'nobody' });
        expect((await phone.signIn(coord, { loginName: 'nobody' })).status).toBe(429);
        api.clock.advance(31_000);
        expect((await phone.signIn(coord, { password: 'still-wrong-xx' })).status).toBe(401);
        expect((await phone.signIn(coord)).body).toMatchObject({ error: 'throttled', retryAfterSeconds: 60 });
        api.clock.advance(61_000);
        expect((await phone.signIn(coord)).status).toBe(200);
        // success clears the count
        api.clock.advance(30_000);
        expect((await phone.signIn(coord, { password: 'one-more-wrong' })).status).toBe(401);
        expect((await phone.signIn(coord)).status).toBe(200);
      });

      it('[A4] the lock doubles with each further failure, to at most an hour', async () => {
        const phone = device('phone-1');
        for (let i = 0; i < 5; i++) expect((await phone.signIn(coord, { password: `guess-${i}-xxxxx` })).status).toBe(401);
        let lock = 30;
        for (let k = 1; k <= 8; k++) {
          api.clock.advance((lock + 1) * 1000);
          expect((await phone.signIn(coord, { password: `guess-more-${k}-xx` })).status).toBe(401);
          lock = Math.min(3600, 30 * 2 ** k);
          expect((await phone.signIn(coord)).body).toMatchObject({ error: 'throttled', retryAfterSeconds: lock });
        }
        expect(lock).toBe(3600);
      });

      it('[A4] locks an address after 20 failures over any logins, whatever X-Forwarded-For it claims', async () => {
        const phone = device('phone-1');
        for (let i = 0; i < 20; i++) {
          const answer = await phone.request('POST', API.session, { hub: HUB, loginName: `spray-${i}`, password: 'natsu-2026-xx', totp: '123456' }, {
            'x-forwarded-for': `203.0.113.${i}`,
          });
          expect(answer.status).toBe(401);
        }
        // the right password of a real user, from the same address: locked for now
        const locked = await phone.signIn(coord);
        expect(locked.status).toBe(429);
        expect(locked.body).toMatchObject({ error: 'throttled', retryAfterSeconds: 30 });
        api.clock.advance(31_000);
        expect((await phone.signIn(coord)).status).toBe(200);
      });

      it('[A5] ends a session after 30 idle minutes; each request slides it', async () => {
        const phone = device('phone-1');
        await phone.signIn(coord);
        for (let i = 0; i < 3; i++) {
          api.clock.advance(29 * MINUTE);
          expect((await phone.request('GET', API.session)).status).toBe(200);
        }
        api.clock.advance(30 * MINUTE);
        const expired = await phone.request<ErrorResponse>('GET', API.session);
        expect(expired.status).toBe(401);
        expect(expired.body.error).toBe('signed-out');
        // ended for good, even if the clock were to go back
        api.clock.advance(-30 * MINUTE);
        expect((await phone.request('GET', API.session)).status).toBe(401);
      });

      it('[A5] requests within a minute of the last slide write nothing to the session; the next one after it slides', async () => {
        const phone = device('phone-1');
        await phone.signIn(coord);
        const lastSeen = async () => (await api.raw.query<{ at: Date }>('SELECT last_seen_at AS at FROM sessions')).rows.map((r) => r.at.getTime());
        const signedInAt = api.clock.now.getTime();
        for (let i = 0; i < 5; i++) {
          api.clock.advance(10_000);
          expect((await phone.request('GET', API.session)).status).toBe(200);
        }
        expect(await lastSeen()).toEqual([signedInAt]);
        api.clock.advance(10_000);
        expect((await phone.request('GET', API.session)).status).toBe(200);
        expect(await lastSeen()).toEqual([signedInAt + MINUTE]);
      });

      it('[A5] ends a session 12 hours after sign-in however active it is', async () => {
        const phone = device('phone-1');
        await phone.signIn(coord);
        for (let i = 0; i < 35; i++) {
          api.clock.advance(20 * MINUTE);
          expect((await phone.request('GET', API.session)).status).toBe(200);
        }
        api.clock.advance(20 * MINUTE); // 12 h 0 min
        expect((await phone.request<ErrorResponse>('GET', API.session)).body.error).toBe('signed-out');
      });

      it('[A5] signs out: the cookie is cleared and the session is gone', async () => {
        const phone = device('phone-1');
        await phone.signIn(coord);
        const token = phone.cookie;
        const out = await phone.request('DELETE', API.session);
        expect(out.status).toBe(204);
        expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
        expect(out.headers.get('cache-control')).toBe('no-store');
        phone.cookie = token;
        expect((await phone.request('GET', API.session)).status).toBe(401);
      });

      it('[A5] takes no session from a request carrying two session cookies (one planted beside the real one)', async () => {
        const phone = device('phone-1');
        await phone.signIn(coord);
        // The planter: an insider with an account of their own.
        const planter = device('phone-2');
        await planter.signIn(await api.user('insider', 'coordinator'));
        const [real, planted] = [phone.cookie!, planter.cookie!];
        expect(planted).toMatch(/^kyoten_session=./);
        expect((await phone.request('GET', API.session, undefined, { cookie: real })).status).toBe(200);
        // The browser sends the narrower-Path cookie first: it must not be the session used.
        const [plantedFirst, realFirst] = [
          await phone.request<ErrorResponse>('GET', API.session, undefined, { cookie: `${planted}; ${real}` }),
          await phone.request<ErrorResponse>('GET', API.session, undefined, { cookie: `${real}; ${planted}` }),
        ];
        for (const answer of [plantedFirst, realFirst]) {
          expect(answer.status).toBe(401);
          // what the operator reads is what happened, not "no session cookie"
          expect(answer.body.detail).toMatch(/^two session cookies were sent/);
        }
      });

      it('[A5] over https the cookie is __Host-kyoten_session: a kyoten_session cookie planted by another host of the domain stops no sync', async () => {
        const https = { 'x-forwarded-proto': 'https' };
        const phone = device('phone-1');
        const credentials = { hub: HUB, loginName: coord.loginName, password: 'yoru-no-denwa-2026', totp: totpCode(coord.totpSecret, api.clock.now) };
        const signIn = await phone.request('POST', API.session, credentials, https);
        expect(signIn.status).toBe(200);
        const [set, oldCleared] = signIn.headers.getSetCookie();
        expect(set).toMatch(new RegExp(`^${SECURE_SESSION_COOKIE}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/; Max-Age=\\d+; Secure$`));
        expect(oldCleared).toBe(`${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0; Secure`);
        const enrol = { deviceId: phone.deviceId, name: '端末', vaultUserId: phone.vaultUserId };
        const enrolled = await phone.request<{ deviceSecret: string }>('POST', API.devices, enrol, https);
        expect(enrolled.status).toBe(200);
        phone.secret = enrolled.body.deviceSecret;
        // The planter: an insider whose own session cookie, of the plain name, a sibling host's page sets
        // with Domain= and a narrower Path, so the browser sends it first.
        const planter = device('phone-2');
        await planter.signIn(await api.user('insider', 'coordinator'));
        const planted = planter.cookie!;
        expect(planted).toMatch(new RegExp(`^${SESSION_COOKIE}=.`));
        const both = { ...https, cookie: `${planted}; ${phone.cookie!}` };
        expect((await phone.request('GET', API.session, undefined, both)).body).toMatchObject({ user: { id: coord.id } });
        expect((await phone.request('GET', `${API.pull}?cursor=0&limit=10`, undefined, both)).status).toBe(200);
        // Alone, over https, it signs nobody in, and the answer says why.
        const alone = await phone.request<ErrorResponse>('GET', API.session, undefined, { ...https, cookie: planted });
        expect(alone.status).toBe(401);
        expect(alone.body.detail).toMatch(/the kyoten_session cookie sent is not read/);
      });

      it('[A5] a phone signed in before the cookie was named __Host- is answered 401 once over https, and opens its session again with its device token', async () => {
        const https = { 'x-forwarded-proto': 'https' };
        const phone = device('phone-1');
        await phone.signIn(coord);
        const enrolled = await phone.enrol();
        expect(enrolled.status).toBe(200);
        expect(phone.cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=.`));
        // The hub now answers over https: the old name is not read, whatever session it holds.
        const before = await phone.request<ErrorResponse>('GET', `${API.pull}?cursor=0&limit=10`, undefined, https);
        expect(before.status).toBe(401);
        expect(before.body.error).toBe('signed-out');
        // What the app does on that 401 (A8): no one is asked to sign in.
        const reopened = await phone.request('POST', API.deviceSession, { token: enrolled.body.userToken }, https);
        expect(reopened.status).toBe(200);
        expect(reopened.headers.getSetCookie()).toEqual([
          expect.stringMatching(new RegExp(`^${SECURE_SESSION_COOKIE}=.+; Secure$`)),
          `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0; Secure`,
        ]);
        expect((await phone.request('GET', `${API.pull}?cursor=0&limit=10`, undefined, https)).status).toBe(200);
      });
    });

    describe('devices, push and pull', () => {
      it('[A6] enrols a device, pushes a household and a case, and pulls them back, evidence byte for byte', async () => {
        const phone = await device('phone-1').join(coord);
        const entries = await phone.caseEntries('case-1', [openBody({ subject: { householdId: 'hh-1', personId: 'p-1', name: '佐藤 陽太', recipientNumber: '' } })]);
        const changes = [householdWire('hh-1', { officeId: 'office-a' }), entryWire(entries[0]!)];
        const pushed = await phone.push(changes);
        expect(pushed.status).toBe(200);
        expect(pushed.body.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
        expect(pushed.body.serverTime).toBe(api.clock.now.toISOString());
        const pull = await phone.pull(0);
        expect(pull.status).toBe(200);
        expect(pull.body).toMatchObject({ hasMore: false, scope: { role: 'coordinator', officeIds: 'all', facilityId: null }, openConflicts: 0 });
        const byId = new Map(pull.body.records.map((r) => [r.entityId, r]));
        expect(byId.get('hh-1')).toMatchObject({ kind: 'household', officeId: 'office-a', withdrawn: false });
        // the case follows its household's office
        expect(byId.get(entries[0]!.id)).toMatchObject({ kind: 'case-entry', officeId: 'office-a', payloadJson: JSON.stringify(entries[0]) });
        // the same push again (its answer was lost) is harmless: the same versions, nothing doubled
        const again = await phone.request<{ results: ChangeResult[] }>('POST', API.push, { changes: changes.map((c, i) => ({ ...c, seq: i + 1 })) });
        expect(again.body.results).toEqual(pushed.body.results.map((r) => ({ ...r, status: 'duplicate' })));
        expect((await phone.pullAll()).length).toBe(2);
      });

      it('[A6] compresses a pull page for a client that accepts brotli or gzip: the same answer, a fraction of the bytes', async () => {
        const phone = await device('phone-1').join(coord);
        const notes = '夜間は母親が一人で介護。本人は大きな音が苦手で、知らない場所では落ち着かないことがある。';
        expect((await phone.push(Array.from({ length: 40 }, (_, i) => householdWire(`hh-${i}`, { officeId: 'office-a', notes })))).status).toBe(200);
        // raw bytes as they travel (fetch would undo the encoding)
        const raw = (path: string, acceptEncoding: string) =>
          new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
            const req = httpRequest(
              `${api.base}${path}`,
              { headers: { cookie: phone.cookie!, [DEVICE_ID_HEADER]: phone.deviceId, [DEVICE_SECRET_HEADER]: phone.secret!, 'accept-encoding': acceptEncoding } },
              (res) => {
                const chunks: Buffer[] = [];
                res.on('data', (c: Buffer) => chunks.push(c));
                res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
              },
            );
            req.on('error', reject);
            req.end();
          });
        const page = `${API.pull}?cursor=0&limit=1000`;
        const plain = await raw(page, 'identity');
        expect(plain.status).toBe(200);
        expect(plain.headers['content-encoding']).toBeUndefined();
        expect(JSON.parse(plain.body.toString('utf8')).records).toHaveLength(40);
        const br = await raw(page, 'gzip, deflate, br');
        expect(br.headers['content-encoding']).toBe('br');
        expect(br.headers['vary']).toBe('Accept-Encoding');
        expect(Number(br.headers['content-length'])).toBe(br.body.length);
        expect(br.body.length).toBeLessThan(plain.body.length / 4);
        expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
        const gz = await raw(page, 'gzip');
        expect(gz.headers['content-encoding']).toBe('gzip');
        expect(gz.body.length).toBeLessThan(plain.body.length / 4);
        expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
        // an empty page from the head is too small to be worth it
        const empty = await raw(`${API.pull}?cursor=${JSON.parse(plain.body.toString('utf8')).cursor}`, 'br');
        expect(empty.status).toBe(200);
        expect(empty.headers['content-encoding']).toBeUndefined();
        expect(JSON.parse(empty.body.toString('utf8')).records).toEqual([]);
        // and fetch, as the app's pull worker uses it, reads the compressed page as the plain one
        expect((await phone.pull(0)).body).toEqual(JSON.parse(plain.body.toString('utf8')));
      });

      it('[A6] a second user of the hub joins the phone only by proving its secret, keeping its seq; a device of another hub is refused', async () => {
        const phone = await device('oncall-phone').join(coord);
        await phone.push([householdWire('hh-1')]);
        const coord2 = await api.user('coord2', 'coordinator');
        // the device id alone (it is in every case entry) does not move the phone
        const thief = device('oncall-phone');
        await thief.signIn(coord2);
        expect((await thief.enrol()).status).toBe(403);
        // the phone itself, its secret in the header, adds the second user; nobody is dropped
        const handed = device('oncall-phone');
        handed.secret = phone.secret;
        api.clock.advance(30_000); // a TOTP code is taken once
        await handed.signIn(coord2);
        // with their own key slot's vault user id: the phone's first user's is theirs alone [A9]
        const enrol = await handed.request<{ deviceSecret: string; lastSeq: number }>('POST', API.devices, { deviceId: 'oncall-phone', name: '端末', vaultUserId: 'coord2-on-oncall-phone' });
        expect(enrol.status).toBe(200);
        handed.nextSeq = enrol.body.lastSeq + 1;
        expect(enrol.body.lastSeq).toBe(1);
        expect(enrol.body.deviceSecret).toBe(phone.secret);
        expect((await handed.push([householdWire('hh-2')])).body.results[0]).toMatchObject({ seq: 2, status: 'accepted' });
        // the first coordinator carries on with the same secret
        phone.nextSeq = 3;
        expect((await phone.push([householdWire('hh-3')])).body.results[0]).toMatchObject({ seq: 3, status: 'accepted' });
        await api.store.createTenant({ id: 'hub-other', name: '別の拠点' });
        const stranger = await api.accounts.createUser({
          id: 'u-stranger', tenantId: 'hub-other', role: 'coordinator', loginName: 'coord1', displayName: '他拠点', password: 'yoru-no-denwa-2026',
        });
        const theirs = device('oncall-phone');
        expect((await theirs.request('POST', API.session, {
          hub: 'hub-other', loginName: 'coord1', password: 'yoru-no-denwa-2026', totp: totpCode(stranger.totpSecret, api.clock.now),
        })).status).toBe(200);
        expect((await theirs.enrol()).body).toMatchObject({ error: 'exists' });
        expect((await theirs.enrol()).status).toBe(409);
      });

      it('[A2][A7] refuses forged or malformed pushes with a 4xx and a reason, and writes nothing', async () => {
        const phone = await device('phone-1').join(coord);
        const before = await head();
        const good = { ...householdWire('hh-1'), seq: 1 };
        const cases: [string, unknown, Record<string, string>, number, string][] = [
          ['unknown field', { changes: [{ ...good, officeId: 'office-a' }] }, {}, 400, 'changes.0'],
          ['wrong type', { changes: [{ ...good, seq: '1' }] }, {}, 400, 'changes.0.seq'],
          ['unknown kind', { changes: [{ ...good, kind: 'user' }] }, {}, 400, 'changes.0.kind'],
          ['no changes', { changes: [] }, {}, 400, 'changes'],
          ['seqs out of order', { changes: [{ ...good, seq: 2 }, { ...householdWire('hh-2'), seq: 1 }] }, {}, 400, 'seq'],
          ['not JSON', '{"changes": [', {}, 400, 'JSON'],
          ['wrong device secret', { changes: [good] }, { 'x-kyoten-device-secret': 'A'.repeat(43) }, 403, 'secret'],
          ['no device headers', { changes: [good] }, { 'x-kyoten-device': '', 'x-kyoten-device-secret': '' }, 403, 'headers'],
          ['unknown device', { changes: [good] }, { 'x-kyoten-device': 'phone-9' }, 403, 'not enrolled'],
        ];
        for (const [what, body, headers, status, detail] of cases) {
          const answer = await phone.request<ErrorResponse>('POST', API.push, body, headers);
          expect(answer.status, what).toBe(status);
          expect(answer.body.message, what).toMatch(/[ぁ-んァ-ン一-龯]/);
          expect(answer.body.detail ?? '', what).toContain(detail);
        }
        // another user's device, with its own valid secret, under this user's session
        const coord2 = await api.user('coord2', 'coordinator');
        const theirs = await device('phone-2').join(coord2);
        const borrowed = await phone.request<ErrorResponse>('POST', API.push, { changes: [good] }, {
          'x-kyoten-device': 'phone-2',
          'x-kyoten-device-secret': theirs.secret!,
        });
        expect(borrowed.status).toBe(403);
        expect(borrowed.body.error).toBe('forbidden');
        // no session at all
        const cookie = phone.cookie;
        phone.cookie = undefined;
        expect((await phone.request<ErrorResponse>('POST', API.push, { changes: [good] })).body.error).toBe('signed-out');
        phone.cookie = cookie;
        expect(await head()).toBe(before);
        expect((await phone.pullAll()).length).toBe(0);
        // and the device still pushes seq 1 afterwards
        expect((await phone.push([householdWire('hh-1')])).body.results[0]).toMatchObject({ seq: 1, status: 'accepted' });
      });

      it('[A2] takes a gzipped push, and refuses a gzip that unpacks past MAX_BODY_BYTES, a broken one, another encoding, or gzip outside a push, writing nothing', async () => {
        const phone = await device('phone-1').join(coord);
        const post = (path: string, body: Buffer | string, encoding: string) =>
          fetch(`${api.base}${path}`, {
            method: 'POST',
            body: typeof body === 'string' ? body : new Uint8Array(body),
            headers: { 'content-type': 'application/json', 'content-encoding': encoding, cookie: phone.cookie!, 'x-kyoten-device': phone.deviceId, 'x-kyoten-device-secret': phone.secret! },
          }).then(async (r) => ({ status: r.status, body: (await r.json()) as ErrorResponse }));
        const before = await head();
        // one after another, as a device pushes (a second push of a device at once is turned away: A11)
        const refusals: [string, () => Promise<{ status: number; body: ErrorResponse }>, number, string][] = [
          // ~1 KB on the wire, 9 MiB unpacked: stopped at the cap, not unpacked whole
          ['a gzip bomb', () => post(API.push, gzipSync(Buffer.alloc(MAX_BODY_BYTES + 1024 * 1024, 0x20)), 'gzip'), 413, `${MAX_BODY_BYTES}`],
          ['broken gzip', () => post(API.push, Buffer.from('{"changes": []} not gzip'), 'gzip'), 400, 'gzip'],
          ['brotli', () => post(API.push, Buffer.from('{}'), 'br'), 400, 'Content-Encoding'],
          ['gzip outside a push', () => post(API.devices, gzipSync('{"deviceId":"phone-1"}'), 'gzip'), 400, 'Content-Encoding'],
        ];
        for (const [what, send, status, detail] of refusals) {
          const { status: got, body } = await send();
          expect(got, what).toBe(status);
          expect(body.message, what).toMatch(/[ぁ-んァ-ン一-龯]/);
          expect(body.detail ?? '', what).toContain(detail);
        }
        expect(await head()).toBe(before);
        // a real push, gzipped as the app sends a large one: taken as if sent plain
        const changes = Array.from({ length: 30 }, (_, i) => ({ ...householdWire(`hh-${i}`, { officeId: 'office-a' }), seq: i + 1 }));
        const taken = await post(API.push, gzipSync(JSON.stringify({ changes })), 'gzip');
        expect(taken.status).toBe(200);
        expect((taken.body as unknown as { results: ChangeResult[] }).results.map((r) => r.status)).toEqual(changes.map(() => 'accepted'));
        expect((await phone.pullAll()).map((r) => r.entityId).sort()).toEqual(changes.map((c) => c.entityId).sort());
      });

      it('[A2] answers text the database cannot hold (a NUL) with a 4xx or a refusal of that change alone, never a 5xx', async () => {
        const phone = device('phone-1');
        expect((await phone.signIn(coord, { loginName: 'coord\u0000' })).status).toBeLessThan(500);
        await phone.join(coord);
        expect((await phone.request('POST', API.devices, { deviceId: 'tab\u0000let', name: 'x' })).status).toBe(400);
        const entries = await appendEntries([], [openBody()], 'case\u00001');
        const answer = await phone.push([householdWire('hh\u00001'), entryWire(entries[0]!), householdWire('hh-2')]);
        expect(answer.status).toBe(200);
        expect(answer.body.results.map((r) => r.status)).toEqual(['refused', 'refused', 'accepted']);
      });

      it('[A2] refuses a body over MAX_BODY_BYTES with 413 and writes nothing', async () => {
        const phone = await device('phone-1').join(coord);
        const big = { changes: [{ ...householdWire('hh-1', { note: 'あ'.repeat(MAX_BODY_BYTES / 3 + 10) }), seq: 1 }] };
        const answer = await phone.request<ErrorResponse>('POST', API.push, big);
        expect(answer.status).toBe(413);
        expect(answer.body.error).toBe('too-large');
        expect(await head()).toBe(0);
        expect((await phone.push([householdWire('hh-1')])).body.results[0]!.status).toBe('accepted');
      });

      it('[A1] answers 404 for an unknown API path and 405 for a wrong method, as JSON', async () => {
        const phone = device('p');
        const missing = await phone.request<ErrorResponse>('GET', '/api/nothing');
        expect(missing.status).toBe(404);
        expect(missing.body.error).toBe('not-found');
        const wrong = await phone.request('PUT', API.push, {});
        expect(wrong.status).toBe(405);
        expect(wrong.headers.get('allow')).toBe('POST');
      });
    });

    describe('[S10] scope', () => {
      it("[S10] a case worker writes only their office's households and cases; the rest is refused per change as 'scope'", async () => {
        const worker = await api.user('worker-a', 'case-worker', { officeId: 'office-a' });
        const coordPhone = await device('coord-phone').join(coord);
        await coordPhone.push([householdWire('hh-b', { officeId: 'office-b' })]);
        const tablet = await device('worker-tablet').join(worker);
        const before = await head();
        const caseB = await tablet.caseEntries('case-b', [openBody({ subject: { householdId: 'hh-b', personId: null, name: '他事業所', recipientNumber: '' } })]);
        const caseA = await tablet.caseEntries('case-a', [openBody({ subject: { householdId: 'hh-a', personId: null, name: '自事業所', recipientNumber: '' } })]);
        const answer = await tablet.push([
          householdWire('hh-x', { officeId: 'office-b' }), // names another office
          householdWire('hh-b', { note: '書き換え' }, 'update'), // held under another office
          householdWire('hh-a'), // no office named: their own
          entryWire(caseB[0]!), // a case of another office's household
          entryWire(caseA[0]!),
          wireChange('facility', 'fac-1', facilityPayload('fac-1'), 'create'),
          wireChange('office', 'office-a', { id: 'office-a', name: 'あおば', officeNumber: '1210000001', hubPeriods: [], oneBody: { settlement: false, independentLiving: false }, createdAt: '2026-04-01T00:00:00.000Z', updatedAt: '2026-04-01T00:00:00.000Z' }, 'update'),
        ]);
        expect(answer.status).toBe(200);
        expect(answer.body.results.map((r) => (r.status === 'refused' ? r.reason : r.status))).toEqual([
          'scope', 'scope', 'accepted', 'scope', 'accepted', 'scope', 'scope',
        ]);
        expect(answer.body.results[0]).toMatchObject({ retryable: false });
        expect(await head()).toBe(before + 2);
        const held = await tablet.pullAll();
        expect(held.map((r) => [r.kind, r.entityId, r.officeId]).sort()).toEqual([
          ['case-entry', caseA[0]!.id, 'office-a'],
          ['household', 'hh-a', 'office-a'],
        ]);
        // the refusals are kept for the admin, with the payload as sent
        const refusals = await api.store.listRefusals(HUB);
        expect(refusals.filter((r) => r.reason === 'scope')).toHaveLength(5);
        // the seq of each refusal is taken: a retry gets the same answers, nothing is doubled
        tablet.nextSeq = 1;
        const retry = await tablet.request<{ results: ChangeResult[] }>('POST', API.push, {
          changes: [{ ...householdWire('hh-x', { officeId: 'office-b' }), seq: 1 }],
        });
        expect(retry.body.results[0]).toMatchObject({ status: 'refused', reason: 'seq-conflict' });
      });

      it("[S10] a case stays under the office it was opened in: a coordinator's later entry is held there, and another office's case worker cannot add to it", async () => {
        const workerA = await api.user('worker-a', 'case-worker', { officeId: 'office-a' });
        const workerB = await api.user('worker-b', 'case-worker', { officeId: 'office-b' });
        const tabletA = await device('tablet-a').join(workerA);
        const coordPhone = await device('coord-phone').join(coord);
        const tabletB = await device('tablet-b').join(workerB);
        const subjectA = { householdId: 'hh-a', personId: null, name: '自事業所', recipientNumber: '' };
        const opened = await tabletA.caseEntries('case-a', [openBody({ subject: subjectA })]);
        const first = await tabletA.push([householdWire('hh-a'), entryWire(opened[0]!)]);
        expect(first.body.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
        // The coordinator (no office of their own) calls a facility for the case at night.
        const call = await coordPhone.caseEntries('case-a', [contactBody({ facilityName: 'あおぞら', result: '受入可' })], opened);
        expect((await coordPhone.push([entryWire(call[1]!)])).body.results.map((r) => r.status)).toEqual(['accepted']);
        // The office's case worker holds both entries, under their office.
        const held = (await tabletA.pullAll()).filter((r) => r.kind === 'case-entry');
        expect(held.map((r) => [r.entityId, r.officeId]).sort()).toEqual([opened[0]!.id, call[1]!.id].sort().map((id) => [id, 'office-a']));
        // Another office's case worker cannot add to it.
        const intruder = await tabletB.caseEntries('case-a', [contactBody({ facilityName: 'みどり', result: '受入不可' })], [...opened, call[1]!]);
        const refused = await tabletB.push([entryWire(intruder[2]!)]);
        expect(refused.body.results[0]).toMatchObject({ status: 'refused', reason: 'scope' });
      });

      it('[S10] households without an office are held for the hub only; a coordinator edit keeps the held office', async () => {
        const worker = await api.user('worker-a', 'case-worker', { officeId: 'office-a' });
        const phone = await device('coord-phone').join(coord);
        await phone.push([householdWire('hh-1'), householdWire('hh-2', { officeId: 'office-a' })]);
        await phone.push([householdWire('hh-2', { note: '夜間は裏口' }, 'update')]);
        const records = new Map((await phone.pullAll()).map((r) => [r.entityId, r]));
        expect(records.get('hh-1')!.officeId).toBe(HUB_ONLY_OFFICE);
        expect(records.get('hh-2')!.officeId).toBe('office-a');
        const tablet = await device('worker-tablet').join(worker);
        expect((await tablet.pullAll()).map((r) => r.entityId)).toEqual(['hh-2']);
      });

      it('[S10] pull counts the open conflicts of records in the user\'s scope only', async () => {
        const phoneA = await device('coord-phone').join(coord);
        const phoneB = await device('coord2-phone').join(await api.user('coord2', 'coordinator'));
        const created = await phoneA.push([householdWire('hh-1', { officeId: 'office-a' })]);
        const base = (created.body.results[0] as { version: number }).version;
        await phoneA.push([{ ...householdWire('hh-1', { officeId: 'office-a', note: '夜間は裏口' }, 'update'), baseVersion: base }]);
        await phoneB.push([{ ...householdWire('hh-1', { officeId: 'office-a', note: '犬がいます' }, 'update'), baseVersion: base }]);
        expect((await phoneA.pull(0)).body.openConflicts).toBe(1);
        const inOffice = await device('a-tablet').join(await api.user('worker-a', 'case-worker', { officeId: 'office-a' }));
        const elsewhere = await device('b-tablet').join(await api.user('worker-b', 'case-worker', { officeId: 'office-b' }));
        expect((await inOffice.pull(0)).body.openConflicts).toBe(1);
        expect((await elsewhere.pull(0)).body.openConflicts).toBe(0);
      });

      it('[S10] a facility liaison writes and pulls only their own facility', async () => {
        const liaison = await api.user('liaison', 'facility-liaison', { facilityId: 'fac-1' });
        const phone = await device('coord-phone').join(coord);
        await phone.push([
          wireChange('facility', 'fac-1', facilityPayload('fac-1', { capacity: 0 }), 'create'),
          wireChange('facility', 'fac-2', facilityPayload('fac-2', { capacity: 1 }), 'create'),
          householdWire('hh-1'),
        ]);
        const desk = await device('liaison-pc').join(liaison);
        const [held] = await desk.pullAll();
        const answer = await desk.push([
          { ...wireChange('facility', 'fac-1', facilityPayload('fac-1', { capacity: 2 }), 'update'), baseVersion: held!.version },
          wireChange('facility', 'fac-2', facilityPayload('fac-2', { capacity: 9 }), 'update'),
          householdWire('hh-9'),
        ]);
        expect(answer.body.results.map((r) => (r.status === 'refused' ? r.reason : r.status))).toEqual(['accepted', 'scope', 'scope']);
        const page = await desk.pull(0);
        expect(page.body.scope).toEqual({ role: 'facility-liaison', officeIds: [], facilityId: 'fac-1' });
        expect(page.body.records.map((r) => r.entityId)).toEqual(['fac-1']);
        expect(JSON.parse(page.body.records[0]!.payloadJson)).toMatchObject({ capacity: 2 });
      });
    });

    describe('[E1]-[E7] evidence the hub checks before it stores it', () => {
      const reasons = (answer: { body: { results: readonly ChangeResult[] } }) =>
        answer.body.results.map((r) => (r.status === 'refused' ? r.reason : r.status));
      const subject = { householdId: 'hh-1', personId: null, name: '佐藤', recipientNumber: '' };

      it('[E2][E3] two phones continue one case offline; both entries are taken and both phones pull one case that verifies', async () => {
        const coord2 = await api.user('coord2', 'coordinator');
        const night = await device('night-phone').join(coord);
        const morning = await device('morning-phone').join(coord2);
        const opened = await night.caseEntries('case-1', [openBody({ subject })]);
        expect(reasons(await night.push(opened.map(entryWire)))).toEqual(['accepted']);
        // both hold the open entry; each adds a call while offline
        const fromNight = await night.caseEntries('case-1', [contactBody({ facilityName: 'あおぞら', result: '受入不可' })], opened);
        const fromMorning = await morning.caseEntries('case-1', [contactBody({ facilityName: 'みどり', result: '受入可' })], opened);
        expect(fromNight[1]!.prevHash).toBe(fromMorning[1]!.prevHash);
        expect(reasons(await morning.push([entryWire(fromMorning[1]!)]))).toEqual(['accepted']);
        expect(reasons(await night.push([entryWire(fromNight[1]!)]))).toEqual(['accepted']);
        const held = async (phone: DeviceClient) =>
          orderEntries((await phone.pullAll()).filter((r) => r.kind === 'case-entry').map((r) => JSON.parse(r.payloadJson) as CaseEntry));
        const [a, b] = [await held(night), await held(morning)];
        expect(a).toEqual(b);
        expect(await verifyChain(a)).toMatchObject({ ok: true, length: 3 });
      });

      it('[E6][E7][E1] forged entries are refused with their reason; the case on the hub stays whole', async () => {
        const coord2 = await api.user('coord2', 'coordinator');
        const phone = await device('phone-1').join(coord);
        const other = await device('phone-2').join(coord2);
        const opened = await phone.caseEntries('case-1', [openBody({ subject })]);
        await phone.push(opened.map(entryWire));
        // written as if by the colleague on the other phone, or on the other phone, or back-dated,
        // or restarting the case with index 0 and no previous entry
        const asColleague = await appendEntries(opened, [contactBody()], 'case-1', { by: { userId: other.vaultUserId, name: '別の職員' }, deviceId: phone.deviceId });
        const onOtherPhone = await appendEntries(opened, [contactBody()], 'case-1', { by: { userId: phone.vaultUserId, name: '夜勤' }, deviceId: other.deviceId });
        const backdated = await phone.caseEntries('case-1', [{ body: contactBody(), at: '2024-04-01T00:00:00.000Z' }], opened);
        const restart = await phone.caseEntries('case-1', [openBody({ subject, detail: '差し替え' })], [], 'restart');
        const answer = await phone.push([entryWire(asColleague[1]!), entryWire(onOtherPhone[1]!), entryWire(backdated[1]!), { ...entryWire(restart[0]!) }]);
        expect(answer.status).toBe(200);
        expect(reasons(answer)).toEqual(['writer', 'writer', 'clock', 'chain']);
        for (const r of answer.body.results) expect(r.status === 'refused' && r.retryable).toBe(false);
        const onHub = (await phone.pullAll()).filter((r) => r.kind === 'case-entry');
        expect(onHub.map((r) => r.payloadJson)).toEqual([JSON.stringify(opened[0])]);
        // each refusal is kept for the admin with the payload as sent
        const refusals = await api.store.listRefusals(HUB);
        expect(refusals.map((r) => r.reason).sort()).toEqual(['chain', 'clock', 'writer', 'writer']);
      });

      it('[E6] an entry by staff the hub never saw sign in on this device is refused; after they sign in, it is taken', async () => {
        const phone = await device('phone-1').join(coord);
        const stranger = { userId: 'staff-never-signed-in', name: '未登録の職員' };
        const opened = await appendEntries([], [openBody({ subject })], 'case-1', { by: stranger, deviceId: phone.deviceId });
        expect(reasons(await phone.push([entryWire(opened[0]!)]))).toEqual(['writer']);
        // that member of staff signs in on this phone with their own hub account (the app sends
        // their vault id with the enrolment); the phone sends their entry under their name [A9]
        const staff = await api.user('staff-1', 'coordinator');
        const theirs = device('phone-1');
        theirs.secret = phone.secret;
        expect((await theirs.signIn(staff)).status).toBe(200);
        const bound = await theirs.request('POST', API.devices, { deviceId: phone.deviceId, name: '端末', vaultUserId: stranger.userId });
        expect(bound.status).toBe(200);
        expect(reasons(await phone.push([{ ...entryWire(opened[0]!), author: staff.id }]))).toEqual(['accepted']);
        // the first person's hub account is theirs on this phone: another vault user cannot take it
        const taken = await phone.request<ErrorResponse>('POST', API.devices, { deviceId: phone.deviceId, name: '端末', vaultUserId: 'someone-else' });
        expect(taken.status).toBe(403);
      });
    });

    describe('a disabled user', () => {
      it("[A7] gets 410 at the device's next contact, can still send its evidence by retire-push, and nothing else", async () => {
        const phone = await device('phone-1').join(coord);
        await phone.push([householdWire('hh-1', { officeId: 'office-a' })]);
        const entries = await phone.caseEntries('case-1', [openBody({ subject: { householdId: 'hh-1', personId: null, name: '佐藤', recipientNumber: '' } })]);
        // written offline, not yet sent, when the admin disables the user
        await api.accounts.disableUser(coord.id);
        const push = await phone.push([entryWire(entries[0]!)]);
        expect(push.status).toBe(410);
        expect(push.body).toMatchObject({ error: 'retired' });
        expect((await phone.pull(0)).status).toBe(410);
        expect((await phone.request('GET', API.session)).status).toBe(401);
        expect(await api.raw.query("SELECT 1 FROM sessions WHERE user_id = $1 AND ended_at IS NULL", [coord.id]).then((r) => r.rowCount)).toBe(0);

        const seq = phone.nextSeq;
        phone.cookie = undefined; // the retire push needs no session
        const retire = await phone.push(
          [entryWire(entries[0]!), accessWire('acc-1', 'hh-1', '2026-11-30T15:00:00.000Z', phone), householdWire('hh-1', { note: '最後に' }, 'update')],
          API.retirePush,
        );
        expect(retire.status).toBe(200);
        expect(retire.body.results.map((r) => (r.status === 'refused' ? r.reason : r.status))).toEqual(['accepted', 'accepted', 'scope']);
        expect(retire.body.results[0]!.seq).toBe(seq);
        // a wrong secret cannot retire-push
        phone.secret = 'B'.repeat(43);
        expect((await phone.push([entryWire(entries[0]!)], API.retirePush)).status).toBe(403);

        const coord2 = await api.user('coord2', 'coordinator');
        const other = await device('phone-2').join(coord2);
        const held = new Map((await other.pullAll()).map((r) => [r.entityId, r]));
        expect(held.get(entries[0]!.id)!.payloadJson).toBe(JSON.stringify(entries[0]));
        expect(JSON.parse(held.get('hh-1')!.payloadJson).note).toBe('');
        // a device that is not retired may not use the retire path
        expect((await other.push([entryWire(entries[0]!)], API.retirePush)).status).toBe(403);
      });

      it('[A7] a disabled device gets 410 while its user carries on with another device; its session ends, re-enrolling it is refused', async () => {
        const phone = await device('phone-1').join(coord);
        await api.accounts.disableDevice('phone-1');
        expect((await phone.push([householdWire('hh-1')])).status).toBe(410);
        // [A5] the session opened through it ends with it: its cookie enrols nothing (the phone wipes, the cookie stays)
        expect((await phone.request('GET', API.session)).status).toBe(401);
        const taken = device('tablet-1');
        taken.cookie = phone.cookie;
        expect((await taken.enrol()).status).toBe(401);
        api.clock.advance(30_000); // the next TOTP code [A3]
        expect((await phone.signIn(coord)).status).toBe(200);
        expect((await phone.enrol()).status).toBe(410);
        api.clock.advance(30_000);
        const tablet = await device('tablet-1').join(coord);
        expect((await tablet.push([householdWire('hh-1')])).body.results[0]!.status).toBe('accepted');
      });
    });
  });
}
