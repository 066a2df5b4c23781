/**
 * Sign-ins of one user sent at once, against a real PostgreSQL: two tabs on one phone, or two
 * phones, pressing サインイン with the same code at the same moment, then joining the phone; and a
 * phone's device token opening sessions in parallel. Each request gets a clear answer (success, or
 * a 4xx whose Japanese message the app shows), never a 500, and the sign-in throttle still counts.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { API, type ErrorResponse, type SessionInfo } from '../../src/protocol/sync';
import { totpCode } from '../../src/server/services/credentials';
import { DeviceClient, startApi, type Answer, type ApiHarness, type TestUser } from './api-harness';
import { schemaTarget } from './schema-target';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

/** No 5xx; every refusal names its reason and says it in Japanese. */
function clear(answers: readonly Answer[]): void {
  for (const a of answers) {
    expect(a.status, JSON.stringify(a.body)).toBeLessThan(500);
    if (a.status >= 400) expect((a.body as ErrorResponse).message).toMatch(JAPANESE);
  }
}

describe('sign-ins of one user at once (PostgreSQL)', () => {
  let api: ApiHarness;
  let coord: TestUser;
  let errors: MockInstance<(typeof console)['error']>;
  beforeEach(async () => {
    api = await startApi(target);
    coord = await api.user('coord1', 'coordinator');
    errors = vi.spyOn(console, 'error');
  });
  afterEach(async () => {
    const logged = errors.mock.calls.map((c) => String(c[0]));
    errors.mockRestore();
    await api.close();
    // The server logged no failure of its own.
    expect(logged).toEqual([]);
  });

  it('the same code from two tabs of one phone: one session, the other told the code was just used; joining the phone from all at once registers it once', async () => {
    const tabs = Array.from({ length: 4 }, () => new DeviceClient(api, 'oncall-phone'));
    const signIns = await Promise.all(tabs.map((t) => t.signIn(coord)));
    clear(signIns);
    const ok = signIns.filter((a) => a.status === 200);
    expect(ok).toHaveLength(1);
    for (const refused of signIns.filter((a) => a.status !== 200)) {
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ error: 'bad-credentials', message: expect.stringContaining('確認コードは使用済み') });
      // when the next code comes, so the app can say so instead of blaming the password
      expect((refused.body as ErrorResponse).retryAfterSeconds).toBeGreaterThan(0);
      expect(refused.headers.get('retry-after')).not.toBeNull();
    }
    // The refused tabs wait for the next code, as the message says, and sign in at once together.
    api.clock.advance(30_000);
    const next = await Promise.all(tabs.filter((_, i) => signIns[i]!.status !== 200).map((t) => t.signIn(coord, { totp: totpCode(coord.totpSecret, api.clock.now) })));
    clear(next);
    expect(next.filter((a) => a.status === 200)).toHaveLength(1);
    // Every tab with a session joins the phone at the same moment: it is registered once.
    api.clock.advance(30_000);
    for (const t of tabs.filter((t) => t.cookie === undefined)) {
      expect((await t.signIn(coord, { totp: totpCode(coord.totpSecret, api.clock.now) })).status).toBe(200);
      api.clock.advance(30_000);
    }
    const enrols = await Promise.all(tabs.map((t) => t.enrol('当番の携帯')));
    clear(enrols);
    // One registers the phone; the others, holding no secret of it, are refused in words (the
    // same user's other screen registered it: reopen this one), never a 500 from the registration they lost.
    const registered = enrols.filter((e) => e.status === 200);
    expect(registered).toHaveLength(1);
    for (const e of enrols.filter((x) => x.status !== 200)) {
      expect(e.status).toBe(403);
      expect((e.body as unknown as ErrorResponse).message).toContain('同じ職員の別の画面からの登録と重なりました');
    }
    // Another user without the secret is still told the id is registered (A6), not that it is theirs.
    const stranger = new DeviceClient(api, 'oncall-phone');
    expect((await stranger.signIn(await api.user('coord2', 'coordinator'))).status).toBe(200);
    const refused = await stranger.enrol();
    expect(refused.status).toBe(403);
    expect((refused.body as unknown as ErrorResponse).message).toContain('既に登録されています');
    const held = await api.raw.query<{ n: string }>('SELECT count(*) AS n FROM devices WHERE id = $1', ['oncall-phone']);
    expect(Number(held.rows[0]!.n)).toBe(1);
    // The app's other tabs then find the secret the first one saved and join with it: the same phone.
    const secret = registered[0]!.body.deviceSecret;
    const again = await Promise.all(
      tabs.filter((_, i) => enrols[i]!.status !== 200).map((t) => {
        t.secret = secret;
        return t.request<{ deviceSecret: string }>('POST', API.devices, { deviceId: t.deviceId, name: '当番の携帯', vaultUserId: t.vaultUserId }, { 'x-kyoten-device-secret': secret });
      }),
    );
    clear(again);
    expect(again.map((a) => [a.status, a.body.deviceSecret])).toEqual(again.map(() => [200, secret]));
    // Each tab's session pulls for the phone; one after another, as the app's tabs sync (one Web
    // Lock): a device has one pull under way at a time (A12).
    const pulls = [];
    for (const t of tabs) pulls.push(await t.pull());
    expect(pulls.map((p) => p.status)).toEqual([200, 200, 200, 200]);
  });

  it('the same code on two phones at once: one signs in, the other is told to wait for the next code; both then join their own phone at once', async () => {
    const phones = [new DeviceClient(api, 'phone-a'), new DeviceClient(api, 'phone-b')];
    const first = await Promise.all(phones.map((p) => p.signIn(coord)));
    clear(first);
    expect(first.map((a) => a.status).sort()).toEqual([200, 401]);
    const late = phones[first.findIndex((a) => a.status !== 200)]!;
    api.clock.advance(30_000);
    expect((await late.signIn(coord)).status).toBe(200);
    const enrols = await Promise.all(phones.map((p) => p.enrol()));
    clear(enrols);
    expect(enrols.map((e) => e.status)).toEqual([200, 200]);
    // A success clears the login's failures: the refused attempt did not count against it.
    const throttle = await api.raw.query('SELECT failures FROM login_throttle WHERE login_name = $1', [coord.loginName]);
    expect(throttle.rows).toEqual([]);
  });

  it('different codes of the window at once (this step and the last): one session, the other a clear refusal', async () => {
    const phones = [new DeviceClient(api, 'phone-a'), new DeviceClient(api, 'phone-b')];
    const codes = [totpCode(coord.totpSecret, api.clock.now), totpCode(coord.totpSecret, new Date(api.clock.now.getTime() - 30_000))];
    const answers = await Promise.all(phones.map((p, i) => p.signIn(coord, { totp: codes[i]! })));
    clear(answers);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(1);
    for (const a of answers.filter((x) => x.status !== 200)) expect((a.body as ErrorResponse).message).toContain('確認コードは使用済み');
  });

  it('a device token opening sessions in parallel (a phone refreshing from two tabs): every one opens, the failure count starts again', async () => {
    const phone = new DeviceClient(api, 'oncall-phone');
    await phone.signIn(coord);
    const enrol = await phone.enrol();
    expect(enrol.status).toBe(200);
    const token = enrol.body.userToken;
    const tabs = Array.from({ length: 6 }, () => {
      const tab = new DeviceClient(api, 'oncall-phone');
      tab.secret = phone.secret;
      return tab;
    });
    const opened = await Promise.all(tabs.map((t) => t.request<SessionInfo>('POST', API.deviceSession, { token })));
    clear(opened);
    expect(opened.map((o) => o.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const pulls = [];
    for (const t of tabs) pulls.push(await t.pull()); // one after another, as above
    expect(pulls.map((p) => p.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const failures = await api.raw.query<{ token_failures: number }>('SELECT token_failures FROM devices WHERE id = $1', ['oncall-phone']);
    expect(failures.rows[0]!.token_failures).toBe(0);
  });

  it('sign-ins with the right code and wrong passwords at once: the throttle still counts every wrong one', async () => {
    const answers = await Promise.all([
      new DeviceClient(api, 'p0').signIn(coord),
      ...Array.from({ length: 4 }, (_, i) => new DeviceClient(api, `p${i + 1}`).signIn(coord, { password: `wrong-${i}-xxxxxxxx` })),
    ]);
    clear(answers);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 401)).toHaveLength(4);
  });
});
