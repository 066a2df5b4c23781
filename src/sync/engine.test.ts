import Dexie from 'dexie';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { contactBody, openBody } from '../../test/factories/emergency-case';
import { createFakeHub, type FakeHub, type FakeHubUser } from '../../test/factories/fake-hub';
import { chainNext } from '../domain/case-chain';
import { API } from '../protocol/sync';
import { createFacility } from '../../test/factories/facility';
import { createHousehold } from '../../test/factories/household';
import { createTrialStay } from '../../test/factories/trial-stay';
import type { Household } from '../domain/household';
import { createSampleRecord, newId, OTHER_PASSPHRASE, PASSPHRASE, setUpTestVault } from '../vault/testing';
import type { VaultSession } from '../vault/types';
import type { FetchLike } from './client';
import { isClockOff } from './clock-offset';
import { createSyncEngine, type LockManagerLike, type SyncEngineOptions } from './engine';
import { initialSyncStatus, runEventsOf, type SyncStatus } from './status';
import { S } from './text';
import type { WireConflict } from '../protocol/sync';

function signInOf(user: FakeHubUser) {
  return { hub: user.hub, loginName: user.loginName, password: user.password, totp: user.totp, deviceName: '拠点 花子の端末' };
}

async function device(hub: FakeHub, options: Partial<SyncEngineOptions> & { fetch?: FetchLike } = {}) {
  const vault = await setUpTestVault();
  const status = createStore<SyncStatus>()(() => initialSyncStatus);
  const onRecordsChanged = vi.fn();
  const forgetInstall = vi.fn(async () => undefined);
  const engine = createSyncEngine({
    session: vault.session,
    fetch: options.fetch ?? hub.browser(),
    locks: null,
    status,
    onRecordsChanged,
    forgetInstall,
    ...options,
  });
  return { ...vault, status, engine, onRecordsChanged, forgetInstall };
}

async function household(session: VaultSession, name = '山田 太郎') {
  const id = newId();
  await session.put('household', id, createHousehold({ id, note: name }), 'create');
  return id;
}

async function evidence(session: VaultSession, detail = '母が倒れ救急搬送') {
  const entry = await chainNext([], {
    id: newId(),
    caseId: newId(),
    recordedAt: '2026-11-30T14:52:00.000Z',
    recordedBy: { userId: session.user.id, name: session.user.displayName },
    deviceId: session.deviceId,
    body: openBody({ officeId: 'office-a', detail }),
  });
  await session.append('case-entry', entry.id, entry);
  return entry;
}

const queued = async (session: VaultSession) => (await session.outbox()).map((e) => e.entityId);

describe('sync engine: joining and pushing', () => {
  it('uploads what was made on the device before it joined, then holds nothing queued', async () => {
    const hub = createFakeHub();
    const user = hub.addUser({ displayName: '夜間 太郎' });
    const d = await device(hub);
    const h = await household(d.session);
    const e = await evidence(d.session);

    expect(await d.engine.join(signInOf(user))).toBe('done');

    expect(JSON.parse(hub.records.get(`household/${h}`)!.payloadJson)).toMatchObject({ id: h, note: '山田 太郎' });
    expect(JSON.parse(hub.records.get(`case-entry/${e.id}`)!.payloadJson)).toEqual(e);
    expect(hub.access.size).toBeGreaterThan(0);
    expect(await d.session.outbox()).toEqual([]);
    expect(d.status.getState()).toMatchObject({ joined: true, displayName: '夜間 太郎', role: 'coordinator', pending: 0, problem: null });
    expect(d.status.getState().lastSyncAt).not.toBeNull();
    // The device secret travels in the headers of every sync request, never the password.
    expect(hub.requests.filter((r) => r.path === API.push)).toHaveLength(1);
  });

  it('asks for the pull once the hub has answered the push, and writes what comes back only after the acknowledgement', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    expect(await d.engine.join(signInOf(user))).toBe('done');
    const id = await household(d.session, '山田 一郎');
    // The acknowledgement is held until the pull has been asked for.
    const acknowledge = d.session.sync.acknowledge;
    let release = () => {};
    const held = new Promise<void>((done) => (release = done));
    vi.spyOn(d.session.sync, 'acknowledge').mockImplementation(async (results) => {
      await held;
      return acknowledge(results);
    });
    const before = hub.requests.length;
    const paths = () => hub.requests.slice(before).map((r) => r.path);

    const run = d.engine.run();
    await vi.waitFor(() => expect(paths()).toEqual([API.push, API.pull]));
    release();

    expect(await run).toBe('done');
    expect(paths().filter((p) => p === API.pull)).toHaveLength(1);
    expect(await d.session.outbox()).toEqual([]);
    // The edit came back at the hub's version and was written, not left as an unsent change: the
    // next edit is based on it.
    const version = hub.records.get(`household/${id}`)!.version;
    await d.session.put('household', id, createHousehold({ id, note: '山田 一郎（転居）' }), 'update');
    expect((await d.session.outbox()).map((e) => e.baseVersion)).toEqual([version]);
  });

  it("keeps the hub's users after a sync, for the household's 担当 picker (issue 14)", async () => {
    const hub = createFakeHub();
    const user = hub.addUser({ displayName: '夜間 太郎' });
    hub.addUser({ displayName: '相談 一郎', role: 'case-worker', officeId: 'office-a' });
    const d = await device(hub);
    expect(d.status.getState().staff).toBeNull();
    expect(await d.engine.join(signInOf(user))).toBe('done');
    expect(d.status.getState().staff).toEqual(
      expect.arrayContaining([
        { userId: expect.any(String), displayName: '相談 一郎', role: 'case-worker', officeId: 'office-a' },
        { userId: user.id, displayName: '夜間 太郎', role: 'coordinator', officeId: null },
      ]),
    );
    // The next unlock, offline (a family's home): the list is there, kept with the link.
    const held = d.status.getState().staff;
    d.status.setState({ staff: null });
    hub.down = true;
    expect(await d.engine.run()).not.toBe('done');
    expect(d.status.getState().staff).toEqual(held);
  });

  it('refuses a wrong password with words, and links nothing', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    await expect(d.engine.join({ ...signInOf(user), password: 'wrong' })).rejects.toMatchObject({ code: 'bad-credentials' });
    expect(await d.session.sync.hubLink()).toBeUndefined();
  });

  it('keeps everything queued when the push fails (network down, then a 503), and sends it all later', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    const ids = [await household(d.session), await household(d.session)];

    hub.down = true;
    expect(await d.engine.run()).toBe('failed');
    expect(d.status.getState().problem).toMatchObject({ code: 'unreachable', message: expect.stringContaining('サーバーに接続できません') });
    expect(await queued(d.session)).toEqual(expect.arrayContaining(ids));
    hub.down = false;

    hub.fail({ type: 'status', status: 500 }, API.push);
    expect(await d.engine.run()).toBe('failed');
    expect(d.status.getState().problem?.code).toBe('server');
    expect(d.status.getState().pending).toBeGreaterThanOrEqual(2);

    expect(await d.engine.run()).toBe('done');
    expect(await d.session.outbox()).toEqual([]);
    for (const id of ids) expect(hub.records.has(`household/${id}`)).toBe(true);
    expect(d.status.getState().problem).toBeNull();
  });

  it("keeps a busy hub's Retry-After with the problem and tells it at the run's end, so the next run can come when it asked; drops it once through", async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    await household(d.session);
    hub.fail({ type: 'error', status: 503, code: 'unavailable', message: 'サーバーが混み合っています。しばらくしてから自動でもう一度送ります。', retryAfterSeconds: 2 }, API.push);
    // What the triggers hear of it, read off the status as the app wires them.
    const events: unknown[] = [];
    const stop = runEventsOf(d.status).subscribe((e) => events.push(e));
    expect(await d.engine.run()).toBe('failed');
    expect(d.status.getState().problem).toMatchObject({ code: 'server', serverMessage: expect.stringContaining('混み合っています'), retryAfterSeconds: 2 });
    expect(await d.engine.run()).toBe('done');
    expect(d.status.getState().problem).toBeNull();
    stop();
    expect(events).toEqual([{ type: 'started' }, { type: 'ended', retryAfterSeconds: 2 }, { type: 'started' }, { type: 'ended', retryAfterSeconds: null }]);
  });

  it('[S4] a retry after a lost answer doubles nothing: the hub answers duplicate', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    const h = await household(d.session);
    const e = await evidence(d.session);

    hub.fail({ type: 'drop-after-commit' }, API.push);
    expect(await d.engine.run()).toBe('failed');
    expect(await queued(d.session)).toEqual(expect.arrayContaining([h, e.id]));
    const takenBefore = hub.taken.length;

    expect(await d.engine.run()).toBe('done');
    expect(hub.taken).toHaveLength(takenBefore);
    expect(hub.taken.filter((t) => t.entityId === e.id)).toHaveLength(1);
    expect(await d.session.outbox()).toEqual([]);
  });

  it('[S11] a refused change stays listed with its reason while the others go through', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    const [a, b, c] = [await household(d.session, '甲'), await household(d.session, '乙'), await household(d.session, '丙')];
    hub.refuseEntity(b, 'scope', 'office-b is not yours');

    await d.engine.run();

    const left = await d.session.outbox();
    expect(left.map((x) => [x.entityId, x.refusal?.reason])).toEqual([[b, 'scope']]);
    expect(hub.records.has(`household/${a}`) && hub.records.has(`household/${c}`)).toBe(true);
    expect(d.status.getState()).toMatchObject({ pending: 0, refused: 1 });
    // The refused change is not sent again and again; the record stays on the device.
    await d.engine.run();
    expect(hub.taken.filter((t) => t.entityId === b)).toHaveLength(0);
    expect(await d.session.get('household', b)).toBeDefined();
  });

  it('[S3] starts again from the first unacknowledged change after a gap', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    const first = await household(d.session);
    const second = await household(d.session);
    // Another tab (no Web Locks) sent the same device's later change first: the hub saw a hole.
    const [, later] = await d.session.outbox();
    const link = (await d.session.sync.hubLink())!;
    const otherTab = hub.browser();
    await otherTab(API.session, { method: 'POST', body: JSON.stringify({ hub: user.hub, loginName: user.loginName, password: user.password, totp: user.totp }) });
    const res = await otherTab(API.push, {
      method: 'POST',
      headers: { 'x-kyoten-device': d.session.deviceId, 'x-kyoten-device-secret': link.deviceSecret },
      body: JSON.stringify({ changes: [{ seq: later!.seq, mutationId: later!.mutationId, kind: 'household', entityId: second, op: 'create', at: later!.at, payload: later!.payload, baseVersion: null }] }),
    });
    expect(((await res.json()) as { results: { reason?: string }[] }).results[0]?.reason).toBe('gap');

    expect(await d.engine.run()).toBe('done');
    expect(await d.session.outbox()).toEqual([]);
    expect(hub.taken.map((t) => t.entityId)).toEqual(expect.arrayContaining([first, second]));
  });

  it('a batch too large for the hub or its proxy goes again in halves, in order; a single change still refused stays queued and is named', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    // A proxy in front of the hub that takes smaller bodies than the hub (nginx's client_max_body_size).
    let maxChanges = 3;
    const refused: number[] = [];
    const inner = hub.browser();
    const proxy: FetchLike = async (url, init) => {
      if (url === API.push) {
        const raw = typeof init.body === 'string' ? init.body : gunzipSync(init.body as Uint8Array).toString('utf8');
        const changes = (JSON.parse(raw) as { changes: unknown[] }).changes.length;
        if (changes > maxChanges) {
          refused.push(changes);
          return new Response('<html><body>413 Request Entity Too Large</body></html>', { status: 413, headers: { 'content-type': 'text/html' } });
        }
      }
      return inner(url, init);
    };
    const d = await device(hub, { fetch: proxy });
    await d.engine.join(signInOf(user));
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await household(d.session, `世帯 ${i}`));

    expect(await d.engine.run()).toBe('done');
    // 10 → 5 + 5 → 3 + 2, 3 + 2: every one taken, in the order queued (the hub answers a gap otherwise).
    expect(refused).toEqual([10, 5, 5]);
    expect(await d.session.outbox()).toEqual([]);
    expect(hub.taken.map((t) => t.entityId).filter((id) => ids.includes(id))).toEqual(ids);
    expect(d.status.getState().problem).toBeNull();

    maxChanges = 0;
    const kept = await household(d.session, '大きすぎる世帯');
    // What the others write still comes in while the change waits.
    const others = newId();
    hub.write({ kind: 'household', entityId: others, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id: others, note: '別の端末から' })) });
    expect(await d.engine.run()).toBe('failed');
    expect(d.status.getState().problem).toMatchObject({ code: 'too-large', message: expect.stringContaining('変更はこの端末に保存されています') });
    expect(await queued(d.session)).toEqual([kept]);
    expect((await d.session.get<Household>('household', others))?.data.note).toBe('別の端末から');
  });
});

