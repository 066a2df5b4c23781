/**
 * Test data for emergency cases (STYLE.md habit 7): a chain built entry by entry through the real
 * chain code, so tests read like the night call they describe.
 */
import { chainNext } from '../../src/domain/case-chain';
import { foldCase } from '../../src/domain/case-fold';
import type {
  Actor,
  CaseEntry,
  CaseSubject,
  ContactBody,
  EmergencyCase,
  EntryBody,
  OpenBody,
} from '../../src/domain/emergency-case';

export const coordinator: Actor = { userId: 'user-1', name: '山田 夜勤' };

export const subjectYota: CaseSubject = {
  householdId: 'hh-1',
  personId: 'p-1',
  name: '佐藤 陽太',
  recipientNumber: '1234567890',
};

export function openBody(overrides: Partial<OpenBody> = {}): OpenBody {
  return {
    type: 'open',
    officeId: 'office-1',
    subject: subjectYota,
    requestedAt: '2026-11-30T14:50:00.000Z',
    requestedAtReason: '',
    category: '介護者の急病・けが',
    detail: '母が倒れ救急搬送。本人は自宅に一人。',
    caller: '叔母',
    callerPhone: '090-1111-2222',
    ...overrides,
  };
}

export function contactBody(overrides: Partial<ContactBody> = {}): ContactBody {
  return {
    type: 'contact',
    facilityId: 'fac-1',
    facilityName: 'あおぞら短期入所',
    facilityOfficeNumber: '1210100001',
    shortStay: true,
    contactedAt: '2026-11-30T15:20:00.000Z',
    method: '電話',
    result: '受入可',
    note: '',
    ...overrides,
  };
}

/**
 * Appends bodies to a chain, each recorded a minute after the last (or at `at`), by `writer` (the
 * night coordinator on device-1 unless told).
 */
export async function appendEntries(
  entries: readonly CaseEntry[],
  bodies: readonly (EntryBody | { body: EntryBody; at: string; by?: Actor })[],
  caseId = entries[0]?.caseId ?? 'case-1',
  writer: { readonly by: Actor; readonly deviceId: string; readonly idPrefix?: string } = { by: coordinator, deviceId: 'device-1' },
): Promise<CaseEntry[]> {
  const out = [...entries];
  let clock = out.length > 0 ? Date.parse(out.at(-1)!.recordedAt) : Date.parse('2026-11-30T14:49:00.000Z');
  for (const item of bodies) {
    const { body, at, by } = 'type' in item ? { body: item, at: undefined, by: undefined } : item;
    clock = at !== undefined ? Date.parse(at) : clock + 60_000;
    out.push(
      await chainNext(out, {
        id: `${writer.idPrefix ?? caseId}-e${out.length}`,
        caseId,
        recordedAt: new Date(clock).toISOString(),
        recordedBy: by ?? writer.by,
        deviceId: writer.deviceId,
        body,
      }),
    );
  }
  return out;
}

export async function buildCase(
  bodies: readonly (EntryBody | { body: EntryBody; at: string; by?: Actor })[],
  caseId = 'case-1',
): Promise<EmergencyCase> {
  return foldCase(await appendEntries([], bodies, caseId));
}

/**
 * A claimable night call requested at `requestedAt`: the request, one short-stay contact, this
 * office as the planner, outcome 短期入所 and closed, spread over its first 40 minutes.
 */
export function admittedNight(id: string, requestedAt: string, subject: CaseSubject = subjectYota): Promise<CaseEntry[]> {
  const t = (min: number) => new Date(Date.parse(requestedAt) + min * 60_000).toISOString();
  const bodies: { body: EntryBody; at: string }[] = [
    { body: openBody({ requestedAt, subject }), at: t(1) },
    { body: contactBody({ contactedAt: t(10) }), at: t(11) },
    { body: { type: 'claim-facts', planning: 'this-office', independentLivingClaimed: false, note: '' }, at: t(20) },
    { body: { type: 'outcome', outcome: '短期入所', facilityId: 'fac-1', facilityName: 'あおぞら短期入所', from: t(30), note: '' }, at: t(30) },
    { body: { type: 'close', closedAt: t(40) }, at: t(40) },
  ];
  return appendEntries([], bodies, id);
}
