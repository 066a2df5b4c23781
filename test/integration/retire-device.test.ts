// @vitest-environment node
/**
 * [retire] The app's sync engine, with a real vault (fake IndexedDB, real WebCrypto), against the
 * real hub over HTTP: a retired case worker's phone holds a case entry for a household that
 * moved to another office, and a household it registered. The run sends everything, the hub
 * quarantines what it refuses, the phone wipes, and every queued change is on the hub.
 */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { chainNext } from '../../src/domain/case-chain';
import { API } from '../../src/protocol/sync';
import { runAdminCommand } from '../../src/server/admin-commands';
import { totpCode } from '../../src/server/services/credentials';
import type { FetchLike } from '../../src/sync/client';
import { createSyncEngine } from '../../src/sync/engine';
import { initialSyncStatus, type SyncStatus } from '../../src/sync/status';
import { createSampleRecord, newId, setUpTestVault } from '../../src/vault/testing';
import { openBody } from '../factories/emergency-case';
import { DeviceClient, householdWire, HUB, PASSWORD, startApi, type ApiHarness } from './api-harness';
import { schemaTarget } from './schema-target';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

/** The browser's fetch for a same-origin app: relative paths, and the session cookie kept. */
function browserFetch(base: string, jar: { cookie?: string } = {}, onRequest?: (method: string, path: string) => Promise<void> | void): FetchLike {
  return async (input, init) => {
    await onRequest?.(init.method ?? 'GET', String(input));
    const headers = new Headers(init.headers);
    if (jar.cookie !== undefined) headers.set('cookie', jar.cookie);
    const { credentials: _credentials, cache: _cache, ...rest } = init;
    const res = await fetch(`${base}${input}`, { ...rest, headers });
    const set = res.headers.get('set-cookie');
    if (set !== null) jar.cookie = set.split(';')[0];
    return res;
  };
}

describe('[retire] a retired phone with a refused change, against the real hub', () => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await startApi(target);
  });
  afterEach(() => api.close());

  it('[retire] sends everything, the hub quarantines the case entry refused for scope and the household, the phone wipes; nothing is lost', async () => {
    const coord = await api.user('coord1', 'coordinator');
    const worker = await api.user('worker-a', 'case-worker', { officeId: 'office-a' });
    const lead = await new DeviceClient(api, 'lead-phone').join(coord);
    await lead.push([householdWire('hh-1', { officeId: 'office-a' })]);

    const vault = await setUpTestVault();
    const { session } = vault;
    const status = createStore<SyncStatus>()(() => initialSyncStatus);
    let retiredCalled = false;
    const engine = createSyncEngine({
      session,
      fetch: browserFetch(api.base),
      locks: null,
      status,
      forgetInstall: async () => undefined,
      onRetired: () => {
        retiredCalled = true;
      },
    });
    expect(await engine.join({ hub: HUB, loginName: worker.loginName, password: PASSWORD, totp: totpCode(worker.totpSecret, api.clock.now), deviceName: '相談員の端末' })).toBe('done');

    // Offline on the phone: a case for hh-1, and a household of its own.
    const entry = await chainNext([], {
      id: newId(),
      caseId: newId(),
      recordedAt: '2026-11-30T14:52:00.000Z',
      recordedBy: { userId: session.user.id, name: session.user.displayName },
      deviceId: session.deviceId,
      body: openBody({ officeId: 'office-a', subject: { householdId: 'hh-1', personId: null, name: '佐藤', recipientNumber: '' } }),
    });
    await session.append('case-entry', entry.id, entry);
    const own = newId();
    await session.put('household', own, createSampleRecord({ name: '山田 太郎' }), 'create');
    const queued = (await session.outbox()).map((e) => e.mutationId);
    expect(queued.length).toBeGreaterThanOrEqual(2);

    // Meanwhile hh-1 moves to office-b, and the worker leaves.
    await lead.push([householdWire('hh-1', { officeId: 'office-b' }, 'update')]);
    await api.accounts.disableUser(worker.id);

    expect(await engine.run()).toBe('retired');
    expect(retiredCalled).toBe(true);
    expect(await Dexie.exists(vault.db.name)).toBe(false);

    const quarantine = await api.store.listQuarantine(HUB);
    expect(quarantine.map((q) => [q.kind, q.entityId, q.reason]).sort()).toEqual(
      [
        ['case-entry', entry.id, 'scope'],
        ['household', own, 'scope'],
      ].sort(),
    );
    expect(JSON.parse(quarantine.find((q) => q.kind === 'case-entry')!.changeJson).payload).toEqual(JSON.parse(JSON.stringify(entry)));
    // every change the phone held is on the hub: taken, or in quarantine
    const taken = await api.raw.query<{ mutation_id: string }>('SELECT mutation_id::text FROM changes');
    const held = new Set([...taken.rows.map((r) => r.mutation_id), ...quarantine.map((q) => q.mutationId)]);
    for (const m of queued) expect(held.has(m)).toBe(true);

    const lines: string[] = [];
    await runAdminCommand(api.store, 'list-devices', { hub: HUB }, { out: (l) => lines.push(l), readPassword: async () => '' });
    const row = lines.find((l) => l.startsWith(session.deviceId))!;
    expect(row).toContain('消去済み');
    expect(row).toContain('隔離 2件（未対応）');
  });

  it('[retire] the phone ends its hub session after the hub heard it wipes, before it wipes: the browser keeps no session cookie', async () => {
    const coord = await api.user('coord1', 'coordinator');
    const { session, db } = await setUpTestVault();
    const jar: { cookie?: string } = {};
    /** each request as it left, and whether the vault still existed then */
    const sent: [string, boolean][] = [];
    const engine = createSyncEngine({
      session,
      fetch: browserFetch(api.base, jar, async (method, path) => void sent.push([`${method} ${path.split('?')[0]}`, await Dexie.exists(db.name)])),
      locks: null,
      forgetInstall: async () => undefined,
    });
    expect(await engine.join({ hub: HUB, loginName: coord.loginName, password: PASSWORD, totp: totpCode(coord.totpSecret, api.clock.now), deviceName: '当番の携帯' })).toBe('done');
    const cookie = jar.cookie;
    expect(cookie).toMatch(/^kyoten_session=.+/);
    // Written before the hub disabled the phone, so the retire flow has something to send.
    await session.put('household', newId(), createSampleRecord({ name: '山田 太郎' }), 'create');
    await api.accounts.disableDevice(session.deviceId);
    sent.length = 0;

    expect(await engine.run()).toBe('retired');
    expect(await Dexie.exists(db.name)).toBe(false);
    const order = sent.map(([request]) => request);
    expect(order.indexOf(`DELETE ${API.session}`)).toBeGreaterThan(order.indexOf(`POST ${API.retireDone}`));
    expect(sent.find(([request]) => request === `DELETE ${API.session}`)![1]).toBe(true);
    expect(jar.cookie).toBe('kyoten_session=');
  });
});