/** An engine for another unlock of the phone's vault (another person, or another tab) in the same browser. */
function engineIn(browser: FetchLike, session: VaultSession) {
  const status = createStore<SyncStatus>()(() => initialSyncStatus);
  return { status, engine: createSyncEngine({ session, fetch: browser, locks: null, status, forgetInstall: async () => undefined }) };
}

/** An engine whose status and removals (A10) the test reads. */
function watchedEngine(browser: FetchLike, session: VaultSession) {
  const removed = vi.fn();
  const status = createStore<SyncStatus>()(() => initialSyncStatus);
  return { status, removed, engine: createSyncEngine({ session, fetch: browser, locks: null, status, forgetInstall: async () => undefined, onMembersRemoved: removed }) };
}

/** The hub phone: Hanako joined it, and added Jiro (who has not signed in on it yet); locked. */
async function phoneOfHanakoAndJiro() {
  const hub = createFakeHub();
  const hanako = hub.addUser({ displayName: '拠点 花子' });
  const jiro = hub.addUser({ displayName: '当番 次郎' });
  const browser = hub.browser();
  const d = await device(hub, { fetch: browser });
  await d.engine.join(signInOf(hanako));
  const localJiro = await d.session.addUser(PASSPHRASE, '当番 次郎', OTHER_PASSPHRASE);
  d.session.lock();
  return { hub, hanako, jiro, browser, d, localJiro };
}

