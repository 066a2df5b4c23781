/**
 * A full re-read of the vault (a sync that dropped records, another tab's demo) takes seconds on a
 * full phone. What this tab saved meanwhile must stay on the screens: the read may have met the
 * vault before the save, and the vault has it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appendEntries, contactBody, openBody } from '../../test/factories/emergency-case';
import { createFacility } from '../../test/factories/facility';
import { createVault } from '../vault/vault';
import type { VaultSession } from '../vault/types';
import { useApp } from './store';

const PASSPHRASE = 'yoru-no-denwa-2026';

beforeEach(() => {
  useApp.setState(useApp.getInitialState(), true);
});
afterEach(() => {
  vi.restoreAllMocks();
  useApp.getState().vault?.close();
});

/** Every list the reload reads is read at once, then handed back only when the test lets it go (a slow phone). */
function holdReads(session: VaultSession): { release: () => void; started: Promise<void> } {
  let release = () => {};
  const gate = new Promise<void>((done) => (release = done));
  let begun = () => {};
  const started = new Promise<void>((done) => (begun = done));
  const listReadable = session.listReadable.bind(session);
  vi.spyOn(session, 'listReadable').mockImplementation(async (kind) => {
    const read = await listReadable(kind);
    begun();
    await gate;
    return read as never;
  });
  return { release, started };
}

describe('a reload while the coordinator records', () => {
  it('keeps a call recorded during the reload beside the entries it read (電話済み stays)', async () => {
    await useApp.getState().start(createVault(`reload-call-${crypto.randomUUID()}`));
    await useApp.getState().setUp('夜間 太郎', PASSPHRASE);
    const at = new Date(Date.now() - 10 * 60_000).toISOString();
    const opened = await useApp.getState().appendCaseEntry(null, openBody({ requestedAt: at, requestedAtReason: '折り返しの電話で記録' }));
    const caseId = opened.id;
    const session = useApp.getState().session!;
    // A colleague's call on the case, brought by the sync that asks for the reload.
    const [first] = useApp.getState().caseEntries.get(caseId)!;
    const theirs = (await appendEntries([first!], [{ body: contactBody({ contactedAt: new Date(Date.now() - 5 * 60_000).toISOString(), result: '受入不可', facilityName: 'ひだまり' }), at: new Date(Date.now() - 5 * 60_000).toISOString(), by: { userId: 'user-a', name: '日勤 花子' } }], caseId, { by: { userId: 'user-a', name: '日勤 花子' }, deviceId: 'device-a' })).at(-1)!;
    await session.append('case-entry', theirs.id, theirs);
    const { release, started } = holdReads(session);

    const reload = useApp.getState().reload({ tellOtherTabs: false });
    await started;
    // Back from the dialler: the call is recorded while the reload is still reading.
    await useApp.getState().appendCaseEntry(caseId, contactBody({ contactedAt: new Date().toISOString(), result: '不在', facilityName: 'みどり園' }));
    release();
    await reload;

    const shown = useApp.getState().caseEntries.get(caseId)!;
    expect(shown.map((e) => (e.body.type === 'contact' ? e.body.facilityName : e.body.type))).toEqual(['open', 'ひだまり', 'みどり園']);
    // As the vault holds it.
    expect((await session.list('case-entry')).length).toBe(3);
  });

  it('keeps a bed report saved during the reload, not the copy the reload read before it', async () => {
    await useApp.getState().start(createVault(`reload-vacancy-${crypto.randomUUID()}`));
    await useApp.getState().setUp('夜間 太郎', PASSPHRASE);
    const facility = createFacility({ id: 'fac-hidamari', name: 'ひだまり' });
    await useApp.getState().saveFacility(facility, 'create');
    const session = useApp.getState().session!;
    const { release, started } = holdReads(session);

    const reload = useApp.getState().reload({ tellOtherTabs: false });
    await started;
    const reported = { ...facility, vacancy: { beds: 2, asOf: new Date().toISOString(), reportedBy: '夜間 太郎' } };
    await useApp.getState().saveFacility(reported, 'update');
    release();
    await reload;

    expect(useApp.getState().facilities.get('fac-hidamari')?.vacancy?.beds).toBe(2);
  });
});
