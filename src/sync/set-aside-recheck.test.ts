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
