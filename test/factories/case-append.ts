/**
 * What the app's appendCaseEntry does, without the screens, for tests that drive phones through
 * the sync engine: a case as a phone holds it (in read order), and the next entry after it,
 * written by the phone's unlocked user on that phone.
 */
import { chainNext, orderEntries } from '../../src/domain/case-chain';
import type { CaseEntry, EntryBody } from '../../src/domain/emergency-case';
import type { VaultSession } from '../../src/vault/types';

export async function heldCase(session: VaultSession, caseId: string): Promise<CaseEntry[]> {
  return orderEntries((await session.list<CaseEntry>('case-entry')).map((r) => r.data).filter((e) => e.caseId === caseId));
}

export async function appendNext(session: VaultSession, caseId: string, body: EntryBody): Promise<CaseEntry> {
  const entry = await chainNext(await heldCase(session, caseId), {
    id: globalThis.crypto.randomUUID(),
    caseId,
    recordedAt: new Date().toISOString(),
    recordedBy: { userId: session.user.id, name: session.user.displayName },
    deviceId: session.deviceId,
    body,
  });
  await session.append('case-entry', entry.id, entry);
  return entry;
}
