/**
 * [S15] The sync engine meeting a hub whose database was restored from a backup: the fake hub plays
 * the restored database (what it holds is what the backup held, plus what was written since), and
 * a pull whose cursor names the epoch before is answered from the start with `epochChange`, as the
 * real hub answers it. The runs are cut off where a phone's runs are: a 503, an ended session, a
 * device the hub no longer takes.
 */
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { appendNext } from '../../test/factories/case-append';
import { contactBody, openBody } from '../../test/factories/emergency-case';
import { createFakeHub, type FakeHub } from '../../test/factories/fake-hub';
import { createHousehold } from '../../test/factories/household';
import { parseCursor } from '../protocol/cursor';
import { API, DEVICE_ID_HEADER, type ErrorCode, type PullResponse, type WireRecord } from '../protocol/sync';
import { newId, setUpTestVault } from '../vault/testing';
import type { VaultSession } from '../vault/types';
import type { FetchLike } from './client';
import { createSyncEngine } from './engine';
import { initialSyncStatus, type SyncStatus } from './status';

/** The epoch of the database before the restore: the phone's cursor names it. */
const BEFORE = 'before-restore';

interface Restore {
  /** the head of the backup: versions above it were lost */
  floor: number;
  /** runs once, when the first page from the start has been answered: to cut the run off after it */
  afterFirstPage: () => void;
  /**
   * The database was put back by hand and kept its epoch: only a marked cursor beyond the floor
   * tells (its version was handed out again, or lies beyond the head), never a cursor at version 0.
   */
  byHand?: boolean;
}

/** The fake hub as the restored database: a cursor of the epoch before is answered from the start with epochChange. */
function restored(hub: FakeHub, restore: Restore): FetchLike {
  const fetch = hub.browser();
  return async (input, init) => {
    const url = new URL(input, 'https://hub.example');
    const cursor = parseCursor(url.searchParams.get('cursor') ?? '0');
    const putBack = restore.byHand === true && cursor?.mark != null && cursor.version > restore.floor;
    if (url.pathname !== API.pull || (cursor?.epoch !== BEFORE && !putBack)) return fetch(input, init);
    url.searchParams.set('cursor', '0');
    const answer = await fetch(`${url.pathname}${url.search}`, init);
    if (!answer.ok) return answer;
    const page = (await answer.json()) as PullResponse;
    const deviceId = (init.headers as Record<string, string>)[DEVICE_ID_HEADER]!;
    const cut = restore.afterFirstPage;
    restore.afterFirstPage = () => {};
    cut();
    const epochChange = { floor: restore.floor, lastSeq: hub.device(deviceId)!.lastSeq };
    return new Response(JSON.stringify({ ...page, epochChange }), { status: 200, headers: answer.headers });
  };
}

async function phone(hub: FakeHub, pullPage?: number) {
  const user = hub.addUser();
  const { session } = await setUpTestVault();
  const status = createStore<SyncStatus>()(() => initialSyncStatus);
  const restore: Restore = { floor: 0, afterFirstPage: () => {} };
  const engine = createSyncEngine({
    session,
    fetch: restored(hub, restore),
    locks: null,
    status,
    forgetInstall: async () => undefined,
    ...(pullPage === undefined ? {} : { pullPage }),
  });
  const signIn = { hub: user.hub, loginName: user.loginName, password: user.password, totp: user.totp, deviceName: '拠点 花子の端末' };
  expect(await engine.join(signIn)).toBe('done');
  /** The hub's database is put back to a backup whose head was `floor`; this phone last pulled up to `cursor` before. */
  const restoreHub = async (floor: number, cursor: number) => {
    restore.floor = floor;
    const link = await session.sync.hubLink();
    await session.sync.saveHubLink({ ...link!, epoch: BEFORE, cursor, mark: null });
  };
  /** The hub's database is put back by hand to a backup whose head was `floor`, keeping its epoch; this phone's cursor is marked. */
  const restoreHubByHand = async (floor: number) => {
    restore.floor = floor;
    restore.byHand = true;
    const link = await session.sync.hubLink();
    await session.sync.saveHubLink({ ...link!, mark: Date.now() });
  };
  return { session, status, engine, restore, restoreHub, restoreHubByHand, signIn };
}