describe('sync engine: several people on one phone (A8, A9)', () => {
  it('pushes each change under its author, holds the queue at a change whose author has not signed in here, and hands over without a new sign-in', async () => {
    const hub = createFakeHub();
    const hanako = hub.addUser({ displayName: '拠点 花子' });
    const jiro = hub.addUser({ displayName: '当番 次郎' });
    const browser = hub.browser();
    const d = await device(hub, { fetch: browser });
    const engineFor = (session: VaultSession) => engineIn(browser, session);
    expect(await d.engine.join(signInOf(hanako))).toBe('done');
    const morning = await household(d.session, '朝 一郎');
    expect(await d.engine.run()).toBe('done');
    const localJiro = await d.session.addUser(PASSPHRASE, '当番 次郎', OTHER_PASSPHRASE);
    d.session.lock();

    // Jiro unlocks the joined phone: he is asked to sign in once; nothing goes under Hanako's name
    const asJiro = await d.vault.unlock(localJiro.id, OTHER_PASSPHRASE);
    const j = engineFor(asJiro);
    const byJiro = await household(asJiro, '夜 次郎の世帯');
    expect(await j.engine.run()).toBe('failed');
    expect(j.status.getState()).toMatchObject({ joined: true, needsSignIn: true, signedOut: true, hub: 'aozora', displayName: null });
    asJiro.lock();

    // Hanako again: her later change waits behind Jiro's, which only he can send
    const asHanako = await d.vault.unlock(d.session.user.id, PASSPHRASE);
    const h = engineFor(asHanako);
    const later = await household(asHanako, '昼 三郎');
    expect(await h.engine.run()).toBe('done');
    // waiting: Jiro's unlock (access log) and household, then Hanako's unlock and household
    expect(h.status.getState()).toMatchObject({ heldFor: '当番 次郎', pending: 4, displayName: '拠点 花子' });
    expect(hub.records.has(`household/${byJiro}`)).toBe(false);
    expect(hub.records.has(`household/${later}`)).toBe(false);
    asHanako.lock();

    // Jiro signs in on the phone once: the queue goes, each change under its author
    const jiroAgain = await d.vault.unlock(localJiro.id, OTHER_PASSPHRASE);
    const j2 = engineFor(jiroAgain);
    expect(await j2.engine.join(signInOf(jiro))).toBe('done');
    expect(j2.status.getState()).toMatchObject({ needsSignIn: false, signedOut: false, heldFor: null, displayName: '当番 次郎', pending: 0 });
    const authorOf = (entityId: string) => hub.taken.find((t) => t.entityId === entityId)?.author;
    expect([authorOf(morning), authorOf(byJiro), authorOf(later)]).toEqual([hanako.id, jiro.id, hanako.id]);
    jiroAgain.lock();

    // 18:00, the phone back to Hanako: her device token opens her session, no password or code
    const evening = await d.vault.unlock(d.session.user.id, PASSPHRASE);
    const e = engineFor(evening);
    const night = await household(evening, '夜 四郎');
    expect(await e.engine.run()).toBe('done');
    expect(authorOf(night)).toBe(hanako.id);
    expect(hub.requests.filter((r) => r.path === API.session && r.method === 'POST')).toHaveLength(2);
    expect(e.status.getState()).toMatchObject({ displayName: '拠点 花子', signedOut: false });
  });

  it('[A10] when the hub no longer credits an author on this phone (signed out of it), their change stays queued and the status names them', async () => {
    const hub = createFakeHub();
    const hanako = hub.addUser({ displayName: '拠点 花子' });
    const jiro = hub.addUser({ displayName: '当番 次郎' });
    const browser = hub.browser();
    const d = await device(hub, { fetch: browser });
    const engineFor = (session: VaultSession) => engineIn(browser, session);
    await d.engine.join(signInOf(hanako));
    const localJiro = await d.session.addUser(PASSPHRASE, '当番 次郎', OTHER_PASSPHRASE);
    d.session.lock();
    const asJiro = await d.vault.unlock(localJiro.id, OTHER_PASSPHRASE);
    await engineFor(asJiro).engine.join(signInOf(jiro));
    asJiro.lock();
    const asHanako = await d.vault.unlock(d.session.user.id, PASSPHRASE);
    const h = engineFor(asHanako);
    // Jiro's household was written while the phone was offline, then an admin signs him out of it
    const byJiro = newId();
    const jiroAgain = await d.vault.unlock(localJiro.id, OTHER_PASSPHRASE);
    await jiroAgain.put('household', byJiro, createSampleRecord(), 'create');
    jiroAgain.lock();
    hub.revokeDeviceUser(asHanako.deviceId, jiro.id);

    expect(await h.engine.run()).toBe('done');
    expect(hub.records.has(`household/${byJiro}`)).toBe(false);
    expect(await queued(asHanako)).toContain(byJiro);
    expect((await asHanako.outbox()).every((e) => e.refusal === null)).toBe(true);
    expect(h.status.getState().heldFor).toBe('当番 次郎');

    // the next runs hold his changes here instead of sending the same queue up again
    const pushes = () => hub.requests.filter((r) => r.path === API.push && (r.body as { changes: { entityId: string }[] }).changes.some((c) => c.entityId === byJiro)).length;
    const before = pushes();
    expect(await h.engine.run()).toBe('done');
    expect(pushes()).toBe(before);
    expect(h.status.getState().heldFor).toBe('当番 次郎');
    // and he cannot be removed from the phone with them unsent: nobody could ever send them
    await expect(asHanako.removeUser(PASSPHRASE, localJiro.id)).rejects.toMatchObject({ code: 'remove-unsent' });

    // retired later, the phone still sends his changes (the hub keeps a retiring device's evidence) and wipes
    hub.disableDevice(asHanako.deviceId);
    expect(await h.engine.run()).toBe('retired');
    expect(hub.wiped.has(asHanako.deviceId)).toBe(true);
  });

  it('[A10] a person the hub stopped leaves the phone at a colleague\'s next sync: they cannot unlock it, and their queued call still goes under their name', async () => {
    const { hub, jiro, browser, d, localJiro } = await phoneOfHanakoAndJiro();
    // Jiro signs in on the phone, then records a call and edits a household offline, and leaves the hub
    const asJiro = await d.vault.unlock(localJiro.id, OTHER_PASSPHRASE);
    await engineIn(browser, asJiro).engine.join(signInOf(jiro));
    const call = await evidence(asJiro, '短期入所 A に電話');
    const edit = await household(asJiro, '次郎の世帯');
    await asJiro.saveDraft(`household-form:${localJiro.id}`, { note: '下書き' });
    asJiro.lock();
    hub.disableUser(jiro.id);

    const asHanako = await d.vault.unlock(d.session.user.id, PASSPHRASE);
    const h = watchedEngine(browser, asHanako);
    const { status, removed } = h;
    expect(await h.engine.run()).toBe('done');

    // his key slot is gone: the phone no longer opens for him, offline or not
    await expect(d.vault.unlock(localJiro.id, OTHER_PASSPHRASE)).rejects.toMatchObject({ code: 'unknown-user' });
    expect((await d.vault.listUsers()).map((u) => u.displayName)).toEqual(['拠点 花子']);
    expect(await asHanako.listDraftKeys()).not.toContain(`household-form:${localJiro.id}`);
    expect(removed).toHaveBeenCalledWith([expect.objectContaining({ id: localJiro.id, displayName: '当番 次郎' })]);
    expect(status.getState().stoppedRemoved).toEqual(['当番 次郎']);
    // his call reached the hub under his name; his household edit is refused (a stopped person decides nothing)
    expect(hub.taken.find((t) => t.entityId === call.id)?.author).toBe(jiro.id);
    expect(hub.records.has(`household/${edit}`)).toBe(false);
    expect(status.getState().refused).toBe(1);
    // the 閲覧記録 says who took him off and why; it goes to the hub at the next run, which finds nobody more to take off
    const entry = (await asHanako.accessLog()).find((e) => e.action === 'remove-user');
    expect(entry).toMatchObject({ userName: '拠点 花子', reason: `当番 次郎（${localJiro.id}）：拠点で利用停止` });
    const asked = () => hub.requests.filter((r) => r.path === API.members).length;
    const before = asked();
    expect(await h.engine.run()).toBe('done');
    expect(hub.access.has(entry!.id)).toBe(true);
    expect(status.getState()).toMatchObject({ pending: 0, refused: 1, stoppedRemoved: ['当番 次郎'] });
    expect(removed).toHaveBeenCalledTimes(1);
    // everyone left on the phone is in the hub's staff list: the hub is not asked again
    expect(asked()).toBe(before);
  });

  it('[A10] the person unlocked, stopped on the hub, leaves the phone at their own next run: signed out, taken off, and their call still goes at a colleague\'s run', async () => {
    const { hub, jiro, browser, d, localJiro } = await phoneOfHanakoAndJiro();
    const asJiro = await d.vault.unlock(localJiro.id, OTHER_PASSPHRASE);
    const { engine: j, status, removed } = watchedEngine(browser, asJiro);
    expect(await j.join(signInOf(jiro))).toBe('done');
    const call = await evidence(asJiro, '短期入所 B に電話');
    hub.disableUser(jiro.id);

    // his own run: the hub refuses his sign-in, and says he is stopped; he is taken off, the app told (it locks)
    expect(await j.run()).toBe('failed');
    expect(removed).toHaveBeenCalledWith([expect.objectContaining({ id: localJiro.id })]);
    expect(status.getState()).toMatchObject({ signedOut: true, stoppedRemoved: ['当番 次郎'] });
    asJiro.lock();
    await expect(d.vault.unlock(localJiro.id, OTHER_PASSPHRASE)).rejects.toMatchObject({ code: 'unknown-user' });
    expect((await d.vault.listUsers()).map((u) => u.displayName)).toEqual(['拠点 花子']);

    // Hanako's next run sends his call, credited to him
    const asHanako = await d.vault.unlock(d.session.user.id, PASSPHRASE);
    expect(await engineIn(browser, asHanako).engine.run()).toBe('done');
    expect(hub.taken.find((t) => t.entityId === call.id)?.author).toBe(jiro.id);
  });

  it('[A10] a person whose sign-in here was revoked, then stopped: their held call goes under their name and the queue behind it moves again', async () => {
    const { hub, jiro, browser, d, localJiro } = await phoneOfHanakoAndJiro();
    const asJiro = await d.vault.unlock(localJiro.id, OTHER_PASSPHRASE);
    await engineIn(browser, asJiro).engine.join(signInOf(jiro));
    const call = await evidence(asJiro, '短期入所 C に電話');
    asJiro.lock();
    hub.revokeDeviceUser(asJiro.deviceId, jiro.id);
    const asHanako = await d.vault.unlock(d.session.user.id, PASSPHRASE);
    const h = watchedEngine(browser, asHanako);
    expect(await h.engine.run()).toBe('done');
    expect(h.status.getState().heldFor).toBe('当番 次郎');
    const mine = await evidence(asHanako, '花子の電話');

    hub.disableUser(jiro.id);
    expect(await h.engine.run()).toBe('done');
    expect(await h.engine.run()).toBe('done');
    expect(hub.taken.find((t) => t.entityId === call.id)?.author).toBe(jiro.id);
    expect(hub.records.has(`case-entry/${mine.id}`)).toBe(true);
    expect(h.status.getState()).toMatchObject({ heldFor: null, pending: 0 });
    await expect(d.vault.unlock(localJiro.id, OTHER_PASSPHRASE)).rejects.toMatchObject({ code: 'unknown-user' });
  });

  it('two tabs unlocked by two people: each run goes under its own person, though the browser holds one session cookie', async () => {
    const hub = createFakeHub();
    const hanako = hub.addUser({ displayName: '拠点 花子', role: 'coordinator' });
    const jiro = hub.addUser({ displayName: '相談 次郎', role: 'case-worker', officeId: 'office-b' });
    const browser = hub.browser();
    const d = await device(hub, { fetch: browser });
    const engineFor = (session: VaultSession) => engineIn(browser, session);
    await d.engine.join(signInOf(hanako));
    const localJiro = await d.session.addUser(PASSPHRASE, '相談 次郎', OTHER_PASSPHRASE);
    // Tab 2: Jiro unlocks the same phone and signs in on it; tab 1 stays unlocked by Hanako.
    const asJiro = await d.vault.unlock(localJiro.id, OTHER_PASSPHRASE);
    const j = engineFor(asJiro);
    expect(await j.engine.join(signInOf(jiro))).toBe('done');
    const inOfficeA = newId();
    hub.write({ kind: 'household', entityId: inOfficeA, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id: inOfficeA })) });

    // Hanako's tab syncs after Jiro's: under her session, so the phone keeps what a coordinator holds.
    expect(await d.engine.run()).toBe('done');
    expect((await d.session.sync.hubLink())?.scope).toMatchObject({ role: 'coordinator', officeIds: 'all' });
    expect(await d.session.get('household', inOfficeA)).toBeDefined();
    const byHanako = await household(d.session, '花子の世帯');
    expect(await d.engine.run()).toBe('done');
    expect(hub.taken.find((t) => t.entityId === byHanako)?.author).toBe(hanako.id);

    // Jiro's tab opens his session again; Hanako then signs out in hers: his session is not ended.
    expect(await j.engine.run()).toBe('done');
    await d.engine.signOut();
    const opened = () => hub.requests.filter((r) => r.path === API.deviceSession).length;
    const before = opened();
    expect(await j.engine.run()).toBe('done');
    expect(opened()).toBe(before);
    expect(j.status.getState()).toMatchObject({ signedOut: false, displayName: '相談 次郎' });
  });

  it('[A6] a re-enrolment follows the seq the hub has: a queue behind a lost answer is numbered on, and nothing is stranded', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    const first = await household(d.session, '一');
    // the hub takes the change, and the answer is lost on the way back
    hub.fail({ type: 'drop-after-commit' }, API.push);
    expect(await d.engine.run()).toBe('failed');
    expect(await queued(d.session)).toContain(first);
    const second = await household(d.session, '二');
    // signing in again (re-enrolment): the hub says seq 1 was taken
    expect(await d.engine.join(signInOf(user))).toBe('done');
    expect(await d.session.outbox()).toEqual([]);
    expect(hub.records.has(`household/${second}`)).toBe(true);
    expect(hub.taken.filter((t) => t.entityId === first)).toHaveLength(1);
  });
});

/** `count` facilities on the hub, one version each: pages for the pull tests. */
function writeFacilities(hub: ReturnType<typeof createFakeHub>, count: number): void {
  for (let i = 0; i < count; i += 1) {
    const id = newId();
    hub.write({ kind: 'facility', entityId: id, officeId: null, withdrawn: false, payloadJson: JSON.stringify(createFacility({ id })) });
  }
}

describe('sync engine: records of a kind this app does not know [V2]', () => {
  it('leaves them out and says the app needs updating; once it knows a kind it left out, pulls from the start and takes them', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    const facility = () => {
      const id = newId();
      hub.write({ kind: 'facility', entityId: id, officeId: null, withdrawn: false, payloadJson: JSON.stringify(createFacility({ id })) });
      return id;
    };
    const before = facility();
    hub.write({ kind: 'care-plan' as 'facility', entityId: newId(), officeId: null, withdrawn: false, payloadJson: '{"plan":"週2回"}' });
    const after = facility();
    expect(await d.engine.run()).toBe('done');
    expect(await d.session.get('facility', before)).toBeDefined();
    expect(await d.session.get('facility', after)).toBeDefined();
    expect(d.status.getState().unknownKinds).toEqual(['care-plan']);

    // An older version of this app left facilities out the same way: its cursor went past one.
    const missed = facility();
    const link = (await d.session.sync.hubLink())!;
    await d.session.sync.saveHubLink({ ...link, cursor: link.cursor + 1, unknownKinds: ['care-plan', 'facility'] });
    expect(await d.engine.run()).toBe('done');
    // pulled again from the start in the same run: the facility below the cursor is here now
    expect(await d.session.get('facility', missed)).toBeDefined();
    expect(d.status.getState().unknownKinds).toEqual(['care-plan']);
    expect((await d.session.sync.hubLink())!.unknownKinds).toEqual(['care-plan']);
  });
});

