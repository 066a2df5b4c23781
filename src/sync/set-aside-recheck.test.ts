/**
 * [R3][V2] A record set aside because this app could not read it is checked again at the next
 * unlock's first run: an update may read it now. The update is played by the record check itself,
 * which refuses one household until "updated" (this app has no older self to run).
 */
import { describe, expect, it, vi } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { createFakeHub } from '../../test/factories/fake-hub';
import { createHousehold } from '../../test/factories/household';
import { newId, PASSPHRASE, setUpTestVault } from '../vault/testing';
import { createSyncEngine } from './engine';
import { initialSyncStatus, type SyncStatus } from './status';

const older = vi.hoisted(() => ({ cannotRead: new Set<string>() }));

vi.mock('../protocol/records', async (original) => {
  const actual = await original<typeof import('../protocol/records')>();
  return {
    ...actual,
    checkRecord: (kind: string, id: string, data: unknown) =>
      older.cannotRead.has(id) ? { code: 'shape', field: 'persons.0.disabilityTypes', message: 'a type this app does not know' } : actual.checkRecord(kind as never, id, data),
  };
});

describe('records set aside, checked again after an update [R3][V2]', () => {
  it('the next unlock reads what it can now, writes it as a pull would, and the screens are told', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const vault = await setUpTestVault();
    const engineOf = (session: typeof vault.session) => {
      const status = createStore<SyncStatus>()(() => initialSyncStatus);
      const onRecordsChanged = vi.fn();
      return { status, onRecordsChanged, engine: createSyncEngine({ session, fetch: hub.browser(), locks: null, status, onRecordsChanged, forgetInstall: async () => undefined }) };
    };
    const first = engineOf(vault.session);
    await first.engine.join({ hub: user.hub, loginName: user.loginName, password: user.password, totp: user.totp, deviceName: '端末' });
    const id = newId();
    older.cannotRead.add(id);
    hub.write({ kind: 'household', entityId: id, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id, note: '新しい版で登録' })) });
    expect(await first.engine.run()).toBe('done');
    expect(first.status.getState().setAside.total).toBe(1);
    expect(await vault.session.get('household', id)).toBeUndefined();

    // The app is updated (it reads the record now), and unlocked again: offline, even.
    older.cannotRead.clear();
    vault.session.lock();
    const again = await vault.vault.unlock(vault.session.user.id, PASSPHRASE);
    const next = engineOf(again);
    hub.fail({ type: 'network' });
    await next.engine.run();
    expect((await again.get<{ note: string }>('household', id))?.data.note).toBe('新しい版で登録');
    expect(next.onRecordsChanged).toHaveBeenCalledWith([['household', id]]);
    expect(next.status.getState().setAside.total).toBe(0);
  });
});

describe('records set aside, checked again: a newer copy held here stands', () => {
  it('an edit made here since, taken by the hub and not yet pulled back, is not overwritten by the older set-aside copy', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const vault = await setUpTestVault();
    const status = createStore<SyncStatus>()(() => initialSyncStatus);
    const engine = createSyncEngine({ session: vault.session, fetch: hub.browser(), locks: null, status, forgetInstall: async () => undefined });
    await engine.join({ hub: user.hub, loginName: user.loginName, password: user.password, totp: user.totp, deviceName: '端末' });
    const id = newId();
    hub.write({ kind: 'household', entityId: id, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id, note: '最初' })) });
    expect(await engine.run()).toBe('done');
    const first = (await vault.session.get<{ note: string }>('household', id))!;
    // a newer version comes, set aside by this app; then this phone's own edit is taken by the hub as newer still
    older.cannotRead.add(id);
    const setAsideAt = hub.write({ kind: 'household', entityId: id, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id, note: '保留された版' })) });
    expect(await engine.run()).toBe('done');
    await vault.session.put('household', id, createHousehold({ id, note: 'この端末の編集' }), 'update');
    const edit = (await vault.session.outbox()).at(-1)!;
    await vault.session.sync.acknowledge([{ seq: edit.seq, mutationId: edit.mutationId, status: 'accepted', version: setAsideAt + 1 }], [edit]);
    expect(first.data.note).toBe('最初');

    older.cannotRead.clear();
    const rechecked = await vault.session.sync.recheckSetAside();
    expect(rechecked?.written).toBe(0);
    expect((await vault.session.get<{ note: string }>('household', id))?.data.note).toBe('この端末の編集');
  });
});