function household(id: string, note: string): Omit<WireRecord, 'version'> {
  return { kind: 'household', entityId: id, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id, note })) };
}

const hubError = (status: number, code: ErrorCode) => ({ type: 'error' as const, status, code, message: 'エラー' });

/** What this phone sent the hub for a record. */
const sentBy = (hub: FakeHub, session: VaultSession, entityId: string) => hub.taken.filter((t) => t.deviceId === session.deviceId && t.entityId === entityId);

/**
 * A phone (pages of 2) whose hub was restored, and another phone's writes after the restore:
 * versions above the floor again, of the new timeline. `other`: the first of those households.
 */
async function restoredThenWrittenOn() {
  const hub = createFakeHub();
  const p = await phone(hub, 2);
  const floor = hub.write(household(newId(), 'バックアップ前'));
  await p.restoreHub(floor, floor + 3);
  const other = newId();
  hub.write(household(other, '他の端末が復元後に書いた'));
  hub.write(household(newId(), '三件目'));
  return { hub, p, other };
}

/** A phone whose household, synced, the hub's restore then lost (the floor just below it). */
async function householdLostByARestore() {
  const hub = createFakeHub();
  const p = await phone(hub);
  const id = newId();
  await p.session.put('household', id, createHousehold({ id, note: '復元で失われた' }), 'create');
  expect(await p.engine.run()).toBe('done');
  const version = hub.records.get(`household/${id}`)!.version;
  await p.restoreHub(version - 1, version);
  return { hub, p, id };
}