describe('sync engine: pulling', () => {
  it("asks for the next page on the answer's headers, before its body has arrived", async () => {
    const hub = createFakeHub();
    hub.pullHint = 'right';
    const user = hub.addUser();
    writeFacilities(hub, 5);
    const browser = hub.browser();
    let pulls = 0;
    let release = () => {};
    const held = new Promise<void>((done) => (release = done));
    // The first page's body is held back until the test lets it go; its headers come at once.
    const fetch: FetchLike = async (input, init) => {
      const response = await browser(input, init);
      if (!input.startsWith(API.pull) || ++pulls !== 1) return response;
      const text = await response.text();
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          await held;
          controller.enqueue(new TextEncoder().encode(text));
          controller.close();
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const d = await device(hub, { fetch, pullPage: 2 });

    const joined = d.engine.join(signInOf(user));
    await vi.waitFor(() => expect(pulls).toBeGreaterThanOrEqual(2));
    release();

    expect(await joined).toBe('done');
    expect(await d.session.list('facility')).toHaveLength(5);
  });

  it.each(['right', 'wrong'] as const)('asks for the next page when the hub names it in the headers (%s), and writes every page once', async (hint) => {
    const hub = createFakeHub();
    hub.pullHint = hint;
    const user = hub.addUser();
    const ids = Array.from({ length: 7 }, () => newId());
    for (const id of ids) hub.write({ kind: 'household', entityId: id, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id, note: id })) });
    const d = await device(hub, { pullPage: 2 });

    expect(await d.engine.join(signInOf(user))).toBe('done');

    for (const id of ids) expect((await d.session.get<Household>('household', id))?.data.note).toBe(id);
    const pulls = hub.requests.filter((r) => r.path === API.pull);
    // Four pages of 2, 2, 2 and 1 (with the device's own access entries, which come last).
    const pages = Math.ceil((7 + hub.taken.length) / 2);
    // A right hint asks for nothing twice; a wrong one costs requests (dropped), never a page.
    if (hint === 'right') expect(pulls).toHaveLength(pages);
    else expect(pulls.length).toBeGreaterThan(pages);
    expect((await d.session.sync.hubLink())?.cursor).toBe(7 + hub.taken.length);
    expect(await d.session.list('household')).toHaveLength(7);
  });

  it('brings records written elsewhere, page by page, and tells the app', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const ids = Array.from({ length: 5 }, () => newId());
    for (const id of ids) hub.write({ kind: 'household', entityId: id, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id, note: id })) });
    const d = await device(hub, { pullPage: 2 });

    await d.engine.join(signInOf(user));

    for (const id of ids) expect((await d.session.get<Household>('household', id))?.data.note).toBe(id);
    expect(hub.requests.filter((r) => r.path === API.pull)).toHaveLength(3);
    expect(d.onRecordsChanged).toHaveBeenCalled();
    // The cursor is the hub's counter: the five records and the device's own access entries.
    expect((await d.session.sync.hubLink())?.cursor).toBe(5 + hub.taken.length);
    // Pulled records are not changes of this device.
    expect(await d.session.outbox()).toEqual([]);
  });

  it("says what the device's own storage needs when writing a page fails (full storage), and keeps the cursor", async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    const cursor = (await d.session.sync.hubLink())?.cursor;
    const id = newId();
    hub.write({ kind: 'household', entityId: id, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id })) });
    vi.spyOn(d.session.sync, 'applyRemote').mockRejectedValueOnce(new DOMException('the quota has been exceeded', 'QuotaExceededError'));

    expect(await d.engine.run()).toBe('failed');
    expect(d.status.getState().problem).toMatchObject({ code: 'storage', message: expect.stringContaining('この端末への保存に失敗しました。端末の保存容量が足りません') });
    expect((await d.session.sync.hubLink())?.cursor).toBe(cursor);
    expect(await d.engine.run()).toBe('done');
    expect(await d.session.get('household', id)).toBeDefined();
  });

  /** A joined device that has lost a household the hub holds (an ordinary run does not bring it back). */
  async function deviceMissingAHousehold() {
    const hub = createFakeHub();
    const user = hub.addUser();
    const id = newId();
    hub.write({ kind: 'household', entityId: id, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id, note: '引 継' })) });
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    expect(d.onRecordsChanged).toHaveBeenLastCalledWith([['household', id]]);
    await d.session.sync.dropOutOfScope({ role: 'case-worker', officeIds: ['office-b'], facilityId: null });
    expect(await d.session.get('household', id)).toBeUndefined();
    return { d, id };
  }

  it('pulls everything again from the start on request, and passes the written records to the app', async () => {
    // A record lost here (as after the hub's database was restored and this device ran ahead):
    // an ordinary run does not bring it back, pulling again does.
    const { d, id } = await deviceMissingAHousehold();
    await d.engine.run();
    expect(await d.session.get('household', id)).toBeUndefined();
    expect(await d.engine.pullAgain()).toBe('done');
    expect((await d.session.get<Household>('household', id))?.data.note).toBe('引 継');
  });

  it('pulls everything again even when a run is asked for during it (a save, the minute), and that run does not put the old cursor back', async () => {
    const { d, id } = await deviceMissingAHousehold();
    const head = (await d.session.sync.hubLink())!.cursor;

    const again = d.engine.pullAgain();
    // Asked while pullAgain's first run is under way: it runs after it, from the cursor it reads then.
    const asked = d.engine.run();
    expect(await again).toBe('done');
    expect(await asked).toBe('done');
    // Had the run asked meanwhile put the old cursor back over the 0, nothing would have come again.
    expect((await d.session.get<Household>('household', id))?.data.note).toBe('引 継');
    expect((await d.session.sync.hubLink())!.cursor).toBe(head);
  });

  it('keeps the pages it got when a later page fails, and the cursor with them', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    writeFacilities(hub, 4);
    const browser = hub.browser();
    let pulls = 0;
    const fetch: FetchLike = async (input, init) => {
      if (input.startsWith(API.pull) && ++pulls === 2) throw new TypeError('Failed to fetch');
      return browser(input, init);
    };
    const d = await device(hub, { fetch, pullPage: 2 });

    expect(await d.engine.join(signInOf(user))).toBe('failed');
    expect(await d.session.list('facility')).toHaveLength(2);
    expect((await d.session.sync.hubLink())?.cursor).toBe(2);

    expect(await d.engine.run()).toBe('done');
    expect(await d.session.list('facility')).toHaveLength(4);
    expect(d.status.getState().lastSyncAt).not.toBeNull();
  });

  it('tells the app of the pages it wrote when a later page fails: the screens must not keep the older copies', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const browser = hub.browser();
    let pulls: number | null = null;
    const fetch: FetchLike = async (input, init) => {
      // The second page's request fails (the signal lost on the stairs); the first page is written.
      if (pulls !== null && input.startsWith(API.pull) && ++pulls === 2) throw new TypeError('Failed to fetch');
      return browser(input, init);
    };
    const d = await device(hub, { fetch, pullPage: 2 });
    expect(await d.engine.join(signInOf(user))).toBe('done');
    const ids = [newId(), newId(), newId(), newId()];
    for (const id of ids) hub.write({ kind: 'household', entityId: id, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id, note: id })) });
    d.onRecordsChanged.mockClear();
    pulls = 0;

    expect(await d.engine.run()).toBe('failed');

    expect((await d.session.list('household')).map((h) => h.id).sort()).toEqual(ids.slice(0, 2).sort());
    // The cursor is past them: no later run brings them again, so the app hears of them now.
    expect(d.onRecordsChanged).toHaveBeenCalledTimes(1);
    expect(d.onRecordsChanged).toHaveBeenCalledWith(expect.arrayContaining(ids.slice(0, 2).map((id) => ['household', id])));
  });

  it("tells the app of what a pull wrote before the run's last request (the staff list) has answered, and only once", async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const browser = hub.browser();
    let holdStaff = false;
    let release = () => {};
    const held = new Promise<void>((done) => (release = done));
    const fetch: FetchLike = async (input, init) => {
      if (holdStaff && input.startsWith(API.staff)) await held;
      return browser(input, init);
    };
    const d = await device(hub, { fetch, pullPage: 2 });
    expect(await d.engine.join(signInOf(user))).toBe('done');
    const id = newId();
    hub.write({ kind: 'household', entityId: id, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id, note: '訂正後' })) });
    d.onRecordsChanged.mockClear();
    holdStaff = true;

    const run = d.engine.run();
    // The hub is slow to list its users (up to a minute): the screen already shows the correction.
    await vi.waitFor(() => expect(d.onRecordsChanged).toHaveBeenCalledWith([['household', id]]));
    expect(d.status.getState().running).toBe(true);
    release();

    expect(await run).toBe('done');
    expect(d.onRecordsChanged).toHaveBeenCalledTimes(1);
  });

  it('applies nothing from a malformed answer, and says so', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    const id = newId();
    hub.write({ kind: 'household', entityId: id, officeId: null, withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id })) });
    const cursor = (await d.session.sync.hubLink())!.cursor;

    hub.fail({ type: 'malformed' }, API.pull);
    expect(await d.engine.run()).toBe('failed');
    expect(d.status.getState().problem?.code).toBe('bad-response');
    expect(await d.session.get('household', id)).toBeUndefined();
    expect((await d.session.sync.hubLink())!.cursor).toBe(cursor);
  });

  it('[S10] drops what a shrunken scope no longer covers, but never a record with unsent changes', async () => {
    const hub = createFakeHub();
    const user = hub.addUser({ role: 'case-worker', officeId: 'office-a' });
    const [a1, a2, b1] = [newId(), newId(), newId()];
    for (const [id, officeId] of [[a1, 'office-a'], [a2, 'office-a'], [b1, 'office-b']] as const) {
      hub.write({ kind: 'household', entityId: id, officeId, withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id })) });
    }
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    expect(await d.session.get('household', a1)).toBeDefined();
    expect(await d.session.get('household', b1)).toBeUndefined();

    await d.session.put('household', a2, createHousehold({ id: a2, note: '手元で編集中' }), 'update');
    hub.refuseEntity(a2, 'scope');
    // an admin moves the case worker to office-b: a real change of their scope, met with the session this engine opened before it
    user.officeId = 'office-b';
    expect(await d.engine.run()).toBe('done');

    expect(await d.session.get('household', a1)).toBeUndefined();
    expect((await d.session.get<Household>('household', a2))?.data.note).toBe('手元で編集中');
    // Now in scope, the other office's household arrives even though it lies below the old cursor.
    expect(await d.session.get('household', b1)).toBeDefined();
  });

  it('never overwrites evidence held here and reports a different copy', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    const e = await evidence(d.session);
    hub.fail({ type: 'drop-after-commit' }, API.push);
    await d.engine.run();
    // Meanwhile the hub's copy was altered (it should never be; the app must not take it).
    const held = hub.records.get(`case-entry/${e.id}`)!;
    hub.write({ ...held, payloadJson: JSON.stringify({ ...e, body: openBody({ detail: '改変' }), hash: '0'.repeat(64) }) });
    await d.engine.run();
    expect((await d.session.get('case-entry', e.id))?.data).toEqual(e);
    expect(d.status.getState().evidenceMismatches).toEqual([e.id]);
    // A lock empties the status; the next run past that entry still says so (kept in the vault).
    d.status.setState({ evidenceMismatches: [] });
    expect(await d.engine.run()).toBe('done');
    expect(d.status.getState().evidenceMismatches).toEqual([e.id]);
  });
});

