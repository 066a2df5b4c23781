/**
 * The device keeps the hub's receipts [K5][K6]: the engine takes the hub key after joining, keeps
 * the receipts of its pushes and pulls that verify against it, and each entry's status says
 * whether the hub countersigned it and when. Against the in-memory hub, with a real (fake-IndexedDB) vault.
 */
import { describe, expect, it, vi } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { openBody, contactBody } from '../../test/factories/emergency-case';
import { createFakeHub, type FakeHub, type FakeHubUser } from '../../test/factories/fake-hub';
import { chainNext } from '../domain/case-chain';
import type { CaseEntry } from '../domain/emergency-case';
import { HUB_KEY_PATH } from '../protocol/countersign';
import { setUpTestVault } from '../vault/testing';
import type { VaultSession } from '../vault/types';
import { countersignState as appState, entryCountersigns, initialCountersignState, type CountersignState } from './countersign';
import type { FetchLike } from './client';
import { createSyncEngine } from './engine';
import { NO_KEY_ASKED_AGAIN_MS } from './receipts';
import { initialSyncStatus, type SyncStatus } from './status';

const signInOf = (user: FakeHubUser) => ({ hub: user.hub, loginName: user.loginName, password: user.password, totp: user.totp, deviceName: '当番携帯' });

async function phone(hub: FakeHub, fetch: FetchLike = hub.browser()) {
  const vault = await setUpTestVault();
  const countersign = createStore<CountersignState>()(() => initialCountersignState);
  const engine = createSyncEngine({
    session: vault.session,
    fetch,
    locks: null,
    status: createStore<SyncStatus>()(() => initialSyncStatus),
    countersign,
    forgetInstall: async () => undefined,
  });
  return { ...vault, engine, countersign };
}

async function write(session: VaultSession, before: readonly CaseEntry[] = []): Promise<CaseEntry> {
  const entry = await chainNext(before, {
    id: crypto.randomUUID(),
    caseId: before[0]?.caseId ?? crypto.randomUUID(),
    recordedAt: new Date().toISOString(),
    recordedBy: { userId: session.user.id, name: session.user.displayName },
    deviceId: session.deviceId,
    body: before.length === 0 ? openBody({ officeId: 'office-a' }) : contactBody(),
  });
  await session.append('case-entry', entry.id, entry);
  return entry;
}

const statusOf = async (p: { countersign: { getState(): CountersignState } }, entry: CaseEntry) =>
  (await entryCountersigns([entry], p.countersign.getState())).get(entry.id);

