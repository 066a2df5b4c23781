import { describe, expect, it, vi } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { createFakeHub, type FakeHub, type FakeHubUser } from '../../test/factories/fake-hub';
import { createHousehold } from '../../test/factories/household';
import { API } from '../protocol/sync';
import { newId, OTHER_PASSPHRASE, PASSPHRASE, setUpTestVault } from '../vault/testing';
import type { VaultSession } from '../vault/types';
import type { FetchLike } from './client';
import { createSyncEngine } from './engine';
import { initialSyncStatus, type SyncStatus } from './status';
import { S } from './text';

function signInOf(user: FakeHubUser) {
  return { hub: user.hub, loginName: user.loginName, password: user.password, totp: user.totp, deviceName: '共用の端末' };
}

function engineIn(browser: FetchLike, session: VaultSession) {
  const status = createStore<SyncStatus>()(() => initialSyncStatus);
  return { status, engine: createSyncEngine({ session, fetch: browser, locks: null, status, forgetInstall: vi.fn(async () => undefined) }) };
}

/** A phone `first` joined, holding one household; a second person added on it and unlocked. */
async function phoneJoinedBy(hub: FakeHub, first: FakeHubUser) {
  const browser = hub.browser();
  const vault = await setUpTestVault();
  const firstEngine = engineIn(browser, vault.session);
  expect(await firstEngine.engine.join(signInOf(first))).toBe('done');
  const householdId = newId();
  await vault.session.put('household', householdId, createHousehold({ id: householdId }), 'create');
  const local = await vault.session.addUser(PASSPHRASE, '二人目', OTHER_PASSPHRASE);
  vault.session.lock();
  const second = await vault.vault.unlock(local.id, OTHER_PASSPHRASE);
  return { browser, vault, second, secondEngine: engineIn(browser, second), householdId };
}

const enrolments = (hub: FakeHub) => hub.requests.filter((r) => r.path === API.devices).length;