describe('sync engine: records it cannot read [R3][R4]', () => {
  const POISON = 'poison.id with space';

  /** A hub whose database holds, among good records, a poison id and a household whose persons is not a list. */
  function oldHub() {
    const hub = createFakeHub();
    const user = hub.addUser();
    const before = newId();
    const malformed = newId();
    hub.write({ kind: 'household', entityId: before, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id: before })) });
    hub.write({ kind: 'household', entityId: POISON, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id: POISON })) });
    hub.write({
      kind: 'household',
      entityId: malformed,
      officeId: 'office-a',
      withdrawn: false,
      payloadJson: JSON.stringify({ ...createHousehold({ id: malformed }), persons: 'not-a-list' }),
    });
    return { hub, user, before, malformed };
  }

  it('[R3] a fresh device sets both aside, receives every other record before and after them, and shows how many and why', async () => {
    const { hub, user, before, malformed } = oldHub();
    const d = await device(hub, { pullPage: 2 });

    expect(await d.engine.join(signInOf(user))).toBe('done');
    const later = newId();
    const laterVersion = hub.write({ kind: 'household', entityId: later, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id: later })) });
    expect(await d.engine.run()).toBe('done');

    expect((await d.session.list('household')).map((h) => h.id).sort()).toEqual([before, later].sort());
    expect(await d.session.get('household', malformed)).toBeUndefined();
    expect((await d.session.sync.hubLink())?.cursor).toBeGreaterThanOrEqual(laterVersion);
    expect(d.status.getState()).toMatchObject({ problem: null, setAside: { total: 2, byReason: { id: 1, json: 0, shape: 1 } } });
  });

  it('[R3] 「最初から受信し直す」 tries set-aside records again', async () => {
    const { hub, user, malformed } = oldHub();
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    expect(d.status.getState().setAside.total).toBe(2);
    // The hub's copy is mended where it stands (a database restored from a backup, say): same version.
    const held = hub.records.get(`household/${malformed}`)!;
    (hub.records as Map<string, typeof held>).set(`household/${malformed}`, { ...held, payloadJson: JSON.stringify(createHousehold({ id: malformed })) });
    await d.engine.run();
    expect(await d.session.get('household', malformed)).toBeUndefined();

    expect(await d.engine.pullAgain()).toBe('done');

    expect(await d.session.get('household', malformed)).toBeDefined();
    expect(d.status.getState().setAside).toMatchObject({ total: 1, byReason: { id: 1, json: 0, shape: 0 } });
  });

  it('[R4] a record an admin withdrew on the hub leaves the device, and the set-aside count with it', async () => {
    const { hub, user, before } = oldHub();
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    for (const id of [before, POISON]) hub.write({ kind: 'household', entityId: id, officeId: 'office-a', withdrawn: true, payloadJson: 'null' });

    expect(await d.engine.run()).toBe('done');

    expect(await d.session.get('household', before)).toBeUndefined();
    expect(d.status.getState().setAside.total).toBe(1);
    expect(d.onRecordsChanged).toHaveBeenLastCalledWith('all');
  });

  it("[R4] after 「一覧から外す」 the household shows the other coordinator's edit that came while the refused change waited", async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const id = newId();
    const write = (note: string) =>
      hub.write({ kind: 'household', entityId: id, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id, note })) });
    write('最初の内容');
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    await d.session.put('household', id, createHousehold({ id, note: 'この端末の編集' }), 'update');
    hub.refuseEntity(id, 'scope');
    expect(await d.engine.run()).toBe('done');
    const version = write('他のコーディネーターの編集');
    expect(await d.engine.run()).toBe('done');
    // The copy stays while the refused change waits (its base is what the user sees it refused on).
    expect((await d.session.get<Household>('household', id))?.data.note).toBe('この端末の編集');

    const [refused] = await d.session.outbox();
    await d.engine.dismissRefused(refused!.seq, '送信不可の変更（テスト）');

    expect((await d.session.get<Household>('household', id))?.data.note).toBe('他のコーディネーターの編集');
    expect((await d.db.records.get(['household', id]))?.version).toBe(version);
    expect(d.onRecordsChanged).toHaveBeenLastCalledWith([['household', id]]);
    expect(await d.engine.run()).toBe('done');
    expect((await d.session.get<Household>('household', id))?.data.note).toBe('他のコーディネーターの編集');
    expect(hub.taken.filter((t) => t.entityId === id)).toEqual([]);
  });

  it('[R4] after 「一覧から外す」 a household the admin withdrew while its refused change waited leaves the device', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const id = newId();
    hub.write({ kind: 'household', entityId: id, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id })) });
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    await d.session.put('household', id, createHousehold({ id, note: 'この端末の編集' }), 'update');
    hub.write({ kind: 'household', entityId: id, officeId: 'office-a', withdrawn: true, payloadJson: 'null' });
    hub.refuseEntity(id, 'invalid', "withdrawn by the hub's admin");
    expect(await d.engine.run()).toBe('done');
    expect(await d.session.get('household', id)).toBeDefined();

    const [refused] = await d.session.outbox();
    await d.engine.dismissRefused(refused!.seq, '送信不可の変更（テスト）');

    expect(await d.session.get('household', id)).toBeUndefined();
    expect(d.onRecordsChanged).toHaveBeenLastCalledWith('all');
  });
});

describe('sync engine: signed out and retired', () => {
  it('[A8] an ended session is opened again with the device token, no password; a revoked token asks to sign in again and keeps the queue', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    const first = await household(d.session);
    hub.expireSessions();
    expect(await d.engine.run()).toBe('done');
    expect(hub.records.has(`household/${first}`)).toBe(true);
    expect(hub.requests.filter((r) => r.path === API.deviceSession)).toHaveLength(1);
    expect(hub.requests.filter((r) => r.path === API.session)).toHaveLength(1);

    hub.revokeDeviceUser(d.session.deviceId, user.id);
    hub.expireSessions();
    const h = await household(d.session);
    expect(await d.engine.run()).toBe('failed');
    expect(d.status.getState()).toMatchObject({ signedOut: true, problem: { code: 'signed-out', message: expect.stringContaining('再度サインインが必要です') } });
    expect(await queued(d.session)).toContain(h);
    const requests = hub.requests.length;
    expect(await d.engine.run()).toBe('failed');
    expect(hub.requests).toHaveLength(requests);

    expect(await d.engine.join(signInOf(user))).toBe('done');
    expect(hub.records.has(`household/${h}`)).toBe(true);
    expect(await d.session.outbox()).toEqual([]);
  });

  it('signing out keeps the queued changes and the link for the next sign-in', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    const h = await household(d.session);
    await d.engine.signOut();
    expect(await queued(d.session)).toContain(h);
    expect(d.status.getState()).toMatchObject({ joined: true, signedOut: true, pending: 1 });
    expect(hub.taken.some((t) => t.entityId === h)).toBe(false);
  });

  it('retired: sends the unsent evidence and access entries first, then wipes the device', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const onRetired = vi.fn();
    const d = await device(hub, { onRetired });
    await d.engine.join(signInOf(user));
    const e = await evidence(d.session);
    const h = await household(d.session);
    await d.session.logAccess('open-household', h);
    hub.disableUser(user.id);

    expect(await d.engine.run()).toBe('retired');

    // Everything queued goes in seq order; the hub takes the evidence and access log only.
    const retirePush = hub.requests.find((r) => r.path === API.retirePush)!;
    expect((retirePush.body as { changes: { kind: string }[] }).changes.map((c) => c.kind)).toEqual(['case-entry', 'household', 'access']);
    expect(JSON.parse(hub.records.get(`case-entry/${e.id}`)!.payloadJson)).toEqual(e);
    expect(hub.records.has(`household/${h}`)).toBe(false);
    expect([...hub.access.values()]).toContainEqual(expect.objectContaining({ action: 'open-household', householdId: h }));
    expect(await Dexie.exists(d.db.name)).toBe(false);
    expect(d.forgetInstall).toHaveBeenCalled();
    expect(onRetired).toHaveBeenCalled();
    expect(d.status.getState()).toMatchObject({ joined: false, retired: { serverMessage: '職員が無効にされました' } });
  });

  it('retired: a phone joined before per-user sign-in (no members in its link) still learns it, sends its evidence and wipes', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    const { members: _members, ...legacy } = (await d.session.sync.hubLink())!;
    await d.session.sync.saveHubLink(legacy);
    const e = await evidence(d.session);
    hub.disableUser(user.id);

    expect(await d.engine.run()).toBe('retired');
    expect(JSON.parse(hub.records.get(`case-entry/${e.id}`)!.payloadJson)).toEqual(e);
    expect(await Dexie.exists(d.db.name)).toBe(false);
  });

  it('retired but the evidence cannot be sent: nothing is wiped, the next contact tries again', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    const e = await evidence(d.session);
    hub.disableDevice(d.session.deviceId);
    hub.fail({ type: 'network' }, API.retirePush);

    expect(await d.engine.run()).toBe('failed');
    expect(d.status.getState().problem?.code).toBe('retired');
    expect(await d.session.get('case-entry', e.id)).toBeDefined();
    expect(d.forgetInstall).not.toHaveBeenCalled();

    expect(await d.engine.run()).toBe('retired');
    expect(hub.records.has(`case-entry/${e.id}`)).toBe(true);
    expect(await Dexie.exists(d.db.name)).toBe(false);
  });

  it('[retire] retired with a change the hub refuses (a case out of scope, a household edit): the hub quarantines it, the device wipes', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    const e = await evidence(d.session);
    const h = await household(d.session);
    hub.disableUser(user.id);
    hub.refuseEntity(e.id, 'scope');

    expect(await d.engine.run()).toBe('retired');
    expect(hub.quarantine.map((q) => [q.entityId, q.reason])).toEqual([
      [e.id, 'scope'],
      [h, 'scope'],
    ]);
    expect(hub.wiped.has(d.session.deviceId)).toBe(true);
    expect(await Dexie.exists(d.db.name)).toBe(false);
  });

  it('[retire] a change refused in an earlier sync is sent again at retirement and quarantined, not lost', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    const e = await evidence(d.session);
    hub.refuseEntity(e.id, 'scope');
    expect(await d.engine.run()).toBe('done');
    expect(d.status.getState().refused).toBe(1);
    hub.disableDevice(d.session.deviceId);

    expect(await d.engine.run()).toBe('retired');
    const retirePush = hub.requests.find((r) => r.path === API.retirePush)!;
    expect((retirePush.body as { changes: { entityId: string }[] }).changes.map((c) => c.entityId)).toEqual([e.id]);
    expect(hub.quarantine.map((q) => [q.entityId, q.reason])).toEqual([[e.id, 'scope']]);
    expect(hub.wiped.has(d.session.deviceId)).toBe(true);
  });

  it('[retire] the hub does not hear "wiping": nothing is wiped, the next contact tries again', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    const e = await evidence(d.session);
    hub.disableUser(user.id);
    hub.fail({ type: 'network' }, API.retireDone);

    expect(await d.engine.run()).toBe('failed');
    expect((await d.session.get('case-entry', e.id))?.data).toEqual(e);
    expect(await Dexie.exists(d.db.name)).toBe(true);
    expect(await d.engine.run()).toBe('retired');
    expect(hub.wiped.has(d.session.deviceId)).toBe(true);
  });
});

