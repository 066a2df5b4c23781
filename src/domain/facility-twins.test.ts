import { describe, expect, it } from 'vitest';
import { createFacility } from '../../test/factories/facility';
import { officeNumberKey, officeTwins, oneRecordPerOffice, shownTwin } from './facility-twins';

describe('one office registered twice', () => {
  it('reads one number whatever its width, spaces or hyphens, and no number as none', () => {
    expect(officeNumberKey('１２１０１０ ０００１')).toBe('1210100001');
    expect(officeNumberKey('12-1010-0001')).toBe('1210100001');
    expect(officeNumberKey('  ')).toBe('');
  });

  it('names, for each record of a shared number, the others; a number held once and a blank one are not twins', () => {
    const a = createFacility({ id: 'fac-a', officeNumber: '1210100001' });
    const b = createFacility({ id: 'fac-b', officeNumber: '１２１０１０００01' });
    const c = createFacility({ id: 'fac-c', officeNumber: '1210100002' });
    const d = createFacility({ id: 'fac-d', officeNumber: '' });
    const e = createFacility({ id: 'fac-e', officeNumber: '' });
    // a demo office sharing a real number is not its twin
    const demo = createFacility({ id: 'demo-f-00001', officeNumber: '1210100001' });
    const twins = officeTwins([c, b, d, a, e, demo]);
    expect([...twins.keys()].sort()).toEqual(['fac-a', 'fac-b']);
    expect(twins.get('fac-a')).toEqual([b]);
    expect(twins.get('fac-b')).toEqual([a]);
  });

  it('shows the record whose report speaks for tonight, the newest, else the one changed last, else the first id', () => {
    const now = Date.parse('2026-12-01T12:00:00.000Z');
    const a = createFacility({ id: 'fac-a', updatedAt: '2026-12-01T00:00:00.000Z' });
    const b = createFacility({ id: 'fac-b', updatedAt: '2026-11-01T00:00:00.000Z', vacancy: { beds: 1, asOf: '2026-12-01T10:00:00.000Z', reportedBy: '田中' } });
    expect(shownTwin([a, b], now)).toBe(b);
    const newer = { ...a, vacancy: { beds: 0, asOf: '2026-12-01T11:00:00.000Z', reportedBy: '佐藤' } };
    expect(shownTwin([b, newer], now)).toBe(newer);
    // tonight's free bed before a newer report for the weekend (今夜は対象外)
    const weekend = { ...a, vacancy: { beds: 2, asOf: '2026-12-01T11:30:00.000Z', reportedBy: '佐藤', from: '2026-12-05', until: '2026-12-06' } };
    expect(shownTwin([weekend, b], now)).toBe(b);
    // one marked 廃止 (to be rid of it) never hides the one still running, whatever its reports
    const retired = { ...newer, closure: { kind: 'closed' as const, from: '2026-11-01', until: null, note: '重複登録' } };
    expect(shownTwin([retired, { ...b, vacancy: null }], now).id).toBe('fac-b');
    const bare = { ...b, vacancy: null };
    expect(shownTwin([bare, a], now)).toBe(a);
    const a2 = { ...a, updatedAt: bare.updatedAt };
    expect(shownTwin([bare, a2], now)).toBe(a2);
  });

  it('keeps one record per office, and a twin a record already names', () => {
    const a = createFacility({ id: 'fac-a', officeNumber: '1210100001', updatedAt: '2026-12-01T00:00:00.000Z' });
    const b = createFacility({ id: 'fac-b', officeNumber: '1210100001', updatedAt: '2026-11-01T00:00:00.000Z' });
    const c = createFacility({ id: 'fac-c', officeNumber: '1210100002' });
    const now = Date.parse('2026-12-01T12:00:00.000Z');
    expect(oneRecordPerOffice([a, b, c], now)).toEqual([a, c]);
    expect(oneRecordPerOffice([a, b, c], now, new Set(['fac-b']))).toEqual([a, b, c]);
  });
});
