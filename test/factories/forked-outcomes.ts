/**
 * A case two phones continued offline at once (case-chain.ts), each recording a different 対応結果
 * after the same call to ふじ (受入可): phone 1, in a basement, 在宅で対応 at 17:45; phone 2 短期入所 at
 * ふじ from 17:50 (Japan time). Read order puts last the outcome of the phone that held more entries:
 * `last` says which, so a test can read the same fork in both orders.
 */
import { orderEntries } from '../../src/domain/case-chain';
import type { Actor, CaseEntry, EntryBody, OutcomeBody } from '../../src/domain/emergency-case';
import type { IsoDate } from '../../src/domain/household';
import { appendEntries, contactBody, openBody } from './emergency-case';

const phone1 = { by: { userId: 'u-1', name: '山田 夜勤' } satisfies Actor, deviceId: 'phone-1', idPrefix: 'p1' };
const phone2 = { by: { userId: 'u-2', name: '鈴木 主任' } satisfies Actor, deviceId: 'phone-2', idPrefix: 'p2' };

export const FUJI = { id: 'fac-f', name: 'ふじ短期入所' } as const;

export interface ForkedOutcomes {
  /** every entry, in read order */
  readonly entries: CaseEntry[];
  /** the two phones, to write more after the entries (e.g. the outcome recorded again to settle it) */
  readonly phone1: typeof phone1;
  readonly phone2: typeof phone2;
  readonly admission: OutcomeBody;
}

/** `day`: the Japan date of the call (16:30), the admission at 17:50 that day. */
export async function forkedOutcomes({ last, day = '2026-11-30', caseId = 'case-1' }: { last: 'home' | 'admission'; day?: IsoDate; caseId?: string }): Promise<ForkedOutcomes> {
  // Japan time is UTC+9: 16:30 JST is 07:30Z
  const at = (jst: string) => new Date(Date.parse(`${day}T${jst}:00.000+09:00`)).toISOString();
  const atHome: OutcomeBody = { type: 'outcome', outcome: '在宅で対応', facilityId: null, facilityName: '', from: null, note: '叔母が泊まる' };
  const admission: OutcomeBody = { type: 'outcome', outcome: '短期入所', facilityId: FUJI.id, facilityName: FUJI.name, from: at('17:50'), note: '' };
  const base = await appendEntries(
    [],
    [
      { body: openBody({ requestedAt: at('16:30') }), at: at('16:30') },
      { body: contactBody({ facilityId: FUJI.id, facilityName: FUJI.name, contactedAt: at('16:40'), result: '受入可' }), at: at('16:40') },
    ],
    caseId,
    phone1,
  );
  // the phone whose outcome read order puts last also recorded one more call (あおぞら, 受入不可) first
  const another: EntryBody = contactBody({ contactedAt: at('17:30'), result: '受入不可' });
  const write = async (phone: typeof phone1, bodies: { body: EntryBody; at: string }[]) => (await appendEntries(base, bodies, caseId, phone)).slice(base.length);
  const home = { body: atHome, at: at('17:45') };
  const admit = { body: admission, at: at('17:55') };
  const one = await write(phone1, last === 'home' ? [{ body: another, at: at('17:30') }, home] : [home]);
  const two = await write(phone2, last === 'admission' ? [{ body: another, at: at('17:30') }, admit] : [admit]);
  return { entries: orderEntries([...base, ...one, ...two]), phone1, phone2, admission };
}