describe('sync engine: a phone the admin disabled, unlocked by someone with no session on it', () => {
  it('someone who never signed in here: the run asks the hub, learns it is retired, sends the queue and wipes', async () => {
    const { hub, browser, d, localJiro } = await phoneOfHanakoAndJiro();
    const asHanako = await d.vault.unlock(d.session.user.id, PASSPHRASE);
    const call = await evidence(asHanako, '短期入所 A に電話');
    asHanako.lock();
    hub.disableDevice(d.session.deviceId);

    // Jiro (added on the phone, never signed in to the hub on it) unlocks it: it still retires.
    const asJiro = await d.vault.unlock(localJiro.id, OTHER_PASSPHRASE);
    expect(await engineIn(browser, asJiro).engine.run()).toBe('retired');
    expect(JSON.parse(hub.records.get(`case-entry/${call.id}`)!.payloadJson)).toEqual(call);
    expect(hub.wiped.has(d.session.deviceId)).toBe(true);
    expect(await Dexie.exists(d.db.name)).toBe(false);
  });

  it('someone whose sign-in here was revoked: their run retires the phone instead of going on signed out', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    const call = await evidence(d.session);
    hub.revokeDeviceUser(d.session.deviceId, user.id);
    hub.expireSessions();
    expect(await d.engine.run()).toBe('failed');
    expect(d.status.getState().signedOut).toBe(true);

    // lost later, and disabled: the next unlock's run (an unlock asks once) retires it
    hub.disableDevice(d.session.deviceId);
    d.session.lock();
    const again = await d.vault.unlock(d.session.user.id, PASSPHRASE);
    expect(await engineIn(hub.browser(), again).engine.run()).toBe('retired');
    expect(hub.records.has(`case-entry/${call.id}`)).toBe(true);
    expect(await Dexie.exists(d.db.name)).toBe(false);
  });

  it('offline at the unlock: asked again at the next run, not only once an unlock', async () => {
    const { hub, browser, d, localJiro } = await phoneOfHanakoAndJiro();
    hub.disableDevice(d.session.deviceId);
    const asJiro = await d.vault.unlock(localJiro.id, OTHER_PASSPHRASE);
    const { engine } = engineIn(browser, asJiro);
    hub.fail({ type: 'network' }, API.members);
    expect(await engine.run()).toBe('failed');
    expect(await Dexie.exists(d.db.name)).toBe(true);
    expect(await engine.run()).toBe('retired');
    expect(await Dexie.exists(d.db.name)).toBe(false);
  });
});

describe('sync engine: a retiring phone used after the hub was told', () => {
  /** A joined phone with a case entry, its user stopped, whose 「消去します」 (retire/done) meets `fault`: its first run fails. */
  async function retiringWhenDoneMeets(fault: Parameters<FakeHub['fail']>[0]) {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    await evidence(d.session);
    hub.disableUser(user.id);
    hub.fail(fault, API.retireDone);
    expect(await d.engine.run()).toBe('failed');
    expect((await d.session.sync.hubLink())?.retireReported).toBe(true);
    return { hub, d };
  }

  it('[retire] takes no new call once it knows it is stopped, and sends one written in another session before it wipes', async () => {
    const { hub, d } = await retiringWhenDoneMeets({ type: 'network' });
    // the phone is still in use: a call recorded now is refused, not wiped unsent
    await expect(evidence(d.session, '折り返しの電話を受けた')).rejects.toMatchObject({ code: 'retiring' });
    // one recorded in the vault from another session (the app reopened, unlocked) goes before the wipe
    const other = await d.vault.unlock(d.session.user.id, PASSPHRASE);
    const later = await evidence(other, '折り返しの電話を受けた');
    other.lock();
    expect(await d.engine.run()).toBe('retired');
    expect(hub.records.has(`case-entry/${later.id}`)).toBe(true);
    expect(hub.wiped.has(d.session.deviceId)).toBe(true);
  });

  it('[retire] still wipes when the hub heard 「消去します」 and only its answer was lost: it takes nothing more', async () => {
    const { hub, d } = await retiringWhenDoneMeets({ type: 'drop-after-commit' });
    expect(hub.wiped.has(d.session.deviceId)).toBe(true);
    const other = await d.vault.unlock(d.session.user.id, PASSPHRASE);
    await evidence(other, '折り返しの電話を受けた');
    other.lock();
    expect(await d.engine.run()).toBe('retired');
    expect(await Dexie.exists(d.db.name)).toBe(false);
  });
});

describe('sync engine: a run the app locks under', () => {
  it('leaves no storage problem in the status for whoever unlocks next', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const browser = hub.browser();
    let lockOnPush = false;
    const d = await device(hub, {
      fetch: async (input, init) => {
        const answer = await browser(input, init);
        // the handover's lock lands while the hub's answer is on its way
        if (lockOnPush && input.includes(API.push)) d.session.lock();
        return answer;
      },
    });
    await d.engine.join(signInOf(user));
    await household(d.session);
    lockOnPush = true;
    expect(await d.engine.run()).toBe('locked');
    expect(d.status.getState().problem).toBeNull();
  });
});

describe('sync engine: a retiring phone that locks before its wipe', () => {
  it('[retire] wipes at the next run although the hub, told it wipes, takes no more retire pushes', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    await household(d.session); // refused at retirement (quarantined): the device still wipes
    await evidence(d.session);
    hub.disableUser(user.id);
    // the app locks (idle, ロック) between the hub hearing "wiping" and the wipe itself
    const wipe = d.session.sync.wipe;
    let stopped = false;
    d.session.sync.wipe = async () => {
      stopped = true;
      throw new Error('locked while the hub was told');
    };
    expect(await d.engine.run()).toBe('failed');
    expect(stopped).toBe(true);
    expect(hub.wiped.has(d.session.deviceId)).toBe(true);
    expect(await Dexie.exists(d.db.name)).toBe(true);
    d.session.sync.wipe = wipe;

    // the next run goes straight to the wipe: no retire push (the hub would answer 403)
    const pushes = hub.requests.filter((r) => r.path === API.retirePush).length;
    expect(await d.engine.run()).toBe('retired');
    expect(hub.requests.filter((r) => r.path === API.retirePush)).toHaveLength(pushes);
    expect(await Dexie.exists(d.db.name)).toBe(false);
  });

  it('a locked session erases the vault when asked to wipe', async () => {
    const hub = createFakeHub();
    const d = await device(hub);
    d.session.lock();
    await d.session.sync.wipe();
    expect(await Dexie.exists(d.db.name)).toBe(false);
  });
});

describe('sync engine: one run at a time', () => {
  /** A LockManager as browsers have it, for one origin: `ifAvailable` gives null while held. */
  function createLocks(): LockManagerLike {
    const held = new Set<string>();
    return {
      async request(name, _options, callback) {
        if (held.has(name)) return callback(null);
        held.add(name);
        try {
          return await callback({ name });
        } finally {
          held.delete(name);
        }
      },
    };
  }

  /** A fetch that waits at its first push until released. */
  function gated(inner: FetchLike) {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const reached = new Promise<void>((resolve) => (entered = resolve));
    const fetch: FetchLike = async (input, init) => {
      if (input === API.push) {
        entered();
        await gate;
      }
      return inner(input, init);
    };
    return { fetch, release, reached };
  }

  it('a second tab does not sync while the first holds the Web Lock', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const locks = createLocks();
    const browser = hub.browser();
    const { fetch, release, reached } = gated(browser);
    const first = await device(hub, { fetch, locks });
    await household(first.session);
    const joining = first.engine.join(signInOf(user));
    await reached;

    // The second tab: the same device and database, its own engine.
    const second = createSyncEngine({ session: first.session, fetch: browser, locks, status: createStore<SyncStatus>()(() => initialSyncStatus), forgetInstall: vi.fn() });
    expect(await second.run()).toBe('busy');
    release();
    expect(await joining).toBe('done');
    expect(await second.run()).toBe('done');
  });

  it('within a tab, triggers during a run never run alongside it: one more run follows, however many asked', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    await d.engine.join(signInOf(user));
    await household(d.session);
    const pullsBefore = hub.requests.filter((r) => r.path === API.pull).length;
    const results = await Promise.all([d.engine.run(), d.engine.run(), d.engine.run()]);
    expect(results).toEqual(['done', 'done', 'done']);
    // The household went once (join's push, then this one); the asks during the run made one more run, which pulled.
    expect(hub.requests.filter((r) => r.path === API.push)).toHaveLength(2);
    expect(hub.requests.filter((r) => r.path === API.pull).length - pullsBefore).toBe(2);
  });

  it('does nothing while locked or before joining', async () => {
    const hub = createFakeHub();
    const d = await device(hub);
    expect(await d.engine.run()).toBe('not-joined');
    d.session.lock();
    expect(await d.engine.run()).toBe('locked');
    expect(hub.requests).toEqual([]);
  });
});

describe('sync engine: a handover under a run', () => {
  it('says when its run (and one asked after it) is over, whatever came of it; nothing when none is under way', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    expect(await d.engine.join(signInOf(user))).toBe('done');
    expect(d.engine.settled()).toBeNull();
    hub.down = true;
    const run = d.engine.run();
    const asked = d.engine.run();
    const over = d.engine.settled();
    expect(over).not.toBeNull();
    let ended = false;
    void over!.then(() => (ended = true));
    expect(await run).toBe('failed');
    expect(ended).toBe(false);
    expect(await asked).toBe('failed');
    await over;
    expect(d.engine.settled()).toBeNull();
  });
});

describe('sync engine: the device clock against the hub [E7]', () => {
  it("[E7] measures this device's clock on each answer that tells the hub's time, keeps a clock 10 min fast in the status, and clears it once right", async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    // The fake hub keeps the real time; this device's clock is set by hand, 10 minutes fast.
    let skew = 10 * 60_000;
    // Answers with an HTTP Date (the fake hub sends none, as a proxy would add it) once this is set.
    let withDate = false;
    const browser = hub.browser();
    const fetch: FetchLike = async (input, init) => {
      const response = await browser(input, init);
      if (withDate) response.headers.set('date', new Date().toUTCString());
      return response;
    };
    const d = await device(hub, { fetch, now: () => Date.now() + skew });
    const offset = () => d.status.getState().clockOffset;
    /** within the reading's own uncertainty (a Date is whole seconds), and a little for the test's own time */
    const near = (expected: number) => expect(Math.abs(offset()!.offsetMs - expected)).toBeLessThanOrEqual(offset()!.uncertaintyMs + 1000);
    const first = await household(d.session);
    expect(offset()).toBeNull();

    // The first sync's push answer tells the hub's time: the device runs 10 min ahead. The entry is
    // still taken (nothing is blocked for a clock).
    expect(await d.engine.join(signInOf(user))).toBe('done');
    near(skew);
    expect(isClockOff(offset())).toBe(true);
    expect(hub.records.has(`household/${first}`)).toBe(true);

    // The clock set right (自動設定): the next push's answer says so.
    skew = 0;
    await household(d.session);
    expect(await d.engine.run()).toBe('done');
    near(0);
    expect(isClockOff(offset())).toBe(false);

    // With nothing to push, the Date of the other answers (the staff list) measures it: 3 min slow...
    skew = -3 * 60_000;
    withDate = true;
    const pushes = hub.requests.filter((r) => r.path === API.push).length;
    expect(await d.engine.run()).toBe('done');
    near(skew);
    expect(offset()!.offsetMs).toBeLessThan(0);
    expect(isClockOff(offset())).toBe(true);

    // ...and back within the margin, the warning clears.
    skew = 60_000;
    expect(await d.engine.run()).toBe('done');
    near(skew);
    expect(isClockOff(offset())).toBe(false);
    expect(hub.requests.filter((r) => r.path === API.push)).toHaveLength(pushes);
  });
});