describe('receipts on the device', () => {
  it('[K5][K6] keeps the receipt of what it pushed, checked against the hub key taken at join: countersigned, with the hub time and position', async () => {
    const hub = createFakeHub({ signs: true });
    const user = hub.addUser();
    const a = await phone(hub);
    const entry = await write(a.session);
    expect(await statusOf(a, entry)).toEqual({ status: 'device-only' });

    expect(await a.engine.join(signInOf(user))).toBe('done');
    expect((await a.session.sync.hubLink())?.hubKey).toEqual(hub.hubKey);
    expect(await a.session.sync.receipts()).toEqual([hub.receipts.get(entry.id)]);
    const status = await statusOf(a, entry);
    expect(status).toMatchObject({ status: 'countersigned', hub: 'aozora', position: hub.records.get(`case-entry/${entry.id}`)!.version });
    expect(status?.status === 'countersigned' && status.receivedAt).toBe(hub.receipts.get(entry.id)!.receivedAt);
    // The key is taken once, not on every run.
    await a.engine.run();
    expect(hub.requests.filter((r) => r.path === HUB_KEY_PATH)).toHaveLength(1);
    // The app's own state is left alone by an engine given its own.
    expect(appState.getState().receipts.size).toBe(0);
  });

  it('[K5] another phone pulls the entry with its receipt; an entry not yet sent is pending, never hidden', async () => {
    const hub = createFakeHub({ signs: true });
    const user = hub.addUser();
    const a = await phone(hub);
    const entry = await write(a.session);
    await a.engine.join(signInOf(user));

    const b = await phone(hub);
    await b.engine.join(signInOf(user));
    const pulled = (await b.session.get<CaseEntry>('case-entry', entry.id))!.data;
    expect(await statusOf(b, pulled)).toMatchObject({ status: 'countersigned', position: hub.receipts.get(entry.id)!.position });

    hub.down = true;
    const next = await write(b.session, [pulled]);
    await b.engine.run();
    expect(await statusOf(b, next)).toEqual({ status: 'pending' });
    hub.down = false;
    await b.engine.run();
    expect(await statusOf(b, next)).toMatchObject({ status: 'countersigned' });
  });

  it('[K6] a receipt signed by another key than the one taken at join is not kept: the entry stays pending', async () => {
    const hub = createFakeHub({ signs: true });
    const user = hub.addUser();
    const a = await phone(hub);
    await a.engine.join(signInOf(user));
    hub.replaceKey();
    const entry = await write(a.session);
    expect(await a.engine.run()).toBe('done');
    expect(hub.receipts.has(entry.id)).toBe(true);
    expect(await a.session.sync.receipts()).toEqual([]);
    expect(await statusOf(a, entry)).toEqual({ status: 'pending' });
    // counted, so the sync settings can say so (the push and the pull after it each brought it)
    expect(a.countersign.getState().rejected).toBe(2);
  });

  it('[K6] a receipt changed in storage is shown as not matching, never as countersigned', async () => {
    const hub = createFakeHub({ signs: true });
    const user = hub.addUser();
    const a = await phone(hub);
    const entry = await write(a.session);
    await a.engine.join(signInOf(user));
    const held = a.countersign.getState().receipts.get(entry.id)!;
    const later = new Date(Date.parse(held.receivedAt) + 3_600_000).toISOString();
    a.countersign.setState({ receipts: new Map([[entry.id, { ...held, receivedAt: later }]]) });
    expect(await statusOf(a, entry)).toMatchObject({ status: 'invalid' });
    // and a good receipt for another hash is not this entry's
    a.countersign.setState({ receipts: new Map([[entry.id, held]]) });
    expect(await statusOf(a, { ...entry, hash: 'f'.repeat(64) })).toMatchObject({ status: 'invalid' });
  });

  it('[K6] checks a receipt once for its entry: the next page synced (a new map of the same receipts) checks no signature again', async () => {
    const hub = createFakeHub({ signs: true });
    const user = hub.addUser();
    const a = await phone(hub);
    const entry = await write(a.session);
    await a.engine.join(signInOf(user));
    expect(await statusOf(a, entry)).toMatchObject({ status: 'countersigned' });
    const verify = vi.spyOn(crypto.subtle, 'verify');
    a.countersign.setState({ receipts: new Map(a.countersign.getState().receipts) });
    expect(await statusOf(a, entry)).toMatchObject({ status: 'countersigned' });
    expect(verify).not.toHaveBeenCalled();
    // the same receipt read for another hash is checked, and is not this entry's
    expect(await statusOf(a, { ...entry, hash: 'f'.repeat(64) })).toMatchObject({ status: 'invalid' });
    verify.mockRestore();
  });

  it('[K5] a hub that signs nothing (404 on the key) leaves entries pending and syncs as before', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const a = await phone(hub);
    const entry = await write(a.session);
    expect(await a.engine.join(signInOf(user))).toBe('done');
    expect((await a.session.sync.hubLink())?.hubKey).toBeNull();
    expect(await statusOf(a, entry)).toEqual({ status: 'pending' });
    await a.engine.run();
    expect(hub.requests.filter((r) => r.path === HUB_KEY_PATH)).toHaveLength(1);
  });

  it('[K5] a hub that begins to sign after an upgrade is asked for its key again an hour later, and the entries get their receipts', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const a = await phone(hub);
    const entry = await write(a.session);
    await a.engine.join(signInOf(user));
    expect((await a.session.sync.hubLink())?.hubKey).toBeNull();
    hub.replaceKey(); // the hub is upgraded and signs from now on
    const asked = () => hub.requests.filter((r) => r.path === HUB_KEY_PATH).length;
    await a.engine.run();
    expect(asked()).toBe(1); // not at every sync
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + NO_KEY_ASKED_AGAIN_MS + 1_000);
      expect(await a.engine.run()).toBe('done');
    } finally {
      vi.useRealTimers();
    }
    expect(asked()).toBe(2);
    expect((await a.session.sync.hubLink())?.hubKey).toEqual(hub.hubKey);
    expect(await statusOf(a, entry)).toMatchObject({ status: 'countersigned' });
  });

  it('[K5] a browser without Ed25519 syncs on without receipts (entries 未署名) and says why, instead of failing every run', async () => {
    const hub = createFakeHub({ signs: true });
    const user = hub.addUser();
    const a = await phone(hub);
    const entry = await write(a.session);
    const importKey = globalThis.crypto.subtle.importKey.bind(globalThis.crypto.subtle);
    const spy = vi.spyOn(globalThis.crypto.subtle, 'importKey').mockImplementation(((format: never, data: never, algorithm: { name?: string } | string, ...rest: never[]) =>
      (typeof algorithm === 'object' && algorithm.name === 'Ed25519'
        ? Promise.reject(new DOMException('Unrecognized name.', 'NotSupportedError'))
        : importKey(format, data, algorithm as never, ...(rest as [never, never])))) as never);
    try {
      expect(await a.engine.join(signInOf(user))).toBe('done');
      expect(await a.engine.run()).toBe('done');
    } finally {
      spy.mockRestore();
    }
    expect(hub.records.has(`case-entry/${entry.id}`)).toBe(true);
    expect(a.countersign.getState().noEd25519).toBe(true);
    expect(await a.session.sync.receipts()).toEqual([]);
    // the key is asked once, not at every run
    expect(hub.requests.filter((r) => r.path === HUB_KEY_PATH)).toHaveLength(1);
  });

  it('[K5] a device joined before receipts pulls once more from the start, and its entries get theirs', async () => {
    const hub = createFakeHub({ signs: true });
    const user = hub.addUser();
    const a = await phone(hub);
    const entry = await write(a.session);
    await a.engine.join(signInOf(user));
    // As an app from before receipts left it: a link with no key and its cursor past the entry, no receipt kept.
    const b = await phone(hub);
    await b.engine.join(signInOf(user));
    const { hubKey: _key, ...old } = (await b.session.sync.hubLink())!;
    expect(old.cursor).toBeGreaterThan(0);
    await b.session.sync.saveHubLink(old);
    await b.db.receipts.clear();
    b.countersign.setState(initialCountersignState, true);

    expect(await b.engine.run()).toBe('done');
    const pulled = (await b.session.get<CaseEntry>('case-entry', entry.id))!.data;
    expect(await statusOf(b, pulled)).toMatchObject({ status: 'countersigned' });
  });

  it('[K5] a hub key whose fingerprint is not its own is not taken: the run fails and says the answer was wrong', async () => {
    const hub = createFakeHub({ signs: true });
    const user = hub.addUser();
    const browser = hub.browser();
    const lying: FetchLike = async (input, init) => {
      const answer = await browser(input, init);
      if (!input.startsWith(HUB_KEY_PATH)) return answer;
      const info = (await answer.json()) as Record<string, unknown>;
      return new Response(JSON.stringify({ ...info, fingerprint: '0'.repeat(64) }), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const a = await phone(hub, lying);
    expect(await a.engine.join(signInOf(user))).toBe('failed');
    expect((await a.session.sync.hubLink())?.hubKey).toBeUndefined();
  });
});