describe('[S15] the engine after a restore of the hub', () => {
  it('sends its queue once to be refused gap after a restore that lost its later numbers, then pulls to find out why: not four times over in every run', async () => {
    const hub = createFakeHub();
    const p = await phone(hub);
    for (const note of ['一件目', '二件目']) {
      const id = newId();
      await p.session.put('household', id, createHousehold({ id, note }), 'create');
    }
    expect(await p.engine.run()).toBe('done');
    const floor = Math.max(...[...hub.records.values()].map((r) => r.version));
    // the backup was taken before this phone's two changes: the restored hub knows none of its numbers
    await p.restoreHub(0, floor);
    hub.device(p.session.deviceId)!.lastSeq = 0;
    const id = newId();
    await p.session.put('household', id, createHousehold({ id, note: '復元の後に書いた' }), 'create');
    const from = hub.requests.length;
    await p.engine.run();
    const asked = hub.requests.slice(from).map((r) => r.path);
    expect(asked.slice(0, asked.indexOf(API.pull)).filter((path) => path === API.push)).toHaveLength(1);
    // the pull that follows is the one that finds out why (the epoch change)
    expect(asked).toContain(API.pull);
  });

  it('[S15] 「最初から受信し直す」 after a restore by hand this phone has not met yet keeps and sends again its edit the restore lost', async () => {
    const hub = createFakeHub();
    const p = await phone(hub);
    const id = newId();
    const floor = hub.write(household(id, 'バックアップ時'));
    const backup = hub.records.get(`household/${id}`)!;
    expect(await p.engine.run()).toBe('done');
    // After the backup, the hub took this phone's edit and the phone pulled it back.
    await p.session.put('household', id, createHousehold({ id, note: 'バックアップ後の編集' }), 'update');
    expect(await p.engine.run()).toBe('done');
    expect((await p.session.sync.hubLink())!.cursor).toBeGreaterThan(floor);
    // The database is put back by hand: the hub holds the backup's copy again, under the same epoch.
    (hub.records as Map<string, typeof backup>).set(`household/${id}`, backup);
    await p.restoreHubByHand(floor);

    expect(await p.engine.pullAgain()).toBe('done');

    expect((await p.session.get<{ note: string }>('household', id))?.data.note).toBe('バックアップ後の編集');
    expect(JSON.parse(hub.records.get(`household/${id}`)!.payloadJson)).toMatchObject({ note: 'バックアップ後の編集' });
    expect(sentBy(hub, p.session, id)).toHaveLength(2);
    expect(await p.session.outbox()).toEqual([]);
  });

  it('a run cut off after the epoch change pulls and sends again what the restore lost before it pushes anything new', async () => {
    const hub = createFakeHub();
    const p = await phone(hub, 1);
    const caseId = newId();
    const e1 = await appendNext(p.session, caseId, openBody({ officeId: 'office-a' }));
    expect(await p.engine.run()).toBe('done');
    const floor = hub.write(household(newId(), 'バックアップ前'));
    // After the backup, the hub took this phone's next entry and the phone pulled it back.
    const e2 = await appendNext(p.session, caseId, contactBody());
    const [queued] = await p.session.outbox();
    await p.session.sync.acknowledge([{ seq: queued!.seq, mutationId: queued!.mutationId, status: 'accepted', version: floor + 5 }], [{ seq: queued!.seq, kind: 'case-entry', entityId: e2.id }]);
    await p.session.sync.applyRemote([{ kind: 'case-entry', entityId: e2.id, version: floor + 5, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(e2) }]);
    await p.restoreHub(floor, floor + 5);

    // The first page from the start comes with the epoch change; the second is answered 503.
    p.restore.afterFirstPage = () => hub.fail({ type: 'status', status: 503 }, API.pull);
    expect(await p.engine.run()).toBe('failed');
    // The phone goes on with the case: its next entry continues the one the restore lost.
    const e3 = await appendNext(p.session, caseId, contactBody());
    expect(e3.prevHash).toBe(e2.hash);

    expect(await p.engine.run()).toBe('done');
    expect((await p.session.outbox()).map((e) => [e.entityId, e.refusal?.reason])).toEqual([]);
    for (const e of [e1, e2, e3]) expect(JSON.parse(hub.records.get(`case-entry/${e.id}`)!.payloadJson)).toEqual(e);
    expect(p.status.getState()).toMatchObject({ refused: 0, problem: null });
  });

  it('a device refused (403) after the epoch change and some pages keeps the new epoch and cursor: the next run treats nothing of the new timeline as lost', async () => {
    const { hub, p, other } = await restoredThenWrittenOn();

    p.restore.afterFirstPage = () => hub.fail(hubError(403, 'forbidden'), API.pull);
    expect(await p.engine.run()).toBe('failed');
    const link = await p.session.sync.hubLink();
    expect([link?.epoch, link?.cursor]).toEqual(['fake-hub', hub.records.get(`household/${other}`)!.version]);

    // Signed in again, the phone pulls on from where it was: nothing of the other phone's is sent as its own.
    expect(await p.engine.join(p.signIn)).toBe('done');
    expect(sentBy(hub, p.session, other)).toEqual([]);
    expect(JSON.parse(hub.records.get(`household/${other}`)!.payloadJson)).toMatchObject({ note: '他の端末が復元後に書いた' });
  });

  it('a session that ends after the epoch change and some pages is opened again, and the run pulls on from the new epoch', async () => {
    const { hub, p, other } = await restoredThenWrittenOn();

    p.restore.afterFirstPage = () => hub.fail(hubError(401, 'signed-out'), API.pull);
    expect(await p.engine.run()).toBe('done');
    expect(sentBy(hub, p.session, other)).toEqual([]);
    expect(await p.session.outbox()).toEqual([]);
  });

  it('a session that ends while what the restore lost is sent again is opened again, and the run sends it before it says done', async () => {
    const { hub, p, id } = await householdLostByARestore();

    p.restore.afterFirstPage = () => hub.fail(hubError(401, 'signed-out'), API.push);
    expect(await p.engine.run()).toBe('done');
    expect(await p.session.outbox()).toEqual([]);
    expect(sentBy(hub, p.session, id)).toHaveLength(2);
  });

  it('a session that cannot be opened again while what the restore lost is sent again ends the run failed, not done', async () => {
    const { hub, p, id } = await householdLostByARestore();
    const lastSyncAt = p.status.getState().lastSyncAt;

    p.restore.afterFirstPage = () => {
      hub.fail(hubError(401, 'signed-out'), API.push);
      hub.fail(hubError(401, 'signed-out'), API.push);
    };
    expect(await p.engine.run()).toBe('failed');
    expect(p.status.getState()).toMatchObject({ lastSyncAt, problem: { code: 'signed-out' } });
    expect((await p.session.outbox()).map((e) => e.entityId)).toEqual([id]);
  });
});