describe('sync engine: another tab switches the session cookie during a run (A8)', () => {
  /** Hanako (coordinator) and Jiro (office-b case worker) on one phone, each in a tab; office-a households Hanako holds, one with a draft. */
  async function twoTabs() {
    const hub = createFakeHub();
    const hanako = hub.addUser({ displayName: '拠点 花子', role: 'coordinator' });
    const jiro = hub.addUser({ displayName: '相談 次郎', role: 'case-worker', officeId: 'office-b' });
    const browser = hub.browser();
    const d = await device(hub, { fetch: browser });
    expect(await d.engine.join(signInOf(hanako))).toBe('done');
    const localJiro = await d.session.addUser(PASSPHRASE, '相談 次郎', OTHER_PASSPHRASE);
    const j = engineIn(browser, await d.vault.unlock(localJiro.id, OTHER_PASSPHRASE));
    expect(await j.engine.join(signInOf(jiro))).toBe('done');
    const write = () => {
      const id = newId();
      hub.write({ kind: 'household', entityId: id, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id })) });
      return id;
    };
    const ids = Array.from({ length: 6 }, write);
    expect(await d.engine.run()).toBe('done');
    await d.session.saveDraft(`household:${ids[0]}`, { note: '聞き取り途中（2回目の訪問で続き）' });
    for (let i = 0; i < 4; i += 1) write();
    const held = async () => (await Promise.all(ids.map((id) => d.session.get('household', id)))).filter(Boolean).length;
    return { hub, browser, d, j, ids, held };
  }

  it("[A8] a page pulled under the other tab's person's scope drops nothing: the run opens its own session again and pulls on", async () => {
    const { browser, d, j, ids, held } = await twoTabs();
    // Hanako's run, with small pages: the other tab opens its conflict list before her second page
    let pulls = 0;
    const fetch: FetchLike = async (input, init) => {
      if (input.startsWith(API.pull) && ++pulls === 2) await j.engine.conflicts().catch(() => undefined);
      return browser(input, init);
    };
    const a = createSyncEngine({ session: d.session, fetch, locks: null, status: d.status, forgetInstall: async () => undefined, pullPage: 2 });

    expect(await a.run()).toBe('done');
    expect(await held()).toBe(ids.length);
    expect(await d.session.loadDraft(`household:${ids[0]}`)).toEqual({ note: '聞き取り途中（2回目の訪問で続き）' });
    expect((await d.session.sync.hubLink())?.scope).toEqual({ role: 'coordinator', officeIds: 'all', facilityId: null });
  });

  it('[A8] when the cookie is switched again after the run opened its session anew, the run fails to be tried again, dropping nothing', async () => {
    const { browser, d, j, ids, held } = await twoTabs();
    let switching = true;
    const fetch: FetchLike = async (input, init) => {
      if (switching && input.startsWith(API.pull)) await j.engine.conflicts().catch(() => undefined);
      return browser(input, init);
    };
    const a = createSyncEngine({ session: d.session, fetch, locks: null, status: d.status, forgetInstall: async () => undefined, pullPage: 2 });

    expect(await a.run()).toBe('failed');
    expect(d.status.getState().problem).toMatchObject({ code: 'session-switched', message: S.problem['session-switched'] });
    expect(d.status.getState().signedOut).toBe(false);
    expect(await held()).toBe(ids.length);
    expect(await d.session.loadDraft(`household:${ids[0]}`)).toEqual({ note: '聞き取り途中（2回目の訪問で続き）' });
    expect((await d.session.sync.hubLink())?.scope).toEqual({ role: 'coordinator', officeIds: 'all', facilityId: null });

    switching = false;
    expect(await a.run()).toBe('done');
    expect(d.status.getState().problem).toBeNull();
    expect(await held()).toBe(ids.length);
  });
});

describe('sync engine: settling a conflict with the other value', () => {
  /** The fake hub has no conflicts API: resolving answers 204 here, and is counted. */
  function resolving(inner: FetchLike) {
    const resolved: string[] = [];
    const fetch: FetchLike = async (input, init) => {
      if (input.startsWith(`${API.conflicts}/`)) {
        resolved.push(input);
        return new Response(null, { status: 204 });
      }
      return inner(input, init);
    };
    return { fetch, resolved };
  }
  const conflictOn = (entityId: string): WireConflict => ({
    id: 'c-1',
    kind: 'household',
    entityId,
    field: 'phone',
    baseVersion: 1,
    keptVersion: 2,
    keptValue: '047-000-0000',
    lostVersion: 3,
    lostValue: '090-1111-2222',
    keptBy: '拠点 花子',
    lostBy: '当番 次郎',
    createdAt: '2026-01-01T00:00:00.000Z',
  });

  it('settles once the edit reached the hub, though an older change of the record is still listed as refused', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const { fetch, resolved } = resolving(hub.browser());
    const d = await device(hub, { fetch });
    const id = await household(d.session);
    expect(await d.engine.join(signInOf(user))).toBe('done');
    hub.refuseEntity(id, 'invalid', 'an earlier edit the hub refused');
    await d.session.put('household', id, createHousehold({ id, note: '別の編集' }), 'update');
    await d.engine.run();
    expect(d.status.getState().refused).toBe(1);

    await d.engine.settleConflict(conflictOn(id), 'lost');
    expect(resolved).toEqual([`${API.conflicts}/c-1/resolve`]);
    expect(JSON.parse(hub.records.get(`household/${id}`)!.payloadJson)).toMatchObject({ phone: '090-1111-2222' });
  });

  /** A joined phone with a household, whose sync lock another tab holds while `busy(true)`. */
  async function joinedWithLock() {
    const hub = createFakeHub();
    const user = hub.addUser();
    const { fetch, resolved } = resolving(hub.browser());
    let othersHoldIt = false;
    const locks: LockManagerLike = { request: async (_name, _options, callback) => callback(othersHoldIt ? null : {}) };
    const d = await device(hub, { fetch, locks });
    const id = await household(d.session);
    expect(await d.engine.join(signInOf(user))).toBe('done');
    return { hub, resolved, d, id, busy: (held: boolean) => void (othersHoldIt = held) };
  }

  it('says another tab is syncing when its run could not go, and settles nothing', async () => {
    const { resolved, d, id, busy } = await joinedWithLock();

    busy(true);
    const error = await d.engine.settleConflict(conflictOn(id), 'lost').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'busy', message: S.settle.busy });
    expect(resolved).toEqual([]);
  });

  it('keeps the hub\'s value when chosen after a 「戻す」 that could not be sent: the queued edit does not win at the next run', async () => {
    const { hub, resolved, d, id, busy } = await joinedWithLock();
    const phoneOnHub = () => (JSON.parse(hub.records.get(`household/${id}`)!.payloadJson) as { phone: string }).phone;

    busy(true);
    await expect(d.engine.settleConflict(conflictOn(id), 'lost')).rejects.toMatchObject({ code: 'busy' });
    busy(false);
    await d.engine.settleConflict(conflictOn(id), 'kept');
    expect(resolved).toEqual([`${API.conflicts}/c-1/resolve`]);
    await d.engine.run();
    expect(phoneOnHub()).toBe('047-000-0000');
    expect((await d.session.get<{ phone: string }>('household', id))!.data.phone).toBe('047-000-0000');
    expect(await d.session.outbox()).toEqual([]);
  });

  it('sends the 「戻す」 already queued when it is pressed again, without a second edit', async () => {
    const { hub, resolved, d, id, busy } = await joinedWithLock();
    busy(true);
    await expect(d.engine.settleConflict(conflictOn(id), 'lost')).rejects.toMatchObject({ code: 'busy' });
    expect((await d.session.outbox()).filter((e) => e.kind === 'household')).toHaveLength(1);
    busy(false);
    const put = vi.spyOn(d.session, 'put');
    await d.engine.settleConflict(conflictOn(id), 'lost');
    expect(put).not.toHaveBeenCalled();
    expect(resolved).toEqual([`${API.conflicts}/c-1/resolve`]);
    expect(JSON.parse(hub.records.get(`household/${id}`)!.payloadJson)).toMatchObject({ phone: '090-1111-2222' });
    expect(await d.session.outbox()).toEqual([]);
  });

  it('names whose sign-in the queue waits for when the edit is held behind their change, and settles nothing', async () => {
    const hub = createFakeHub();
    const hanako = hub.addUser({ displayName: '拠点 花子' });
    const { fetch, resolved } = resolving(hub.browser());
    const d = await device(hub, { fetch });
    const id = await household(d.session);
    expect(await d.engine.join(signInOf(hanako))).toBe('done');
    // Jiro, who never signed in on the hub here, saves a change first
    const localJiro = await d.session.addUser(PASSPHRASE, '当番 次郎', OTHER_PASSPHRASE);
    const asJiro = await d.vault.unlock(localJiro.id, OTHER_PASSPHRASE);
    await household(asJiro, '夜 次郎の世帯');

    const error = await d.engine.settleConflict(conflictOn(id), 'lost').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'held', message: S.settle.heldFor('当番 次郎') });
    expect(resolved).toEqual([]);
  });

  /**
   * A trial stay held as 11/05〜11/06 whose other phone said 11/01〜11/03: both dates are conflicts,
   * listed by a hub that answers the list and drops what is resolved.
   */
  async function trialStayConflicts() {
    const hub = createFakeHub();
    const user = hub.addUser();
    const resolved: string[] = [];
    const stay = createTrialStay({ from: '2026-11-05', to: '2026-11-06' });
    const dateConflict = (field: 'from' | 'to', keptValue: string, lostValue: string): WireConflict => ({
      ...conflictOn(stay.id),
      id: `c-${field}`,
      kind: 'trial-stay',
      field,
      keptValue,
      lostValue,
    });
    const from = dateConflict('from', '2026-11-05', '2026-11-01');
    const to = dateConflict('to', '2026-11-06', '2026-11-03');
    const listed = [from, to];
    const inner = hub.browser();
    const fetch: FetchLike = async (input, init) => {
      if (input === API.conflicts) return new Response(JSON.stringify({ conflicts: listed }), { status: 200, headers: { 'content-type': 'application/json' } });
      if (input.startsWith(`${API.conflicts}/`)) {
        resolved.push(input);
        const at = listed.findIndex((c) => input === `${API.conflicts}/${c.id}/resolve`);
        if (at >= 0) listed.splice(at, 1);
        return new Response(null, { status: 204 });
      }
      return inner(input, init);
    };
    const d = await device(hub, { fetch });
    await d.session.put('trial-stay', stay.id, stay, 'create');
    expect(await d.engine.join(signInOf(user))).toBe('done');
    const onHub = () => JSON.parse(hub.records.get(`trial-stay/${stay.id}`)!.payloadJson) as { from: string; to: string };
    return { d, stay, from, to, listed, resolved, onHub };
  }

  it('takes the other phone\'s trial stay period whole when 「もう一方の値に戻す」 is chosen for 終了日 alone, and settles both dates', async () => {
    const { d, from, to, resolved, listed, onHub } = await trialStayConflicts();

    await d.engine.settleConflict(to, 'lost');
    expect(onHub()).toMatchObject({ from: '2026-11-01', to: '2026-11-03' });
    expect(resolved).toEqual([`${API.conflicts}/${to.id}/resolve`, `${API.conflicts}/${from.id}/resolve`]);
    expect(listed).toEqual([]);
  });

  it('refuses 「もう一方の値に戻す」 for a trial stay\'s 終了日 that would put 開始日 after 終了日, and changes nothing', async () => {
    const { d, stay, from, to, resolved, onHub } = await trialStayConflicts();
    // 開始日 settled first with this phone's 11/05
    await d.engine.settleConflict(from, 'kept');
    const put = vi.spyOn(d.session, 'put');

    const error = await d.engine.settleConflict(to, 'lost').catch((e: unknown) => e);
    expect(error).toMatchObject({ message: expect.stringContaining('開始日が終了日より後') });
    expect(put).not.toHaveBeenCalled();
    expect(resolved).toEqual([`${API.conflicts}/${from.id}/resolve`]);
    expect((await d.session.get<{ from: string; to: string }>('trial-stay', stay.id))!.data).toMatchObject({ from: '2026-11-05', to: '2026-11-06' });
    expect(onHub()).toMatchObject({ from: '2026-11-05', to: '2026-11-06' });
  });
  it('refuses 「もう一方の値に戻す」 when the other value is one this app cannot read (a newer app\'s), and changes nothing', async () => {
    const { d, stay, to, listed, resolved, onHub } = await trialStayConflicts();
    // a day this app's record check refuses: written as it came, its own pull would set the stay aside
    const unreadable: WireConflict = { ...to, lostValue: '2026-11-31' };
    listed.splice(listed.indexOf(to), 1, unreadable);
    const put = vi.spyOn(d.session, 'put');

    const error = await d.engine.settleConflict(unreadable, 'lost').catch((e: unknown) => e);
    expect(error).toMatchObject({ message: S.settle.unreadable });
    expect(put).not.toHaveBeenCalled();
    expect(resolved).toEqual([]);
    expect((await d.session.get<{ from: string; to: string }>('trial-stay', stay.id))!.data).toMatchObject({ from: '2026-11-05', to: '2026-11-06' });
    expect(onHub()).toMatchObject({ from: '2026-11-05', to: '2026-11-06' });
  });
});

