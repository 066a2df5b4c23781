import { describe, expect, it } from 'vitest';
import { buildCase, contactBody, openBody } from '../../test/factories/emergency-case';
import { createHousehold } from '../../test/factories/household';
import { createTrialStay } from '../../test/factories/trial-stay';
import { caseEntryRecord, checkRecord } from './records';

describe('[R2] the records issue 15 adds travel between devices', () => {
  it('a stay-end entry passes the hub’s check; an unknown exit does not', async () => {
    const c = await buildCase([
      openBody(),
      contactBody(),
      { type: 'outcome', outcome: '短期入所', facilityId: 'fac-1', facilityName: 'あおぞら', from: '2026-11-30T16:00:00.000Z', note: '' },
      { type: 'close', closedAt: '2026-11-30T16:30:00.000Z' },
      { body: { type: 'stay-end', endedAt: '2026-12-03T01:00:00.000Z', exit: '施設入所', note: '' }, at: '2026-12-04T00:00:00.000Z' },
    ]);
    const entry = c.entries.at(-1)!;
    expect(caseEntryRecord.safeParse(entry).success).toBe(true);
    expect(caseEntryRecord.safeParse({ ...entry, body: { ...entry.body, exit: '不明' } }).success).toBe(false);
  });

  it('a trial stay passes; one without a person or with a date that is not a date is refused, naming the field', () => {
    const stay = createTrialStay();
    expect(checkRecord('trial-stay', stay.id, stay)).toBeNull();
    expect(checkRecord('trial-stay', stay.id, { ...stay, personId: '' })?.field).toBe('personId');
    expect(checkRecord('trial-stay', stay.id, { ...stay, to: '6月1日' })?.field).toBe('to');
  });

  it('a cancelled trial stay (取消) passes with its reason; a 取消 without one is refused', () => {
    const stay = createTrialStay({ cancelled: { reason: '取り違え', by: '相談 一郎', at: '2026-06-06T00:00:00.000Z' } });
    expect(checkRecord('trial-stay', stay.id, stay)).toBeNull();
    expect(checkRecord('trial-stay', stay.id, { ...stay, cancelled: { ...stay.cancelled, reason: '' } })?.field).toBe('cancelled.reason');
  });

  it('a household saved before 支給決定市町村 existed is still read, the field as blank', () => {
    const h = createHousehold();
    const old = { ...h, persons: h.persons.map(({ municipality: _dropped, ...p }) => p) };
    expect(checkRecord('household', h.id, old)).toBeNull();
    expect(checkRecord('household', h.id, { ...h, persons: [{ ...h.persons[0], municipality: 3 }] })?.field).toBe('persons.0.municipality');
  });
});