describe('sync engine: a facility liaison never shares a phone with the staff', () => {
  it('[A6b] refuses a liaison signing in on a phone a coordinator uses, saying why and to use a phone of its own', async () => {
    const hub = createFakeHub();
    const coordinator = hub.addUser({ displayName: '拠点 花子' });
    const liaison = hub.addUser({ displayName: '連携 一郎', role: 'facility-liaison', facilityId: 'facility-a' });
    const phone = await phoneJoinedBy(hub, coordinator);
    const before = enrolments(hub);

    const error = await phone.secondEngine.engine.join(signInOf(liaison)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'forbidden', message: S.join.liaisonRefused });
    expect((error as Error).message).toContain('要配慮個人情報');
    expect((error as Error).message).toContain('専用の端末');
    // not enrolled, not a member: the phone stays the coordinator's alone
    expect(enrolments(hub)).toBe(before);
    const link = await phone.second.sync.hubLink();
    expect(Object.values(link?.members ?? {}).map((m) => m.role)).toEqual(['coordinator']);
    expect(await phone.second.get('household', phone.householdId)).toBeDefined();
  });

  it('[A6b] refuses a case worker signing in on a phone a liaison uses', async () => {
    const hub = createFakeHub();
    const liaison = hub.addUser({ displayName: '連携 一郎', role: 'facility-liaison', facilityId: 'facility-a' });
    const worker = hub.addUser({ displayName: '相談 次郎', role: 'case-worker', officeId: 'office-a' });
    const phone = await phoneJoinedBy(hub, liaison);
    const before = enrolments(hub);

    const error = await phone.secondEngine.engine.join(signInOf(worker)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'forbidden', message: S.join.liaisonHere });
    expect((error as Error).message).toContain('別の端末');
    expect(enrolments(hub)).toBe(before);
    const link = await phone.second.sync.hubLink();
    expect(Object.values(link?.members ?? {}).map((m) => m.role)).toEqual(['facility-liaison']);
    // the liaison's own phone goes on as theirs: they sign in on it again
    phone.second.lock();
    const asLiaison = await phone.vault.vault.unlock(phone.vault.session.user.id, PASSPHRASE);
    const own = engineIn(phone.browser, asLiaison);
    expect(await own.engine.join(signInOf(liaison))).toBe('done');
    // the facility the hub scoped them to, for the facility screens to offer 編集 and 空床を報告 on it alone
    expect(own.status.getState()).toMatchObject({ role: 'facility-liaison', facilityId: 'facility-a', signedOut: false });
  });

  it('[A6b] a phone that mixed them before this check takes no more staff until the liaison is removed from it', async () => {
    const hub = createFakeHub();
    const coordinator = hub.addUser({ displayName: '拠点 花子' });
    const liaison = hub.addUser({ displayName: '連携 一郎', role: 'facility-liaison', facilityId: 'facility-a' });
    const worker = hub.addUser({ displayName: '相談 次郎', role: 'case-worker', officeId: 'office-a' });
    const browser = hub.browser();
    const vault = await setUpTestVault();
    expect(await engineIn(browser, vault.session).engine.join(signInOf(coordinator))).toBe('done');
    // the liaison signed in on it before the app refused that
    const localLiaison = await vault.session.addUser(PASSPHRASE, '連携 一郎', OTHER_PASSPHRASE);
    const link = (await vault.session.sync.hubLink())!;
    const member = { userId: liaison.id, loginName: liaison.loginName, displayName: '連携 一郎', role: 'facility-liaison' as const, signedOut: false };
    await vault.session.sync.saveHubLink({ ...link, members: { ...link.members, [localLiaison.id]: member } });
    const localWorker = await vault.session.addUser(PASSPHRASE, '相談 次郎', 'soudan-no-jiro-2026');
    vault.session.lock();

    let asWorker = await vault.vault.unlock(localWorker.id, 'soudan-no-jiro-2026');
    await expect(engineIn(browser, asWorker).engine.join(signInOf(worker))).rejects.toMatchObject({ message: S.join.liaisonHere });
    asWorker.lock();

    // the coordinator removes the liaison from the phone (設定): the case worker joins
    const asCoordinator = await vault.vault.unlock(vault.session.user.id, PASSPHRASE);
    await asCoordinator.removeUser(PASSPHRASE, localLiaison.id);
    asCoordinator.lock();
    asWorker = await vault.vault.unlock(localWorker.id, 'soudan-no-jiro-2026');
    expect(await engineIn(browser, asWorker).engine.join(signInOf(worker))).toBe('done');
  });
  it('[A6b] refuses a liaison new to a phone that holds its own households or another person, joined to no hub yet; the demo alone is no one’s', async () => {
    const hub = createFakeHub();
    const liaison = hub.addUser({ displayName: '連携 一郎', role: 'facility-liaison', facilityId: 'facility-a' });
    const browser = hub.browser();

    // a phone a case worker used alone (no hub), a household registered on it
    const used = await setUpTestVault();
    const householdId = newId();
    await used.session.put('household', householdId, createHousehold({ id: householdId }), 'create');
    await expect(engineIn(browser, used.session).engine.join(signInOf(liaison))).rejects.toMatchObject({ message: S.join.liaisonRefused });

    // a phone with a colleague who can unlock it, nothing on it yet
    const shared = await setUpTestVault();
    await shared.session.addUser(PASSPHRASE, '二人目', OTHER_PASSPHRASE);
    await expect(engineIn(browser, shared.session).engine.join(signInOf(liaison))).rejects.toMatchObject({ message: S.join.liaisonRefused });

    // the liaison's own new phone, with the demo loaded to practise: joins
    const own = await setUpTestVault();
    await own.session.putDemo('household', [{ id: 'demo-hh-1', data: createHousehold({ id: 'demo-hh-1' }) }]);
    expect(await engineIn(browser, own.session).engine.join(signInOf(liaison))).toBe('done');
  });
});