describe('sync engine: the phone\'s own storage failing during a run', () => {
  it('hands a lost database connection to the app (its banner has 再試行) and reports it in words', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const onStorageError = vi.fn();
    const d = await device(hub, { onStorageError });
    expect(await d.engine.join(signInOf(user))).toBe('done');
    vi.spyOn(d.session.sync, 'saveHubLink').mockRejectedValueOnce(new DOMException('the connection is closed', 'InvalidStateError'));
    expect(await d.engine.run()).toBe('failed');
    expect(onStorageError).toHaveBeenCalledOnce();
    expect(d.status.getState().problem).toMatchObject({ code: 'storage' });
    expect(d.status.getState().problem!.message).toContain('保存データとの接続が途切れました');
  });
});

describe('sync engine: a join cut short (A6)', () => {
  it('keeps the device secret as soon as the hub enrolled the device: a join cut short after it is tried again and syncs', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    const made = await household(d.session);
    vi.spyOn(d.session.sync, 'saveUserToken').mockRejectedValueOnce(new DOMException('quota', 'QuotaExceededError'));
    await expect(d.engine.join(signInOf(user))).rejects.toThrow();
    // nothing was sent under the half-made link
    expect(hub.records.has(`household/${made}`)).toBe(false);
    expect(await d.engine.run()).toBe('failed');
    expect(hub.requests.some((r) => r.path === API.push)).toBe(false);

    expect(await d.engine.join(signInOf(user))).toBe('done');
    expect(hub.records.has(`household/${made}`)).toBe(true);
    expect(d.status.getState()).toMatchObject({ joined: true, signedOut: false, pending: 0 });
  });

  it('asks for the hub admin\'s move-device when the hub has this device and no link is held here', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const d = await device(hub);
    expect(await d.engine.join(signInOf(user))).toBe('done');
    // the link is gone from here (the app's data cleared, say); the hub still has the device
    await d.session.sync.clearHubLink();

    const error = await d.engine.join(signInOf(user)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'forbidden', message: S.enrolForbidden });
    expect((error as Error).message).toContain('npm run admin -- move-device');
  });
});

describe('sync engine: a request that stalls', () => {
  it('gives a stalled push up after the time limit: the run ends unreachable, the change stays queued, and the next run sends it', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const browser = hub.browser();
    let stall = false;
    const fetch: FetchLike = (input, init) => {
      if (stall && input === API.push) return new Promise<Response>(() => undefined);
      return browser(input, init);
    };
    const d = await device(hub, { fetch, requestTimeLimitMs: 300 });
    expect(await d.engine.join(signInOf(user))).toBe('done');
    const id = await household(d.session);

    stall = true;
    expect(await d.engine.run()).toBe('failed');
    expect(d.status.getState()).toMatchObject({ running: false, problem: { code: 'unreachable' } });
    expect(await queued(d.session)).toContain(id);

    stall = false;
    expect(await d.engine.run()).toBe('done');
    expect(hub.records.has(`household/${id}`)).toBe(true);
  });

  it('gives a stalled pull page up the same way', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const browser = hub.browser();
    let stall = false;
    const fetch: FetchLike = (input, init) => {
      if (stall && input.startsWith(API.pull)) return new Promise<Response>(() => undefined);
      return browser(input, init);
    };
    const d = await device(hub, { fetch, requestTimeLimitMs: 300 });
    expect(await d.engine.join(signInOf(user))).toBe('done');

    stall = true;
    expect(await d.engine.run()).toBe('failed');
    expect(d.status.getState()).toMatchObject({ running: false, problem: { code: 'unreachable' } });
  });
});

/** The hub's clock reads 02:38 (Japan time); this joined phone's reads 02:45. It holds a case opened and a call, both dated by its clock. */
async function fastPhoneWithACall() {
  let hubMs = Date.parse('2026-12-01T17:38:00.000Z');
  const hub = createFakeHub({ now: () => hubMs });
  const user = hub.addUser();
  const d = await device(hub, { now: () => hubMs + 7 * 60_000 });
  expect(await d.engine.join(signInOf(user))).toBe('done');
  const by = { userId: d.session.user.id, name: d.session.user.displayName };
  const stamp = () => new Date(hubMs + 7 * 60_000).toISOString();
  const open = await chainNext([], { id: newId(), caseId: newId(), recordedAt: stamp(), recordedBy: by, deviceId: d.session.deviceId, body: openBody({ officeId: 'office-a', requestedAt: stamp() }) });
  await d.session.append('case-entry', open.id, open);
  const call = await chainNext([open], { id: newId(), caseId: open.caseId, recordedAt: stamp(), recordedBy: by, deviceId: d.session.deviceId, body: contactBody({ contactedAt: stamp(), result: '受入可' }) });
  await d.session.append('case-entry', call.id, call);
  return { hub, d, open, call, hubClock: { pass: (ms: number) => (hubMs += ms) } };
}

describe('sync engine: a phone whose clock is fast [E7]', () => {
  it('sends again, once the hub has caught up, the entries refused for being dated ahead of it, and the rest of their case after them', async () => {
    const { hub, d, open, call, hubClock } = await fastPhoneWithACall();
    const refusals = async () => (await d.session.outbox()).filter((e) => e.kind === 'case-entry').map((e) => e.refusal?.reason ?? null);

    // Dated 7 minutes after the hub's clock: both are refused as clock (the hub reads the time first).
    await d.engine.run();
    expect(await refusals()).toEqual(['clock', 'clock']);
    expect(hub.records.has(`case-entry/${open.id}`)).toBe(false);
    // A minute on, the hub would still refuse them: nothing is sent again.
    hubClock.pass(60_000);
    await d.engine.run();
    expect(await refusals()).toEqual(['clock', 'clock']);
    // Three minutes on, within the hub's tolerance: both go, and the hub holds the case.
    hubClock.pass(2 * 60_000);
    expect(await d.engine.run()).toBe('done');
    expect(await refusals()).toEqual([]);
    expect(JSON.parse(hub.records.get(`case-entry/${call.id}`)!.payloadJson)).toEqual(call);
  });

  it('sends them again after a push whose answer was lost: the change the hub took keeps its number, and the entries go after it', async () => {
    const { hub, d, open, call, hubClock } = await fastPhoneWithACall();
    const refusals = async () => (await d.session.outbox()).map((e) => e.refusal?.reason ?? null);
    await d.engine.run();
    expect(await refusals()).toEqual(['clock', 'clock']);

    // A household edited after: the hub takes its push, and the answer is lost on a slow line.
    const edited = await household(d.session, '後 一郎');
    hub.fail({ type: 'drop-after-commit' }, API.push);
    hubClock.pass(30_000);
    expect(await d.engine.run()).toBe('failed');
    expect(hub.records.has(`household/${edited}`)).toBe(true);

    // Three minutes on: the entries go, behind the edit the hub already holds under its number.
    hubClock.pass(3 * 60_000);
    expect(await d.engine.run()).toBe('done');
    expect(await refusals()).toEqual([]);
    expect(JSON.parse(hub.records.get(`case-entry/${open.id}`)!.payloadJson)).toEqual(open);
    expect(JSON.parse(hub.records.get(`case-entry/${call.id}`)!.payloadJson)).toEqual(call);
  });
});
