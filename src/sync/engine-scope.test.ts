import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { createFakeHub, type FakeHubUser } from '../../test/factories/fake-hub';
import { createHousehold } from '../../test/factories/household';
import type { Household } from '../domain/household';
import { newId, OTHER_PASSPHRASE, PASSPHRASE, setUpTestVault } from '../vault/testing';
import type { VaultSession } from '../vault/types';
import type { FetchLike } from './client';
import { createSyncEngine } from './engine';
import { initialSyncStatus, type SyncStatus } from './status';

function signInOf(user: FakeHubUser) {
  return { hub: user.hub, loginName: user.loginName, password: user.password, totp: user.totp, deviceName: '拠点 花子の端末' };
}

function engineIn(browser: FetchLike, session: VaultSession) {
  const status = createStore<SyncStatus>()(() => initialSyncStatus);
  return { status, engine: createSyncEngine({ session, fetch: browser, locks: null, status, forgetInstall: async () => undefined }) };
}

describe('sync engine: a scope change on a shared phone [S10]', () => {
  it("leaves the case worker no household that moved to another office since the coordinator's sync, but keeps one with an unsent change", async () => {
    const hub = createFakeHub();
    const hanako = hub.addUser({ displayName: '拠点 花子' });
    const jiro = hub.addUser({ displayName: '相談 次郎', role: 'case-worker', officeId: 'office-a' });
    const [moved, stays, edited] = [newId(), newId(), newId()];
    for (const id of [moved, stays, edited]) {
      hub.write({ kind: 'household', entityId: id, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id, note: 'ハブの版' })) });
    }
    const browser = hub.browser();
    const vault = await setUpTestVault();
    const h = engineIn(browser, vault.session);
    // The coordinator's phone: every household, each under office-a in this copy.
    expect(await h.engine.join(signInOf(hanako))).toBe('done');
    for (const id of [moved, stays, edited]) expect(await vault.session.get('household', id)).toBeDefined();
    // An edit the hub will not take yet stays queued on the phone.
    await vault.session.put('household', edited, createHousehold({ id: edited, note: '手元で編集中' }), 'update');
    hub.refuseEntity(edited, 'scope');
    const localJiro = await vault.session.addUser(PASSPHRASE, '相談 次郎', OTHER_PASSPHRASE);
    vault.session.lock();

    // Meanwhile the household moves to office-b on the hub (this phone's copy still says office-a).
    const held = hub.records.get(`household/${moved}`)!;
    hub.write({ ...held, officeId: 'office-b' });

    // The phone handed to a case worker of office-a, who signs in on it.
    const asJiro = await vault.vault.unlock(localJiro.id, OTHER_PASSPHRASE);
    const j = engineIn(browser, asJiro);
    expect(await j.engine.join(signInOf(jiro))).toBe('done');

    // Another office's family is not on his screen; his office's households are.
    expect(await asJiro.get('household', moved)).toBeUndefined();
    expect((await asJiro.get<Household>('household', stays))?.data.note).toBe('ハブの版');
    expect((await asJiro.get<Household>('household', edited))?.data.note).toBe('手元で編集中');
    expect((await asJiro.sync.hubLink())?.scope).toEqual({ role: 'case-worker', officeIds: ['office-a'], facilityId: null });
  });
});
